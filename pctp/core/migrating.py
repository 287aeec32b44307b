"""Helpers for migrations that move a model between apps with its table (issue 18)."""

from __future__ import annotations


def relabel_content_types(apps, old: str, new: str, models: tuple[str, ...]) -> None:
    """Keep the content types (and so the permissions granted to roles) of moved models."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        if ContentType.objects.filter(app_label=new, model=model).exists():
            continue
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
