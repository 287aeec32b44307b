from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from pctp.core.errors import DomainError
from pctp.law.models import Offence, OffenceClause
from pctp.law.selectors import offence_list
from pctp.law.services import deadline
from pctp.law.timelimits import RULE_CODES, LawError, parse_start


class ClauseVersionSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)
    max_penalty = serializers.CharField()
    max_years = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    severity = serializers.CharField()
    law = serializers.CharField()


class ClauseSerializer(serializers.ModelSerializer):
    versions = ClauseVersionSerializer(many=True, read_only=True)

    class Meta:
        model = OffenceClause
        fields = ["clause", "max_penalty", "max_years", "severity", "preparation", "versions"]


class OffenceSerializer(serializers.ModelSerializer):
    clauses = ClauseSerializer(many=True, read_only=True)
    group = serializers.SerializerMethodField()

    class Meta:
        model = Offence
        fields = ["article", "title", "chapter", "section", "repealed", "is_offence",
                  "in_force_from", "added_by", "group", "clauses"]

    def get_group(self, offence) -> str | None:
        group = offence.group_on()
        return group.group if group else None


class OffenceViewSet(viewsets.ReadOnlyModelViewSet):
    """Penal Code articles with their clauses, severity classes and crime group."""

    serializer_class = OffenceSerializer
    lookup_field = "article"

    def get_queryset(self):
        p = self.request.query_params
        return offence_list(query=p.get("q", ""), chapter=p.get("chapter", ""),
                            group=p.get("group", ""))


class DateOrTimeField(serializers.Field):
    """A day (YYYY-MM-DD) or a local time (YYYY-MM-DDTHH:MM) for limits counted in hours."""

    default_error_messages = {"invalid": "Give a date as YYYY-MM-DD or a local time as "
                                         "YYYY-MM-DDTHH:MM."}

    def to_internal_value(self, data):
        return parse_start(str(data), fail=lambda: self.fail("invalid"))

    def to_representation(self, value):
        return value.isoformat()


class DeadlineQuery(serializers.Serializer):
    rule = serializers.ChoiceField(choices=RULE_CODES)
    start = DateOrTimeField()
    severity = serializers.ChoiceField(choices=["less_serious", "serious", "very_serious",
                                                "especially_serious"], required=False)
    extensions = serializers.IntegerField(min_value=0, max_value=20, default=0)
    force_majeure = serializers.BooleanField(default=False)
    national_security = serializers.BooleanField(default=False)
    decided_on = serializers.DateField(required=False, help_text="who grants the next "
                                       "extension that day (default: today)")


class DeadlineResult(serializers.Serializer):
    rule = serializers.CharField()
    start = serializers.DateField()
    due = serializers.DateField()
    max_due = serializers.DateField()
    extensions = serializers.IntegerField()
    can_extend = serializers.BooleanField()
    request_by = serializers.DateField(allow_null=True)
    granted_by = serializers.CharField(allow_null=True)
    start_at = serializers.CharField(allow_null=True, help_text="local time, when given")
    due_at = serializers.CharField(help_text="the instant the limit expires, local time")
    max_due_at = serializers.CharField()
    authority = serializers.CharField(allow_null=True)
    procuracy_level = serializers.CharField(allow_null=True)
    credit_days = serializers.IntegerField()
    basis = serializers.CharField()
    rollover = serializers.BooleanField()
    severity = serializers.CharField(allow_null=True)


class DeadlineView(APIView):
    """Evaluate a legal time limit (CPC) under this deployment's calendar and settings."""

    @extend_schema(parameters=[OpenApiParameter(n, str) for n in DeadlineQuery().fields],
                   responses=DeadlineResult)
    def get(self, request):
        query = DeadlineQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            data = dict(query.validated_data)
            data.setdefault("decided_on", timezone.localdate())
            result = deadline(data.pop("rule"), **data)
        except LawError as exc:
            raise DomainError(exc.code, str(exc)) from None
        except TypeError as exc:  # a time of day for a limit counted in days
            raise DomainError("invalid", str(exc), details={"start": [str(exc)]}) from None
        except OverflowError:
            raise DomainError("out_of_range", "The limit would end after the year 9999.",
                              details={"start": ["Too far in the future."]}) from None
        return Response(result.to_dict())
