from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.portal.models import FraudIndicator, PortalReport, ReportStatus
from pctp.sources.models import Status
from pctp.sources.selectors import counts_by_commune_and_group
from pctp.units.models import Commune
from pctp.units.selectors import units_in_scope


def inbox(*, user, status: str = ReportStatus.NEW) -> QuerySet[PortalReport]:
    if not user.has_perm("portal.triage_portal"):
        return PortalReport.objects.none()
    qs = PortalReport.objects.filter(unit__in=units_in_scope(user).values("pk"))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("commune", "unit", "source").order_by("created_at")


def report_get(*, user, pk: int) -> PortalReport:
    """A portal report for those who triage the unit's reports (portal.triage_portal), or
    for the investigator of the source it became; nobody else, whatever their scope (the
    auditor, the analyst and the leader see none: issue 16, finding 11)."""
    mine = Q(source__assignee=user)
    if user.has_perm("portal.triage_portal"):
        mine |= Q(unit__in=units_in_scope(user).values("pk"))
    return (PortalReport.objects.filter(mine)
            .select_related("commune", "unit", "source").distinct().get(pk=pk))


def plain_status(report: PortalReport) -> str:
    """What the reporter is told, in plain words."""
    if report.status == ReportStatus.CONVERTED and report.source_id:
        src = report.source
        return {
            Status.RECEIVED: _("Entered in the register, waiting to be classified."),
            Status.CLASSIFIED: _("Classified; an officer is being assigned to verify it."),
            Status.VERIFYING: _("The police are checking and verifying it."),
            Status.SUSPENDED: _("Resolution is paused, waiting for an expert examination or "
                                "documents."),
            Status.INITIATED: _("The investigation body has opened a criminal case."),
            Status.DECLINED: _("Resolved: no criminal case was opened."),
            Status.TRANSFERRED: _("Transferred to the competent authority."),
            Status.MERGED: _("Merged with another report of the same events."),
        }.get(src.status, _("Being resolved."))
    return {
        ReportStatus.NEW: _("Received; an officer is looking at it."),
        ReportStatus.FORWARDED: _("Forwarded to the competent unit."),
        ReportStatus.MERGED: _("Merged with another report of the same events."),
        ReportStatus.CLOSED_NOT_CRIME: _("Looked at: the events show no sign of a crime."),
        ReportStatus.CLOSED_ABUSE: _("Closed: the content is untrue or not appropriate."),
    }.get(report.status, _("Being handled."))


def indicator_lookup(kind: str, value: str) -> FraudIndicator | None:
    from pctp.portal.services import normalise_indicator

    # Only what a second officer verified is shown to citizens (issue 17).
    return (FraudIndicator.objects.filter(kind=kind, value=normalise_indicator(kind, value),
                                          verified_at__isnull=False)
            .annotate(report_count=Count("sources")).first())


def indicators_to_verify(*, user):
    """Indicators entered and not yet verified, named by sources the user's units hold."""
    from pctp.units.selectors import units_in_scope

    return (FraudIndicator.objects.filter(verified_at__isnull=True,
                                          sources__holder__in=units_in_scope(user))
            .distinct().select_related("confirmed_by").prefetch_related("sources")
            .order_by("confirmed_at"))


def public_statistics(*, province_code: str, today: date | None = None) -> dict:
    """EXACT crime sources per commune and crime group for the last 12 full months, every
    commune of the province listed (those without any with no cells). Never publish these:
    the portal publishes them only through `pctp.portal.disclosure.published_statistics`,
    which rounds them (issue 16, finding 15)."""
    today = today or timezone.localdate()
    end = today.replace(day=1)
    start = date(end.year - 1, end.month, 1)
    communes: dict[str, dict] = {
        code: {"name": name, "cells": {}}
        for code, name in Commune.objects.filter(province__code=province_code)
        .values_list("code", "name")}
    for r in counts_by_commune_and_group(province_code, start, end):
        communes[r["commune__code"]]["cells"][r["crime_group"]] = r["n"]
    return {"start": start, "end": end, "communes": communes}


def tips_by_commune_day(communes: list[int], start: date, end: date, *,
                        types: list[str] | None = None) -> dict[tuple, int]:
    """Reports sent through the portal per commune and day in [start, end], optionally of
    some kinds (outreach, issue 22)."""
    from django.db.models.functions import TruncDate

    qs = PortalReport.objects.filter(commune__in=communes, created_at__date__gte=start,
                                     created_at__date__lte=end)
    if types:
        qs = qs.filter(crime_type__in=types)
    return {(r["commune"], r["day"]): r["n"] for r in
            qs.annotate(day=TruncDate("created_at")).values("commune", "day")
            .annotate(n=Count("id")).order_by()}


def bulletins_published(*, query: str = ""):
    """The warnings published on the portal, newest first, matching ``query`` in their title
    or text (outreach's public page, issue 22)."""
    from pctp.portal.models import Bulletin

    qs = Bulletin.objects.filter(published_at__isnull=False).select_related("unit")
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(body__icontains=query))
    return qs


def tip_type_choices() -> list[tuple[str, str]]:
    """The kinds of report a citizen picks on the portal."""
    from pctp.portal.models import CrimeType

    return list(CrimeType.choices)
