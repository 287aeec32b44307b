"""The legal calendar: which days are rest days (ngày nghỉ) for procedural time limits.

CPC Art. 134 moves the end of a month limit off a rest day, and working-day limits
(the 3-working-day notice of TTLT 01/2017 Art. 14) skip rest days. A rest day here is:

* Saturday or Sunday;
* a Vietnamese public holiday as published by the ``holidays`` package for "VN"
  (New Year, Tết Nguyên Đán with its bridge days, Hùng Kings, 30/4, 1/5, 2/9 with its
  adjoining day, 24/11 from 2026, and the days off the government swapped in);
* a day the caller declares off (``extra_days_off``: a day off announced late);

except for a working day: a Saturday the government made a working day in exchange for
a bridge day off (taken from the ``holidays`` package's swap table, see
``_swapped_working_days``) or one the caller declares (``extra_working_days``).
An explicit caller setting always beats the package.

Pure Python: no Django. Dates only; a ``datetime`` is refused, because turning a UTC
timestamp into a date must happen in Asia/Ho_Chi_Minh, at the edge.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

import holidays

__all__ = ["LegalCalendar", "default_calendar"]

_ONE_DAY = timedelta(days=1)


@cache
def _public_holidays(year: int) -> frozenset[date]:
    """Vietnamese public holidays of one year, cached per year (the package is slow-ish)."""
    return frozenset(holidays.country_holidays("VN", years=year).keys())


@lru_cache(maxsize=1)
def _swapped_working_days() -> frozenset[date]:
    """Saturdays worked in exchange for a bridge day off (e.g. 26/04/2025 for 02/05/2025).

    The ``holidays`` package lists the day off ("Day off (substituted from 04/26/2025)")
    but not the working Saturday it was swapped for; the swap table of its Vietnamese
    class has both. The table is an implementation detail of the package, so anything
    unexpected yields no swapped days; tests pin 26/04/2025 to catch such a change.
    """
    try:
        from holidays.countries.vietnam import VietnamStaticHolidays

        table = VietnamStaticHolidays.special_public_holidays
    except (ImportError, AttributeError):  # pragma: no cover - package layout changed
        return frozenset()
    found: set[date] = set()
    for year, entries in table.items():
        if entries and isinstance(entries[0], int):
            entries = (entries,)
        for entry in entries:
            # (month_off, day_off, month_worked, day_worked[, year_worked])
            if len(entry) not in (4, 5):  # pragma: no cover - defensive
                continue
            worked_year = entry[4] if len(entry) == 5 else year
            try:
                found.add(date(worked_year, entry[2], entry[3]))
            except (TypeError, ValueError):  # pragma: no cover - defensive
                continue
    return frozenset(found)


def _check_date(d: object, name: str = "d") -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(
            f"{name} must be a datetime.date (convert timestamps in Asia/Ho_Chi_Minh first), "
            f"got {type(d).__name__}"
        )
    return d


class LegalCalendar:
    """Rest days and working days for Vietnamese procedural time limits.

    ``extra_days_off``: days off the government announces that the ``holidays`` package
    does not know yet. ``extra_working_days``: compensatory working days (usually a
    Saturday). ``package_swaps``: also treat the swapped working Saturdays known to the
    ``holidays`` package as working days (default True).
    """

    def __init__(
        self,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        *,
        package_swaps: bool = True,
    ) -> None:
        off = frozenset(_check_date(d, "extra_days_off item") for d in extra_days_off)
        work = frozenset(_check_date(d, "extra_working_days item") for d in extra_working_days)
        both = sorted(off & work)
        if both:
            listed = ", ".join(d.isoformat() for d in both)
            raise ValueError(f"days declared both off and working: {listed}")
        self._off = off
        self._work = work
        self._package_swaps = package_swaps

    @property
    def extra_days_off(self) -> frozenset[date]:
        return self._off

    @property
    def extra_working_days(self) -> frozenset[date]:
        return self._work

    def __repr__(self) -> str:
        return (
            f"LegalCalendar(extra_days_off={sorted(self._off)!r}, "
            f"extra_working_days={sorted(self._work)!r}, package_swaps={self._package_swaps})"
        )

    def is_rest_day(self, d: date) -> bool:
        """True for weekends, public holidays (Tết included) and declared days off,
        False for declared or swapped working days."""
        _check_date(d)
        if d in self._work:
            return False
        if d in self._off:
            return True
        if self._package_swaps and d in _swapped_working_days():
            return False
        return d.weekday() >= 5 or d in _public_holidays(d.year)

    def is_working_day(self, d: date) -> bool:
        return not self.is_rest_day(d)

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, otherwise the first working day after it."""
        while self.is_rest_day(d):
            d += _ONE_DAY
        return d

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself is not counted; n = 0 gives ``d``)."""
        _check_date(d)
        if n < 0:
            raise ValueError(f"n must be zero or positive, got {n}")
        counted = 0
        while counted < n:
            d += _ONE_DAY
            if not self.is_rest_day(d):
                counted += 1
        return d


_DEFAULT: LegalCalendar | None = None


def default_calendar() -> LegalCalendar:
    """A shared calendar with the package's holidays and swaps and no extra days."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = LegalCalendar()
    return _DEFAULT
