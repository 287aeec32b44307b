from __future__ import annotations

from datetime import datetime, time

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.dates import parse_day
from pctp.core.errors import DomainError
from pctp.core.models import AccessLog, AuditEvent


def _day(value: str, name: str):
    """A filter's day (dd/mm/yyyy or yyyy-mm-dd), None when blank; anything else is refused with 400
    (2026-02-30 made parse_date raise, "xyz" made it pass silently)."""
    if not value:
        return None
    day = parse_day(value)
    if day is None:
        raise DomainError("invalid_date", _("Enter a valid date."), details={name: [value]})
    return day


def _apply(qs: QuerySet, *, action: str = "", object_type: str = "", actor: str = "",
           date_from: str = "", date_to: str = "", action_field: str = "action") -> QuerySet:
    if action:
        qs = qs.filter(**{f"{action_field}__startswith": action})
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor__username=actor)
    tz = timezone.get_current_timezone()
    start = _day(date_from, "date_from")
    end = _day(date_to, "date_to")
    if start:
        qs = qs.filter(at__gte=datetime.combine(start, time.min, tz))
    if end:
        qs = qs.filter(at__lte=datetime.combine(end, time.max, tz))
    return qs


def audit_event_list(*, user, **filters) -> QuerySet[AuditEvent]:
    if not user.has_perm("core.view_journal"):
        return AuditEvent.objects.none()
    return _apply(AuditEvent.objects.select_related("actor"), **filters)


def access_log_list(*, user, **filters) -> QuerySet[AccessLog]:
    if not user.has_perm("core.view_journal"):
        return AccessLog.objects.none()
    return _apply(AccessLog.objects.select_related("actor"), action_field="kind", **filters)
