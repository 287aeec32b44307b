"""Dates typed day first (issue 17). The browser's native date input follows the browser's
language (Chromium in English showed mm/dd/yyyy: 09/08/2026 meant 8 September), so PCTP's
forms use a text input that reads dd/mm/yyyy (and ISO) under every language, with a hint,
and `parse_day` reads the same for the filters in query strings."""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from pctp.formats.vi.formats import DATE_INPUT_FORMATS

DAY_PATTERN = r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}|\d{4}-\d{2}-\d{2}"


class DayInput(forms.DateInput):
    """dd/mm/yyyy as text (never the browser's locale-dependent picker)."""

    def __init__(self, attrs=None):
        base = {"placeholder": _("dd/mm/yyyy"), "inputmode": "numeric", "class": "day",
                "pattern": DAY_PATTERN, "autocomplete": "off", "size": 10, "maxlength": 10,
                "title": _("Day/month/year, e.g. 09/08/2026 for 9 August 2026")}
        super().__init__({**base, **(attrs or {})}, format="%d/%m/%Y")


class MomentInput(forms.DateTimeInput):
    """dd/mm/yyyy hh:mm as text."""

    def __init__(self, attrs=None):
        base = {"placeholder": _("dd/mm/yyyy hh:mm"), "class": "moment", "autocomplete": "off",
                "size": 16, "maxlength": 19,
                "title": _("Day/month/year and hour, e.g. 09/08/2026 14:30")}
        super().__init__({**base, **(attrs or {})}, format="%d/%m/%Y %H:%M")


def parse_day(value: str | None) -> date | None:
    """A day typed as dd/mm/yyyy (or d/m/yyyy, with - or .) or yyyy-mm-dd; None when it is
    none of these or not a calendar day."""
    text = (value or "").strip()
    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def shift_year(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
