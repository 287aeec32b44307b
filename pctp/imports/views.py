"""The import wizard: upload, choose the sheet, header row and columns, check (dry run),
import; with the progress of each and the refused rows to download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pctp.core.errors import DomainError
from pctp.imports import services as s
from pctp.imports.forms import ColumnsForm, UploadForm, column_letter
from pctp.imports.kinds import KINDS
from pctp.imports.models import ImportJob

EXPORT_NAMES = {"sources": "so-thu-ly-nguon-tin", "cases": "so-thu-ly-vu-an",
                "measures": "so-tam-giu-tam-giam", "recoveries": "bang-thu-hoi-tai-san"}
# Where the imported records are read, per register.
RESULT_PAGES = {"sources": "/sources/?channel=register", "cases": "/cases/",
                "measures": "/cases/detention/", "recoveries": "/cases/",
                "incidents": "/analytics/files/"}


def _kinds(user) -> list[str]:
    return [k for k in KINDS if s.may_import(user, k)]


def _guard(request) -> list[str]:
    kinds = _kinds(request.user)
    if not kinds:
        raise PermissionDenied
    return kinds


def _job(request, pk: int) -> ImportJob:
    _guard(request)
    job = get_object_or_404(ImportJob, pk=pk)
    if not (request.user.is_superuser or job.created_by_id == request.user.pk):
        raise Http404
    return job


@never_cache
@login_required
def index(request):
    kinds = _guard(request)
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # A large file is on disk already (Django's temporary upload): read from there, in
        # chunks, never whole into the server's memory.
        where = ({"path": upload.temporary_file_path()}
                 if hasattr(upload, "temporary_file_path") else {"data": upload.read()})
        try:
            with transaction.atomic():
                job = s.job_create(actor=request.user, kind=form.cleaned_data["kind"],
                                   name=upload.name, encoding=form.cleaned_data["encoding"]
                                   or "auto", **where)
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("imports:detail", pk=job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user)[:50] \
        if not request.user.is_superuser else ImportJob.objects.all()[:50]
    return render(request, "imports/index.html", {"form": form, "jobs": jobs,
                                                  "kinds": [KINDS[k] for k in kinds]})


def _columns_form(job, data=None):
    sheets, rows, labels = s.preview_of(job)
    initial = {"sheet": job.sheet, "header_row": job.header_row or 1,
               "mapping": job.mapping_id,
               **{f"col_{k}": str(i) for k, i in job.columns.items()}}
    form = ColumnsForm(data, initial=initial, job=job, sheets=sheets, labels=labels)
    width = max((len(r) for r in rows), default=0)
    preview = [(n, [_shown(r[i]) if i < len(r) else "" for i in range(width)])
               for n, r in enumerate(rows, start=1)]
    return form, preview, [column_letter(i) for i in range(width)]


def _shown(cell) -> str:
    """A cell as the spreadsheet shows it: 125 not 125.0, dates as dd/mm/yyyy."""
    from datetime import date, datetime

    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return f"{cell:%d/%m/%Y %H:%M}" if (cell.hour, cell.minute) != (0, 0) else f"{cell:%d/%m/%Y}"
    if isinstance(cell, date):
        return f"{cell:%d/%m/%Y}"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


@never_cache
@login_required
def detail(request, pk: int):
    job = _job(request, pk)
    context = {"job": job, "kind": KINDS[job.kind], "result_page": RESULT_PAGES.get(job.kind),
               "progress_url": reverse("imports:progress", args=[job.pk])}
    context["file_missing"] = s.file_missing(job)
    if job.state == ImportJob.State.UPLOADED or request.GET.get("step") == "columns":
        if not job.busy and job.state != ImportJob.State.DONE and not context["file_missing"]:
            form, preview, letters = _columns_form(job)
            context.update(form=form, preview=preview, letters=letters, step="columns")
    issues = job.issues.all()
    context["issues"] = issues[:500]
    context["n_issues"] = issues.count() if job.state != ImportJob.State.UPLOADED else 0
    context["n_rows"] = issues.values("row").distinct().count() if context["n_issues"] else 0
    return render(request, "imports/detail.html", context)


@login_required
@require_POST
def configure(request, pk: int):
    job = _job(request, pk)
    if s.file_missing(job):
        messages.error(request, _("The file of this import has been deleted: "
                                  "upload it again."))
        return redirect("imports:detail", pk=job.pk)
    if job.sheet and request.POST.get("sheet") and request.POST["sheet"] != job.sheet:
        # Another sheet: its header and columns are found again before anything is chosen.
        try:
            s.job_pick_sheet(actor=request.user, job=job, sheet=request.POST["sheet"])
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{reverse('imports:detail', args=[job.pk])}?step=columns")
    form, preview, letters = _columns_form(job, request.POST)
    if form.is_valid():
        try:
            s.job_configure(actor=request.user, job=job, sheet=form.cleaned_data["sheet"],
                            header_row=form.cleaned_data["header_row"],
                            columns=None if form.cleaned_data["mapping"] else form.columns(),
                            mapping=form.cleaned_data["mapping"],
                            save_as=form.cleaned_data["save_as"])
            s.job_queue(actor=request.user, job=job, what="check")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("imports:detail", pk=job.pk)
    return render(request, "imports/detail.html", {
        "job": job, "kind": KINDS[job.kind], "form": form, "preview": preview,
        "letters": letters, "step": "columns", "issues": [], "n_issues": 0,
        "progress_url": reverse("imports:progress", args=[job.pk])}, status=400)


@login_required
@require_POST
def commit(request, pk: int):
    job = _job(request, pk)
    try:
        s.job_queue(actor=request.user, job=job, what="run")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def delete_file(request, pk: int):
    job = _job(request, pk)
    try:
        s.job_delete_file(actor=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The uploaded file has been deleted; the report stays."))
    return redirect("imports:detail", pk=job.pk)


@never_cache
@login_required
def progress(request, pk: int):
    job = _job(request, pk)
    finished = not job.busy
    return JsonResponse({"id": job.pk, "status": "done" if finished else "running",
                         "state": job.state, "progress": job.progress,
                         "rows": job.next_row, "checked": job.checked})


@never_cache
@login_required
def rejected(request, pk: int):
    job = _job(request, pk)
    response = HttpResponse(s.rejected_xlsx(job), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    if KINDS[job.kind].personal_data:
        from pctp.core.audit import access_record
        from pctp.core.models import AccessLog

        access_record(actor=request.user, obj=job, fields="refused rows",
                      purpose="import report", kind=AccessLog.Kind.EXPORT)
    response["Content-Disposition"] = f'attachment; filename="dong-bi-tu-choi-{job.pk}.xlsx"'
    return response


@never_cache
@login_required
def export(request, kind: str):
    """The register in the import's column layout (to round-trip), for the user's scope."""
    kinds = _guard(request)
    if kind not in kinds or not KINDS[kind].exports:
        raise Http404
    year = request.GET.get("year", "")
    if year and not (year.isdigit() and 1990 <= int(year) <= 2100):
        return HttpResponse(_("The year must be written as four digits."), status=400,
                            content_type="text/plain; charset=utf-8")
    data, count = KINDS[kind].export(request.user, int(year) if year else None)
    name = f"{EXPORT_NAMES.get(kind, kind)}-{year or 'tat-ca'}.xlsx"
    response = HttpResponse(data, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
