"""Pages for criminal cases. Each view: fetch through a selector, validate, call one service."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pctp.cases import appeals
from pctp.cases import forms as f
from pctp.cases import services as s
from pctp.cases.models import (
    Accused,
    Case,
    CriminalGroup,
    Extension,
    GroupMember,
    Measure,
    MeasureExtension,
    Recovery,
    Status,
)
from pctp.cases.selectors import (
    QUEUES,
    case_get,
    case_list,
    case_scope,
    caseloads,
    default_queue,
    group_cases,
    group_list,
    group_scope,
    linked_cases,
    measure_list,
    propose_groups,
)
from pctp.cases.transitions import STAGE_AGENCY, case_actions, stage_unit
from pctp.core.deadlines import CRITICAL, LEVELS, NOTICE, WARNING, alert_levels, is_overdue
from pctp.core.errors import DomainError
from pctp.core.extensions import pending_request
from pctp.core.labels import action_label
from pctp.core.models import AuditEvent, User
from pctp.core.paging import CappedPaginator, capped_count
from pctp.core.sorting import sorted_by
from pctp.law.services import one_calendar
from pctp.units.models import Commune, Unit
from pctp.units.selectors import units_in_scope, user_has_perm_in_unit

QUEUE_LABELS = {
    "investigation": gettext_lazy("Under investigation"), "mine": gettext_lazy("Assigned to me"),
    "incoming": gettext_lazy("Files to receive"), "sent": gettext_lazy("Sent, awaiting receipt"),
    "procuracy": gettext_lazy("At the procuracy"),
    "extensions": gettext_lazy("Extension requests"), "court": gettext_lazy("At the court"),
    "judged": gettext_lazy("Judged"), "due_soon": gettext_lazy("Due within 10 days"),
    "overdue": gettext_lazy("Overdue"), "unsolved": gettext_lazy("Offender not identified"),
    "all": gettext_lazy("All"),
}
AGENCY_QUEUES = {
    "cases.investigate": ["mine", "investigation", "incoming", "sent", "due_soon", "overdue",
                          "unsolved", "all"],
    "cases.prosecute": ["incoming", "procuracy", "extensions", "sent", "due_soon", "overdue",
                        "unsolved", "all"],
    "cases.try_case": ["incoming", "court", "judged", "sent", "all"],
}
ALERT_LABELS = {CRITICAL: gettext_lazy("Held past the limit"),
                WARNING: gettext_lazy("3 days or less left"),
                NOTICE: gettext_lazy("10 days or less left")}


def _get(request, pk: int) -> Case:
    try:
        return case_get(user=request.user, pk=pk)
    except Case.DoesNotExist:
        raise Http404 from None


def _queues_for(user) -> list[str]:
    for perm, queues in AGENCY_QUEUES.items():
        if user.has_perm(perm):
            return queues
    return ["all", "unsolved", "overdue", "judged"]


@login_required
@permission_required("cases.view_case", raise_exception=True)
def case_index(request):
    tabs = _queues_for(request.user)
    queue = request.GET.get("queue") or default_queue(request.user)
    if queue not in QUEUES:
        queue = "all"
    form = f.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = case_list(user=request.user, queue=queue, status=filters.get("status", ""),
                      group=filters.get("group", ""), severity=filters.get("severity", ""),
                      query=filters.get("q", ""), date_from=filters.get("date_from"),
                      date_to=filters.get("date_to"), commune=filters.get("commune", ""))
    order = {"due": (F("due_date").asc(nulls_last=True), "id"),
             "-initiated": ("-initiated_on", "-id"), "initiated": ("initiated_on", "id")}
    if filters.get("sort") in order:  # kept in the URL with the other filters
        cases = cases.order_by(*order[filters["sort"]])
    # Counts stop at 1,000 ("more than 1,000"): a province's 500,000 cases, or its 330,000
    # judged ones, were counted in full on every visit.
    page = CappedPaginator(cases, 50).get_page(request.GET.get("page"))
    counts = {q: capped_count(case_list(user=request.user, queue=q)) for q in tabs if q != "all"}
    return render(request, "cases/case_list.html", {
        "page": page, "queue": queue, "form": form, "today": timezone.localdate(),
        "queues": [(q, str(QUEUE_LABELS[q]), *counts.get(q, (None, False))) for q in tabs],
        "queue_label": QUEUE_LABELS[queue],
        "can_initiate": request.user.has_perm("cases.investigate"),
    })


def _bodies(user):
    return (units_in_scope(user).current().filter(kind=Unit.Kind.INVESTIGATION_BODY)
            .order_by("name"))


def _add_errors(form, exc: DomainError) -> None:
    for field, errors in exc.details.items():
        if field in form.fields:
            form.add_error(field, errors)
    if not any(field in form.fields for field in exc.details):
        form.add_error(None, exc.message)


@login_required
@permission_required("cases.investigate", raise_exception=True)
def case_new(request):
    """Initiate a case directly: caught in the act, detected, or the offender surrendered."""
    units = _bodies(request.user)
    communes = Commune.objects.filter(province__in=units.values("province")).order_by("name")
    form = f.InitiateForm(request.POST or None, units=units, communes=communes)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = s.case_initiate(
                actor=request.user, investigation_body=d["investigation_body"],
                decision_number=d["decision_number"], summary=d["summary"],
                charges=[s.ChargeInput(a, c) for a, c in d["charges"]],
                initiated_on=d["initiated_on"], origin=d["origin"], occurred_at=d["occurred_at"],
                commune=d["commune"], address=d["address"], lat=d["lat"], lon=d["lon"],
                client_token=d["client_token"] or None)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": case.register_code})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_new.html", {"form": form})


@login_required
@permission_required("cases.investigate", raise_exception=True)
def case_from_source(request, source_pk: int):
    """Open the case a source's decision to initiate created."""
    from pctp.sources.models import Source
    from pctp.sources.selectors import source_get

    try:
        source = source_get(user=request.user, pk=source_pk)
    except Source.DoesNotExist:
        raise Http404 from None
    existing = Case.objects.filter(source=source).first()
    if existing is not None:
        return redirect("cases:detail", pk=existing.pk)
    initial = {"decision_number": source.decision_number, "summary": source.summary,
               "initiated_on": timezone.localtime(source.decided_at).date()
               if source.decided_at else None,
               "charges": (f"{source.offence.article}.{source.clause.clause}" if source.clause_id
                           else source.offence.article) if source.offence_id else ""}
    form = f.FromSourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = s.case_initiate_from_source(
                actor=request.user, source=source, decision_number=d["decision_number"],
                summary=d["summary"], charges=[s.ChargeInput(a, c) for a, c in d["charges"]],
                initiated_on=d["initiated_on"], client_token=d["client_token"] or None)
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Case %(code)s opened.") % {"code": case.register_code})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_from_source.html", {"form": form, "source": source})


# ----------------------------------------------------------------------------- the case page

def _clock(label, due, today, basis="", result=None, extensions=0, alert=""):
    return {"label": label, "due": due, "late": due is not None and is_overdue(due, today),
            "days_left": (due - today).days if due else None, "basis": basis, "result": result,
            "extensions": extensions, "alert": alert}


def _clocks(case: Case, measures: list[Measure], today, now=None) -> list[dict]:
    clocks = []
    result = s.case_clock(case)
    if result is not None and case.clock_rule == "appeal.judgment" and case.due_date < today:
        result = None  # the appeal window has closed; the facts say so
    if result is not None:
        clock = _clock(result.rule.title, case.due_date, today, result.basis, result,
                       case.clock_extensions)
        clock["pending"] = case.extensions.filter(state=Extension.State.PENDING).exists()
        clocks.append(clock)
    for m in measures:
        if m.active:
            limit = s.measure_limit(m)
            label = f"{m.get_kind_display()} — {_('accused no. %(n)s') % {'n': m.accused.position}}"
            now = now or timezone.now()
            clock = _clock(label, m.due_date, today, limit.basis, limit, m.extensions,
                           m.alert(now))
            clock["late"] = m.alert(now) == CRITICAL
            clock["due_at"] = m.expires_at()
            clock["custody"] = m.is_custody
            clock["hours_past"] = m.hours_past(now)
            clock["late_days"] = m.late_days
            clock["pending"] = any(x.state == "pending" for x in m.extension_rows.all())
            clocks.append(clock)
    return clocks


STAGE_STEP = {Status.INVESTIGATING: 0, Status.SUSPENDED: 0, Status.RETURNED: 0,
              Status.SENT_TO_PROCURACY: 1, Status.AT_PROCURACY: 1,
              Status.PROSECUTION_SUSPENDED: 1, Status.SENT_TO_COURT: 2, Status.AT_COURT: 2,
              Status.COMMITTED: 2, Status.TRIAL_OPEN: 2, Status.JUDGED: 3}


def _strip(case: Case) -> list[dict]:
    """The four stages, which are done and which holds the file now."""
    now = STAGE_STEP.get(case.status)
    steps = [(_("Investigation"), case.investigation_body), (_("Prosecution"), case.procuracy),
             (_("Trial"), case.court), (_("Judgment"), None)]
    return [{"label": label, "unit": (unit.short_name or unit.name) if unit else "",
             "done": now is not None and i < now,
             "now": i == now} for i, (label, unit) in enumerate(steps)]


def _holder(case: Case) -> dict:
    """Who holds the file, or which handover is in transit (visible to both sides)."""
    transit = case.referrals.filter(received_on__isnull=True, closed_on__isnull=True
                                    ).select_related("from_unit", "to_unit").last()
    if transit is not None:
        return {"transit": transit}
    owner = stage_unit(case)
    return {"unit": owner[1] if owner else None, "since": case.status_since}


def _timeline(case: Case) -> list[AuditEvent]:
    """The journal in the order things happened: by the date of each decision (steps are
    often entered after the paper was signed), then by when they were entered."""
    from pctp.cases.templatetags.cases_tags import decision_day

    events = list(AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
                  .select_related("actor").order_by("at", "id"))
    return sorted(events, key=lambda e: (decision_day(e) or timezone.localtime(e.at).date(),
                                         e.at, e.id))


def _people(case: Case):
    return (User.objects.filter(memberships__unit__path__startswith=case.investigation_body.path,
                                memberships__valid_to__isnull=True,
                                memberships__role__code__in=["investigator", "unit_leader"])
            .distinct().order_by("full_name"))


def _assign_form(case: Case, data=None):
    people = list(_people(case))
    return f.AssignForm(data, people=_people(case), loads=caseloads([u.pk for u in people]))


def _measure_kinds(case: Case) -> list[tuple[str, str]]:
    """Custody during the investigation, and the one detention this stage allows."""
    kinds = []
    if case.status == Status.INVESTIGATING:
        kinds.append((Measure.Kind.CUSTODY, Measure.Kind.CUSTODY.label))
    stage = s.STAGE_DETENTION.get(case.clock_rule)
    if stage is not None and s.MEASURE_AGENCY[stage] == STAGE_AGENCY[case.status]:
        kinds.append((stage, Measure.Kind(stage).label))
    return kinds


def _held(case: Case):
    return case.accused.filter(measures__released_on__isnull=True).distinct().order_by("position")


def _moment(day, at):
    """A day and an optional time of day as the moment it names (local time)."""
    if day is None or at is None:
        return day
    return timezone.make_aware(datetime.combine(day, at))


def _active_measures(case: Case):
    return Measure.objects.filter(case=case, released_on__isnull=True).select_related("accused")


def _courts(case: Case):
    return Unit.objects.current().filter(province=case.investigation_body.province,
                                         kind__in=[Unit.Kind.COURT, Unit.Kind.REGIONAL_COURT])


def _accused_choices(case: Case):
    return case.accused.order_by("position")


FORMS = {  # action -> (case, data) -> its form, built only when shown or posted
    "assign": lambda case, data: _assign_form(case, data),
    "add_accused": lambda case, data: f.AccusedForm(data),
    "charge": lambda case, data: f.ChargeForm(data, accused=_accused_choices(case)),
    "set_lead": lambda case, data: f.AccusedChoiceForm(data, accused=_accused_choices(case)),
    "detect": lambda case, data: f.DetectForm(data),
    "request_extension": lambda case, data: f.RequestExtensionForm(data),
    "extension_decision": lambda case, data: f.DecisionForm(data),
    "extend": lambda case, data: f.ExtendForm(data),
    "suspend": lambda case, data: f.SuspendForm(data),
    "resume": lambda case, data: f.NumberForm(data),
    "conclude": lambda case, data: f.DocumentForm(data),
    "terminate": lambda case, data: f.TerminateForm(data),
    "receive": lambda case, data: f.OnForm(data),
    "indict": lambda case, data: f.IndictForm(data, courts=_courts(case)),
    "return_for_investigation": lambda case, data: f.ReturnForm(data),
    "receive_returned": lambda case, data: f.OnForm(data),
    "prosecution_suspend": lambda case, data: f.SuspendForm(data),
    "prosecution_resume": lambda case, data: f.NumberForm(data),
    "accept": lambda case, data: f.OnForm(data),
    "commit_to_trial": lambda case, data: f.CommitForm(data),
    "open_trial": lambda case, data: f.OpenTrialForm(data),
    "judgment": lambda case, data: f.JudgmentForm(data, held=_held(case),
                                                  accused=_accused_choices(case)),
    "appeal": lambda case, data: f.AppealForm(data, accused=_accused_choices(case)),
    "protest": lambda case, data: f.ProtestForm(data, accused=_accused_choices(case)),
    "decide_appeal": lambda case, data: f.AppealDecisionForm(
        data, appeals=case.appeals.filter(outcome=""), accused=_accused_choices(case)),
    "order_measure": lambda case, data: f.MeasureForm(data, accused=_accused_choices(case),
                                                      kinds=_measure_kinds(case)),
    "measure_request_extension": lambda case, data: f.MeasureExtensionForm(
        data, measures=_active_measures(case)),
    "measure_extension_decision": lambda case, data: f.MeasureDecisionForm(data),
    "release": lambda case, data: f.ReleaseForm(data, measures=_active_measures(case)),
    "set_value": lambda case, data: f.ValueForm(data),
    "record_recovery": lambda case, data: f.RecoveryForm(data, entries=Recovery.objects.filter(
        case=case, kind__in=["seized", "frozen"], realised_by__isnull=True)),
}

# The panels of the case page's "Actions" card, in this order.
ACTION_TITLES = {
    "receive": gettext_lazy("Receive the file and the investigation conclusion"),
    "accept": gettext_lazy("Accept the case (thụ lý)"),
    "receive_returned": gettext_lazy("Receive the returned file"),
    "add_accused": gettext_lazy("Prosecute an accused"),
    "conclude": gettext_lazy("Conclude: recommend prosecution, send to the procuracy"),
    "indict": gettext_lazy("Indict: send to the court"),
    "commit_to_trial": gettext_lazy("Decide to bring the case to trial"),
    "open_trial": gettext_lazy("Open the trial"),
    "judgment": gettext_lazy("Deliver the judgment"),
    "appeal": gettext_lazy("Record an appeal against the judgment"),
    "protest": gettext_lazy("Protest the judgment (procuracy)"),
    "decide_appeal": gettext_lazy("Record the appellate decision"),
    "return_for_investigation": gettext_lazy("Return for supplementary investigation"),
    "request_extension": gettext_lazy("Ask the procuracy to extend the investigation"),
    "extend": gettext_lazy("Extend our time limit (once)"),
    "charge": gettext_lazy("Add a charge"),
    "set_lead": gettext_lazy("Mark the lead accused"),
    "detect": gettext_lazy("Record how the offender was identified"),
    "order_measure": gettext_lazy("Order custody or detention"),
    "measure_request_extension": gettext_lazy("Ask to extend custody or detention"),
    "release": gettext_lazy("Release"),
    "suspend": gettext_lazy("Suspend the investigation"),
    "resume": gettext_lazy("Resume the investigation"),
    "prosecution_suspend": gettext_lazy("Suspend the case (procuracy)"),
    "prosecution_resume": gettext_lazy("Resume the case (procuracy)"),
    "terminate": gettext_lazy("Terminate the case"),
    "assign": gettext_lazy("Assign an investigator"),
    "set_value": gettext_lazy("Value appropriated or lost"),
    "record_recovery": gettext_lazy("Record an asset recovery"),
}


def _form(case: Case, action: str, data=None):
    build = FORMS.get(action)
    return build(case, data) if build else None


def _ledger(case: Case, entries: list[Recovery]) -> dict:
    realised = {e.realises_id for e in entries if e.realises_id}
    counted = sum(e.amount for e in entries if e.pk not in realised)
    return {"entries": entries, "realised": realised, "counted": counted,
            "rate": round(100.0 * counted / case.value_lost, 2) if case.value_lost else None}


@never_cache
@login_required
@permission_required("cases.view_case", raise_exception=True)
@one_calendar()
def case_detail(request, pk: int, *, forms=None, status=200):
    """The case page. Each action offered is a closed panel whose form is fetched when it is
    opened (`case_action_form`): rendering every offered form's widgets took two thirds of the
    page's time. A form that failed is shown in place, open, with its errors."""
    case = _get(request, pk)
    if request.method == "GET":
        s.case_seen(user=request.user, case=case)
    today = timezone.localdate()
    accused = list(case.accused.select_related("case", "case__investigation_body",
                                                "case__procuracy", "case__court")
                   .prefetch_related("charges__offence", "charges__clause").order_by("position"))
    identities = s.accused_identities(actor=request.user, accused=accused, purpose="case page")
    measures = list(case.measures.select_related("accused", "ordered_by_unit")
                    .prefetch_related("extension_rows").order_by("-released_on", "due_date"))
    for m in measures:
        s.measure_checked(m)  # the law's limit, never a later stored one (finding 14)
        m.alert_level = m.alert(timezone.now())
    entries = list(case.recoveries.select_related("realises").order_by("on", "id"))
    timeline = _timeline(case)
    actions = case_actions(request.user, case, accused=accused, measures=measures)
    pending_measure = MeasureExtension.objects.filter(
        measure__case=case, state=MeasureExtension.State.PENDING).select_related(
        "measure", "measure__accused", "requested_by")
    prosecutes = user_has_perm_in_unit(request.user, "cases.prosecute", case.procuracy)
    tries = case.court is not None and user_has_perm_in_unit(request.user, "cases.try_case",
                                                             case.court)
    # Detention for trial is the court's to extend (Art. 278); the rest the procuracy's.
    pending_measure = [r for r in pending_measure
                       if (tries if s.MEASURE_AGENCY[r.measure.kind] == "court" else prosecutes)]
    forms = dict(forms or {})
    for name in ("extension_decision", "measure_extension_decision"):  # shown in place
        if name not in forms and (name in actions if name == "extension_decision"
                                  else pending_measure):
            forms[name] = _form(case, name)
    groups = CriminalGroup.objects.filter(
        members__person_index__in=[a.person_index for a in accused]).distinct()
    return render(request, "cases/case_detail.html", {
        "case": case, "today": today, "actions": actions, "strip": _strip(case),
        "holder": _holder(case),
        "forms": forms,
        "offered": [(name, title, forms.get(name)) for name, title in ACTION_TITLES.items()
                    if name in actions],
        "accused": [(a, identities.get(a.pk)) for a in accused],
        "case_charges": case.charges.filter(accused__isnull=True).select_related("offence",
                                                                                 "clause"),
        "clocks": _clocks(case, measures, today), "measures": measures,
        "appeals": case.appeals.select_related("accused"),
        "referrals": case.referrals.select_related("from_unit", "to_unit", "sent_by",
                                                   "received_by"),
        "extensions": case.extensions.select_related("requested_by", "decided_by"),
        "pending_measure": pending_measure,
        "ledger": _ledger(case, entries), "timeline": timeline,
        "linked": linked_cases(user=request.user, case=case), "groups": groups,
        "alert_labels": ALERT_LABELS,
        "show_ledger": bool(entries) or case.value_lost is not None
        or case.crime_group in ("corruption", "economic"),
    }, status=status)


def _call(action: str, request, case: Case, d: dict):  # noqa: C901 - one dispatch table
    u = request.user
    on = d.get("on")
    if action == "assign":
        return s.case_assign(actor=u, case=case, investigator=d["investigator"], note=d["note"])
    if action == "add_accused":
        person = s.Person(name=d["name"], sex=d["sex"], personal_id=d["personal_id"],
                          birth_date=d["birth_date"], residence=d["residence"])
        return s.accused_add(actor=u, case=case, person=person, is_lead=d["is_lead"],
                             charges=[s.ChargeInput(a, c) for a, c in d["charges"]],
                             charged_on=d["charged_on"])
    if action == "charge":
        return s.accused_charge(actor=u, accused=d["accused"], article=d["article"],
                                clause=d["clause"])
    if action == "set_lead":
        return s.accused_set_lead(actor=u, accused=d["accused"])
    if action == "detect":
        return s.case_detect(actor=u, case=case, on=on, method=d["method"], note=d["note"])
    if action == "request_extension":
        return s.case_request_extension(actor=u, case=case, reason=d["reason"], on=on,
                                        record_late=d["record_late"])
    if action == "extension_decision":
        return s.case_extension_decide(actor=u, request=pending_request(case.extensions),
                                       approve=d["approve"],
                                       note=d["note"], on=on, granted_level=d["granted_level"],
                                       authority_document=d["authority_document"],
                                       record_late=d["record_late"])
    if action == "extend":
        return s.case_extend(actor=u, case=case, reason=d["reason"], on=on,
                             record_late=d["record_late"])
    if action in ("suspend", "prosecution_suspend"):
        fn = s.case_suspend if action == "suspend" else s.case_prosecution_suspend
        return fn(actor=u, case=case, ground=d["ground"], decision_number=d["decision_number"],
                  note=d["note"], on=on)
    if action in ("resume", "prosecution_resume"):
        fn = s.case_resume if action == "resume" else s.case_prosecution_resume
        return fn(actor=u, case=case, decision_number=d["decision_number"], note=d["note"], on=on)
    if action == "conclude":
        return s.case_conclude(actor=u, case=case, document_number=d["document_number"],
                               note=d["note"], on=on)
    if action == "terminate":
        return s.case_terminate(actor=u, case=case, ground=d["ground"],
                                decision_number=d["decision_number"], note=d["note"], on=on)
    if action in ("receive", "accept", "receive_returned"):
        fn = {"receive": s.case_receive, "accept": s.case_accept,
              "receive_returned": s.case_receive_returned}[action]
        return fn(actor=u, case=case, on=on)
    if action == "indict":
        return s.case_indict(actor=u, case=case, document_number=d["document_number"],
                             court=d["court"], note=d["note"], on=on)
    if action == "return_for_investigation":
        return s.case_return(actor=u, case=case, decision_number=d["decision_number"],
                             reason=d["reason"], on=on)
    if action == "commit_to_trial":
        return s.case_commit_to_trial(actor=u, case=case, decision_number=d["decision_number"],
                                      trial_on=d["trial_on"], force_majeure=d["force_majeure"],
                                      on=on)
    if action == "open_trial":
        return s.case_open_trial(actor=u, case=case, note=d["note"], on=on)
    if action == "judgment":
        return s.case_judgment(actor=u, case=case, judgment_number=d["judgment_number"],
                               summary=d["summary"], recovery_ordered=d["recovery_ordered"],
                               detain=[a.pk for a in d["detain"]],
                               acquitted=[a.pk for a in d["acquitted"]],
                               exempted=[a.pk for a in d["exempted"]], on=on)
    if action == "appeal":
        return appeals.case_appeal(actor=u, case=case, appellant=d["appellant"],
                                   document_number=d["document_number"], grounds=d["grounds"],
                                   accused=d["accused"].pk if d["accused"] else None,
                                   late_reason=d["late_reason"], on=on)
    if action == "protest":
        return appeals.case_protest(actor=u, case=case,
                                    document_number=d["document_number"], grounds=d["grounds"],
                                    accused=d["accused"].pk if d["accused"] else None, on=on)
    if action == "decide_appeal":
        return appeals.appeal_decide(actor=u, appeal=d["appeal"], outcome=d["outcome"],
                                     decision_number=d["decision_number"], note=d["note"],
                                     reason=d["reason"], ground=d["ground"],
                                     acquitted=[a.pk for a in d["acquitted"]],
                                     retrial_at=d["retrial_at"], on=on)
    if action == "order_measure":
        return s.measure_order(actor=u, accused=d["accused"], kind=d["kind"],
                               order_number=d["order_number"],
                               start_on=_moment(d["start_on"], d["start_time"]))
    if action == "measure_request_extension":
        return s.measure_request_extension(actor=u, measure=d["measure"], reason=d["reason"],
                                           on=_moment(on, d["at_time"]),
                                           record_late=d["record_late"])
    if action == "measure_extension_decision":
        row = MeasureExtension.objects.filter(pk=d["request"], measure__case=case).first()
        if row is None:
            raise Http404
        return s.measure_extension_decide(
            actor=u, request=row, approve=d["approve"], note=d["note"],
            on=_moment(on or (timezone.localdate() if d["at_time"] else None), d["at_time"]),
            granted_level=d["granted_level"], authority_document=d["authority_document"],
            record_late=d["record_late"])
    if action == "release":
        return s.measure_release(actor=u, measure=d["measure"],
                                 released_on=_moment(d["released_on"], d["released_time"]),
                                 note=d["note"])
    if action == "set_value":
        return s.case_set_value(actor=u, case=case, value_lost=d["value_lost"], note=d["note"])
    if action == "record_recovery":
        return s.recovery_record(actor=u, case=case, kind=d["kind"], amount=d["amount"],
                                 on=d["on"], description=d["description"],
                                 realises=d["realises"])
    raise Http404


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    case = _get(request, pk)
    form = _form(case, action, request.POST)
    if form is None:
        raise Http404
    forms = {action: form}
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return case_detail(request, pk, forms=forms, status=400)
    try:
        _call(action, request, case, form.cleaned_data)
    except DomainError as exc:
        for field, errors in exc.details.items():
            if field in form.fields:
                form.add_error(field, errors)
        messages.error(request, exc.message)
        return case_detail(request, pk, forms=forms, status=exc.status)
    done = Case.objects.get(pk=pk)
    messages.success(request, _("%(action)s: case %(code)s, now %(stage)s.") % {
        "action": action_label(f"case.{action}"), "code": done.register_code,
        "stage": done.get_status_display()})
    return redirect("cases:detail", pk=pk)


@never_cache
@login_required
@permission_required("cases.view_case", raise_exception=True)
@one_calendar()
def case_action_form(request, pk: int, action: str):
    """One offered action's form: fetched into its panel on the case page when opened, or a
    page of its own (the panel's link, without JavaScript). It posts to `case_action`."""
    case = _get(request, pk)
    if action not in ACTION_TITLES:
        raise Http404
    accused = list(case.accused.order_by("position"))
    measures = list(case.measures.all())
    if action not in case_actions(request.user, case, accused=accused, measures=measures):
        raise PermissionDenied
    context = {"case": case, "name": action, "title": ACTION_TITLES[action],
               "form": _form(case, action)}
    if request.GET.get("partial"):
        return render(request, "cases/_action_form.html", context)
    return render(request, "cases/case_action.html", context)


# ----------------------------------------------------------------------------- detention

MEASURE_FIELDS = [f.name for f in Measure._meta.concrete_fields]


@never_cache
@login_required
@permission_required("cases.view_case", raise_exception=True)
@one_calendar()
def detention_list(request):
    """Everyone in custody or detention in the user's scope, soonest expiry first."""
    today = timezone.localdate()
    kind = request.GET.get("kind", "")
    if kind not in Measure.Kind.values:
        kind = ""
    # Every active row in scope is checked against the law's limit before it is counted,
    # ordered or paged: the tiles and the order never trust a stored limit (finding 14).
    now = timezone.now()
    in_scope = measure_list(user=request.user, kind=kind)
    # The check needs the measure and three fields of its case; identities, case texts and
    # units are read for the page's rows only (a province holds thousands: issue 23).
    measures = s.measures_checked(in_scope.select_related(None).select_related("case").only(
        *MEASURE_FIELDS, "case__crime_group", "case__clock_rule", "case__due_date"))
    alerts = {level: 0 for level in LEVELS}
    level_of = alert_levels(now)
    for m in measures:
        level = level_of(m.checked_expires_at) if m.active else ""
        if level in alerts:
            alerts[level] += 1
    page = Paginator(measures, 50).get_page(request.GET.get("page"))
    shown = [m.pk for m in page.object_list]
    full = {m.pk: m for m in in_scope.filter(pk__in=shown)}
    rows = [s.measure_checked(full[pk]) for pk in shown if pk in full]  # one released since
    pending = set(MeasureExtension.objects.filter(
        measure__in=[m.pk for m in rows], state=MeasureExtension.State.PENDING
    ).values_list("measure_id", flat=True))
    for m in rows:
        m.pending_request = m.pk in pending
        m.accused.case = m.case  # fetched with the row: no query per identity shown
    identities = s.accused_identities(actor=request.user, accused=[m.accused for m in rows],
                                      purpose="detention list")
    return render(request, "cases/detention_list.html", {
        "page": page, "rows": [(m, identities.get(m.accused_id), m.alert(now),
                                m.days_left(today), int(m.hours_past(now))) for m in rows],
        "today": today, "kind": kind, "kinds": Measure.Kind.choices, "alerts": alerts,
        "alert_labels": ALERT_LABELS,
    })


# ----------------------------------------------------------------------------- groups

def _group_units(user):
    return (units_in_scope(user).current()
            .filter(kind__in=[Unit.Kind.INVESTIGATION_BODY, Unit.Kind.POLICE_OFFICE])
            .order_by("name"))


@login_required
@permission_required("cases.view_case", raise_exception=True)
def group_index(request):
    status = request.GET.get("status", "")
    if status not in CriminalGroup.Status.values:
        status = ""
    dangerous = {"1": True, "0": False}.get(request.GET.get("dangerous", ""))
    groups = group_list(user=request.user, status=status, dangerous=dangerous,
                        query=request.GET.get("q", ""))
    if not isinstance(groups, list):
        groups, sort = sorted_by(request, groups, {
            "name": (_("name"), ("name", "pk")),
            "-updated": (_("last changed, newest first"), ("-updated_at", "-pk")),
            "-created": (_("entered, newest first"), ("-created_at", "-pk"))})
    else:
        sort = None
    page = Paginator(groups, 50).get_page(request.GET.get("page"))
    return render(request, "cases/group_list.html", {
        "page": page, "sort": sort, "status": status, "dangerous": request.GET.get("dangerous", ""),
        "statuses": CriminalGroup.Status.choices,
        "can_manage": request.user.has_perm("cases.manage_group"),
    })


@never_cache
@login_required
@permission_required("cases.manage_group", raise_exception=True)
def group_proposals(request):
    proposals = propose_groups(user=request.user)[:30]
    people = [a for p in proposals for a in p.people]
    identities = s.accused_identities(actor=request.user, accused=people,
                                      purpose="group proposals")
    return render(request, "cases/group_proposals.html", {
        "proposals": [(p, [(a, identities.get(a.pk)) for a in p.people]) for p in proposals],
        "form": f.GroupForm(units=_group_units(request.user)),
    })


def _visible_accused(user, ids: list[int]) -> list[Accused]:
    return list(Accused.objects.filter(pk__in=ids, case__in=case_scope(user).values("pk"))
                .select_related("case"))


@login_required
@require_POST
@permission_required("cases.manage_group", raise_exception=True)
def group_new(request):
    form = f.GroupForm(request.POST, units=_group_units(request.user))
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return redirect("cases:group_proposals")
    d = form.cleaned_data
    try:
        group = s.group_create(actor=request.user, unit=d["unit"], name=d["name"],
                               dangerous=d["dangerous"], status=d["status"], note=d["note"],
                               members=_visible_accused(request.user, d["accused"]))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("cases:group_proposals")
    messages.success(request, _("Group entered in the register."))
    return redirect("cases:group_detail", pk=group.pk)


def _group(request, pk: int) -> CriminalGroup:
    group = group_scope(request.user).filter(pk=pk).select_related("unit").first()
    if group is None:
        raise Http404
    return group


@never_cache
@login_required
@permission_required("cases.view_case", raise_exception=True)
def group_detail(request, pk: int):
    group = _group(request, pk)
    members = list(group.members.select_related("accused", "accused__case",
                                                "accused__case__investigation_body",
                                                "accused__case__procuracy",
                                                "accused__case__court"))
    identities = s.accused_identities(actor=request.user, accused=[m.accused for m in members],
                                      purpose="group register")
    timeline = (AuditEvent.objects.filter(object_type="cases.criminalgroup",
                                          object_id=str(group.pk))
                .select_related("actor").order_by("at", "id"))
    can_manage = user_has_perm_in_unit(request.user, "cases.manage_group", group.unit)
    return render(request, "cases/group_detail.html", {
        "group": group, "members": [(m, identities.get(m.accused_id)) for m in members],
        "cases": group_cases(user=request.user, group=group)[:200], "timeline": timeline,
        "can_manage": can_manage,
        "update_form": f.GroupUpdateForm(initial={"status": group.status,
                                                  "dangerous": group.dangerous,
                                                  "note": group.note}),
        "member_form": f.MemberForm(),
    })


@login_required
@require_POST
def group_action(request, pk: int, action: str):
    group = _group(request, pk)
    try:
        if action == "update":
            form = f.GroupUpdateForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("Please correct the errors below."))
            d = form.cleaned_data
            leaders = {int(x) for x in request.POST.getlist("leaders") if x.isdigit()}
            s.group_update(actor=request.user, group=group, status=d["status"],
                           dangerous=d["dangerous"], note=d["note"],
                           leaders=leaders if "leaders_sent" in request.POST else None)
        elif action == "add_member":
            form = f.MemberForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("Please correct the errors below."))
            d = form.cleaned_data
            accused = Accused.objects.filter(
                case__in=case_scope(request.user).filter(pk=d["case"]).values("pk"),
                position=d["position"]).first()
            if accused is None:
                raise DomainError("not_found", _("No such accused in a case you can see."))
            s.group_add_member(actor=request.user, group=group, accused=accused,
                               is_leader=d["is_leader"])
        elif action == "remove_member":
            member = GroupMember.objects.filter(group=group, pk=request.POST.get("member")).first()
            if member is None:
                raise Http404
            s.group_remove_member(actor=request.user, member=member,
                                  note=request.POST.get("note", ""))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("cases:group_detail", pk=group.pk)
