"""/api/v1/national/: the same table as the page, with the same permission."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from pctp.core.api import requires
from pctp.core.replica import replica_view
from pctp.national import selectors as q
from pctp.national.views import _year


class NationalView(APIView):
    permission_classes = [requires("national.view_national")]

    @extend_schema(operation_id="national_dashboard",
                   summary="Every province's published counts and closed figures for a year",
                   parameters=[OpenApiParameter("year", int)], responses=OpenApiTypes.OBJECT)
    @replica_view
    def get(self, request):
        table = q.provinces_table(year=_year(request, q.years()))
        return Response({
            "year": table["year"], "targets": table["targets"],
            "provinces": [{
                "province": r["province"], "name": r["name"], "counts": r["counts"],
                "detected_share": r["detected_share"],
                "published_at": r["published_at"],
                "figures": {t: (None if f is None else {
                    "period": f.period_key, "numerator": f.numerator,
                    "denominator": f.denominator,
                    "value": None if f.value is None else float(f.value),
                    "status": f.status, "revision": f.revision})
                    for t, f in zip(table["targets"], r["figures"], strict=True)},
            } for r in table["rows"]]})
