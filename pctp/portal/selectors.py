from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pctp.portal.models import FraudIndicator, PortalReport, ReportStatus
from pctp.sources.models import Source, Status
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
            Status.RECEIVED: "Đã tiếp nhận vào sổ, đang chờ phân loại.",
            Status.CLASSIFIED: "Đã phân loại, đang phân công cán bộ xác minh.",
            Status.VERIFYING: "Cơ quan công an đang kiểm tra, xác minh.",
            Status.SUSPENDED: "Việc giải quyết đang tạm dừng để chờ kết quả giám định hoặc tài liệu.",
            Status.INITIATED: "Cơ quan điều tra đã khởi tố vụ án.",
            Status.DECLINED: "Đã giải quyết: không khởi tố vụ án.",
            Status.TRANSFERRED: "Đã chuyển cơ quan có thẩm quyền giải quyết.",
            Status.MERGED: "Đã gộp với một tin báo khác về cùng sự việc.",
        }.get(src.status, "Đang giải quyết.")
    return {
        ReportStatus.NEW: "Đã nhận, cán bộ đang xem xét.",
        ReportStatus.FORWARDED: "Đã chuyển đơn vị có thẩm quyền.",
        ReportStatus.MERGED: "Đã gộp với một tin báo khác về cùng sự việc.",
        ReportStatus.CLOSED_NOT_CRIME: "Đã xem xét: sự việc không có dấu hiệu tội phạm.",
        ReportStatus.CLOSED_ABUSE: "Đã đóng: nội dung không đúng sự thật hoặc không phù hợp.",
    }.get(report.status, "Đang xử lý.")


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
    rows = (Source.objects.filter(commune__province__code=province_code,
                                  received_at__date__gte=start, received_at__date__lt=end)
            .exclude(status__in=[Status.MERGED, Status.TRANSFERRED]).exclude(crime_group="")
            .values("commune__code", "crime_group").annotate(n=Count("id")).order_by())
    for r in rows:
        communes[r["commune__code"]]["cells"][r["crime_group"]] = r["n"]
    return {"start": start, "end": end, "communes": communes}
