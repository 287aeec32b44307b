"""The portal's background work: checking identified reporters against the population
database adapter."""

from __future__ import annotations

from django_tasks import task

from pctp.core.tasks import retried


@task()
def verify_reporters(limit: int = 100, attempt: int = 1) -> dict:
    from pctp.portal.services import verify_identities

    with retried(verify_reporters, limit=limit, attempt=attempt):
        return {"checked": verify_identities(limit=limit, commit=True) or {}}
