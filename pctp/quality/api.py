"""/api/v1/quality/: the quality indicators as the page shows them, with the same
permission (quality.view_quality) and second factor; an indicator's breakdown and records."""

from __future__ import annotations

from rest_framework.response import Response
from rest_framework.views import APIView

from pctp.kpi import records as kpi_records
from pctp.quality import selectors as q


class _Base(APIView):
    def _req(self, request):
        return q.resolve(request.user, period=request.query_params.get("period") or None,
                         unit=request.query_params.get("unit") or None)


class QualityList(_Base):
    def get(self, request):
        req = self._req(request)
        return Response({"period": req.period.key, "scope": req.label,
                         "indicators": [f.as_dict() for f in q.figures(req)]})


class QualityDetail(_Base):
    def get(self, request, code: str):
        req = self._req(request)
        fig = q.figure(req, code)
        by = request.query_params.get("by") or "unit"
        return Response({**fig.as_dict(), "period": req.period.key, "scope": req.label,
                         "by": by, "breakdown": [{k: v for k, v in row.items()}
                                                 for row in q.breakdown(fig, by)]})


class QualityRecords(_Base):
    def get(self, request, code: str):
        req = self._req(request)
        fig = q.figure(req, code)
        qs = q.records(fig, request.query_params.get("part") or "numerator")
        cols = kpi_records.columns_for(qs)
        rows = [{"url": url, "cells": cells} for url, cells in kpi_records.rows(qs[:1000])]
        return Response({"code": fig.result.code, "count": qs.count(),
                         "headers": [str(h) for h in cols.headers], "records": rows})
