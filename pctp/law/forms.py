"""The offence picker's widgets and the article field (issue 17)."""

from __future__ import annotations

import re

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from pctp.law.selectors import fold


def offence_picker(kind: str, **attrs) -> forms.TextInput:
    """A text input that suggests articles and clauses as the officer types
    (pctp/static/pctp/offence-pick.js); `kind` is "article" or "charges"."""
    return forms.TextInput(attrs={
        "data-offence-pick": kind, "data-suggest-url": reverse_lazy("offence-suggest"),
        "autocomplete": "off", "role": "combobox", "aria-autocomplete": "list",
        "aria-expanded": "false",
        "placeholder": _("article number or words of the name, e.g. 173 or trộm cắp"),
        **attrs})


class ArticleField(forms.CharField):
    """An article of the Penal Code as typed or picked: "173", "Điều 173", "173a",
    "Điều 173 khoản 1 — Tội trộm cắp tài sản" all give "173" (the clause has its own
    field)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("widget", offence_picker("article"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        m = re.match(r"^\s*(?:dieu\s*)?(\d+[a-z]?)\b", fold(value))
        if m is None:
            raise forms.ValidationError(
                _("Type the article's number or pick it from the suggestions."))
        return m.group(1)
