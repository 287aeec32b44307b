"""The quality page: every indicator over the period and scope, with its definition, the
alerts first; an indicator's page with its breakdown by unit and by investigator and the
records behind each number."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pctp.core.errors import DomainError, PermissionRefused
from pctp.kpi import records as kpi_records
from pctp.kpi.selectors import period_choices
from pctp.quality import selectors as q

PAGE = 200


def _req(request):
    if not q.may_view(request.user):
        raise PermissionDenied
    try:
        return q.resolve(request.user, period=request.GET.get("period") or None,
                         unit=request.GET.get("unit") or None), None
    except PermissionRefused:
        raise PermissionDenied from None
    except DomainError as exc:
        return None, exc.message


def _periods(req) -> list[tuple[str, str]]:
    """The picker's periods, with the one asked for even when it is not among them."""
    choices = period_choices(timezone.localdate())
    if req is not None and req.period.key not in dict(choices):
        choices = [(req.period.key, req.period.name), *choices]
    return choices


@never_cache
@login_required
def index(request):
    req, error = _req(request)
    from pctp.quality.services import may_review

    context = {"periods": _periods(req), "error": error, "may_review": may_review(request.user)}
    if req is not None:
        figs = q.figures(req)
        context.update(req=req, figures=figs,
                       alerts=[f for f in figs if f.indicator.kind == "alert"
                               and f.result.numerator])
    return render(request, "quality/index.html", context, status=400 if error else 200)


@never_cache
@login_required
def detail(request, code: str):
    req, error = _req(request)
    if req is None:
        return render(request, "quality/index.html", {"error": error,
                                                      "periods": period_choices(
                                                          timezone.localdate())}, status=400)
    try:
        fig = q.figure(req, code)
    except DomainError:
        raise Http404 from None
    part = request.GET.get("part", "numerator")
    if part not in ("numerator", "denominator"):
        part = "numerator"
    qs = q.records(fig, part)
    cols = kpi_records.columns_for(qs)
    total = qs.count()
    rows = list(kpi_records.rows(qs[:PAGE]))
    return render(request, "quality/detail.html", {
        "req": req, "fig": fig, "by_unit": q.breakdown(fig, "unit"),
        "by_person": q.breakdown(fig, "person"),
        "by_reason": q.breakdown(fig, "reason") if fig.indicator.by_reason else None,
        "part": part, "headers": cols.headers,
        "rows": rows, "total": total, "shown": min(total, PAGE),
        "periods": _periods(req)})


@never_cache
@login_required
def stages(request):
    """Time in each stage against its limit, per unit; a row opens its stretches."""
    req, error = _req(request)
    context = {"periods": _periods(req), "error": error}
    if req is not None:
        context.update(req=req, table=q.stage_table(req), min_records=q.MIN_STAGE_RECORDS)
        stage = request.GET.get("stage")
        if stage:
            holder = request.GET.get("holder")
            try:
                unit = int(holder) if holder else None
                rows = q.stage_records(req, stage, unit)
            except (ValueError, DomainError):
                raise Http404 from None
            context.update(stage=stage, stage_label=q.stage_labels()[stage],
                           stage_rows=rows[:PAGE], stage_total=len(rows), holder=unit)
    return render(request, "quality/stages.html", context, status=400 if error else 200)
