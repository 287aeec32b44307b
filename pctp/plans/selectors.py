"""Reads of plans, tasks and unit reports, always scoped to who asks.

A unit sees the tasks it leads, and those it coordinates (to read and contribute); the
plan's owners — the issuing unit, the steering body, and province-wide roles — see every
task and report of their plans. Everything else does not exist for the user (404).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from pctp.core import notifications
from pctp.core.models import AuditEvent, Notification
from pctp.plans.models import OPEN_TASK_STATUSES, Plan, Task, UnitReport
from pctp.units.models import Unit
from pctp.units.selectors import units_in_scope, user_memberships


def _units(user):
    return units_in_scope(user).values("pk")


def my_units(user) -> QuerySet[Unit]:
    """The units the user belongs to ("đơn vị tôi"), not the ones below them."""
    return Unit.objects.filter(pk__in=[m.unit_id for m in user_memberships(user)])


def owned_plans(user) -> QuerySet[Plan]:
    """Plans the user sees as an owner: issued or steered by a unit in their scope."""
    if not getattr(user, "is_authenticated", False):
        return Plan.objects.none()
    units = _units(user)
    return Plan.objects.filter(Q(issuing_unit__in=units) | Q(steering_unit__in=units))


def plan_scope(user) -> QuerySet[Plan]:
    """Owned plans, and the plans that give the user's units a task."""
    if not getattr(user, "is_authenticated", False):
        return Plan.objects.none()
    units = _units(user)
    involved = Task.objects.filter(Q(lead_unit__in=units) | Q(coordinating_units__in=units))
    return Plan.objects.filter(Q(issuing_unit__in=units) | Q(steering_unit__in=units)
                               | Q(pk__in=involved.values("plan")))


def plan_get(*, user, pk: int) -> Plan:
    return plan_scope(user).select_related("issuing_unit", "steering_unit").get(pk=pk)


def plan_list(*, user) -> QuerySet[Plan]:
    return (plan_scope(user).select_related("issuing_unit", "steering_unit")
            .annotate(task_count=Count("tasks", distinct=True)))


def task_scope(user) -> QuerySet[Task]:
    if not getattr(user, "is_authenticated", False):
        return Task.objects.none()
    units = _units(user)
    coordinated = Task.objects.filter(coordinating_units__in=units).values("pk")
    return Task.objects.filter(Q(lead_unit__in=units) | Q(pk__in=coordinated)
                               | Q(plan__issuing_unit__in=units) | Q(plan__steering_unit__in=units))


def task_get(*, user, pk: int) -> Task:
    return (task_scope(user)
            .select_related("plan", "plan__issuing_unit", "plan__steering_unit", "lead_unit",
                            "created_by")
            .prefetch_related("coordinating_units").get(pk=pk))


def task_list(*, user, plan: Plan | None = None, unit: Unit | None = None, target: str = "",
              status: str = "", overdue: bool = False, query: str = "",
              today: date | None = None) -> QuerySet[Task]:
    today = today or timezone.localdate()
    qs = task_scope(user)
    if plan is not None:
        qs = qs.filter(plan=plan)
    if unit is not None:
        coordinated = Task.objects.filter(coordinating_units=unit).values("pk")
        qs = qs.filter(Q(lead_unit=unit) | Q(pk__in=coordinated))
    if target:
        qs = qs.filter(target_code=target)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_TASK_STATUSES, deadline__lt=today)
    for word in query.split():
        qs = qs.filter(Q(title__icontains=word) | Q(content__icontains=word))
    return (qs.select_related("plan", "lead_unit")
            .prefetch_related("coordinating_units").order_by("plan", "number"))


def tasks_led(*, user, units: QuerySet[Unit]) -> QuerySet[Task]:
    return task_list(user=user).filter(lead_unit__in=units)


def tasks_coordinated(*, user, units: QuerySet[Unit]) -> QuerySet[Task]:
    coordinated = Task.objects.filter(coordinating_units__in=units).values("pk")
    return task_list(user=user).filter(pk__in=coordinated).exclude(lead_unit__in=units)


def tasks_awaiting_decision(*, user) -> QuerySet[Task]:
    """Tasks reported done in the plans the user owns."""
    return (task_list(user=user).filter(plan__in=owned_plans(user),
                                        status=Task.Status.SUBMITTED)
            .order_by("submitted_at"))


def task_timeline(task: Task) -> QuerySet[AuditEvent]:
    return (AuditEvent.objects.filter(object_type="plans.task", object_id=str(task.pk))
            .select_related("actor").order_by("at", "id"))


def report_scope(user) -> QuerySet[UnitReport]:
    """A unit's own reports; the task's lead unit, which compiles them; the plan's owners."""
    if not getattr(user, "is_authenticated", False):
        return UnitReport.objects.none()
    units = _units(user)
    return UnitReport.objects.filter(
        Q(unit__in=units) | Q(task__lead_unit__in=units)
        | Q(task__plan__issuing_unit__in=units) | Q(task__plan__steering_unit__in=units))


def report_get(*, user, pk: int) -> UnitReport:
    return (report_scope(user)
            .select_related("task", "task__plan", "task__plan__issuing_unit",
                            "task__plan__steering_unit", "task__lead_unit", "unit",
                            "submitted_by").get(pk=pk))


def report_list(*, user, plan: Plan | None = None, task: Task | None = None,
                units: QuerySet[Unit] | None = None, status: str = "", overdue: bool = False,
                period_start: date | None = None, period_end: date | None = None,
                today: date | None = None) -> QuerySet[UnitReport]:
    today = today or timezone.localdate()
    qs = report_scope(user)
    if plan is not None:
        qs = qs.filter(task__plan=plan)
    if task is not None:
        qs = qs.filter(task=task)
    if units is not None:
        qs = qs.filter(unit__in=units)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.exclude(status=UnitReport.Status.SUBMITTED).filter(due_date__lt=today)
    if period_start:
        qs = qs.filter(period_start=period_start)
    if period_end:
        qs = qs.filter(period_end=period_end)
    return qs.select_related("task", "task__plan", "unit").order_by("-due_date", "unit__path")


def report_timeline(report: UnitReport) -> QuerySet[AuditEvent]:
    return (AuditEvent.objects.filter(object_type="plans.unitreport", object_id=str(report.pk))
            .select_related("actor").order_by("at", "id"))


def report_periods(*, plan: Plan, today: date | None = None) -> list[dict]:
    """The report periods of a plan that have begun, newest first, with their counts."""
    today = today or timezone.localdate()
    rows = (UnitReport.objects.filter(task__plan=plan, period_start__lte=today)
            .values("period_start", "period_end")
            .annotate(total=Count("pk"),
                      submitted=Count("pk", filter=Q(status=UnitReport.Status.SUBMITTED)))
            .order_by("-period_end", "period_start"))
    return list(rows)


def consolidated(*, user, plan: Plan, period_start: date, period_end: date
                 ) -> list[tuple[Task, list[UnitReport]]]:
    """Every unit's report for one period of the plan, grouped by task."""
    reports = (report_list(user=user, plan=plan, period_start=period_start, period_end=period_end)
               .select_related("submitted_by").order_by("task__number", "unit__path"))
    grouped: dict[int, tuple[Task, list[UnitReport]]] = {}
    for report in reports:
        grouped.setdefault(report.task_id, (report.task, []))[1].append(report)
    return list(grouped.values())


def notifications_for(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    return notifications.for_user(user=user, unread_only=unread_only)


def reports_due_in(*, plan: Plan, start: date, end: date) -> QuerySet[UnitReport]:
    """The units' reports of a plan for the periods that end within [start, end] (the
    consolidated report says who has submitted, who was accepted, who has not)."""
    return (UnitReport.objects.filter(task__plan=plan, period_end__gte=start,
                                      period_end__lte=end)
            .select_related("task", "unit").order_by("unit__path", "period_end", "task__pk"))
