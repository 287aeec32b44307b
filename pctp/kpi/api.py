"""The KPI dashboard under /api/v1/kpi/: the same figures as the page and `pctp kpi`,
through the same parameters (plan, period, unit, commune)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from pctp.core.errors import DomainError, PermissionRefused
from pctp.core.replica import replica_view
from pctp.kpi import registry as kpi
from pctp.kpi import services as kpi_services
from pctp.kpi.records import columns_for, rows
from pctp.kpi.selectors import plans_for, resolve, target_of

SCOPE_PARAMS = [
    OpenApiParameter("plan", str, description="Plan id, or 'current' (default)."),
    OpenApiParameter("period", str, description=(
        "Period key: 2026, 2026-03, 2026-Q1, 2026-H1, tk:2026 (statistical year), tk:2026-03, "
        "ta:2026 (court year), ytd:2026, 2026-01-01..2026-06-30. Default: this year to date.")),
    OpenApiParameter("unit", str, description="Unit code (the unit and the units under it)."),
    OpenApiParameter("commune", str, description="Commune code."),
]
TARGET_PARAM = OpenApiParameter("target", str, required=True, description="T1 … T10.")


def _req(request):
    g = request.query_params
    return resolve(request.user, plan=g.get("plan"), period=g.get("period"),
                   unit=g.get("unit"), commune=g.get("commune"))


def _head(req) -> dict:
    return {"plan": {"id": req.plan.pk, "number": req.plan.number, "title": req.plan.title},
            "period": {"key": req.period.key, "name": req.period.name,
                       "start": req.period.start.isoformat(),
                       "end": req.period.end.isoformat()},
            "scope": {"key": req.scope.key, "name": req.scope.label},
            "as_of": req.today.isoformat()}


class PlansView(APIView):
    @extend_schema(summary="Plans with targets in the user's province", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        if not request.user.has_perm("kpi.view_kpi"):
            raise PermissionRefused("forbidden", _("You may not see the targets."))
        return Response({"results": [
            {"id": p.pk, "number": p.number, "title": p.title, "status": p.status,
             "period_start": p.period_start, "period_end": p.period_end,
             "targets": [{"code": t.code, "indicator": t.indicator,
                          "comparator": t.comparator, "threshold": float(t.threshold),
                          "period_type": t.period_type, "options": t.options,
                          "wording": t.wording} for t in p.targets.all()]}
            for p in plans_for(request.user).prefetch_related("targets")]})


class DashboardView(APIView):
    @extend_schema(summary="Every target's value, counts, threshold and status",
                   parameters=SCOPE_PARAMS, responses=OpenApiTypes.OBJECT)
    @replica_view
    def get(self, request):
        req = _req(request)
        figures = kpi_services.with_snapshots(
            req.plan, req.period, req.scope, req.today,
            kpi.dashboard(req.plan, req.period, req.scope, as_of=req.today))
        return Response({**_head(req), "targets": [f.as_dict() for f in figures]})


class BreakdownView(APIView):
    @extend_schema(summary="One target by unit or by commune",
                   parameters=[*SCOPE_PARAMS, TARGET_PARAM,
                               OpenApiParameter("by", str, enum=["unit", "commune"])],
                   responses=OpenApiTypes.OBJECT)
    @replica_view
    def get(self, request):
        req = _req(request)
        target = target_of(req, request.query_params.get("target", ""))
        by = request.query_params.get("by", "unit")
        if by not in ("unit", "commune"):
            raise DomainError("invalid_by", _("by must be unit or commune."),
                              details={"field": "by"})
        if by == "commune" and not req.province_wide:
            raise PermissionRefused("forbidden", _("Only the province sees figures by commune."))
        out = [{"code": r["object"].code if r["object"] else None,
                "name": r["object"].name if r["object"] else None,
                "numerator": r["numerator"], "denominator": r["denominator"],
                "value": r["value"], "status": r["status"]}
               for r in kpi.breakdown(target, req.period, req.scope, by, as_of=req.today)]
        return Response({**_head(req), "target": target.code, "by": by, "rows": out})


class SeriesView(APIView):
    @extend_schema(summary="One target month by month", parameters=[*SCOPE_PARAMS, TARGET_PARAM],
                   responses=OpenApiTypes.OBJECT)
    @replica_view
    def get(self, request):
        req = _req(request)
        target = target_of(req, request.query_params.get("target", ""))
        return Response({**_head(req), "target": target.code, "months": [
            {**m, "start": m["start"].isoformat(), "end": m["end"].isoformat()}
            for m in kpi.series(target, req.period, req.scope, as_of=req.today)]})


class RecordsView(APIView):
    @extend_schema(summary="Exactly the records counted in a numerator or denominator",
                   parameters=[*SCOPE_PARAMS, TARGET_PARAM,
                               OpenApiParameter("part", str, enum=["numerator", "denominator"]),
                               OpenApiParameter("previous", bool,
                                                description="The same period last year."),
                               OpenApiParameter("page", int)],
                   responses=OpenApiTypes.OBJECT)
    @replica_view
    def get(self, request):
        req = _req(request)
        g = request.query_params
        target = target_of(req, g.get("target", ""))
        part = g.get("part", "denominator")
        if part not in ("numerator", "denominator"):
            raise DomainError("invalid_part", _("part must be numerator or denominator."),
                              details={"field": "part"})
        getter = kpi.previous_records if g.get("previous") in ("1", "true") else kpi.records
        qs = getter(target, req.period, req.scope, part, as_of=req.today)
        page = Paginator(qs, 200).get_page(g.get("page"))
        cols = columns_for(qs)
        body = [{"id": pk, "url": request.build_absolute_uri(url) if url else "",
                 "cells": dict(zip([str(h) for h in cols.headers], cells, strict=True))}
                for pk, (url, cells) in zip(
                    [r.pk for r in page.object_list],
                    rows(qs.filter(pk__in=[r.pk for r in page.object_list])), strict=True)]
        return Response({**_head(req), "target": target.code, "part": part,
                         "model": qs.model._meta.label_lower, "count": page.paginator.count,
                         "page": page.number, "pages": page.paginator.num_pages,
                         "records": body})


class KpiCloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseView(APIView):
    @extend_schema(summary="Close a period: freeze every target's figure",
                   parameters=SCOPE_PARAMS,
                   request=KpiCloseSerializer,
                   responses=OpenApiTypes.OBJECT)
    def post(self, request):
        req = _req(request)
        data = KpiCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        snaps = kpi_services.period_close(actor=request.user, plan=req.plan, period=req.period,
                                          scope=req.scope, note=data.validated_data["note"],
                                          today=req.today)
        return Response({**_head(req), "closed": [
            {"target": s.target.code, "numerator": s.numerator, "denominator": s.denominator,
             "value": float(s.value) if s.value is not None else None, "status": s.status}
            for s in snaps]}, status=201)
