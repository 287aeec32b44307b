"""Every step of a plan, its tasks and its unit reports: one function per permitted
transition, one audit row, inside one transaction with the row locked (ARCHITECTURE.md 2–4).
The daily job (`pctp send-reminders`) opens the reports that fall due and reminds people."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctp.core.audit import audit_record
from pctp.core.errors import DomainError, InvalidTransition, NotFound, PermissionRefused
from pctp.core.labels import action_label
from pctp.core.models import AuditEvent, User
from pctp.core.notifications import Reminder, deliver, notify, unsent
from pctp.plans.models import (
    OPEN_TASK_STATUSES,
    Plan,
    ReportKind,
    TargetCode,
    Task,
    TaskUpdate,
    UnitReport,
)
from pctp.plans.periods import period_label, periods
from pctp.units.models import Membership, Unit
from pctp.units.selectors import user_has_perm_in_unit

log = logging.getLogger(__name__)

TS = Task.Status
RS = UnitReport.Status
PS = Plan.Status

# The tables of permitted transitions: action -> (states it may start from, state after;
# None keeps the state).
TASK_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "start": (frozenset({TS.ASSIGNED, TS.RETURNED}), TS.IN_PROGRESS),
    "report": (frozenset({TS.ASSIGNED, TS.IN_PROGRESS, TS.RETURNED}), TS.IN_PROGRESS),
    "contribute": (frozenset({TS.ASSIGNED, TS.IN_PROGRESS, TS.SUBMITTED, TS.RETURNED}), None),
    "submit": (frozenset({TS.ASSIGNED, TS.IN_PROGRESS}), TS.SUBMITTED),
    "accept": (frozenset({TS.SUBMITTED}), TS.ACCEPTED),
    "return": (frozenset({TS.SUBMITTED}), TS.RETURNED),
    "reschedule": (frozenset({TS.ASSIGNED, TS.IN_PROGRESS, TS.RETURNED}), None),
    "cancel": (frozenset({TS.ASSIGNED, TS.IN_PROGRESS, TS.SUBMITTED, TS.RETURNED}),
               TS.CANCELLED),
}
REPORT_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "submit": (frozenset({RS.OPEN, RS.RETURNED}), RS.SUBMITTED),
    "return": (frozenset({RS.SUBMITTED}), RS.RETURNED),
    "accept": (frozenset({RS.SUBMITTED}), None),  # stays submitted, now accepted
}
PLAN_TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "issue": (frozenset({PS.DRAFT}), PS.IN_FORCE),
    "close": (frozenset({PS.IN_FORCE}), PS.CLOSED),
}
# Recurring reports are opened while the task is being worked on.
REPORTING_TASK_STATUSES = (TS.ASSIGNED, TS.IN_PROGRESS, TS.RETURNED)
# A missed deadline is reminded the day after; a job that did not run catches up this long.
OVERDUE_CATCH_UP_DAYS = 7
REQUIRED = gettext_lazy("Required.")
WHAT = {"plan": gettext_lazy("plan"), "task": gettext_lazy("task"),
        "report": gettext_lazy("report")}
JOURNAL_PREFIX = {"report": "unit_report"}  # how the journal names each step


# ----------------------------------------------------------------------------- helpers

def _lock(model: type[Model], obj: Model | int, *related: str):
    pk = obj.pk if isinstance(obj, Model) else obj
    try:
        return model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=pk)
    except model.DoesNotExist:
        raise NotFound("not_found", _("No such record.")) from None


def _lock_task(task: Task | int) -> Task:
    return _lock(Task, task, "plan", "plan__issuing_unit", "plan__steering_unit", "lead_unit")


def _lock_report(report: UnitReport | int) -> UnitReport:
    return _lock(UnitReport, report, "task", "task__plan", "task__plan__issuing_unit",
                 "task__plan__steering_unit", "unit")


def _check(table: dict, obj, action: str, what: str) -> str | None:
    allowed, target = table[action]
    if obj.status not in allowed:
        raise InvalidTransition(
            "invalid_transition",
            _("Cannot “%(action)s” while the %(what)s is “%(state)s”.") % {
                "action": action_label(f"{JOURNAL_PREFIX.get(what, what)}.{action}"),
                "what": WHAT[what], "state": obj.get_status_display()},
            details={"action": action, "state": obj.status})
    return target


def _require(actor, perm: str, unit: Unit) -> None:
    if not user_has_perm_in_unit(actor, perm, unit):
        raise PermissionRefused("forbidden", _("You may not do this on the tasks and reports "
                                               "of this unit."))


def is_plan_owner(user, plan: Plan, perm: str) -> bool:
    """The issuing unit's people and the steering body's, holding `perm` (province-wide roles
    hold it everywhere in their province)."""
    if user_has_perm_in_unit(user, perm, plan.issuing_unit):
        return True
    return plan.steering_unit_id is not None and user_has_perm_in_unit(user, perm,
                                                                      plan.steering_unit)


def _require_owner(actor, plan: Plan, perm: str) -> None:
    if not is_plan_owner(actor, plan, perm):
        raise PermissionRefused("forbidden", _("Only the body that issued the plan or the "
                                               "steering committee may do this."))


def _record(actor, obj, prefix: str, action: str, before: str, *, note: str = "",
            changes: dict[str, Any] | None = None) -> AuditEvent:
    return audit_record(actor=actor, action=f"{prefix}.{action}", obj=obj, from_state=before,
                        to_state=obj.status, changes=changes, note=note)


def _invalid(errors: dict[str, list[str]], message: str = "") -> None:
    if errors:
        raise DomainError("invalid", message or _("The data are not valid yet."), details=errors)


def _store_upload(obj, uploaded) -> None:
    """Check an evidence file by its content (pctp.core.uploads) and attach it to `obj`."""
    from pctp.core.uploads import check_upload, strip_metadata

    if uploaded is None:
        return
    obj.content_type = check_upload(uploaded)
    clean = strip_metadata(uploaded, obj.content_type)
    obj.file = clean
    obj.file_name = uploaded.name[:200]
    obj.file_size = clean.size


def contributing_unit(actor, task: Task) -> Unit | None:
    """The coordinating unit on whose behalf `actor` may contribute, if any."""
    for unit in task.coordinating_units.all():
        if user_has_perm_in_unit(actor, "plans.report_task", unit):
            return unit
    return None


# ----------------------------------------------------------------------------- notifications

def unit_recipients(unit: Unit) -> QuerySet[User]:
    """The people of `unit` who report on its tasks (they receive its reminders)."""
    members = Membership.objects.active().filter(
        unit=unit, role__group__permissions__content_type__app_label="plans",
        role__group__permissions__codename="report_task")
    return User.objects.filter(is_active=True, memberships__in=members).distinct()


def _notify(users: Iterable[User], *, key: str, text: str, link: str) -> None:
    notify(users, key=key, text=text, link=link)


def _task_link(task: Task) -> str:
    return reverse("plans:task", args=[task.pk])


def _report_link(report: UnitReport) -> str:
    return reverse("plans:report", args=[report.pk])


def _notify_units(units: Iterable[Unit], event: AuditEvent, text: str, link: str) -> None:
    for unit in units:
        _notify(unit_recipients(unit), key=f"event:{event.pk}:{unit.pk}", text=text, link=link)


# ----------------------------------------------------------------------------- plans

@transaction.atomic
def plan_create(*, actor, number: str, title: str, issuing_unit: Unit, issued_on: date,
                period_start: date, period_end: date, legal_basis: str = "",
                steering_unit: Unit | None = None, draft: bool = False) -> Plan:
    """Record a plan issued by `issuing_unit` (or a draft of it)."""
    _require(actor, "plans.manage_plan", issuing_unit)
    errors: dict[str, list[str]] = {}
    if not number.strip():
        errors["number"] = [REQUIRED]
    if not title.strip():
        errors["title"] = [REQUIRED]
    if period_end < period_start:
        errors["period_end"] = [_("The end date must come after the start date.")]
    if Plan.objects.filter(issuing_unit=issuing_unit, number=number.strip()).exists():
        errors["number"] = [_("The unit already has a plan numbered %(number)s.") % {"number": number.strip()}]
    _invalid(errors)
    plan = Plan.objects.create(
        number=number.strip(), title=title.strip(), issuing_unit=issuing_unit,
        steering_unit=steering_unit, issued_on=issued_on, legal_basis=legal_basis.strip(),
        period_start=period_start, period_end=period_end, created_by=actor,
        status=PS.DRAFT if draft else PS.IN_FORCE)
    audit_record(actor=actor, action="plan.create", obj=plan, to_state=plan.status,
                 changes={"number": [None, plan.number], "issuing_unit": [None, issuing_unit.pk],
                          "period": [None, f"{period_start}/{period_end}"]})
    return plan


@transaction.atomic
def plan_issue(*, actor, plan: Plan, today: date | None = None) -> Plan:
    """A draft comes into force; the reports of its recurring tasks that have begun open."""
    plan = _lock(Plan, plan, "issuing_unit", "steering_unit")
    before = plan.status
    _check(PLAN_TRANSITIONS, plan, "issue", "plan")
    _require(actor, "plans.manage_plan", plan.issuing_unit)
    plan.status = PS.IN_FORCE
    plan.save(update_fields=["status", "updated_at"])
    _record(actor, plan, "plan", "issue", before)
    today = today or timezone.localdate()
    for task in plan.tasks.filter(status__in=REPORTING_TASK_STATUSES).exclude(recurrence=""):
        _open_reports(_lock_task(task), today)
    return plan


@transaction.atomic
def plan_close(*, actor, plan: Plan, note: str = "") -> Plan:
    plan = _lock(Plan, plan, "issuing_unit", "steering_unit")
    before = plan.status
    _check(PLAN_TRANSITIONS, plan, "close", "plan")
    _require(actor, "plans.manage_plan", plan.issuing_unit)
    plan.status = PS.CLOSED
    plan.save(update_fields=["status", "updated_at"])
    _record(actor, plan, "plan", "close", before, note=note)
    return plan


# ----------------------------------------------------------------------------- tasks

def _task_errors(*, title, content, lead_unit, coordinating, deadline, recurrence,
                 first_report_due, report_kind, target_code, priority) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [REQUIRED]
    if not content.strip():
        errors["content"] = [REQUIRED]
    if not lead_unit.is_current:
        errors["lead_unit"] = [_("This unit no longer operates.")]
    if any(u.pk == lead_unit.pk for u in coordinating):
        errors["coordinating_units"] = [_("The lead unit cannot also be a coordinating unit.")]
    if bool(deadline) == bool(recurrence):
        errors["deadline"] = [_("A task has either a deadline or recurring reports, not both.")]
    if recurrence and recurrence not in Task.Recurrence.values:
        errors["recurrence"] = [_("Not a valid recurrence.")]
    if recurrence and not first_report_due:
        errors["first_report_due"] = [_("The due date of the first report is needed.")]
    if report_kind and report_kind not in ReportKind.values:
        errors["report_kind"] = [_("Not a valid report form.")]
    if target_code and target_code not in TargetCode.values:
        errors["target_code"] = [_("Not a valid target.")]
    if priority not in Task.Priority.values:
        errors["priority"] = [_("Not a valid priority.")]
    return errors


@transaction.atomic
def task_assign(*, actor, plan: Plan, title: str, content: str, lead_unit: Unit,
                coordinating_units: Iterable[Unit] = (), expected_result: str = "",
                deadline: date | None = None, recurrence: str = "",
                first_report_due: date | None = None, recurrence_until: date | None = None,
                report_kind: str = "", target_code: str = "", plan_item: str = "",
                priority: str = Task.Priority.NORMAL, today: date | None = None) -> Task:
    """Assign a task of the plan to a lead unit, with coordinating units."""
    plan = _lock(Plan, plan, "issuing_unit", "steering_unit")
    if plan.status == PS.CLOSED:
        raise InvalidTransition("plan_closed", _("The plan has ended: no more tasks can be assigned."),
                                details={"state": plan.status})
    _require_owner(actor, plan, "plans.assign_task")
    coordinating = list(coordinating_units)
    _invalid(_task_errors(title=title, content=content, lead_unit=lead_unit,
                          coordinating=coordinating, deadline=deadline, recurrence=recurrence,
                          first_report_due=first_report_due, report_kind=report_kind,
                          target_code=target_code, priority=priority))
    number = (plan.tasks.aggregate(n=Max("number"))["n"] or 0) + 1
    task = Task.objects.create(
        plan=plan, number=number, title=title.strip(), content=content.strip(),
        lead_unit=lead_unit, expected_result=expected_result.strip(), deadline=deadline,
        recurrence=recurrence, first_report_due=first_report_due if recurrence else None,
        recurrence_until=recurrence_until if recurrence else None,
        report_kind=(report_kind or ReportKind.PROGRESS) if recurrence else "",
        target_code=target_code, plan_item=plan_item.strip(), priority=priority,
        created_by=actor)
    task.coordinating_units.set(coordinating)
    event = audit_record(
        actor=actor, action="task.assign", obj=task, to_state=task.status,
        changes={"lead_unit": [None, lead_unit.pk],
                 "coordinating_units": [None, [u.pk for u in coordinating]],
                 "deadline": [None, deadline.isoformat() if deadline else None],
                 "recurrence": [None, recurrence or None]})
    _notify_units([lead_unit, *coordinating], event,  # i18n: data (stored notification)
                  f"Nhiệm vụ mới {task.code}: {task.title}", _task_link(task))
    if recurrence and plan.status == PS.IN_FORCE:
        _open_reports(task, today or timezone.localdate())
    return task


@transaction.atomic
def task_start(*, actor, task: Task, note: str = "") -> Task:
    """The lead unit takes the task up (again, after a return)."""
    task = _lock_task(task)
    before = task.status
    _check(TASK_TRANSITIONS, task, "start", "task")
    _require(actor, "plans.report_task", task.lead_unit)
    task.status = TS.IN_PROGRESS
    task.save(update_fields=["status", "updated_at"])
    _record(actor, task, "task", "start", before, note=note)
    return task


@transaction.atomic
def task_report_progress(*, actor, task: Task, text: str, percent: int,
                         uploaded=None) -> TaskUpdate:
    """The lead unit reports progress (text, percentage, evidence)."""
    task = _lock_task(task)
    before = task.status
    _check(TASK_TRANSITIONS, task, "report", "task")
    _require(actor, "plans.report_task", task.lead_unit)
    errors = {}
    if not text.strip():
        errors["text"] = [REQUIRED]
    if percent is None or not 0 <= percent <= 100:
        errors["percent"] = [_("A percentage from 0 to 100.")]
    _invalid(errors)
    update = TaskUpdate(task=task, unit=task.lead_unit, author=actor,
                        kind=TaskUpdate.Kind.PROGRESS, text=text.strip(), percent=percent)
    _store_upload(update, uploaded)
    update.save()
    old = task.progress
    task.progress = percent
    task.status = TS.IN_PROGRESS
    task.save(update_fields=["progress", "status", "updated_at"])
    _record(actor, task, "task", "report", before, note=text.strip()[:500],
            changes={"progress": [old, percent], "update": [None, update.pk],
                     "file": [None, update.file_name or None]})
    return update


@transaction.atomic
def task_contribute(*, actor, task: Task, text: str, uploaded=None) -> TaskUpdate:
    """A coordinating unit records its part of the work."""
    task = _lock_task(task)
    _check(TASK_TRANSITIONS, task, "contribute", "task")
    unit = contributing_unit(actor, task)
    if unit is None:
        raise PermissionRefused("forbidden", _("Only a coordinating unit records its contribution."))
    _invalid({"text": [REQUIRED]} if not text.strip() else {})
    update = TaskUpdate(task=task, unit=unit, author=actor, kind=TaskUpdate.Kind.CONTRIBUTION,
                        text=text.strip())
    _store_upload(update, uploaded)
    update.save()
    event = _record(actor, task, "task", "contribute", task.status, note=text.strip()[:500],
                    changes={"unit": [None, unit.pk], "update": [None, update.pk]})
    _notify_units([task.lead_unit], event,  # i18n: data (stored notification)
                  f"{unit.short_name or unit.name} đã phối hợp: {task.code} {task.title}",
                  _task_link(task))
    return update


@transaction.atomic
def task_submit(*, actor, task: Task, text: str, uploaded=None) -> Task:
    """The lead unit reports the task done; the plan owner then accepts or returns it."""
    task = _lock_task(task)
    before = task.status
    _check(TASK_TRANSITIONS, task, "submit", "task")
    _require(actor, "plans.report_task", task.lead_unit)
    _invalid({"text": [REQUIRED]} if not text.strip() else {},
             _("State the results achieved."))
    update = TaskUpdate(task=task, unit=task.lead_unit, author=actor,
                        kind=TaskUpdate.Kind.SUBMISSION, text=text.strip(), percent=100)
    _store_upload(update, uploaded)
    update.save()
    task.status = TS.SUBMITTED
    task.progress = 100
    task.submitted_at = timezone.now()
    task.submitted_on = timezone.localdate()
    task.save(update_fields=["status", "progress", "submitted_at", "submitted_on",
                             "updated_at"])
    on_time = None if task.deadline is None else task.submitted_on <= task.deadline
    event = _record(actor, task, "task", "submit", before, note=text.strip()[:500],
                    changes={"on_time": [None, on_time], "update": [None, update.pk]})
    if task.created_by_id:
        _notify([task.created_by], key=f"event:{event.pk}",  # i18n: data (stored notification)
                text=f"{task.lead_unit.short_name or task.lead_unit.name} báo cáo hoàn thành "
                     f"{task.code}: {task.title} — chờ nghiệm thu", link=_task_link(task))
    return task


@transaction.atomic
def task_accept(*, actor, task: Task, note: str = "") -> Task:
    """The plan owner accepts the result."""
    task = _lock_task(task)
    before = task.status
    _check(TASK_TRANSITIONS, task, "accept", "task")
    _require_owner(actor, task.plan, "plans.accept_task")
    task.status = TS.ACCEPTED
    task.accepted_at = timezone.now()
    task.save(update_fields=["status", "accepted_at", "updated_at"])
    event = _record(actor, task, "task", "accept", before, note=note)
    text = f"Nhiệm vụ {task.code} đã được nghiệm thu: {task.title}"  # i18n: data (stored)
    _notify_units([task.lead_unit], event, text, _task_link(task))
    return task


@transaction.atomic
def task_return(*, actor, task: Task, reason: str) -> Task:
    """The plan owner returns the task to the lead unit, saying why."""
    task = _lock_task(task)
    before = task.status
    _check(TASK_TRANSITIONS, task, "return", "task")
    _require_owner(actor, task.plan, "plans.accept_task")
    _invalid({"reason": [REQUIRED]} if not reason.strip() else {}, _("State the reason for returning it."))
    # The claimed 100% is not accepted: progress goes back to the last one reported.
    last = task.updates.filter(kind=TaskUpdate.Kind.PROGRESS).order_by("-at", "-id").first()
    old_progress = task.progress
    task.status = TS.RETURNED
    task.return_reason = reason.strip()
    task.progress = last.percent if last else 0
    task.save(update_fields=["status", "return_reason", "progress", "updated_at"])
    event = _record(actor, task, "task", "return", before, note=reason.strip(),
                    changes={"progress": [old_progress, task.progress]})
    _notify_units([task.lead_unit], event,  # i18n: data (stored notification)
                  f"Nhiệm vụ {task.code} bị trả lại: {reason.strip()}", _task_link(task))
    return task


@transaction.atomic
def task_reschedule(*, actor, task: Task, deadline: date, reason: str) -> Task:
    """Move a task's deadline; the old one stays in the journal."""
    task = _lock_task(task)
    _check(TASK_TRANSITIONS, task, "reschedule", "task")
    _require_owner(actor, task.plan, "plans.assign_task")
    errors = {}
    if task.deadline is None:
        errors["deadline"] = [_("A recurring task has no deadline to change.")]
    if not reason.strip():
        errors["reason"] = [REQUIRED]
    _invalid(errors)
    old = task.deadline
    task.deadline = deadline
    task.save(update_fields=["deadline", "updated_at"])
    event = _record(actor, task, "task", "reschedule", task.status, note=reason.strip(),
                    changes={"deadline": [old.isoformat(), deadline.isoformat()]})
    _notify_units([task.lead_unit], event, f"Thời hạn nhiệm vụ {task.code} đổi thành "  # i18n: data
                                           f"{deadline:%d/%m/%Y}", _task_link(task))
    return task


@transaction.atomic
def task_cancel(*, actor, task: Task, reason: str) -> Task:
    task = _lock_task(task)
    before = task.status
    _check(TASK_TRANSITIONS, task, "cancel", "task")
    _require_owner(actor, task.plan, "plans.assign_task")
    _invalid({"reason": [REQUIRED]} if not reason.strip() else {}, _("State the reason for cancelling."))
    task.status = TS.CANCELLED
    task.cancel_reason = reason.strip()
    task.save(update_fields=["status", "cancel_reason", "updated_at"])
    _record(actor, task, "task", "cancel", before, note=reason.strip())
    return task


# ----------------------------------------------------------------------------- unit reports

def _report_units(task: Task) -> list[Unit]:
    return [task.lead_unit, *task.coordinating_units.order_by("path")]


def _missing_reports(task: Task, today: date) -> list[UnitReport]:
    """The reports of `task` that should exist on `today` and do not yet."""
    until = task.recurrence_until or task.plan.period_end
    existing = set(task.reports.values_list("unit_id", "period_start"))
    out = []
    for p in periods(task.first_report_due, task.recurrence, until=min(until, today)):
        for unit in _report_units(task):
            if (unit.pk, p.start) not in existing:
                out.append(UnitReport(task=task, unit=unit, kind=task.report_kind,
                                      period_start=p.start, period_end=p.end, due_date=p.due))
    return out


def _open_reports(task: Task, today: date) -> list[UnitReport]:
    """Open the reports that have begun; the caller holds the task's row lock."""
    new = _missing_reports(task, today)
    if not new:
        return []
    UnitReport.objects.bulk_create(new)
    for report in new:
        event = audit_record(actor=None, action="unit_report.open", obj=report,
                             to_state=report.status,
                             changes={"due_date": [None, report.due_date.isoformat()]})
        if report.due_date >= today:
            _notify_units([report.unit], event,  # i18n: data (stored notification)
                          f"Kỳ báo cáo mới: {task.code} {task.title} — "
                          f"{period_label(report.period_start, report.period_end)}, "
                          f"hạn {report.due_date:%d/%m/%Y}", _report_link(report))
    return new


def _reporting_tasks() -> QuerySet[Task]:
    return (Task.objects.filter(plan__status=PS.IN_FORCE, status__in=REPORTING_TASK_STATUSES,
                                first_report_due__isnull=False)
            .exclude(recurrence="").order_by("pk"))


def reports_open_due(*, today: date | None = None) -> int:
    """Open every unit report whose period has begun. Safe to run again: it opens each
    report once (a row lock per task, and a unique constraint behind it)."""
    today = today or timezone.localdate()
    opened = 0
    for pk in _reporting_tasks().values_list("pk", flat=True):
        with transaction.atomic():
            task = _lock_task(pk)
            if task.status in REPORTING_TASK_STATUSES:
                opened += len(_open_reports(task, today))
    return opened


def reports_to_open(*, today: date | None = None) -> int:
    """How many reports `reports_open_due` would open now (for a dry run)."""
    today = today or timezone.localdate()
    return sum(len(_missing_reports(t, today))
               for t in _reporting_tasks().select_related("plan", "lead_unit"))


REPORT_FIELDS = ("summary", "findings", "measures", "results", "difficulties")
REQUIRED_BY_KIND = {ReportKind.PROGRESS: ("summary",),
                    ReportKind.CAUSES_CONDITIONS: ("findings", "measures", "results")}


@transaction.atomic
def report_submit(*, actor, report: UnitReport, summary: str = "", findings: str = "",
                  measures: str = "", results: str = "", difficulties: str = "",
                  uploaded=None) -> UnitReport:
    """The unit submits its report for the period (its form depends on the report's kind)."""
    report = _lock_report(report)
    before = report.status
    _check(REPORT_TRANSITIONS, report, "submit", "report")
    _require(actor, "plans.report_task", report.unit)
    values = {"summary": summary, "findings": findings, "measures": measures,
              "results": results, "difficulties": difficulties}
    _invalid({f: [REQUIRED] for f in REQUIRED_BY_KIND[report.kind] if not values[f].strip()})
    for name, value in values.items():
        setattr(report, name, value.strip())
    _store_upload(report, uploaded)
    report.status = RS.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_on = timezone.localdate()
    report.submitted_by = actor
    report.save()
    _record(actor, report, "unit_report", "submit", before,
            changes={"on_time": [None, report.submitted_on <= report.due_date],
                     "file": [None, report.file_name or None]})
    return report


def _not_accepted(report: UnitReport) -> None:
    if report.accepted_at is not None:
        raise InvalidTransition("accepted", _("This report was accepted on %(d)s.")
                                % {"d": f"{timezone.localtime(report.accepted_at):%d/%m/%Y}"})


@transaction.atomic
def report_accept(*, actor, report: UnitReport, note: str = "") -> UnitReport:
    """The plan owner accepts the unit's submitted report: it stands for the period."""
    report = _lock_report(report)
    before = report.status
    _check(REPORT_TRANSITIONS, report, "accept", "report")
    _require_owner(actor, report.task.plan, "plans.accept_task")
    _not_accepted(report)
    if len(note) > 2000:
        _invalid({"note": [_("At most 2,000 characters.")]}, _("The note is too long."))
    report.accepted_at, report.accepted_by = timezone.now(), actor
    report.save(update_fields=["accepted_at", "accepted_by"])
    _record(actor, report, "unit_report", "accept", before, note=note.strip())
    return report


@transaction.atomic
def report_return(*, actor, report: UnitReport, reason: str) -> UnitReport:
    """The plan owner asks the unit to revise its report."""
    report = _lock_report(report)
    before = report.status
    _check(REPORT_TRANSITIONS, report, "return", "report")
    _require_owner(actor, report.task.plan, "plans.accept_task")
    _not_accepted(report)
    _invalid({"reason": [REQUIRED]} if not reason.strip() else {}, _("State the reason for returning it."))
    report.status = RS.RETURNED
    report.return_reason = reason.strip()
    report.save(update_fields=["status", "return_reason"])
    event = _record(actor, report, "unit_report", "return", before, note=reason.strip())
    text = f"Báo cáo {report} bị trả lại: {reason.strip()}"  # i18n: data (stored)
    _notify_units([report.unit], event, text, _report_link(report))
    return report


# ----------------------------------------------------------------------------- reminders

def _reminders_for(obj, *, unit: Unit, due: date, today: date, what: str,
                   link: str) -> list[Reminder]:
    days_left = (due - today).days
    if days_left >= 0:
        kind = "due_soon"
        text = (  # i18n: data (stored notification)
            f"Sắp đến hạn ({due:%d/%m/%Y}, còn {days_left} ngày): {what}" if days_left
            else f"Hôm nay là hạn chót: {what}")
    else:
        kind = "overdue"
        text = f"Đã quá hạn {due:%d/%m/%Y}: {what}"  # i18n: data (stored notification)
    key = f"remind:{obj._meta.model_name}:{obj.pk}:{kind}:{due.isoformat()}"
    return [Reminder(user_id=u.pk, email=u.email, key=key, text=text, link=link)
            for u in unit_recipients(unit)]


def reminders_due(*, today: date | None = None, days: int | None = None) -> list[Reminder]:
    """The reminders owed today and not sent before: `days` (PCTP_REMINDER_DAYS) before a
    deadline, and once it has been missed."""
    today = today or timezone.localdate()
    days = settings.PCTP_REMINDER_DAYS if days is None else days
    window = {"gte": today - timedelta(days=OVERDUE_CATCH_UP_DAYS),
              "lte": today + timedelta(days=days)}
    out: list[Reminder] = []
    tasks = Task.objects.filter(plan__status=PS.IN_FORCE, status__in=OPEN_TASK_STATUSES,
                                deadline__gte=window["gte"], deadline__lte=window["lte"])
    for task in tasks.select_related("lead_unit"):
        what = f"nhiệm vụ {task.code} {task.title}"  # i18n: data (stored notification)
        out += _reminders_for(task, unit=task.lead_unit, due=task.deadline, today=today,
                              what=what, link=_task_link(task))
    reports = UnitReport.objects.filter(
        task__plan__status=PS.IN_FORCE, status__in=[RS.OPEN, RS.RETURNED],
        due_date__gte=window["gte"], due_date__lte=window["lte"])
    for report in reports.select_related("unit", "task"):
        what = f"báo cáo {report}"  # i18n: data (stored notification)
        out += _reminders_for(report, unit=report.unit, due=report.due_date, today=today,
                              what=what, link=_report_link(report))
    return unsent(out)


@dataclass
class ReminderRun:
    reports_opened: int
    reminders: list[Reminder]
    sent: int
    committed: bool


def reminders_send(*, today: date | None = None, commit: bool = False) -> ReminderRun:
    """The daily job: open the reports that fall due, then send the reminders owed.
    Without `commit` nothing is written and nothing is sent (ARCHITECTURE.md habit 6)."""
    today = today or timezone.localdate()
    if not commit:
        return ReminderRun(reports_to_open(today=today), reminders_due(today=today), 0, False)
    opened = reports_open_due(today=today)
    planned = reminders_due(today=today)
    sent = sum(deliver(r) for r in planned)
    log.info("send-reminders %s: %d reports opened, %d reminders sent", today, opened, sent)
    return ReminderRun(opened, planned, sent, True)
