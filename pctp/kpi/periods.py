"""The periods a KPI is computed over (DOMAIN.md §11): pure functions, no database.

A period is named by a short key, the same in the URL, the API and `pctp kpi --period`:

  2026             calendar year             01/01/2026–31/12/2026
  2026-03          calendar month            01/03/2026–31/03/2026
  2026-Q1          calendar quarter          01/01/2026–31/03/2026
  2026-H2          calendar six months       01/07/2026–31/12/2026
  tk:2026          statistical year          15/12/2025–14/12/2026 (police statistics)
  tk:2026-03       statistical month         15/02/2026–14/03/2026
  tk:2026-Q1       statistical quarter       15/12/2025–14/03/2026
  tk:2026-H1       statistical six months    15/12/2025–14/06/2026
  ta:2026          court year                01/10/2025–30/09/2026
  ytd:2026         year to date              01/01/2026–today (or 31/12 for a past year)
  2026-01-01..2026-06-30   any range (both days included)

Every period knows the same period of the previous year, which the dashboard compares with.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from pctp.core.dates import shift_year

KINDS = ("year", "month", "quarter", "half", "stat_year", "stat_month", "stat_quarter",
         "stat_half", "court_year", "ytd", "range")
YEAR_KINDS = {"year", "stat_year", "court_year", "ytd"}


class PeriodError(ValueError):
    """A period key that names no period; the message says what was expected."""


@dataclass(frozen=True)
class Period:
    kind: str
    key: str
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.name} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"

    @property
    def name(self) -> str:
        y = self.key.split(":")[-1][:4]
        rest = self.key.split(":")[-1][5:]
        names = {
            "year": _("Year %(y)s"),
            "month": _("Month %(m)s/%(y)s"),
            "quarter": _("Quarter %(q)s/%(y)s"),
            "half": _("Six months %(q)s/%(y)s"),
            "stat_year": _("Statistical year %(y)s"),
            "stat_month": _("Statistical month %(m)s/%(y)s"),
            "stat_quarter": _("Statistical quarter %(q)s/%(y)s"),
            "stat_half": _("Statistical six months %(q)s/%(y)s"),
            "court_year": _("Court year %(y)s"),
            "ytd": _("Year %(y)s to date"),
            "range": _("From %(a)s to %(b)s"),
        }
        return names[self.kind] % {"y": y, "m": rest, "q": rest[1:],
                                   "a": f"{self.start:%d/%m/%Y}", "b": f"{self.end:%d/%m/%Y}"}

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous_year(self) -> Period:
        """The same period one year earlier (29 February becomes 28 February)."""
        start, end = shift_year(self.start, -1), shift_year(self.end, -1)
        if self.kind == "range":
            return Period("range", f"{start:%Y-%m-%d}..{end:%Y-%m-%d}", start, end)
        prefix, _sep, body = self.key.rpartition(":")
        year = int(body[:4]) - 1
        key = f"{prefix}:{year}{body[4:]}" if prefix else f"{year}{body[4:]}"
        return Period(self.kind, key, start, end)

    def months(self) -> list[tuple[date, date]]:
        """The period cut into months of its own kind (statistical months for statistical
        periods), each clipped to the period: the points of a trend chart."""
        out = []
        stat = self.kind.startswith("stat_")
        if stat:
            # Statistical month m of year y: 15th of m-1 to 14th of m.
            cursor = self.start
            while cursor <= self.end:
                nxt = _add_months(cursor, 1) - timedelta(days=1)
                out.append((cursor, min(nxt, self.end)))
                cursor = nxt + timedelta(days=1)
            return out
        cursor = self.start.replace(day=1)
        while cursor <= self.end:
            last = cursor.replace(day=calendar.monthrange(cursor.year, cursor.month)[1])
            out.append((max(cursor, self.start), min(last, self.end)))
            cursor = last + timedelta(days=1)
        return out


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise PeriodError(_("The year must be between 2000 and 2100."))
    return year


_CAL = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4])|-H([12]))?$")


def parse(key: str, *, today: date | None = None) -> Period:
    """The period a key names; PeriodError with a clear message otherwise."""
    key = (key or "").strip()
    today = today or date.today()
    if ".." in key:
        a, _sep, b = key.partition("..")
        try:
            start, end = date.fromisoformat(a.strip()), date.fromisoformat(b.strip())
        except ValueError as exc:
            raise PeriodError(_("A range is written YYYY-MM-DD..YYYY-MM-DD.")) from exc
        if end < start:
            raise PeriodError(_("The range ends before it starts."))
        _check_year(start.year), _check_year(end.year)
        return Period("range", f"{start:%Y-%m-%d}..{end:%Y-%m-%d}", start, end)
    prefix, _sep, body = key.rpartition(":")
    if prefix not in ("", "tk", "ta", "ytd"):
        raise PeriodError(_("Unknown period type %(p)r: use tk:, ta: or ytd:.") % {"p": prefix})
    m = _CAL.match(body)
    if not m:
        raise PeriodError(_("Unknown period %(k)r: write e.g. 2026, 2026-03, 2026-Q1, 2026-H1, "
                            "tk:2026, ta:2026, ytd:2026 or 2026-01-01..2026-06-30.") % {"k": key})
    year = _check_year(int(m.group(1)))
    month, q, h = m.group(2), m.group(3), m.group(4)
    if month is not None and not 1 <= int(month) <= 12:
        raise PeriodError(_("A month is 01 to 12."))
    if prefix in ("ta", "ytd") and (month or q or h):
        raise PeriodError(_("A court year or a year to date is named by its year only."))
    if prefix == "ta":
        return Period("court_year", key, date(year - 1, 10, 1), date(year, 9, 30))
    if prefix == "ytd":
        end = min(date(year, 12, 31), today) if year >= today.year else date(year, 12, 31)
        if year > today.year:
            raise PeriodError(_("That year has not started."))
        return Period("ytd", key, date(year, 1, 1), end)
    if prefix == "tk":
        # Statistical month m of year y runs 15/(m-1) to 14/m; the year 15/12 to 14/12.
        if month:
            first, last = int(month), int(month)
            kind = "stat_month"
        elif q:
            first, last, kind = 3 * int(q) - 2, 3 * int(q), "stat_quarter"
        elif h:
            first, last, kind = 6 * int(h) - 5, 6 * int(h), "stat_half"
        else:
            first, last, kind = 1, 12, "stat_year"
        start = _add_months(date(year, first, 15), -1)
        return Period(kind, key, start, date(year, last, 14))
    if month:
        return Period("month", key, date(year, int(month), 1), _month_end(year, int(month)))
    if q:
        n = int(q)
        return Period("quarter", key, date(year, 3 * n - 2, 1), _month_end(year, 3 * n))
    if h:
        n = int(h)
        return Period("half", key, date(year, 6 * n - 5, 1), _month_end(year, 6 * n))
    return Period("year", key, date(year, 1, 1), date(year, 12, 31))


def year_of(period: Period) -> int:
    """The year a period belongs to (its end's year), e.g. to pick the plan in force."""
    return period.end.year


def court_year_for(period: Period) -> Period:
    """For a target measured over court years: the court year ending in the period's
    year when the period is a year; otherwise the period itself."""
    if period.kind in YEAR_KINDS and period.kind != "court_year":
        return parse(f"ta:{period.end.year}")
    return period


PICK_KINDS = ("year", "half", "quarter", "month", "stat_year", "stat_half", "stat_quarter",
              "stat_month", "court_year", "ytd", "range")


def compose(kind: str, year: str, part: str = "", start: str = "", end: str = "") -> str:
    """The period key from the picker's fields (issue 17: nobody types "tk:2026-03"):
    a kind, a year, the half, quarter or month, or a range's first and last day
    (dd/mm/yyyy). PeriodError names what is missing."""
    from pctp.core.dates import parse_day

    if kind not in PICK_KINDS:
        raise PeriodError(_("Choose the kind of period."))
    if kind == "range":
        a, b = parse_day(start), parse_day(end)
        if a is None or b is None:
            raise PeriodError(_("Give the first and the last day as dd/mm/yyyy."))
        return f"{a:%Y-%m-%d}..{b:%Y-%m-%d}"
    if not (year or "").isdigit():
        raise PeriodError(_("Choose the year."))
    y = _check_year(int(year))
    prefix = {"stat_year": "tk:", "stat_half": "tk:", "stat_quarter": "tk:", "stat_month": "tk:",
              "court_year": "ta:", "ytd": "ytd:"}.get(kind, "")
    if kind in ("year", "stat_year", "court_year", "ytd"):
        return f"{prefix}{y}"
    if not (part or "").isdigit():
        raise PeriodError(_("Choose the half, quarter or month."))
    n = int(part)
    if kind in ("half", "stat_half") and n in (1, 2):
        return f"{prefix}{y}-H{n}"
    if kind in ("quarter", "stat_quarter") and 1 <= n <= 4:
        return f"{prefix}{y}-Q{n}"
    if kind in ("month", "stat_month") and 1 <= n <= 12:
        return f"{prefix}{y}-{n:02d}"
    raise PeriodError(_("Choose the half, quarter or month."))
