"""Alerts on liberty limits (issue 16, finding 14): nobody held past a limit unnoticed.

Every active custody and detention is checked against the law's limit computed again from
its start (``services.measure_checked``), never against the stored one alone. Three days
before its last day, and once it has expired, the people who answer for it are notified in
the application and by e-mail: the investigator of the case, the members of the unit that
holds the person (investigation body, procuracy or court, by the measure's stage) and the
procurators of the supervising procuracy. Each alert is keyed on the measure, the level and
the instant the limit expires, so it is sent once per limit; an extension (a new limit)
alerts again. The text names the case and the accused's number in it, never the person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pctp.cases.models import Measure
from pctp.cases.services import MEASURE_AGENCY, measure_checked
from pctp.core.deadlines import CRITICAL, WARNING, alert_level
from pctp.core.notifications import Reminder, deliver, unsent
from pctp.law.services import one_calendar
from pctp.units.models import Membership

log = logging.getLogger(__name__)
LEVELS = (CRITICAL, WARNING)  # NOTICE (10 days) is the register's; mail only what cannot wait


def _holding_unit(measure: Measure):
    case = measure.case
    return {"investigation": case.investigation_body, "procuracy": case.procuracy,
            "court": case.court}[MEASURE_AGENCY[measure.kind]] or case.investigation_body


def recipients(measure: Measure) -> list:
    """Who answers for the measure: the case's investigator, the holding unit's and the
    supervising procuracy's members who may read cases (``cases.view_case``)."""
    units = {u.pk for u in (_holding_unit(measure), measure.case.procuracy) if u is not None}
    members = Membership.objects.active().filter(
        unit__in=units, role__group__permissions__content_type__app_label="cases",
        role__group__permissions__codename="view_case")
    who = Q(memberships__in=members)
    if measure.case.investigator_id and MEASURE_AGENCY[measure.kind] == "investigation":
        who |= Q(pk=measure.case.investigator_id)
    return list(get_user_model().objects.filter(who, is_active=True).distinct().order_by("pk"))


def _text(measure: Measure, level: str) -> str:
    # A person in custody is not yet accused: "người bị tạm giữ", not "bị can".
    # The text is stored in the notifications and e-mailed: data, in Vietnamese.
    what = (f"người bị tạm giữ số {measure.accused.position}" if measure.is_custody  # i18n: data
            else f"{measure.get_kind_display()} bị can số {measure.accused.position}")
    what += f" vụ án {measure.case.register_code}"  # i18n: data (stored notification)
    when = timezone.localtime(measure.due_at).strftime("%H:%M %d/%m/%Y")
    if level == CRITICAL:
        return (f"QUÁ HẠN từ {when}: {what}. "  # i18n: data (stored notification)
                "Phải trả tự do hoặc có quyết định hợp pháp ngay.")
    return (f"Sắp hết thời hạn ({when}): {what}. "  # i18n: data (stored notification)
            "Gia hạn phải được quyết định trước khi hết hạn.")


@one_calendar()
def alerts_due(now: datetime | None = None) -> list[Reminder]:
    """The alerts owed at ``now`` and not sent before."""
    now = now or timezone.now()
    out: list[Reminder] = []
    active = (Measure.objects.filter(released_on__isnull=True)
              .select_related("case", "accused", "case__investigation_body",
                              "case__procuracy", "case__court").order_by("due_date", "id"))
    for measure in active:
        measure_checked(measure)
        if measure.due_at is None:
            measure.due_at = measure.expires_at()
        level = alert_level(measure.due_at, now)
        if level not in LEVELS:
            continue
        key = f"liberty:{measure.pk}:{level}:{measure.due_at.isoformat()}"
        link = reverse("cases:detail", args=[measure.case_id])
        text = _text(measure, level)
        out += [Reminder(user_id=u.pk, email=u.email, key=key, text=text, link=link)
                for u in recipients(measure)]
    return unsent(out)


@dataclass
class AlertRun:
    alerts: list[Reminder]
    sent: int
    committed: bool


def alerts_send(*, now: datetime | None = None, commit: bool = False) -> AlertRun:
    """Send the alerts owed (dry unless ``commit``); never the same alert twice."""
    planned = alerts_due(now)
    if not commit:
        return AlertRun(planned, 0, False)
    sent = sum(deliver(r) for r in planned)
    log.info("liberty-alerts: %d alerts sent", sent)
    return AlertRun(planned, sent, True)
