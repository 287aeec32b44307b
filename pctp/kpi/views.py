"""The KPI dashboard pages: every target of the plan with its value, both counts, the
threshold, the status, last year's figure and a monthly trend; a page per target with its
breakdowns by unit and by commune (table and map); the records behind every number; the
accountability table of units and their heads; closing a period; .xlsx exports."""

from __future__ import annotations

import functools

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pctp.core.csp import PLOTLY_CSP
from pctp.core.dates import parse_day
from pctp.core.errors import DomainError, PermissionRefused
from pctp.core.replica import replica_view
from pctp.kpi import registry as kpi
from pctp.kpi import services as kpi_services
from pctp.kpi.maps import status_map, trend_figure
from pctp.kpi.periods import PeriodError, compose
from pctp.kpi.records import columns_for, refine, rows, sort_choices
from pctp.kpi.selectors import (
    period_choices,
    plans_for,
    resolve,
    target_of,
    unit_choices,
)
from pctp.kpi.xlsx import dashboard_xlsx, records_xlsx
from pctp.units.forms import commune_choices

PAGE = 100


def refusals_are_403(view):
    """A scope or step the user may not see or take answers 403, as everywhere else; any
    other refusal (no plan with targets yet, an unknown target) is a page that says why,
    never a 500."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionRefused as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            return _refused(request, exc)
    return wrapped


def _refused(request, exc: DomainError):
    status = 404 if exc.details.get("field") == "plan" else exc.status
    return render(request, "kpi/empty.html", {"message": exc.message}, status=status)


def _params(request) -> dict:
    g = request.GET
    params = {k: g.get(k, "").strip() for k in ("plan", "period", "unit", "commune")
              if g.get(k, "").strip()}
    if g.get("period_key", "").strip():  # typed in (links made before the picker)
        params["period"] = g["period_key"].strip()
    if g.get("pkind", "").strip():  # the picker: kind, year, part or a range
        try:
            params["period"] = compose(g["pkind"].strip(), g.get("pyear", "").strip(),
                                       g.get("ppart", "").strip(), g.get("pfrom", ""),
                                       g.get("pto", ""))
        except PeriodError as exc:
            params.pop("period", None)
            params["_period_error"] = str(exc)  # the default period, with the reason shown
    return params


def _query(req, **extra) -> str:
    params = {"plan": req.plan.pk, "period": req.period.key}
    if req.scope.unit is not None:
        params["unit"] = req.scope.unit.code
    if req.scope.commune is not None:
        params["commune"] = req.scope.commune.code
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


def _resolve(request, *, strict: bool = False):
    """The request's plan, period and scope; bad parameters fall back to the defaults with
    the reason shown, and a scope outside the user's is refused (403). `strict`: a bad
    parameter is refused instead (DomainError), for what cannot be undone."""
    params = _params(request)
    picked = params.pop("_period_error", None)
    if strict:
        if picked:
            raise DomainError("invalid_period", picked)
        return resolve(request.user, **params), None
    try:
        return resolve(request.user, **params), picked
    except PermissionRefused:
        raise
    except DomainError as exc:
        field = exc.details.get("field")
        if field == "plan" and not params.get("plan"):
            raise
        params.pop(field, None)
        return resolve(request.user, **params), exc.message




def _no_plan(request, exc):
    return render(request, "kpi/empty.html", {"message": exc.message}, status=404)


@never_cache
@login_required
@refusals_are_403
@csp_update(PLOTLY_CSP)
@replica_view
def dashboard(request):
    try:
        req, warning = _resolve(request)
    except PermissionRefused:
        raise
    except DomainError as exc:
        return _no_plan(request, exc)
    figures = kpi_services.with_snapshots(
        req.plan, req.period, req.scope, req.today,
        kpi.dashboard(req.plan, req.period, req.scope, as_of=req.today, trend=True))
    trends = {f.target.pk: trend_figure(f, kpi.series(f.target, req.period, req.scope,
                                                      as_of=req.today, result=f.result))
              for f in figures}
    counts = {s: sum(1 for f in figures if f.status == s) for s in kpi.STATUSES}
    closed = any(f.snapshot is not None for f in figures)
    return render(request, "kpi/dashboard.html", {
        "req": req, "figures": [(f, trends[f.target.pk]) for f in figures], "counts": counts,
        "warning": warning, "query": _query(req), "plans": plans_for(request.user),
        "periods": period_choices(req.today), "units": unit_choices(request.user,
                                                                     req.scope.province),
        "period_keys": [k for k, _name in period_choices(req.today)],
        "status_labels": kpi.STATUS_LABELS, "closed": closed,
        "can_close": (request.user.has_perm("kpi.close_kpi_period")
                      and req.period.end < req.today and not closed),
    })


@never_cache
@login_required
@refusals_are_403
@csp_update(PLOTLY_CSP)
@replica_view
def target_page(request, code: str):
    req, warning = _resolve(request)
    target = target_of(req, code)
    fig = kpi_services.with_snapshots(
        req.plan, req.period, req.scope, req.today,
        [kpi.figure(target, req.period, req.scope, as_of=req.today, trend=True)])[0]
    by_unit = kpi.breakdown(target, req.period, req.scope, "unit", as_of=req.today,
                            result=fig.result)
    by_commune = (kpi.breakdown(target, req.period, req.scope, "commune", as_of=req.today,
                                result=fig.result)
                  if req.province_wide else [])
    series = kpi.series(target, req.period, req.scope, as_of=req.today, result=fig.result)
    return render(request, "kpi/target.html", {
        "req": req, "f": fig, "warning": warning, "query": _query(req),
        "by_unit": by_unit, "by_commune": by_commune, "series": series,
        "trend": trend_figure(fig, series, height=320),
        "map": status_map(target, by_commune) if by_commune else None,
        "status_labels": kpi.STATUS_LABELS,
        "revisions": fig.snapshot.revisions.all() if fig.snapshot is not None else [],
    })


def _records_context_total(request, code: str) -> int:
    """How many records the figure counts before the search narrowed them."""
    req, _warning = _resolve(request)
    target = target_of(req, code)
    part = request.GET.get("part", "denominator")
    getter = kpi.previous_records if request.GET.get("previous") == "1" else kpi.records
    return getter(target, req.period, req.scope, part, as_of=req.today).count()


def _records_context(request, code: str):
    req, _warning = _resolve(request)
    target = target_of(req, code)
    part = request.GET.get("part", "denominator")
    if part not in ("numerator", "denominator"):
        raise DomainError("invalid_part", _("Choose the numerator or the denominator."),
                          details={"field": "part"})
    previous = request.GET.get("previous") == "1"
    getter = kpi.previous_records if previous else kpi.records
    qs = getter(target, req.period, req.scope, part, as_of=req.today)
    g = request.GET
    qs = refine(qs, q=g.get("q", "")[:200], commune=g.get("in_commune", "")[:20],
                sort=g.get("sort", ""), descending=g.get("dir") == "desc")
    return req, target, part, previous, qs


@never_cache
@login_required
@refusals_are_403
@replica_view
def records_page(request, code: str):
    try:
        req, target, part, previous, qs = _records_context(request, code)
    except DomainError as exc:
        if isinstance(exc, PermissionRefused):
            raise
        return _refused(request, exc)
    indicator = kpi.get(target.indicator)
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    cols = columns_for(qs)
    measured = kpi.measured_period(target, req.period)
    if previous:
        measured = measured.previous_year()
    g = request.GET
    refined = {k: g.get(k, "") for k in ("q", "in_commune", "sort", "dir") if g.get(k)}
    return render(request, "kpi/records.html", {
        "refined": refined, "sorts": sort_choices(qs), "communes": commune_choices(),
        "refine_query": urlencode(refined),
        "total": _records_context_total(request, code) if refined else None,
        "req": req, "target": target, "indicator": indicator, "part": part,
        "previous": previous, "page": page, "headers": cols.headers,
        "rows": list(rows(qs.filter(pk__in=[r.pk for r in page.object_list]))),
        "measured": measured, "query": _query(req),
        "export_query": _query(req, part=part, previous="1" if previous else ""),
        "definition": kpi.figure(target, req.period, req.scope, as_of=req.today,
                                 compare=False).definition,
    })


@never_cache
@login_required
@refusals_are_403
@replica_view
def records_export(request, code: str):
    req, target, part, previous, qs = _records_context(request, code)
    body = records_xlsx(target, req, part, previous, qs)
    name = f"{target.code}-{part}-{req.period.key.replace(':', '_')}.xlsx"
    return _xlsx_response(body, name)


@never_cache
@login_required
@refusals_are_403
@replica_view
def dashboard_export(request):
    req, _warning = _resolve(request)
    figures = kpi_services.with_snapshots(
        req.plan, req.period, req.scope, req.today,
        kpi.dashboard(req.plan, req.period, req.scope, as_of=req.today))
    body = dashboard_xlsx(req, figures)
    return _xlsx_response(body, f"chi-tieu-{req.period.key.replace(':', '_')}.xlsx")


def _xlsx_response(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@refusals_are_403
@require_POST
def close_period(request):
    # A close cannot be undone: unlike the pages, no bad parameter falls back to a default
    # (a unit that does not exist is not the whole province).
    try:
        req, _warning = _resolve(request, strict=True)
    except PermissionRefused:
        raise
    except DomainError as exc:
        messages.error(request, _("Nothing was closed: %(reason)s") % {"reason": exc.message})
        return redirect(f"{reverse('kpi:dashboard')}?{request.GET.urlencode()}")
    try:
        kpi_services.period_close(actor=request.user, plan=req.plan, period=req.period,
                                  scope=req.scope, note=request.POST.get("note", ""),
                                  today=req.today)
    except PermissionRefused:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The figures of %(p)s are closed.") % {
            "p": req.period.name})
    return redirect(f"{reverse('kpi:dashboard')}?{_query(req)}")


@never_cache
@login_required
@refusals_are_403
@replica_view
def accountability(request):
    from pctp.kpi.accountability import unit_rows

    req, warning = _resolve(request)
    table = unit_rows(req, user=request.user)
    return render(request, "kpi/accountability.html", {
        "req": req, "rows": table, "warning": warning, "query": _query(req),
        "periods": period_choices(req.today), "status_labels": kpi.STATUS_LABELS,
    })



# ----------------------------------------------------------------------------- plans

def _can_manage(user, plan) -> bool:
    try:
        kpi_services._require(user, "plans.manage_plan", plan)
    except PermissionRefused:
        return False
    return True


@never_cache
@login_required
@refusals_are_403
def plans_page(request):
    from django.db.models import Q

    from pctp.kpi.models import Target
    from pctp.kpi.selectors import user_province
    from pctp.plans.models import Plan
    from pctp.units.models import Unit

    if not (request.user.is_superuser or request.user.has_perm("kpi.view_kpi")):
        raise PermissionRefused("forbidden", _("You may not see the plan's targets."))
    province = user_province(request.user)
    # Plans with targets, and the provincial committee's plans (where targets are set);
    # not the many plans of single tasks (e.g. an area's transformation plan).
    plans = (Plan.objects.filter(issuing_unit__province=province)
             .filter(Q(targets__isnull=False)
                     | Q(issuing_unit__kind=Unit.Kind.PROVINCE_COMMITTEE)).distinct()
             .select_related("issuing_unit").prefetch_related("targets")
             .order_by("-period_end", "-id"))
    return render(request, "kpi/plans.html", {
        "plans": [(p, _can_manage(request.user, p)) for p in plans],
        "comparators": Target.Comparator.choices, "indicators": kpi.REGISTRY,
        "query": "",
    })


@login_required
@refusals_are_403
@require_POST
def plan_targets_action(request, pk: int):

    from pctp.kpi.selectors import user_province
    from pctp.plans.models import Plan

    plan = Plan.objects.filter(pk=pk, issuing_unit__province=user_province(request.user)
                               ).first()
    if plan is None:
        return render(request, "kpi/empty.html", {"message": _("No such plan.")},
                      status=404)
    action = request.POST.get("action", "")
    try:
        if action == "defaults":
            if plan.targets.exists():
                raise DomainError("has_targets", _("The plan already has targets."))
            kpi_services.plan_targets_default(actor=request.user, plan=plan)
            messages.success(request, _("The ten targets were added."))
        elif action == "set":
            target = plan.targets.filter(code=request.POST.get("code", "")).first()
            if target is None:
                raise DomainError("invalid_code", _("Unknown target."))
            kpi_services.target_set(
                actor=request.user, plan=plan, code=target.code, indicator=target.indicator,
                comparator=request.POST.get("comparator", ""),
                threshold=request.POST.get("threshold", "").replace(",", "."),
                period_type=target.period_type, options=target.options,
                wording=request.POST.get("wording", target.wording)[:300])
            messages.success(request, _("Target %(c)s saved.") % {"c": target.code})
        elif action == "copy":
            issued = parse_day(request.POST.get("issued_on"))
            if issued is None:
                raise DomainError("invalid_issued_on", _("Give the date the plan was issued."),
                                  details={"field": "issued_on"})
            new = kpi_services.plan_copy_next_year(
                actor=request.user, plan=plan, number=request.POST.get("number", ""),
                issued_on=issued, title=request.POST.get("title", ""))
            messages.success(request, _("Plan %(n)s created as a draft with %(k)s targets.")
                             % {"n": new.number, "k": new.targets.count()})
        else:
            raise DomainError("invalid_action", _("Unknown action."))
    except PermissionRefused:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("kpi:plans")
