"""Analysis API: hotspots, forecasts (list, detail, queue), emerging types, the network."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from pctp.analytics import selectors
from pctp.analytics import services as s
from pctp.analytics.models import METHOD_CHOICES, Forecast, Horizon
from pctp.analytics.views import _month, _top_unit
from pctp.core.api import BlankChoicesMixin, BoundedLimitOffsetPagination
from pctp.core.errors import DomainError
from pctp.law.models import CrimeGroup


class CanViewAnalysis(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm(
            "analytics.view_analysis")


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# ----------------------------------------------------------------------------- hotspots

class HotspotQuerySerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=["all", "sources", "cases"], default="all")
    group = serializers.ChoiceField(choices=[("", "")] + list(CrimeGroup.choices), default="",
                                    allow_blank=True)
    offence = serializers.CharField(max_length=6, default="", allow_blank=True)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    draw = serializers.ChoiceField(choices=["kde", "cells"], default="kde",
                                   help_text="kernel density or counts per cell")
    cell_size_m = serializers.IntegerField(min_value=100, max_value=5000, default=500)


class CellSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    score = serializers.FloatField()
    coverage = serializers.FloatField(help_text="smallest share of the area whose top cells "
                                                "include this one (0.01, 0.02, 0.05, 0.1)")
    commune = serializers.CharField(required=False)
    events = serializers.IntegerField(required=False)


class HotspotSerializer(serializers.Serializer):
    n_events = serializers.IntegerField()
    n_outside = serializers.IntegerField()
    n_cells = serializers.IntegerField()
    cell_size_m = serializers.FloatField()
    cells = CellSerializer(many=True)


class HotspotView(APIView):
    permission_classes = [CanViewAnalysis]

    @extend_schema(parameters=[HotspotQuerySerializer], responses=HotspotSerializer)
    def get(self, request):
        from datetime import timedelta

        from django.utils import timezone

        d = _valid(HotspotQuerySerializer, request.query_params)
        end = d.get("end") or timezone.localdate()
        start = d.get("start") or end - timedelta(days=89)
        if start > end:
            raise DomainError("invalid", _("The start is after the end."),
                              details={"start": [_("After the end.")]})
        h = selectors.hotspots(user=request.user, source=d["source"], crime_group=d["group"],
                               offence=d["offence"], start=start, end=end, method=d["draw"],
                               cell_size_m=d["cell_size_m"])
        return Response({"n_events": h.n_events, "n_outside": h.n_outside,
                         "n_cells": h.n_cells, "cell_size_m": h.grid["cell_size_m"],
                         "start": start, "end": end,
                         "cells": [{k: c[k] for k in ("rank", "lat", "lon", "score",
                                                      "coverage", "commune", "events")}
                                   for c in h.cells]})


# ----------------------------------------------------------------------------- forecasts

class ForecastSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    scope = serializers.CharField(source="scope.code", read_only=True)

    class Meta:
        model = Forecast
        fields = ["id", "scope", "horizon", "method", "crime_group", "cell_size_m",
                  "parameters", "starts_on", "status", "progress", "error", "accuracy",
                  "n_events", "seconds", "created_at", "started_at", "finished_at"]
        read_only_fields = fields


class ForecastDetailSerializer(ForecastSerializer):
    class Meta(ForecastSerializer.Meta):
        fields = [*ForecastSerializer.Meta.fields, "grid", "cells"]
        read_only_fields = fields


class ForecastQueueSerializer(serializers.Serializer):
    horizon = serializers.ChoiceField(choices=Horizon.choices)
    method = serializers.ChoiceField(
        choices=METHOD_CHOICES, required=False,
        error_messages={"invalid_choice": format_lazy(
            gettext_lazy("“{{input}}” is not a method: choose one of {methods}."),
            methods=", ".join(code for code, _label in METHOD_CHOICES))})
    crime_group = serializers.ChoiceField(choices=[("", "")] + list(CrimeGroup.choices),
                                          default="", allow_blank=True)
    cell_size_m = serializers.IntegerField(min_value=100, max_value=5000, required=False)


class ForecastListView(APIView):
    permission_classes = [CanViewAnalysis]
    pagination_class = BoundedLimitOffsetPagination  # a page, and the schema says so

    @extend_schema(parameters=[OpenApiParameter("status", str), OpenApiParameter("horizon", str)],
                   responses=ForecastSerializer(many=True))
    def get(self, request):
        qs = selectors.forecast_scope(request.user).defer("cells", "grid")
        if request.query_params.get("status"):
            qs = qs.filter(status=request.query_params["status"])
        if request.query_params.get("horizon"):
            qs = qs.filter(horizon=request.query_params["horizon"])
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ForecastSerializer(page, many=True).data)

    @extend_schema(request=ForecastQueueSerializer,
                   responses={201: ForecastSerializer, 200: ForecastSerializer})
    def post(self, request):
        if not request.user.has_perm("analytics.run_analysis"):
            raise DomainError("forbidden", _("You may not run forecasts."), status=403)
        d = _valid(ForecastQueueSerializer, request.data)
        forecast = s.forecast_queue(actor=request.user, scope=_top_unit(request.user),
                                    horizon=d["horizon"], method=d.get("method"),
                                    crime_group=d["crime_group"],
                                    cell_size_m=d.get("cell_size_m"))
        # 200 with the run already queued or running for the same parameters, 201 for a new one
        return Response(ForecastSerializer(forecast).data,
                        status=status.HTTP_201_CREATED if forecast.created_now
                        else status.HTTP_200_OK)


class ForecastDetailView(APIView):
    permission_classes = [CanViewAnalysis]

    @extend_schema(responses=ForecastDetailSerializer)
    def get(self, request, pk: int):
        forecast = selectors.forecast_scope(request.user).filter(pk=pk).first()
        if forecast is None:
            raise NotFound()
        return Response(ForecastDetailSerializer(s.forecast_settled(forecast)).data)


# ----------------------------------------------------------------------------- emerging

class EmergingRowSerializer(serializers.Serializer):
    level = serializers.CharField()
    key = serializers.CharField()
    label = serializers.CharField()
    commune = serializers.CharField()
    commune_name = serializers.CharField()
    status = serializers.CharField()
    observed = serializers.IntegerField()
    expected = serializers.FloatField()
    threshold = serializers.FloatField()
    p_value = serializers.FloatField(allow_null=True)
    dispersion = serializers.FloatField()
    baseline = serializers.CharField()
    baseline_periods = serializers.IntegerField()
    history_total = serializers.IntegerField()


class EmergingSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="the month compared, MM/YYYY")
    rows = EmergingRowSerializer(many=True)


class EmergingView(APIView):
    permission_classes = [CanViewAnalysis]

    @extend_schema(parameters=[OpenApiParameter("level", str, enum=["group", "offence"]),
                               OpenApiParameter("month", str, description="YYYY-MM"),
                               OpenApiParameter("all", bool)],
                   responses=EmergingSerializer)
    def get(self, request):
        level = request.query_params.get("level", "group")
        if level not in ("group", "offence"):
            raise DomainError("invalid", _("level: group or offence."),
                              details={"level": ["group | offence"]})
        month = None
        if request.query_params.get("month"):
            month = _month(request.query_params["month"])
            if month is None:
                raise DomainError("invalid", _("Wrong month (YYYY-MM)."), details={"month": ["?"]})
        rows, month = selectors.emerging_table(user=request.user, level=level, month=month)
        if request.query_params.get("all") not in ("1", "true"):
            rows = [r for r in rows if r["status"] != "not_appeared"]
        return Response({"month": selectors.month_label(month),
                         "rows": EmergingRowSerializer(rows, many=True).data})


# ----------------------------------------------------------------------------- network

class NetworkView(APIView):
    """People are given by case and position only; identities are at
    /api/v1/cases/{id}/identities/ (permission-checked and logged)."""

    permission_classes = [CanViewAnalysis]

    @extend_schema(responses={200: dict})
    def get(self, request):
        if not request.user.has_perm("cases.view_case"):
            raise DomainError("forbidden", _("You may not view cases."), status=403)
        net = selectors.criminal_network(user=request.user)
        ids = {p.index: i for i, p in enumerate(net["people"])}
        people = [{"id": ids[p.index], "case": p.first.case_id,
                   "case_code": p.first.case.register_code, "position": p.first.position,
                   "cases": sorted({a.case_id for a in p.records}), "links": p.links,
                   "degree": round(p.degree, 6), "betweenness": round(p.betweenness, 6),
                   "component": p.component,
                   "groups": [{"id": g.group_id, "leader": g.is_leader} for g in p.groups]}
                  for p in net["people"]]
        edges = [{"a": ids[a], "b": ids[b], "shared_cases": w}
                 for (a, b), w in net["edges"].items() if a in ids and b in ids]
        return Response({"people": people, "edges": edges,
                         "components": len(net["components"])})
