"""Key areas under /api/v1/areas/: the register, every step, the ranking, T9/T10."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from pctp.areas import services as s
from pctp.areas.figures import ranking
from pctp.areas.indicators import t9_transformed, t10_not_relapsed
from pctp.areas.models import AreaType, Assessment, KeyArea, ModelCommune, WatchCheck
from pctp.areas.selectors import (
    area_get,
    area_list,
    area_timeline,
    areas_in_scope,
    assessment_get,
    model_communes,
    ranking_communes,
)
from pctp.core.api import query_date
from pctp.core.api_views import AuditEventSerializer
from pctp.core.errors import DomainError
from pctp.units.models import Commune, Unit


class CanViewAreas(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("areas.view_keyarea")


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _unit(code: str, field: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise DomainError("invalid", _("No such unit."), details={field: [_("Wrong unit code.")]})
    return unit


def _commune(code: str) -> Commune:
    commune = Commune.objects.filter(code=code).first()
    if commune is None:
        raise DomainError("invalid", _("No such commune."),
                          details={"commune": [_("Wrong commune code.")]})
    return commune


# ----------------------------------------------------------------------------- shapes

class AssessmentSerializer(serializers.ModelSerializer):
    signed_by = serializers.CharField(source="signed_by.username", read_only=True,
                                      default=None, allow_null=True)

    class Meta:
        model = Assessment
        fields = ["id", "area", "period_start", "period_end", "computed", "computed_at",
                  "community_model", "community_model_evidence", "political_system",
                  "political_system_evidence", "conventions", "conventions_evidence", "note",
                  "result", "state", "signed_by", "signed_on"]
        read_only_fields = fields


class KeyAreaSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)
    lead_unit = serializers.CharField(source="lead_unit.code", read_only=True)
    steering_unit = serializers.CharField(source="steering_unit.code", read_only=True)
    coordinating_units = serializers.SlugRelatedField(slug_field="code", many=True,
                                                      read_only=True)

    class Meta:
        model = KeyArea
        fields = ["id", "year", "name", "commune", "commune_name", "part_description",
                  "part_geometry", "types", "decision_number", "decision_date", "steering_unit",
                  "lead_unit", "coordinating_units", "reasons", "plan", "previous", "status",
                  "status_since", "baseline_crimes", "assessment_due", "assessed_on",
                  "assessment_result", "removal_decision", "removed_on", "watch_from",
                  "watch_until", "relapsed_on", "relapse_reason"]
        read_only_fields = fields


class WatchCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = WatchCheck
        fields = ["month", "window_start", "window_end", "crimes", "baseline", "level",
                  "reasons"]
        read_only_fields = fields


class KeyAreaDetailSerializer(KeyAreaSerializer):
    assessments = AssessmentSerializer(many=True, read_only=True)
    watch_checks = WatchCheckSerializer(many=True, read_only=True)

    class Meta(KeyAreaSerializer.Meta):
        fields = [*KeyAreaSerializer.Meta.fields, "selection_snapshot", "relapse_evidence",
                  "assessments", "watch_checks"]
        read_only_fields = fields


class SelectIn(serializers.Serializer):
    year = serializers.IntegerField()
    commune = serializers.CharField()
    name = serializers.CharField(required=False, allow_blank=True, default="")
    types = serializers.ListField(child=serializers.ChoiceField(choices=AreaType.choices),
                                  min_length=1)
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    steering_unit = serializers.CharField()
    lead_unit = serializers.CharField()
    coordinating_units = serializers.ListField(child=serializers.CharField(), required=False,
                                               default=list)
    reasons = serializers.CharField(required=False, allow_blank=True, default="")
    part_geometry = serializers.JSONField(required=False, allow_null=True, default=None)
    part_description = serializers.CharField(required=False, allow_blank=True, default="")


class OnIn(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MeasureIn(serializers.Serializer):
    title = serializers.CharField()
    content = serializers.CharField()
    lead_unit = serializers.CharField()
    deadline = serializers.DateField()
    coordinating_units = serializers.ListField(child=serializers.CharField(), required=False,
                                               default=list)


class DraftIn(serializers.Serializer):
    # The figures read the day after the period's end.
    period_start = serializers.DateField(required=False, allow_null=True, default=None,
                                         validators=[MaxValueValidator(date.max - timedelta(1))])
    period_end = serializers.DateField(required=False, allow_null=True, default=None,
                                       validators=[MaxValueValidator(date.max - timedelta(1))])
    community_model = serializers.BooleanField(default=False)
    community_model_evidence = serializers.CharField(required=False, allow_blank=True,
                                                     default="")
    political_system = serializers.BooleanField(default=False)
    political_system_evidence = serializers.CharField(required=False, allow_blank=True,
                                                      default="")
    conventions = serializers.BooleanField(default=False)
    conventions_evidence = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RemoveIn(OnIn):
    decision_number = serializers.CharField()


class RelapseIn(OnIn):
    reason = serializers.CharField()


# ----------------------------------------------------------------------------- views

class KeyAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The register of key areas the user may see; POST selects one (Steering Committee)."""

    permission_classes = [CanViewAreas]
    serializer_class = KeyAreaSerializer

    def get_serializer_class(self):
        return KeyAreaDetailSerializer if self.action == "retrieve" else KeyAreaSerializer

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("status", str),
                               OpenApiParameter("type", str), OpenApiParameter("commune", str)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        if self.action != "list":
            return areas_in_scope(self.request.user).prefetch_related("coordinating_units")
        p = self.request.query_params
        year = p.get("year")
        result = area_list(user=self.request.user, year=int(year) if year and year.isdigit()
                           else None, status=p.get("status", ""), area_type=p.get("type", ""),
                           commune=p.get("commune", ""))
        if isinstance(result, list):
            return KeyArea.objects.filter(pk__in=[a.pk for a in result]).order_by(
                "-year", "commune__name", "name")
        return result.prefetch_related("coordinating_units")

    def _area(self) -> KeyArea:
        try:
            return area_get(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (KeyArea.DoesNotExist, ValueError):
            raise NotFound from None

    def _out(self, area: KeyArea, code=status.HTTP_200_OK) -> Response:
        area = KeyArea.objects.get(pk=area.pk)
        return Response(KeyAreaDetailSerializer(area).data, status=code)

    @extend_schema(request=SelectIn, responses={201: KeyAreaDetailSerializer})
    def create(self, request):
        data = _valid(SelectIn, request)
        area = s.area_select(
            actor=request.user, year=data["year"], commune=_commune(data["commune"]),
            name=data["name"], types=data["types"], decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            steering_unit=_unit(data["steering_unit"], "steering_unit"),
            lead_unit=_unit(data["lead_unit"], "lead_unit"),
            coordinating_units=[_unit(c, "coordinating_units")
                                for c in data["coordinating_units"]],
            reasons=data["reasons"], part_geometry=data["part_geometry"],
            part_description=data["part_description"])
        return self._out(area, status.HTTP_201_CREATED)

    @extend_schema(request=OnIn, responses=KeyAreaDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        data = _valid(OnIn, request)
        return self._out(s.area_start(actor=request.user, area=self._area(), on=data["on"],
                                      note=data["note"]))

    @extend_schema(request=MeasureIn, responses={201: None})
    @action(detail=True, methods=["post"])
    def measures(self, request, pk=None):
        data = _valid(MeasureIn, request)
        task = s.area_add_measure(
            actor=request.user, area=self._area(), title=data["title"],
            content=data["content"], lead_unit=_unit(data["lead_unit"], "lead_unit"),
            deadline=data["deadline"],
            coordinating_units=[_unit(c, "coordinating_units")
                                for c in data["coordinating_units"]])
        return Response({"task": task.pk, "code": task.code, "plan": task.plan_id},
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=DraftIn, responses={201: AssessmentSerializer})
    @action(detail=True, methods=["post"])
    def assessments(self, request, pk=None):
        data = _valid(DraftIn, request)
        start, end = data.pop("period_start"), data.pop("period_end")
        assessment = s.assessment_draft(actor=request.user, area=self._area(),
                                        period_start=start, period_end=end,
                                        recorded=s.Recorded(**data))
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RemoveIn, responses=KeyAreaDetailSerializer)
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        data = _valid(RemoveIn, request)
        return self._out(s.area_remove(actor=request.user, area=self._area(),
                                       decision_number=data["decision_number"], on=data["on"],
                                       note=data["note"]))

    @extend_schema(request=RelapseIn, responses=KeyAreaDetailSerializer)
    @action(detail=True, methods=["post"])
    def relapse(self, request, pk=None):
        data = _valid(RelapseIn, request)
        return self._out(s.area_relapse(actor=request.user, area=self._area(),
                                        reason=data["reason"], on=data["on"]))

    @extend_schema(responses=AuditEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        return Response(AuditEventSerializer(area_timeline(self._area()), many=True).data)


class AssessmentSignView(APIView):
    permission_classes = [CanViewAreas]

    @extend_schema(request=OnIn, responses=AssessmentSerializer)
    def post(self, request, pk: int):
        try:
            assessment = assessment_get(user=request.user, pk=pk)
        except Assessment.DoesNotExist:
            raise NotFound from None
        data = _valid(OnIn, request)
        signed = s.assessment_sign(actor=request.user, assessment=assessment, on=data["on"])
        return Response(AssessmentSerializer(signed).data)


class AssessmentView(APIView):
    permission_classes = [CanViewAreas]

    @extend_schema(responses=AssessmentSerializer)
    def get(self, request, pk: int):
        try:
            return Response(AssessmentSerializer(assessment_get(user=request.user, pk=pk)).data)
        except Assessment.DoesNotExist:
            raise NotFound from None


class RankingView(APIView):
    """The communes ranked for selection from the records of `year`, per area type."""

    permission_classes = [CanViewAreas]

    @extend_schema(parameters=[OpenApiParameter("year", int), OpenApiParameter("type", str)],
                   responses={200: None})
    def get(self, request):
        year = request.query_params.get("year", "")
        # The ranking reads the two years before, so the calendar bounds the year.
        year = (serializers.IntegerField(min_value=date.min.year + 2, max_value=date.max.year - 1)
                .run_validation(year) if year else timezone.localdate().year)
        area_type = request.query_params.get("type") or AreaType.SOCIAL_ORDER
        if area_type not in AreaType.values:
            raise DomainError("invalid", _("Invalid type of area."),
                              details={"type": list(AreaType.values)})
        rows = ranking(year=year, area_type=area_type, communes=ranking_communes(request.user))
        return Response({"year": year, "type": area_type, "results": [
            {"rank": c.rank, "commune": c.commune.code, "name": c.commune.name,
             "score": c.score, "crimes": c.crimes, "area_km2": c.area_km2, "rate": c.rate,
             "previous_average": c.previous_average, "trend": c.trend, "severe": c.severe,
             "drugs": c.drugs, "groups": c.groups, "overdue": c.overdue, "parts": c.parts}
            for c in rows]})


def _indicator(result) -> dict:
    return {"code": result.code, "name": result.name, "definition": result.definition,
            "period_start": result.period_start, "period_end": result.period_end,
            "numerator": result.numerator, "denominator": result.denominator,
            "value": result.value,
            "numerator_ids": list(result.numerator_records.values_list("pk", flat=True)),
            "denominator_ids": list(result.denominator_records.values_list("pk", flat=True))}


class IndicatorView(APIView):
    """T9 and T10 over the areas the user may see."""

    permission_classes = [CanViewAreas]

    @extend_schema(parameters=[OpenApiParameter("start", date), OpenApiParameter("end", date),
                               OpenApiParameter("as_of", date)], responses={200: None})
    def get(self, request):
        today = timezone.localdate()
        p = request.query_params
        start = query_date(p, "start", date(today.year, 1, 1))
        end = query_date(p, "end", date(today.year, 12, 31))
        as_of = query_date(p, "as_of")
        scope = areas_in_scope(request.user)
        return Response({"T9": _indicator(t9_transformed(scope, start, end, as_of=as_of)),
                         "T10": _indicator(t10_not_relapsed(scope, start, end, as_of=as_of))})


class ModelCommuneSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(source="commune.code", read_only=True)
    commune_name = serializers.CharField(source="commune.name", read_only=True)

    class Meta:
        model = ModelCommune
        fields = ["id", "commune", "commune_name", "kind", "year", "status", "decision_number",
                  "decision_date", "areas", "note"]
        read_only_fields = fields


class ModelCommuneIn(serializers.Serializer):
    commune = serializers.CharField()
    kind = serializers.ChoiceField(choices=ModelCommune.Kind.choices)
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ModelCommune.Status.choices,
                                     default=ModelCommune.Status.BUILDING)
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    areas = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                  required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ModelCommuneView(APIView):
    permission_classes = [CanViewAreas]

    @extend_schema(responses=ModelCommuneSerializer(many=True))
    def get(self, request):
        return Response(ModelCommuneSerializer(model_communes(user=request.user),
                                               many=True).data)

    @extend_schema(request=ModelCommuneIn, responses={201: ModelCommuneSerializer})
    def post(self, request):
        data = _valid(ModelCommuneIn, request)
        areas = list(areas_in_scope(request.user).filter(pk__in=data.pop("areas")))
        mc = s.model_commune_record(actor=request.user, commune=_commune(data.pop("commune")),
                                    areas=areas, **data)
        return Response(ModelCommuneSerializer(mc).data, status=status.HTTP_201_CREATED)
