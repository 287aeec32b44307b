"""Period arithmetic for recurring reports and scorecards: pure functions, no database.

A recurring task names the due date of its first report (the anchor) and a recurrence.
Every later due date is the anchor moved by whole months, keeping the anchor's day of the
month and clamping it to the month's last day: an anchor of 15 March falls due on 15 June,
15 September…; an anchor of 31 January on 28 (or, in a leap year, 29) February, then 31
March, 30 April… and never drifts to the 28th. An anchor on the last day of a month means
"at the end of the month" (30 June, six-monthly → 31 December; 29 February 2028, yearly →
28 February 2029 … 29 February 2032). A report covers the days after the previous due date
up to and including its own.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

STEP_MONTHS = {"monthly": 1, "quarterly": 3, "six_monthly": 6, "yearly": 12}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
GRAINS = ("month", "quarter", "year")


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int, *, anchor_day: int | None = None) -> date:
    """`day` moved by `months`, on `anchor_day` (default: its own day) or the month's last day."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(anchor_day or day.day, last_day(year, month)))


@dataclass(frozen=True)
class Period:
    index: int
    start: date
    end: date

    @property
    def due(self) -> date:
        return self.end


def nth_due(anchor: date, recurrence: str, n: int) -> date:
    month_end = anchor.day == last_day(anchor.year, anchor.month)
    return add_months(anchor, n * STEP_MONTHS[recurrence],
                      anchor_day=31 if month_end else anchor.day)


def period(anchor: date, recurrence: str, n: int) -> Period:
    """The n-th report period (n = 0 is the first), ending on its due date."""
    return Period(n, nth_due(anchor, recurrence, n - 1) + timedelta(days=1),
                  nth_due(anchor, recurrence, n))


def periods(anchor: date, recurrence: str, *, until: date) -> Iterator[Period]:
    """Every period that begins on or before `until` (the last may fall due after it)."""
    n = 0
    while True:
        current = period(anchor, recurrence, n)
        if current.start > until:
            return
        yield current
        n += 1


def periods_open_on(anchor: date, recurrence: str, *, until: date, today: date) -> list[Period]:
    """The periods whose report must exist on `today`: every period that has begun."""
    return [p for p in periods(anchor, recurrence, until=min(until, today))]


def period_label(start: date, end: date) -> str:
    """'Tháng 2/2026', 'Quý I/2026', '6 tháng đầu năm 2026', 'Năm 2026', or the two dates."""
    whole_months = start.day == 1 and end.day == last_day(end.year, end.month)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if whole_months and start.year == end.year:
        if months == 1:
            return _("Month %(m)s/%(y)s") % {"m": start.month, "y": start.year}
        if months == 3 and start.month % 3 == 1:
            return _("Quarter %(q)s/%(y)s") % {"q": ROMAN[start.month // 3 + 1], "y": start.year}
        if months == 6 and start.month in (1, 7):
            if start.month == 1:
                return _("First half of %(y)s") % {"y": start.year}
            return _("Second half of %(y)s") % {"y": start.year}
        if months == 12:
            return _("Year %(y)s") % {"y": start.year}
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


# ----------------------------------------------------------------------------- calendar buckets

def bucket(grain: str, day: date) -> tuple[date, date]:
    """The calendar month, quarter or year that contains `day`."""
    if grain == "month":
        return day.replace(day=1), day.replace(day=last_day(day.year, day.month))
    if grain == "quarter":
        first = 3 * ((day.month - 1) // 3) + 1
        return date(day.year, first, 1), date(day.year, first + 2, last_day(day.year, first + 2))
    if grain == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(f"unknown grain {grain!r}")


def buckets(grain: str, start: date, end: date) -> list[tuple[date, date]]:
    """The calendar buckets from the one holding `start` to the one holding `end`."""
    out = []
    current = bucket(grain, start)
    while current[0] <= end:
        out.append(current)
        current = bucket(grain, current[1] + timedelta(days=1))
    return out


def parse_period_key(key: str) -> tuple[date, date] | None:
    """'2026' · '2026-Q3' · '2026-H1' · '2026-10' → (first day, last day), else None."""
    try:
        year_text, _sep, rest = key.partition("-")
        year = int(year_text)
        if not 2000 <= year <= 2100:
            return None
        if not rest:
            return date(year, 1, 1), date(year, 12, 31)
        if rest[0] in "Qq":
            quarter = int(rest[1:])
            return bucket("quarter", date(year, 3 * quarter - 2, 1)) if 1 <= quarter <= 4 else None
        if rest[0] in "Hh":
            half = int(rest[1:])
            if half == 1:
                return date(year, 1, 1), date(year, 6, 30)
            return (date(year, 7, 1), date(year, 12, 31)) if half == 2 else None
        month = int(rest)
        return bucket("month", date(year, month, 1)) if 1 <= month <= 12 else None
    except ValueError:
        return None


def period_key(grain: str, start: date) -> str:
    if grain == "month":
        return f"{start.year}-{start.month:02d}"
    if grain == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return str(start.year)
