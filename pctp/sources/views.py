"""Pages for crime sources. Each view: fetch through a selector, validate, call one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pctp.core.deadlines import is_overdue
from pctp.core.errors import DomainError
from pctp.core.extensions import pending_request
from pctp.core.labels import action_label
from pctp.core.models import AuditEvent, User
from pctp.core.paging import CappedPaginator
from pctp.law.services import deadline
from pctp.sources import forms as f
from pctp.sources import services as s
from pctp.sources.models import OPEN_STATUSES, Source, Status
from pctp.sources.selectors import (
    QUEUES,
    duplicate_candidates,
    source_caseloads,
    source_get,
    source_list,
)
from pctp.sources.transitions import may_attach, source_actions
from pctp.units.models import Commune, Unit
from pctp.units.selectors import units_in_scope, user_has_perm_in_unit

QUEUE_LABELS = {
    "mine": gettext_lazy("Assigned to me"), "unit": gettext_lazy("My unit's"), "due_soon": gettext_lazy("Due within 5 days"),
    "overdue": gettext_lazy("Overdue"), "procuracy": gettext_lazy("Awaiting the procuracy"),
    "incoming": gettext_lazy("Transferred to us"), "all": gettext_lazy("All"),
    "unassigned": gettext_lazy("Not yet assigned"),
    "unclassified": gettext_lazy("Awaiting classification"),
}


def _get(request, pk: int) -> Source:
    try:
        return source_get(user=request.user, pk=pk)
    except Source.DoesNotExist:
        raise Http404 from None


@login_required
@permission_required("sources.view_source", raise_exception=True)
def source_index(request):
    queue = request.GET.get("queue", "mine" if request.user.has_perm("sources.verify_source")
                            else "unit")
    if queue not in QUEUES:
        queue = "all"
    form = f.FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sources = source_list(
        user=request.user, queue=queue, kind=filters.get("kind", ""),
        channel=filters.get("channel", ""), commune=filters.get("commune", ""),
        group=filters.get("group", ""), status=filters.get("status", ""),
        date_from=filters.get("date_from"), date_to=filters.get("date_to"),
        query=filters.get("q", ""))
    if filters.get("sort") in f.FilterForm.ORDER:  # kept in the URL with the other filters
        sources = sources.order_by(*f.FilterForm.ORDER[filters["sort"]])
    # Every list counts up to the cap: an exact count of a body's or a procuracy's
    # hundreds of thousands of sources cost each page 350 ms to 5 s (decision 76).
    paginator = CappedPaginator(sources, 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "sources/source_list.html", {
        "page": page, "queue": queue, "queues": [(q, str(QUEUE_LABELS[q])) for q in QUEUES],
        "form": form, "today": timezone.localdate(),
        "can_receive": request.user.has_perm("sources.receive_source"),
    })


def _receive_units(user):
    return (units_in_scope(user).current()
            .filter(kind__in=[Unit.Kind.COMMUNE_POLICE, Unit.Kind.INVESTIGATION_BODY])
            .order_by("name"))


@login_required
@permission_required("sources.receive_source", raise_exception=True)
def source_new(request):
    units = _receive_units(request.user)
    province_ids = units.values("province")
    communes = Commune.objects.filter(province__in=province_ids).order_by("name")
    form = f.ReceiveForm(request.POST or None, units=units, communes=communes)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        reporter = s.Reporter(type=d["reporter_type"], name=d["reporter_name"],
                              personal_id=d["reporter_personal_id"],
                              contact=d["reporter_contact"], agency=d["reporter_agency"],
                              confidential=d["confidential"])
        try:
            source = s.source_receive(
                actor=request.user, unit=d["unit"], kind=d["kind"], channel=d["channel"],
                summary=d["summary"], content=d["content"], reporter=reporter,
                received_at=d["received_at"], occurred_at=d["occurred_at"],
                commune=d["commune"], address=d["address"], lat=d["lat"], lon=d["lon"],
                client_token=d["client_token"] or None)
        except DomainError as exc:
            for field, errors in exc.details.items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.details:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Entered in the register as %(code)s.")
                             % {"code": source.register_code})
            return redirect("sources:detail", pk=source.pk)
    return render(request, "sources/source_new.html", {"form": form})


def _clocks(source: Source) -> list[dict]:
    today = timezone.localdate()
    now = timezone.now()
    clocks = []
    if source.forward_due and source.forwarded_at is None and source.status == Status.RECEIVED:
        clocks.append({"label": _("Pass on to the investigation body (24 h, 48 h remote)"),
                       "due": timezone.localtime(source.forward_due),
                       "late": is_overdue(source.forward_due, now),
                       "basis": "TTLT 01/2017"})
    if source.status == Status.RECEIVED and source.holder.kind != Unit.Kind.COMMUNE_POLICE:
        due = source.holder_received_at + timezone.timedelta(hours=s.CLASSIFY_HOURS)
        clocks.append({"label": _("Classify (24 h)"), "due": timezone.localtime(due),
                       "late": is_overdue(due, now), "basis": "TTLT 01/2017"})
    if source.notice_due and source.procuracy_notified_at is None and source.status in OPEN_STATUSES:
        clocks.append({"label": _("Receipt notice to the procuracy (3 working days)"),
                       "due": source.notice_due, "late": is_overdue(source.notice_due, today),
                       "basis": "BLTTHS Điều 146; TTLT 01/2017"})  # i18n: data (the law's citation)
    if source.status in OPEN_STATUSES:
        result = deadline(source.clock_rule, start=source.clock_start, extensions=source.extensions)
        clocks.append({"label": result.rule.title, "due": source.due_date,
                       "late": is_overdue(source.due_date, today), "basis": result.basis,
                       "days_left": (source.due_date - today).days, "result": result})
    return clocks


def _assignable(source: Source):
    members = (User.objects.filter(memberships__unit__path__startswith=source.holder.path,
                                   memberships__valid_to__isnull=True,
                                   memberships__role__code__in=["investigator", "unit_leader"])
               .distinct().order_by("full_name"))
    return members


def _assign_form(source: Source, actions: set[str], data=None):
    people = _assignable(source)
    loads = (source_caseloads([u.pk for u in people]) if "assign" in actions else {})
    return f.AssignForm(data, people=people, loads=loads)


def _forms(source: Source, actions: set[str], data=None) -> dict:
    transfer_units = Unit.objects.current().filter(
        province=source.holder.province,
        kind__in=[Unit.Kind.INVESTIGATION_BODY, Unit.Kind.COMMUNE_POLICE]).exclude(pk=source.holder_id)
    return {
        "classify": f.ClassifyForm(data), "reclassify": f.ReclassifyForm(data),
        "transfer": f.TransferForm(data, units=transfer_units),
        "assign": _assign_form(source, actions, data), "note": f.TextForm(data),
        "extend": f.ExtendForm(data), "request_extension": f.ReasonForm(data),
        "initiate": f.InitiateForm(data), "decline": f.DeclineForm(data),
        "suspend": f.SuspendForm(data), "merge": f.MergeForm(data),
        "cancel_suspension": f.TextForm(data), "resume": f.TextForm(data),
        "cancel_decline": f.CancelDeclineForm(data),
        "extension_decision": f.ExtensionDecisionForm(data),
    }


@login_required
@permission_required("sources.view_source", raise_exception=True)
def source_detail(request, pk: int, *, forms=None, status=200):
    source = _get(request, pk)
    if request.method == "GET":
        s.source_seen(user=request.user, source=source)
    actions = source_actions(request.user, source)
    timeline = (AuditEvent.objects.filter(object_type="sources.source", object_id=str(source.pk))
                .select_related("actor").order_by("at", "id"))
    duplicates = (duplicate_candidates(user=request.user, source=source)
                  if "merge" in actions else [])
    return render(request, "sources/source_detail.html", {
        "source": source, "actions": actions, "forms": forms or _forms(source, actions),
        "can_attach": may_attach(request.user, source),
        # The holder's officers enter fraud indicators (the portal's service checks the same).
        "handles": any(user_has_perm_in_unit(request.user, perm, source.holder)
                       for perm in ("sources.verify_source", "sources.classify_source")),
        "clocks": _clocks(source), "timeline": timeline, "notes": source.notes.select_related("author"),
        "requests": source.extension_requests.select_related("requested_by", "decided_by"),
        "duplicates": duplicates,
        "can_view_identity": s.can_view_identity(request.user, source),
    }, status=status)


def _call(action: str, request, source: Source, d: dict):
    user = request.user
    if action == "forward":
        return s.source_forward(actor=user, source=source)
    if action == "classify":
        return s.source_classify(actor=user, source=source, article=d["article"],
                                 clause=d["clause"], urgent=d["urgent"], note=d["note"])
    if action == "reclassify":
        return s.source_reclassify(actor=user, source=source, article=d["article"],
                                   clause=d["clause"], reason=d["reason"])
    if action == "transfer":
        return s.source_transfer(actor=user, source=source, to_unit=d["to_unit"], reason=d["reason"])
    if action == "accept_transfer":
        return s.source_accept_transfer(actor=user, source=source)
    if action == "assign":
        return s.source_assign(actor=user, source=source, investigator=d["investigator"],
                               note=d["note"])
    if action == "note":
        return s.source_note(actor=user, source=source, text=d["text"])
    if action in ("notify_procuracy", "notify_reporter"):
        return s.source_notify(actor=user, source=source, recipient=action.split("_")[1])
    if action == "extend":
        return s.source_extend(actor=user, source=source, reason=d["reason"],
                               record_late=d["record_late"])
    if action == "request_extension":
        return s.source_request_extension(actor=user, source=source, reason=d["reason"])
    if action == "initiate":
        return s.source_initiate(actor=user, source=source, decision_number=d["decision_number"],
                                 note=d["note"])
    if action == "decline":
        return s.source_decline(actor=user, source=source, ground=d["ground"],
                                decision_number=d["decision_number"], note=d["note"])
    if action == "suspend":
        return s.source_suspend(actor=user, source=source, ground=d["ground"],
                                decision_number=d["decision_number"], note=d["note"])
    if action == "cancel_decline":
        return s.source_cancel_decline(actor=user, source=source,
                                       decision_number=d["decision_number"], note=d["note"],
                                       on=d["on"])
    if action == "cancel_suspension":
        return s.source_cancel_suspension(actor=user, source=source, note=d["text"])
    if action == "resume":
        return s.source_resume(actor=user, source=source, note=d["text"])
    if action == "merge":
        try:
            into = source_get(user=user, pk=d["into"])
        except Source.DoesNotExist:
            raise DomainError("not_found", _("No source with that id in your scope.")) from None
        return s.source_merge(actor=user, source=source, into=into, note=d["note"])
    if action == "extension_decision":
        return s.extension_decide(actor=user, request=pending_request(source.extension_requests),
                                  approve=d["approve"],
                                  note=d["note"], record_late=d["record_late"])
    raise Http404


NO_FORM = {"forward", "accept_transfer", "notify_procuracy", "notify_reporter"}


@login_required
@require_POST
def source_action(request, pk: int, action: str):
    source = _get(request, pk)
    forms = _forms(source, set(), request.POST)
    form = None if action in NO_FORM else forms.get(action)
    if action not in NO_FORM and form is None:
        raise Http404
    if form is not None and not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return source_detail(request, pk, forms=forms, status=400)
    try:
        result = _call(action, request, source, form.cleaned_data if form else {})
    except DomainError as exc:
        if form is not None:
            for field, errors in exc.details.items():
                if field in form.fields:
                    form.add_error(field, errors)
        messages.error(request, exc.message)
        return source_detail(request, pk, forms=forms, status=exc.status)
    target = result.pk if isinstance(result, Source) and action == "accept_transfer" else pk
    done = Source.objects.select_related("holder", "assignee").get(pk=target)
    # Say what was done, to which record, and where it is now (issue 17), not "Done.".
    messages.success(request, _("%(action)s: source %(code)s, now %(status)s at %(holder)s.")
                     % {"action": action_label(f"source.{action}"), "code": done.register_code,
                        "status": done.get_status_display(), "holder": done.holder.name}
                     + (" " + _("Investigator: %(name)s.") % {"name": done.assignee.display_name}
                        if action == "assign" and done.assignee else ""))
    return redirect("sources:detail", pk=target)


@never_cache
@login_required
def source_identity(request, pk: int):
    source = _get(request, pk)
    try:
        identity = s.source_reporter_identity(actor=request.user, source=source,
                                              purpose=request.GET.get("purpose", "")[:200])
    except DomainError:
        return render(request, "errors/403.html", status=403)
    return render(request, "sources/source_identity.html", {"source": source, "identity": identity})


@login_required
@permission_required("sources.view_source", raise_exception=True)
def source_document(request, pk: int, which: str):
    from pctp.sources import documents

    source = _get(request, pk)
    identity = None
    if which == "receipt":
        # A confidential reporter's identity is never printed in a document that leaves the system.
        if (not source.confidential and source.reporter_identity
                and s.can_view_identity(request.user, source)):
            identity = s.source_reporter_identity(actor=request.user, source=source,
                                                  purpose="receipt record")
        content = documents.receipt_record_docx(source, actor=request.user, identity=identity)
    elif which in ("notice-procuracy", "notice-reporter"):
        recipient = which.split("-")[1]
        if (recipient == "reporter" and not source.confidential and source.reporter_identity
                and s.can_view_identity(request.user, source)):
            identity = s.source_reporter_identity(actor=request.user, source=source,
                                                  purpose="receipt notice")
        content = documents.receipt_notice_docx(source, recipient=recipient, identity=identity)
    else:
        raise Http404
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-"
                                                  "officedocument.wordprocessingml.document")
    response["Content-Disposition"] = (f'attachment; filename="nguon-tin-{source.pk}-{which}.docx"')
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def source_attach(request, pk: int):
    source = _get(request, pk)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Choose a file to attach."))
        return redirect("sources:detail", pk=pk)
    try:
        s.source_attach(actor=request.user, source=source, uploaded=uploaded)
    except DomainError as exc:
        messages.error(request, exc.message)
        return source_detail(request, pk, status=exc.status)
    messages.success(request, _("Document attached."))
    return redirect("sources:detail", pk=pk)


@login_required
@permission_required("sources.view_source", raise_exception=True)
def attachment_download(request, pk: int, attachment_id: int):
    from django.http import FileResponse

    source = _get(request, pk)
    attachment = source.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type,
                            as_attachment=True, filename=attachment.name)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
