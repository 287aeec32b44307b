"""The reports' pages: the list with the form to generate one, a report's page (progress,
files, figures, signature) and the downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pctp.core.errors import DomainError
from pctp.kpi import selectors as kpi_selectors
from pctp.reporting import documents
from pctp.reporting import services as s
from pctp.reporting.forms import ReportForm
from pctp.reporting.models import Report
from pctp.reporting.types import TYPES

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _guard(request) -> None:
    if not (request.user.is_superuser or request.user.has_perm("kpi.view_kpi")):
        raise PermissionDenied


def _kinds(user) -> list[str]:
    if not s.may_generate(user):
        return []
    wide = kpi_selectors.is_province_wide(user)
    return [k for k, t in TYPES.items() if t.scope == "unit" or wide]


def _form(request, data=None):
    today = timezone.localdate()
    province = kpi_selectors.user_province(request.user)
    units = [(u.code, u.name) for u in kpi_selectors.unit_choices(request.user, province)]
    return ReportForm(data, kinds=_kinds(request.user),
                      periods=kpi_selectors.period_choices(today), units=units)


@never_cache
@login_required
def index(request):
    _guard(request)
    form = _form(request, request.POST or None)
    if request.method == "POST":
        if not _kinds(request.user):
            raise PermissionDenied
        if form.is_valid():
            c = form.cleaned_data
            try:
                report = s.report_request(actor=request.user, kind=c["kind"],
                                          period=c["period"], unit=c["unit"] or None,
                                          number=c["number"], signer_name=c["signer_name"],
                                          signer_title=c["signer_title"],
                                          next_steps=c["next_steps"])
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                s.report_queue(report)
                return redirect("reporting:detail", pk=report.pk)
    reports = s.reports_for(request.user)[:100]
    return render(request, "reporting/index.html", {
        "form": form, "reports": reports, "may_generate": bool(_kinds(request.user)),
        "types": [TYPES[k] for k in TYPES]}, status=400 if form.errors else 200)


def _report(request, pk: int) -> Report:
    _guard(request)
    report = get_object_or_404(s.reports_for(request.user), pk=pk)
    return report


@never_cache
@login_required
def detail(request, pk: int):
    report = _report(request, pk)
    may_sign = report.state == Report.State.DONE and report.signed_at is None and \
        s.may_sign(request.user, report)
    versions = Report.objects.filter(kind=report.kind, plan=report.plan,
                                     period_key=report.period_key,
                                     scope_key=report.scope_key).order_by("-version")
    from pctp.kpi.registry import STATUS_LABELS

    figures = [_shown(f, STATUS_LABELS) for f in report.figures]
    return render(request, "reporting/detail.html", {
        "report": report, "figures": figures, "type": TYPES.get(report.kind), "may_sign": may_sign,
        "versions": versions, "may_generate": bool(_kinds(request.user)),
        "progress_url": reverse("reporting:progress", args=[report.pk])})


SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def _shown(f: dict, labels) -> dict:
    """A printed figure as the page shows it, in the reader's own number format."""
    from django.utils.translation import get_language

    from pctp.reporting.drafting import number

    english = (get_language() or "vi").startswith("en")

    def num(value, places=0):
        if value is None:
            return "–"
        if english:
            return f"{value:,.{places}f}"
        return number(round(value, places) if places else int(value), places)

    return {**f, "status_label": labels.get(f.get("status"), f.get("status")),
            "value_shown": num(f.get("value"), 1), "previous_shown": num(f.get("previous_value"), 1),
            "numerator_shown": num(f.get("numerator")), "denominator_shown": num(f.get("denominator")),
            "threshold_shown": f"{SIGNS.get(f.get('comparator'), '')} {num(f.get('threshold'), 1)}",
            "revised_shown": (f"{num(f.get('revised_value'), 1)} ({num(f.get('revised_numerator'))}"
                              f"/{num(f.get('revised_denominator'))})" if f.get("revised") else "—")}


@never_cache
@login_required
def progress(request, pk: int):
    report = _report(request, pk)
    status = "stalled" if report.stalled else "running" if report.busy else report.state
    return JsonResponse({"id": report.pk, "status": status, "state": report.state,
                         "progress": report.progress})


@login_required
@require_POST
def again(request, pk: int):
    """Generate the same report again: a new version, the archived one kept."""
    report = _report(request, pk)
    if not _kinds(request.user):
        raise PermissionDenied
    if report.busy and not report.stalled:  # a double click: one version at a time
        messages.error(request, _("This report is being generated; wait for it to end."))
        return redirect("reporting:detail", pk=report.pk)
    try:
        new = s.report_request(actor=request.user, kind=report.kind, plan=report.plan_id,
                               period=report.period_key,
                               unit=report.scope_key.split(":", 1)[1]
                               if report.scope_key.startswith("unit:") else None,
                               number=report.number, signer_name=report.signer_name,
                               signer_title=report.signer_title,
                               next_steps=report.next_steps)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:detail", pk=report.pk)
    s.report_queue(new)
    return redirect("reporting:detail", pk=new.pk)


@login_required
@require_POST
def sign(request, pk: int):
    report = _report(request, pk)
    try:
        s.report_sign(actor=request.user, report=report)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The report is recorded as signed."))
    return redirect("reporting:detail", pk=report.pk)


@never_cache
@login_required
def download(request, pk: int, what: str):
    report = _report(request, pk)
    field = getattr(report, what, None) if what in CONTENT_TYPES else None
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), content_type=CONTENT_TYPES[what],
                            as_attachment=what != "pdf",
                            filename=field.name.rsplit("/", 1)[-1])
    return response


@never_cache
@login_required
def template(request, kind: str):
    """The .docx template of a type in use (the province's own, or the default), to edit
    in Word."""
    _guard(request)
    rtype = TYPES.get(kind)
    if rtype is None:
        raise Http404
    response = HttpResponse(documents.template_for(rtype), content_type=CONTENT_TYPES["docx"])
    response["Content-Disposition"] = f'attachment; filename="mau-bao-cao-{kind}.docx"'
    return response
