"""One definition of "overdue" and of the alert levels, for every clock in PCTP.

A limit expires at an instant (``due_at``: 24:00 of its last day, or the hour for
custody). It is overdue from that instant on, to the hour: a person held one hour past
the limit is already past it. A limit given as its last day (``due_date``) expires at
24:00 of that day: it is overdue from the next day on, in Python (``is_overdue``) and in
a query (``overdue_q``) alike. Before that, the alert levels count calendar days left to
the last day: 10 days (``NOTICE``) is when a detention or investigation extension must be
requested (Arts. 172(2), 173(2)), and what the registers and the case queue call due
soon; 3 days (``WARNING``) is the last warning, the one mailed and counted on the home
page.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

CRITICAL = "critical"  # past the limit
WARNING = "3_days"
NOTICE = "10_days"
ALERT_DAYS = {WARNING: 3, NOTICE: 10}
LEVELS = (CRITICAL, WARNING, NOTICE)


def end_of_day(day: date) -> datetime:
    """24:00 of ``day`` in the deployment's time zone (00:00 of the next day)."""
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def as_instant(now: datetime | date) -> datetime:
    if isinstance(now, datetime):
        return now if timezone.is_aware(now) else timezone.make_aware(now)
    return datetime.combine(now, time.min, timezone.get_current_timezone())


def is_overdue(expires_at: datetime | date, now: datetime | date) -> bool:
    """Past the limit at ``now``: from the instant it expires; a limit given as its last
    day expires at 24:00 of it (``now`` given as a day: that day's start)."""
    if not isinstance(expires_at, datetime):
        expires_at = end_of_day(expires_at)
    return as_instant(now) >= expires_at


def overdue_q(on: date, field: str = "due_date") -> Q:
    """``is_overdue`` in a query: the records whose last day (``field``) had passed when
    the day ``on`` began."""
    return Q(**{f"{field}__lt": on})


def due_within_q(on: date, days: int, field: str = "due_date") -> Q:
    """The records not yet overdue on ``on`` whose last day is at most ``days`` away."""
    return Q(**{f"{field}__gte": on, f"{field}__lte": on + timedelta(days=days)})


def alert_level(expires_at: datetime | None, now: datetime | date) -> str:
    """'critical' from the instant the limit expires; '3_days' or '10_days' when that few
    calendar days are left to its last day; '' otherwise (or with no limit)."""
    if expires_at is None:
        return ""
    now = as_instant(now)
    if now >= expires_at:
        return CRITICAL
    last_day = timezone.localtime(expires_at - timedelta(microseconds=1)).date()
    left = (last_day - timezone.localtime(now).date()).days
    for level in (WARNING, NOTICE):
        if left <= ALERT_DAYS[level]:
            return level
    return ""


def alert_levels(now: datetime | date):
    """``alert_level`` for many limits at one ``now``: a function of the expiry instant that
    compares it with three instants computed once (a register of thousands of people).
    A limit whose last day is at most N days after today expires at or before 24:00 of
    today + N, so ``left <= N`` is ``expires_at <= end_of_day(today + N)``."""
    now = as_instant(now)
    today = timezone.localtime(now).date()
    bounds = [(level, end_of_day(today + timedelta(days=ALERT_DAYS[level])))
              for level in (WARNING, NOTICE)]

    def level(expires_at: datetime | None) -> str:
        if expires_at is None:
            return ""
        if now >= expires_at:
            return CRITICAL
        for name, bound in bounds:
            if expires_at <= bound:
                return name
        return ""

    return level
