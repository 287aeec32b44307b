"""Pages for plans, tasks, unit reports and scorecards. Each view: fetch through a
selector, validate, call one service, redirect or render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pctp.core.dates import parse_day
from pctp.core.errors import DomainError
from pctp.core.labels import action_label
from pctp.core.notifications import mark_read
from pctp.plans import forms as f
from pctp.plans import services as s
from pctp.plans.indicators import (
    MEASURE_LABELS,
    MEASURES,
    TASK_MEASURES,
    current_head,
    head_tenure,
    heads_of,
    measure_records,
    scorecard_history,
    unit_scorecard,
    unit_scorecards,
)
from pctp.plans.models import OPEN_TASK_STATUSES, Plan, Task, UnitReport
from pctp.plans.periods import GRAINS, parse_period_key, period_label
from pctp.plans.selectors import (
    consolidated,
    my_units,
    notifications_for,
    owned_plans,
    plan_get,
    plan_list,
    report_get,
    report_list,
    report_periods,
    report_timeline,
    task_get,
    task_list,
    task_timeline,
    tasks_awaiting_decision,
    tasks_coordinated,
    tasks_led,
)
from pctp.units.models import Unit
from pctp.units.selectors import units_in_scope, user_has_perm_in_unit

VIEW = "plans.view_task"
BOARD_COLUMNS = [Task.Status.ASSIGNED, Task.Status.IN_PROGRESS, Task.Status.RETURNED,
                 Task.Status.SUBMITTED, Task.Status.ACCEPTED]
# Units a plan gives tasks to: agencies, departments, localities; not police offices.
ASSIGNABLE_KINDS = [Unit.Kind.PROVINCE_COMMITTEE, Unit.Kind.STEERING_COMMITTEE,
                    Unit.Kind.DEPARTMENT, Unit.Kind.PROVINCIAL_POLICE, Unit.Kind.PROCURACY,
                    Unit.Kind.COURT, Unit.Kind.COMMUNE_COMMITTEE]


def _get_plan(request, pk: int) -> Plan:
    try:
        return plan_get(user=request.user, pk=pk)
    except Plan.DoesNotExist:
        raise Http404 from None


def _get_task(request, pk: int) -> Task:
    try:
        return task_get(user=request.user, pk=pk)
    except Task.DoesNotExist:
        raise Http404 from None


def _get_report(request, pk: int) -> UnitReport:
    try:
        return report_get(user=request.user, pk=pk)
    except UnitReport.DoesNotExist:
        raise Http404 from None


def _form_errors(form, exc: DomainError) -> None:
    for field, errors in exc.details.items():
        if form is not None and field in form.fields:
            form.add_error(field, errors)


# ----------------------------------------------------------------------------- my unit

@login_required
@permission_required(VIEW, raise_exception=True)
def my_tasks(request):
    """Nhiệm vụ của đơn vị tôi: what my unit leads, coordinates and must report."""
    user, today = request.user, timezone.localdate()
    units = list(my_units(user))
    led = list(tasks_led(user=user, units=units))
    reports = report_list(user=user, units=units)
    coordinated = tasks_coordinated(user=user, units=units).exclude(
        status__in=[Task.Status.ACCEPTED, Task.Status.CANCELLED])
    owner = user.has_perm("plans.accept_task")
    return render(request, "plans/my_tasks.html", {
        "today": today, "units": units, "single_unit": len(units) == 1,
        "led_open": sorted([t for t in led if t.is_open or t.status == Task.Status.SUBMITTED],
                           key=lambda t: (t.deadline or date.max, t.number)),
        "led_done": [t for t in led if t.status in (Task.Status.ACCEPTED,
                                                     Task.Status.CANCELLED)],
        "coordinated": coordinated,
        # A leader whose own unit has no task sees only what awaits them.
        "show_unit": bool(led or reports.exists() or coordinated.exists()) or not owner,
        "reports_todo": reports.exclude(status=UnitReport.Status.SUBMITTED).order_by("due_date"),
        "reports_done": reports.filter(status=UnitReport.Status.SUBMITTED)[:12],
        "awaiting": tasks_awaiting_decision(user=user) if owner else Task.objects.none(),
        "notifications": notifications_for(user=user, unread_only=True)[:10],
        "owned_overdue": (task_list(user=user, overdue=True, today=today)
                          .filter(plan__in=owned_plans(user))
                          .order_by("deadline")[:15] if owner else []),
    })


@login_required
def notification_list(request):
    page = Paginator(notifications_for(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "plans/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    ids = request.POST.getlist("id")
    mark_read(user=request.user,
                              ids=[int(i) for i in ids if i.isdigit()] if ids else None)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("plans:notifications")
    return redirect(target)


# ----------------------------------------------------------------------------- plans

@login_required
@permission_required(VIEW, raise_exception=True)
def plan_index(request):
    return render(request, "plans/plan_list.html", {
        "plans": plan_list(user=request.user),
        "can_create": request.user.has_perm("plans.manage_plan"),
    })


def _issuers(user):
    return (units_in_scope(user).current()
            .filter(kind__in=[Unit.Kind.PROVINCE_COMMITTEE, Unit.Kind.STEERING_COMMITTEE,
                              Unit.Kind.DEPARTMENT, Unit.Kind.PROVINCIAL_POLICE,
                              Unit.Kind.COMMUNE_COMMITTEE]).order_by("path"))


@login_required
@permission_required("plans.manage_plan", raise_exception=True)
def plan_new(request):
    issuers = _issuers(request.user)
    steering = units_in_scope(request.user).current().filter(kind=Unit.Kind.STEERING_COMMITTEE)
    form = f.PlanForm(request.POST or None, issuers=issuers, steering=steering)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            plan = s.plan_create(actor=request.user, number=d["number"], title=d["title"],
                                 issuing_unit=d["issuing_unit"], issued_on=d["issued_on"],
                                 period_start=d["period_start"], period_end=d["period_end"],
                                 legal_basis=d["legal_basis"], steering_unit=d["steering_unit"],
                                 draft=d["draft"])
        except DomainError as exc:
            _form_errors(form, exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Plan recorded."))
            return redirect("plans:board", pk=plan.pk)
    return render(request, "plans/plan_new.html", {"form": form})


def _plan_units(plan: Plan, tasks) -> list[Unit]:
    ids = set(tasks.values_list("lead_unit", flat=True))
    ids |= set(Task.coordinating_units.through.objects.filter(
        task__in=tasks.values("pk")).values_list("unit", flat=True))
    return Unit.objects.filter(pk__in=ids).order_by("kind", "name")


@login_required
@permission_required(VIEW, raise_exception=True)
def plan_board(request, pk: int):
    """The plan's task board: one column per state, filters by unit, target, overdue."""
    plan = _get_plan(request, pk)
    today = timezone.localdate()
    visible = task_list(user=request.user, plan=plan)
    form = f.TaskFilterForm(request.GET or None, units=_plan_units(plan, visible))
    filters = form.cleaned_data if form.is_valid() else {}
    tasks = list(task_list(user=request.user, plan=plan, unit=filters.get("unit"),
                           target=filters.get("target", ""), overdue=filters.get("overdue", False),
                           query=filters.get("q", ""), today=today))
    # Tasks with a deadline move across the board; recurring ones report period by period.
    with_deadline = [t for t in tasks if not t.recurrence]
    columns = [{"status": st, "label": Task.Status(st).label,
                "tasks": sorted([t for t in with_deadline if t.status == st],
                                key=lambda t: (t.deadline, t.number))}
               for st in BOARD_COLUMNS]
    recurring = [t for t in tasks if t.recurrence and t.status != Task.Status.CANCELLED]
    is_owner = owned_plans(request.user).filter(pk=plan.pk).exists()
    return render(request, "plans/plan_board.html", {
        "plan": plan, "columns": columns, "form": form, "today": today,
        "recurring": _with_report_counts(recurring, today),
        "cancelled": [t for t in tasks if t.status == Task.Status.CANCELLED],
        "total": len(tasks), "filtered": bool(filters and any(filters.values())),
        "overdue_count": sum(1 for t in tasks if t.is_overdue(today)),
        "is_owner": is_owner,
        "can_assign": s.is_plan_owner(request.user, plan, "plans.assign_task"),
        "can_manage": user_has_perm_in_unit(request.user, "plans.manage_plan",
                                            plan.issuing_unit),
    })


def _with_report_counts(tasks: list[Task], today: date) -> list[dict]:
    """Each recurring task with how its units' reports stand: due so far, on time, late,
    missing (the same conditions as the scorecard)."""
    from django.db.models import Count

    from pctp.plans.indicators import measure_condition

    rows = (UnitReport.objects.filter(task__in=tasks, due_date__lt=today).values("task")
            .annotate(due=Count("pk"),
                      on_time=Count("pk", filter=measure_condition("reports_on_time", today)),
                      late=Count("pk", filter=measure_condition("reports_late", today)),
                      missing=Count("pk", filter=measure_condition("reports_overdue", today))))
    counts = {row.pop("task"): row for row in rows}
    return [{"task": t, **counts.get(t.pk, {"due": 0, "on_time": 0, "late": 0, "missing": 0})}
            for t in sorted(tasks, key=lambda t: t.number)]


@login_required
@require_POST
def plan_action(request, pk: int, action: str):
    plan = _get_plan(request, pk)
    try:
        if action == "issue":
            s.plan_issue(actor=request.user, plan=plan)
        elif action == "close":
            s.plan_close(actor=request.user, plan=plan, note=request.POST.get("note", ""))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("plans:board", pk=pk)
    plan.refresh_from_db()
    messages.success(request, _("%(action)s: plan %(number)s, now %(status)s.") % {
        "action": action_label(f"plan.{action}"), "number": plan.number,
        "status": plan.get_status_display()})
    return redirect("plans:board", pk=pk)


def _assignable_units(plan: Plan):
    """Provincial bodies and departments first, then the communes, each by name."""
    from django.db.models import Case, IntegerField, When

    rank = Case(*[When(kind=kind, then=i) for i, kind in enumerate(ASSIGNABLE_KINDS)],
                output_field=IntegerField())
    return (Unit.objects.current().filter(province=plan.issuing_unit.province,
                                          kind__in=ASSIGNABLE_KINDS)
            .order_by(rank, "name"))


@login_required
@permission_required("plans.assign_task", raise_exception=True)
def task_new(request, pk: int):
    plan = _get_plan(request, pk)
    if not s.is_plan_owner(request.user, plan, "plans.assign_task"):
        raise PermissionDenied
    form = f.TaskForm(request.POST or None, units=_assignable_units(plan))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            task = s.task_assign(
                actor=request.user, plan=plan, title=d["title"], content=d["content"],
                lead_unit=d["lead_unit"], coordinating_units=d["coordinating_units"],
                expected_result=d["expected_result"], deadline=d["deadline"],
                recurrence=d["recurrence"], first_report_due=d["first_report_due"],
                report_kind=d["report_kind"], target_code=d["target_code"],
                plan_item=d["plan_item"], priority=d["priority"])
        except DomainError as exc:
            _form_errors(form, exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Task %(code)s assigned.") % {"code": task.code})
            return redirect("plans:task", pk=task.pk)
    return render(request, "plans/task_new.html", {"plan": plan, "form": form})


# ----------------------------------------------------------------------------- one task

def _task_actions(user, task: Task) -> set[str]:
    """The steps this user may try now; the service checks again."""
    lead = user_has_perm_in_unit(user, "plans.report_task", task.lead_unit)
    accept = s.is_plan_owner(user, task.plan, "plans.accept_task")
    assign = s.is_plan_owner(user, task.plan, "plans.assign_task")
    actions = set()
    for action, (states, _target) in s.TASK_TRANSITIONS.items():
        if task.status not in states:
            continue
        if action in ("start", "report", "submit") and lead:
            actions.add(action)
        elif action == "contribute" and s.contributing_unit(user, task) is not None:
            actions.add(action)
        elif action in ("accept", "return") and accept:
            actions.add(action)
        elif action in ("cancel", "reschedule") and assign:
            if action == "reschedule" and task.deadline is None:
                continue
            actions.add(action)
    return actions


def _task_forms(data=None, files=None) -> dict:
    return {"start": f.NoteForm(data), "report": f.ProgressForm(data, files),
            "contribute": f.ContributionForm(data, files), "submit": f.SubmitForm(data, files),
            "accept": f.NoteForm(data), "return": f.ReasonForm(data),
            "reschedule": f.RescheduleForm(data), "cancel": f.ReasonForm(data)}


@login_required
@permission_required(VIEW, raise_exception=True)
def task_detail(request, pk: int, forms=None, status=200):
    task = _get_task(request, pk)
    today = timezone.localdate()
    units = set(units_in_scope(request.user).filter(
        Q(pk=task.lead_unit_id) | Q(pk__in=task.coordinating_units.all())).values_list(
        "pk", flat=True))
    return render(request, "plans/task_detail.html", {
        "task": task, "today": today, "actions": _task_actions(request.user, task),
        "forms": forms or _task_forms(), "timeline": task_timeline(task),
        "updates": task.updates.select_related("author", "unit"),
        "reports": report_list(user=request.user, task=task)[:60],
        "is_lead": task.lead_unit_id in units,
        "is_coordinator": bool(units - {task.lead_unit_id}),
        "overdue": task.is_overdue(today),
        "days_left": (task.deadline - today).days if task.deadline and task.is_open else None,
    }, status=status)


def _call(action: str, user, task: Task, d: dict, files):
    upload = files.get("file")
    if action == "start":
        return s.task_start(actor=user, task=task, note=d["note"])
    if action == "report":
        return s.task_report_progress(actor=user, task=task, text=d["text"],
                                      percent=d["percent"], uploaded=upload)
    if action == "contribute":
        return s.task_contribute(actor=user, task=task, text=d["text"], uploaded=upload)
    if action == "submit":
        return s.task_submit(actor=user, task=task, text=d["text"], uploaded=upload)
    if action == "accept":
        return s.task_accept(actor=user, task=task, note=d["note"])
    if action == "return":
        return s.task_return(actor=user, task=task, reason=d["reason"])
    if action == "reschedule":
        return s.task_reschedule(actor=user, task=task, deadline=d["deadline"],
                                 reason=d["reason"])
    if action == "cancel":
        return s.task_cancel(actor=user, task=task, reason=d["reason"])
    raise Http404


@login_required
@require_POST
def task_action(request, pk: int, action: str):
    task = _get_task(request, pk)
    forms = _task_forms(request.POST, request.FILES)
    form = forms.get(action)
    if form is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return task_detail(request, pk, forms=forms, status=400)
    try:
        _call(action, request.user, task, form.cleaned_data, request.FILES)
    except DomainError as exc:
        _form_errors(form, exc)
        messages.error(request, exc.message)
        return task_detail(request, pk, forms=forms, status=exc.status)
    task.refresh_from_db()
    messages.success(request, _("%(action)s: task %(code)s, now %(status)s.") % {
        "action": action_label(f"task.{action}"), "code": task.code,
        "status": task.get_status_display()})
    return redirect("plans:task", pk=pk)


def _file_response(field, name: str, content_type: str):
    response = FileResponse(field.open("rb"), content_type=content_type, as_attachment=True,
                            filename=name)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
def update_file(request, pk: int, update_id: int):
    task = _get_task(request, pk)
    update = task.updates.filter(pk=update_id).exclude(file="").first()
    if update is None:
        raise Http404
    return _file_response(update.file, update.file_name, update.content_type)


# ----------------------------------------------------------------------------- unit reports

def _report_actions(user, report: UnitReport) -> set[str]:
    actions = set()
    if report.status in s.REPORT_TRANSITIONS["submit"][0] and user_has_perm_in_unit(
            user, "plans.report_task", report.unit):
        actions.add("submit")
    if report.status in s.REPORT_TRANSITIONS["return"][0] and report.accepted_at is None \
            and s.is_plan_owner(user, report.task.plan, "plans.accept_task"):
        actions |= {"return", "accept"}
    return actions


@login_required
@permission_required(VIEW, raise_exception=True)
def report_detail(request, pk: int, form=None, return_form=None, status=200):
    report = _get_report(request, pk)
    actions = _report_actions(request.user, report)
    if form is None and "submit" in actions:
        initial = {name: getattr(report, name) for name in s.REPORT_FIELDS}
        form = f.ReportForm(initial=initial, report=report)
    today = timezone.localdate()
    return render(request, "plans/report_detail.html", {
        "report": report, "actions": actions, "form": form,
        "return_form": return_form or f.ReasonForm(), "accept_form": f.NoteForm(),
        "timeline": report_timeline(report),
        "today": today, "overdue": report.is_overdue(today),
        "days_left": (report.due_date - today).days,
    }, status=status)


@login_required
@require_POST
def report_submit(request, pk: int):
    report = _get_report(request, pk)
    form = f.ReportForm(request.POST, request.FILES, report=report)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return report_detail(request, pk, form=form, status=400)
    values = {name: form.cleaned_data.get(name, "") for name in s.REPORT_FIELDS}
    try:
        s.report_submit(actor=request.user, report=report, uploaded=request.FILES.get("file"),
                        **values)
    except DomainError as exc:
        _form_errors(form, exc)
        messages.error(request, exc.message)
        return report_detail(request, pk, form=form, status=exc.status)
    messages.success(request, _("Report submitted."))
    return redirect("plans:report", pk=pk)


@login_required
@require_POST
def report_return(request, pk: int):
    report = _get_report(request, pk)
    form = f.ReasonForm(request.POST)
    if not form.is_valid():
        return report_detail(request, pk, return_form=form, status=400)
    try:
        s.report_return(actor=request.user, report=report, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return report_detail(request, pk, return_form=form, status=exc.status)
    messages.success(request, _("The report was returned to the unit."))
    return redirect("plans:report", pk=pk)


@login_required
@require_POST
def report_accept(request, pk: int):
    report = _get_report(request, pk)
    form = f.NoteForm(request.POST)
    form.is_valid()
    try:
        s.report_accept(actor=request.user, report=report,
                        note=form.cleaned_data.get("note", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return report_detail(request, pk, status=exc.status)
    messages.success(request, _("The report was accepted."))
    return redirect("plans:report", pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def report_file(request, pk: int):
    report = _get_report(request, pk)
    if not report.file:
        raise Http404
    return _file_response(report.file, report.file_name, report.content_type)


@login_required
@permission_required(VIEW, raise_exception=True)
def plan_consolidated(request, pk: int):
    """Every unit's report for one period, for the Steering Committee."""
    plan = _get_plan(request, pk)
    if not owned_plans(request.user).filter(pk=plan.pk).exists():
        raise PermissionDenied
    today = timezone.localdate()
    periods = report_periods(plan=plan, today=today)
    for p in periods:
        p["key"] = f"{p['period_start']:%Y-%m-%d}_{p['period_end']:%Y-%m-%d}"
        p["label"] = period_label(p["period_start"], p["period_end"])
    # By default the ended period that most units reported on (the quarter, not a month
    # of one task), the latest of them.
    ended = [p for p in periods if p["period_end"] < today] or periods
    default = max(ended, key=lambda p: (p["total"], p["period_end"]))["key"] if ended else ""
    chosen = request.GET.get("period") or default
    current = next((p for p in periods if p["key"] == chosen), None)
    groups = []
    if current:
        groups = consolidated(user=request.user, plan=plan, period_start=current["period_start"],
                              period_end=current["period_end"])
    reports = [r for _task, rs in groups for r in rs]
    return render(request, "plans/consolidated.html", {
        "plan": plan, "periods": periods, "current": current, "groups": groups, "today": today,
        "count_on_time": sum(1 for r in reports if r.submitted_late is False),
        "count_late": sum(1 for r in reports if r.submitted_late),
        "count_missing": sum(1 for r in reports if r.is_overdue(today)),
        "count_waiting": sum(1 for r in reports
                             if r.status != UnitReport.Status.SUBMITTED and not r.is_overdue(today)),
    })


# ----------------------------------------------------------------------------- scorecards

def _range(request, default_key: str) -> tuple[date, date, str]:
    """The period asked for: ?period=2026|2026-Q3|2026-H1|2026-10, or ?from=&to=."""
    start, end = parse_day(request.GET.get("from")), parse_day(request.GET.get("to"))
    if start and end and start <= end:
        return start, end, ""
    key = request.GET.get("period", "") or default_key
    parsed = parse_period_key(key) or parse_period_key(default_key)
    return parsed[0], parsed[1], key


def _period_links(today: date) -> dict:
    quarters = [f"{today.year}-Q{q}" for q in range(1, 5)]
    return {"years": [str(y) for y in range(today.year - 1, today.year + 1)],
            "quarters": [(q, period_label(*parse_period_key(q))) for q in quarters]}


def _scorecard_units(user):
    return units_in_scope(user)


@login_required
@permission_required(VIEW, raise_exception=True)
def scorecard_index(request):
    today = timezone.localdate()
    start, end, key = _range(request, str(today.year))
    cards = unit_scorecards(units=_scorecard_units(request.user), start=start, end=end,
                            today=today)
    heads = {}
    for card in cards:
        heads[card.unit.pk] = current_head(card.unit)
    return render(request, "plans/scorecards.html", {
        "cards": [(c, heads[c.unit.pk]) for c in cards], "start": start, "end": end,
        "key": key, "label": period_label(start, end), "today": today, **_period_links(today),
    })


def _scoped_unit(request, unit_pk: int) -> Unit:
    try:
        return _scorecard_units(request.user).get(pk=unit_pk)
    except Unit.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required(VIEW, raise_exception=True)
def scorecard_unit(request, unit_pk: int):
    """One unit's scorecard with its history, and each head's record over their tenure."""
    unit = _scoped_unit(request, unit_pk)
    today = timezone.localdate()
    start, end, key = _range(request, str(today.year))
    grain = request.GET.get("grain") if request.GET.get("grain") in GRAINS else "quarter"
    heads = []
    for membership in heads_of(unit):
        tenure = head_tenure(membership, start, end)
        last = membership.valid_to and date.fromordinal(membership.valid_to.toordinal() - 1)
        heads.append({"membership": membership, "tenure": tenure, "last_day": last,
                      "card": unit_scorecard(unit=unit, start=tenure[0], end=tenure[1],
                                             today=today) if tenure else None})
    return render(request, "plans/scorecard_unit.html", {
        "unit": unit, "start": start, "end": end, "key": key, "today": today, "grain": grain,
        "card": unit_scorecard(unit=unit, start=start, end=end, today=today),
        "history": scorecard_history(unit=unit, grain=grain, start=start, end=end, today=today),
        "heads": heads, "label": period_label(start, end), **_period_links(today),
    })


@login_required
@permission_required(VIEW, raise_exception=True)
def scorecard_records(request, unit_pk: int, measure: str):
    """The records behind one figure."""
    if measure not in MEASURES:
        raise Http404
    unit = _scoped_unit(request, unit_pk)
    today = timezone.localdate()
    start, end, key = _range(request, str(today.year))
    records = measure_records(measure, unit=unit, start=start, end=end, today=today)
    return render(request, "plans/scorecard_records.html", {
        "unit": unit, "measure": measure, "measure_label": MEASURE_LABELS[measure],
        "is_task": measure in TASK_MEASURES, "records": records, "start": start, "end": end,
        "label": period_label(start, end), "today": today, "open_statuses": OPEN_TASK_STATUSES,
    })
