"""/api/v1/quality/: the quality indicators as the page shows them, with the same
permission (quality.view_quality) and second factor; an indicator's breakdown and records."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from pctp.core.errors import DomainError
from pctp.kpi import records as kpi_records
from pctp.quality import selectors as q


class _Base(APIView):
    def _figure(self, req, code: str):
        """An unknown code is 404, as on the page."""
        from pctp.quality.registry import INDICATORS

        if code.upper() not in INDICATORS:
            raise NotFound()
        return q.figure(req, code)

    def _req(self, request):
        return q.resolve(request.user, period=request.query_params.get("period") or None,
                         unit=request.query_params.get("unit") or None)


PARAMS = [OpenApiParameter("period", str, description="2026, 2026-Q3, tk:2026-05, ytd:2026…"),
          OpenApiParameter("unit", str, description="a unit's code within your scope")]


class QualityList(_Base):
    @extend_schema(operation_id="quality_list", summary="Every quality indicator",
                   parameters=PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        req = self._req(request)
        return Response({"period": req.period.key, "scope": req.label,
                         "indicators": [f.as_dict() for f in q.figures(req)]})


class QualityDetail(_Base):
    @extend_schema(operation_id="quality_detail",
                   summary="One quality indicator by unit, by investigator or by reason",
                   parameters=[*PARAMS, OpenApiParameter("by", str, enum=["unit", "person", "reason"])],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, code: str):
        req = self._req(request)
        fig = self._figure(req, code)
        by = request.query_params.get("by") or "unit"
        return Response({**fig.as_dict(), "period": req.period.key, "scope": req.label,
                         "by": by, "breakdown": [{k: v for k, v in row.items()}
                                                 for row in q.breakdown(fig, by)]})


class QualityRecords(_Base):
    @extend_schema(operation_id="quality_records", summary="The records behind a number",
                   parameters=[*PARAMS, OpenApiParameter("part", str,
                                                         enum=["numerator", "denominator"])],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, code: str):
        req = self._req(request)
        fig = self._figure(req, code)
        qs = q.records(fig, request.query_params.get("part") or "numerator")
        cols = kpi_records.columns_for(qs)
        rows = [{"url": url, "cells": cells} for url, cells in kpi_records.rows(qs[:1000])]
        return Response({"code": fig.result.code, "count": qs.count(),
                         "headers": [str(h) for h in cols.headers], "records": rows})


class FlagList(APIView):
    @extend_schema(operation_id="flags_list", summary="The red flags the reader may review",
                   parameters=[OpenApiParameter("status", str)], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        from pctp.core.errors import PermissionRefused
        from pctp.quality import services as fs

        if not fs.may_review(request.user):
            raise PermissionRefused("forbidden", _("You may not review the red flags."))
        qs = fs.flag_scope(request.user)
        status = request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return Response({"flags": [_flag(f) for f in qs[:500]]})


class FlagDetail(APIView):
    @extend_schema(operation_id="flags_detail", summary="A red flag with its evidence",
                   responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        from pctp.core.errors import PermissionRefused
        from pctp.quality import services as fs

        if not fs.may_review(request.user):
            raise PermissionRefused("forbidden", _("You may not review the red flags."))
        flag = fs.flag_scope(request.user).filter(pk=pk).first()
        if flag is None:
            raise NotFound()
        return Response({**_flag(flag), "notes": [
            {"at": n.at.isoformat(), "author": n.author.username, "text": n.text}
            for n in flag.notes.select_related("author")]})


def _flag(f) -> dict:
    return {"id": f.pk, "rule": f.rule, "unit": f.unit.code, "status": f.status,
            "evidence": f.evidence, "facts": f.facts, "raised_at": f.raised_at.isoformat(),
            "assigned_to": f.assigned_to.username if f.assigned_to else None,
            "conclusion": f.conclusion}


class QualityStages(_Base):
    @extend_schema(operation_id="quality_stages",
                   summary="Time in each stage against its limit, per unit",
                   parameters=[*PARAMS,
                               OpenApiParameter("stage", str, enum=["investigation", "prosecution",
                                                                    "trial", "appeal"],
                                                description="list one stage's stretches"),
                               OpenApiParameter("holder", int,
                                                description="with stage: one unit's (its id)")],
                   responses=OpenApiTypes.OBJECT)
    def get(self, request):
        req = self._req(request)
        stage = request.query_params.get("stage")
        base = {"period": req.period.key, "scope": req.label,
                "min_records": q.MIN_STAGE_RECORDS}
        if not stage:
            return Response({**base, "stages": q.stage_table(req)})
        holder = request.query_params.get("holder")
        try:
            unit = int(holder) if holder else None
        except ValueError:
            raise NotFound() from None
        try:
            rows = q.stage_records(req, stage, unit)
        except DomainError:
            raise NotFound() from None
        return Response({**base, "stage": stage, "holder": unit, "count": len(rows),
                         "records": [{"case": r["case"].register_code,
                                      "url": f"/cases/{r['case'].pk}/",
                                      "start": r["interval"].start.isoformat(),
                                      "end": r["interval"].end.isoformat(),
                                      "days": r["interval"].days,
                                      "due": r["interval"].due.isoformat()
                                      if r["interval"].due else None,
                                      "over": r["interval"].over} for r in rows[:1000]]})
