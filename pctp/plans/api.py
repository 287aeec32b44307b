"""Plans, tasks, unit reports, scorecards and notifications under /api/v1/: every step."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from pctp.core.api import BlankChoicesMixin, query_date
from pctp.core.api_views import AuditEventSerializer
from pctp.core.errors import DomainError
from pctp.core.models import Notification
from pctp.core.notifications import mark_read
from pctp.plans import services as s
from pctp.plans.indicators import scorecard_history, unit_scorecard, unit_scorecards
from pctp.plans.models import (
    Plan,
    ReportKind,
    TargetCode,
    Task,
    TaskUpdate,
    UnitReport,
)
from pctp.plans.periods import GRAINS, parse_period_key
from pctp.plans.selectors import (
    notifications_for,
    plan_get,
    plan_list,
    report_get,
    report_list,
    report_timeline,
    task_get,
    task_list,
    task_timeline,
)
from pctp.units.models import Unit
from pctp.units.selectors import units_in_scope


class CanViewTasks(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("plans.view_task")


class UnitCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Unit.objects.all())
        super().__init__(**kwargs)


# ----------------------------------------------------------------------------- serializers

class PlanSerializer(serializers.ModelSerializer):
    issuing_unit = serializers.CharField(source="issuing_unit.code", read_only=True)
    steering_unit = serializers.CharField(source="steering_unit.code", read_only=True,
                                          default=None, allow_null=True)

    class Meta:
        model = Plan
        fields = ["id", "number", "title", "issuing_unit", "steering_unit", "issued_on",
                  "legal_basis", "period_start", "period_end", "status"]
        read_only_fields = fields


class PlanCreateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=60)
    title = serializers.CharField(max_length=500)
    issuing_unit = UnitCodeField(help_text="unit code")
    steering_unit = UnitCodeField(required=False, allow_null=True, help_text="unit code")
    issued_on = serializers.DateField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    draft = serializers.BooleanField(default=False)


class TaskSerializer(BlankChoicesMixin, serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    lead_unit = serializers.CharField(source="lead_unit.code", read_only=True)
    coordinating_units = serializers.SlugRelatedField(slug_field="code", many=True,
                                                      read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "plan", "code", "number", "title", "content", "lead_unit",
                  "coordinating_units", "expected_result", "deadline", "recurrence",
                  "first_report_due", "recurrence_until", "report_kind", "target_code",
                  "plan_item", "priority", "status", "progress", "submitted_at", "submitted_on",
                  "accepted_at", "return_reason", "cancel_reason", "overdue"]
        read_only_fields = fields

    def get_overdue(self, task) -> bool:
        return task.is_overdue()


class TaskAssignSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    title = serializers.CharField(max_length=300)
    content = serializers.CharField()
    lead_unit = UnitCodeField(help_text="unit code")
    coordinating_units = UnitCodeField(many=True, required=False, help_text="unit codes")
    expected_result = serializers.CharField(required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True)
    recurrence = serializers.ChoiceField(choices=[("", "—"), *Task.Recurrence.choices],
                                         required=False, default="")
    first_report_due = serializers.DateField(required=False, allow_null=True)
    recurrence_until = serializers.DateField(required=False, allow_null=True)
    report_kind = serializers.ChoiceField(choices=ReportKind.choices, required=False)
    target_code = serializers.ChoiceField(choices=[("", "—"), *TargetCode.choices],
                                          required=False, default="")
    plan_item = serializers.CharField(required=False, allow_blank=True, default="")
    priority = serializers.ChoiceField(choices=Task.Priority.choices,
                                       default=Task.Priority.NORMAL)


class TaskUpdateSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = TaskUpdate
        fields = ["id", "kind", "unit", "author", "at", "text", "percent", "file_name"]
        read_only_fields = fields


class PlanNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PlanReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    text = serializers.CharField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    file = serializers.FileField(required=False, allow_null=True)


class TextFileSerializer(serializers.Serializer):
    text = serializers.CharField()
    file = serializers.FileField(required=False, allow_null=True)


class RescheduleSerializer(serializers.Serializer):
    deadline = serializers.DateField()
    reason = serializers.CharField()


class UnitReportSerializer(serializers.ModelSerializer):
    task_code = serializers.CharField(source="task.code", read_only=True)
    plan = serializers.IntegerField(source="task.plan_id", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    period_label = serializers.CharField(read_only=True)
    submitted_late = serializers.BooleanField(read_only=True, allow_null=True)
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True,
                                         default=None, allow_null=True)

    class Meta:
        model = UnitReport
        fields = ["id", "task", "task_code", "plan", "unit", "kind", "period_start",
                  "period_end", "period_label", "due_date", "status", "summary", "findings",
                  "measures", "results", "difficulties", "file_name", "submitted_at",
                  "submitted_on", "submitted_late", "submitted_by", "return_reason",
                  "accepted_at"]
        read_only_fields = fields


class ReportSubmitSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    measures = serializers.CharField(required=False, allow_blank=True, default="")
    results = serializers.CharField(required=False, allow_blank=True, default="")
    difficulties = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True)


class ScorecardSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    start = serializers.DateField()
    end = serializers.DateField()
    tasks_on_time = serializers.IntegerField()
    tasks_late = serializers.IntegerField()
    tasks_overdue = serializers.IntegerField()
    reports_on_time = serializers.IntegerField()
    reports_late = serializers.IntegerField()
    reports_overdue = serializers.IntegerField()
    tasks_on_time_rate = serializers.FloatField(allow_null=True)
    reports_on_time_rate = serializers.FloatField(allow_null=True)
    on_time_rate = serializers.FloatField(allow_null=True)


class ScorecardHistorySerializer(serializers.Serializer):
    period = serializers.CharField()
    scorecard = ScorecardSerializer()


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "text", "link", "created_at", "read_at"]
        read_only_fields = fields


class NotificationReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False,
                                help_text="omit to mark all read")


class NotificationReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _date(params, name):
    return query_date(params, name)


# ----------------------------------------------------------------------------- viewsets

class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans the caller owns or has tasks in; POST to record one; POST /{id}/issue|close/."""

    serializer_class = PlanSerializer
    permission_classes = [CanViewTasks]

    def get_queryset(self):
        return plan_list(user=self.request.user)

    def get_object(self):
        try:
            return plan_get(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (Plan.DoesNotExist, ValueError):
            raise NotFound() from None

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request):
        d = _valid(PlanCreateSerializer, request)
        plan = s.plan_create(actor=request.user, **d)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return Response(PlanSerializer(s.plan_issue(actor=request.user,
                                                    plan=self.get_object())).data)

    @extend_schema(request=PlanNoteSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        d = _valid(PlanNoteSerializer, request)
        return Response(PlanSerializer(s.plan_close(actor=request.user, plan=self.get_object(),
                                                    note=d["note"])).data)


TASK_PARAMS = [OpenApiParameter("plan", int), OpenApiParameter("unit", str,
                                                               description="unit code"),
               OpenApiParameter("target", str), OpenApiParameter("status", str),
               OpenApiParameter("overdue", bool), OpenApiParameter("q", str)]


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """Tasks in the caller's scope; POST to assign; POST /{id}/{step}/ to act."""

    serializer_class = TaskSerializer
    permission_classes = [CanViewTasks]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        p = self.request.query_params
        plan = None
        if p.get("plan", "").isdigit():
            plan = Plan.objects.filter(pk=int(p["plan"])).first()
            if plan is None:
                return Task.objects.none()
        unit = Unit.objects.filter(code=p["unit"]).first() if p.get("unit") else None
        if p.get("unit") and unit is None:
            return Task.objects.none()
        return task_list(user=self.request.user, plan=plan, unit=unit,
                         target=p.get("target", ""), status=p.get("status", ""),
                         overdue=p.get("overdue") in ("1", "true", "True"), query=p.get("q", ""))

    @extend_schema(parameters=TASK_PARAMS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        try:
            return task_get(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (Task.DoesNotExist, ValueError):
            raise NotFound() from None

    def _done(self, task, code=status.HTTP_200_OK):
        return Response(TaskSerializer(task_get(user=self.request.user, pk=task.pk)).data,
                        status=code)

    @extend_schema(request=TaskAssignSerializer, responses={201: TaskSerializer})
    def create(self, request):
        d = _valid(TaskAssignSerializer, request)
        try:
            plan = plan_get(user=request.user, pk=d.pop("plan"))
        except Plan.DoesNotExist:
            raise DomainError("invalid", _("No such plan."),
                              details={"plan": ["?"]}) from None
        task = s.task_assign(actor=request.user, plan=plan, **d)
        return self._done(task, status.HTTP_201_CREATED)

    @extend_schema(request=PlanNoteSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        d = _valid(PlanNoteSerializer, request)
        return self._done(s.task_start(actor=request.user, task=self.get_object(), note=d["note"]))

    @extend_schema(request={"multipart/form-data": ProgressSerializer,
                            "application/json": ProgressSerializer},
                   responses={201: TaskUpdateSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        d = _valid(ProgressSerializer, request)
        update = s.task_report_progress(actor=request.user, task=self.get_object(),
                                        text=d["text"], percent=d["percent"],
                                        uploaded=d.get("file"))
        return Response(TaskUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": TextFileSerializer,
                            "application/json": TextFileSerializer},
                   responses={201: TaskUpdateSerializer})
    @action(detail=True, methods=["post"])
    def contribute(self, request, pk=None):
        d = _valid(TextFileSerializer, request)
        update = s.task_contribute(actor=request.user, task=self.get_object(), text=d["text"],
                                   uploaded=d.get("file"))
        return Response(TaskUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": TextFileSerializer,
                            "application/json": TextFileSerializer},
                   responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        d = _valid(TextFileSerializer, request)
        return self._done(s.task_submit(actor=request.user, task=self.get_object(),
                                        text=d["text"], uploaded=d.get("file")))

    @extend_schema(request=PlanNoteSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        d = _valid(PlanNoteSerializer, request)
        return self._done(s.task_accept(actor=request.user, task=self.get_object(),
                                        note=d["note"]))

    @extend_schema(request=PlanReasonSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        """Return the task to its lead unit, with the reason."""
        d = _valid(PlanReasonSerializer, request)
        return self._done(s.task_return(actor=request.user, task=self.get_object(),
                                        reason=d["reason"]))

    @extend_schema(request=RescheduleSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        d = _valid(RescheduleSerializer, request)
        return self._done(s.task_reschedule(actor=request.user, task=self.get_object(), **d))

    @extend_schema(request=PlanReasonSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        d = _valid(PlanReasonSerializer, request)
        return self._done(s.task_cancel(actor=request.user, task=self.get_object(),
                                        reason=d["reason"]))

    @extend_schema(responses=TaskUpdateSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def updates(self, request, pk=None):
        task = self.get_object()
        return Response(TaskUpdateSerializer(task.updates.select_related("unit", "author"),
                                             many=True).data)

    @extend_schema(responses=AuditEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """The task's audit journal, oldest first."""
        return Response(AuditEventSerializer(task_timeline(self.get_object()), many=True).data)


REPORT_PARAMS = [OpenApiParameter("plan", int), OpenApiParameter("task", int),
                 OpenApiParameter("unit", str, description="unit code"),
                 OpenApiParameter("status", str), OpenApiParameter("overdue", bool),
                 OpenApiParameter("period_start", str), OpenApiParameter("period_end", str)]


class UnitReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Periodic unit reports in the caller's scope; POST /{id}/submit|return/."""

    serializer_class = UnitReportSerializer
    permission_classes = [CanViewTasks]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        p = self.request.query_params
        units = Unit.objects.filter(code=p["unit"]) if p.get("unit") else None
        return report_list(
            user=self.request.user,
            plan=Plan.objects.filter(pk=p["plan"]).first() if p.get("plan", "").isdigit() else None,
            task=Task.objects.filter(pk=p["task"]).first() if p.get("task", "").isdigit() else None,
            units=units, status=p.get("status", ""),
            overdue=p.get("overdue") in ("1", "true", "True"),
            period_start=_date(p, "period_start"), period_end=_date(p, "period_end"))

    @extend_schema(parameters=REPORT_PARAMS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_object(self):
        try:
            return report_get(user=self.request.user, pk=int(self.kwargs["pk"]))
        except (UnitReport.DoesNotExist, ValueError):
            raise NotFound() from None

    def _done(self, report):
        return Response(UnitReportSerializer(report_get(user=self.request.user,
                                                        pk=report.pk)).data)

    @extend_schema(request={"multipart/form-data": ReportSubmitSerializer,
                            "application/json": ReportSubmitSerializer},
                   responses=UnitReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        d = _valid(ReportSubmitSerializer, request)
        upload = d.pop("file", None)
        return self._done(s.report_submit(actor=request.user, report=self.get_object(),
                                          uploaded=upload, **d))

    @extend_schema(request=PlanReasonSerializer, responses=UnitReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        """Return the report to the unit for revision, with the reason."""
        d = _valid(PlanReasonSerializer, request)
        return self._done(s.report_return(actor=request.user, report=self.get_object(),
                                          reason=d["reason"]))

    @extend_schema(request=PlanNoteSerializer, responses=UnitReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the unit's submitted report (the plan's owner)."""
        d = _valid(PlanNoteSerializer, request)
        return self._done(s.report_accept(actor=request.user, report=self.get_object(),
                                          note=d.get("note", "")))

    @extend_schema(responses=AuditEventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        return Response(AuditEventSerializer(report_timeline(self.get_object()), many=True).data)


SCORECARD_PARAMS = [OpenApiParameter("period", str, description="2026, 2026-Q3, 2026-H1, 2026-10")]


def _period(request):
    today = timezone.localdate()
    return parse_period_key(request.query_params.get("period", "") or "") or parse_period_key(
        str(today.year))


class ScorecardViewSet(viewsets.ViewSet):
    """Accountability scorecards: tasks and reports on time, late, overdue, per unit."""

    permission_classes = [CanViewTasks]
    serializer_class = ScorecardSerializer
    lookup_value_regex = r"\d+"

    @extend_schema(parameters=SCORECARD_PARAMS, responses=ScorecardSerializer(many=True))
    def list(self, request):
        start, end = _period(request)
        cards = unit_scorecards(units=units_in_scope(request.user), start=start, end=end,
                                today=timezone.localdate())
        return Response(ScorecardSerializer(cards, many=True).data)

    @extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH,
                                                 description="unit id"),
                               *SCORECARD_PARAMS, OpenApiParameter("grain", str, enum=GRAINS)],
                   responses=ScorecardHistorySerializer(many=True),
                   operation_id="scorecards_history")
    def retrieve(self, request, pk=None):
        """One unit's history, by month, quarter (default) or year."""
        try:
            unit = units_in_scope(request.user).get(pk=int(pk))
        except (Unit.DoesNotExist, ValueError, TypeError):
            raise NotFound() from None
        start, end = _period(request)
        grain = request.query_params.get("grain", "quarter")
        if grain not in GRAINS:
            grain = "quarter"
        today = timezone.localdate()
        rows = [{"period": key, "scorecard": card}
                for key, card in scorecard_history(unit=unit, grain=grain, start=start, end=end,
                                                   today=today)]
        rows.append({"period": "total",
                     "scorecard": unit_scorecard(unit=unit, start=start, end=end, today=today)})
        return Response(ScorecardHistorySerializer(rows, many=True).data)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's notifications, newest first; POST /read/ to mark them read."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        unread = self.request.query_params.get("unread") in ("1", "true", "True")
        return notifications_for(user=self.request.user, unread_only=unread)

    @extend_schema(parameters=[OpenApiParameter("unread", bool)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=NotificationReadSerializer, responses=NotificationReadResultSerializer)
    @action(detail=False, methods=["post"])
    def read(self, request):
        d = _valid(NotificationReadSerializer, request)
        count = mark_read(user=request.user, ids=d.get("ids"))
        return Response({"marked": count})
