"""One definition of "overdue" and of the alert levels, for every clock in PCTP.

A limit expires at an instant (``due_at``: 24:00 of its last day, or the hour for
custody). It is overdue from that instant on, to the hour: a person held one hour past
the limit is already past it. Before that, the alert levels count calendar days left to
the last day: 10 days is when a detention or investigation extension must be requested
(Arts. 172(2), 173(2)); 3 days is the last warning.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

ALERT_DAYS = {"3_days": 3, "10_days": 10}
CRITICAL = "critical"


def end_of_day(day: date) -> datetime:
    """24:00 of ``day`` in the deployment's time zone (00:00 of the next day)."""
    return datetime.combine(day + timedelta(days=1), time.min, timezone.get_current_timezone())


def as_instant(now: datetime | date) -> datetime:
    if isinstance(now, datetime):
        return now if timezone.is_aware(now) else timezone.make_aware(now)
    return datetime.combine(now, time.min, timezone.get_current_timezone())


def is_overdue(expires_at: datetime, now: datetime | date) -> bool:
    return as_instant(now) >= expires_at


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
    for level in ("3_days", "10_days"):
        if left <= ALERT_DAYS[level]:
            return level
    return ""
