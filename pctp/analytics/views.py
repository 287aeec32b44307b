"""Analysis pages: hotspot map, forecasts with their accuracy, emerging types, networks."""

from __future__ import annotations

from datetime import date

import numpy as np
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pctp.analytics import forms as f
from pctp.analytics import maps, selectors
from pctp.analytics import services as s
from pctp.analytics.models import METHOD_CHOICES, Forecast, Horizon
from pctp.cases import services as case_services
from pctp.core.csp import PLOTLY_CSP
from pctp.core.errors import DomainError
from pctp.core.replica import replica_view
from pctp.law.models import CrimeGroup
from pctp.units.selectors import units_in_scope, user_has_perm_in_unit

VIEW = "analytics.view_analysis"
RUN = "analytics.run_analysis"


def _map_page(response):
    """Plotly.js injects its stylesheet at run time (only map pages allow inline styles,
    never inline scripts); a configured tile server adds its origin."""
    update = {**PLOTLY_CSP, **maps.csp_for_tiles()}
    response._csp_update = update
    return response


def _top_unit(user):
    """The widest unit the user sees (the province for province-wide roles)."""
    units = list(units_in_scope(user).order_by("path")[:1])
    if not units:
        raise Http404
    return units[0]


# Below this many events in the windows the accuracy is not shown: "chưa đủ dữ liệu".
MIN_ACCURACY_EVENTS = 30


def accuracy_rows(accuracy: dict | None, cell_size_m: float | None = None) -> list[dict]:
    """Per coverage: the pooled hit rate and PAI with their 95 % intervals (a forecast
    stored before issue 24 has only the mean of the windows: shown as such), the mean of the
    windows, the cells flagged and their area, and whether the events suffice."""
    if not accuracy:
        return []
    out = []
    enough = (accuracy.get("n_events") or 0) >= MIN_ACCURACY_EVENTS
    # jsonb keeps keys in its own order ("0.1" before "0.01"): sort by coverage.
    for cov, row in sorted(accuracy["coverage"].items(), key=lambda kv: float(kv[0])):
        cells = row.get("cells")
        pooled = "pai_pooled" in row
        out.append({"coverage": f"{float(cov) * 100:g}%", "cells": cells,
                    "km2": cells * (cell_size_m / 1000) ** 2 if cells and cell_size_m else None,
                    "pooled": pooled, "enough": enough,
                    "pai": row.get("pai_pooled") if pooled else row.get("pai_mean"),
                    "pai_ci": row.get("pai_ci"), "pai_mean": row.get("pai_mean"),
                    "pai_std": row.get("pai_std"),
                    "hit": row.get("hit_rate_pooled") if pooled else row.get("hit_rate_mean"),
                    "hit_ci": row.get("hit_rate_ci"),
                    "captured": row.get("captured"), "events": row.get("events"),
                    "pei": row.get("pei_star_pooled") if pooled else row.get("pei_star_mean")})
    return out


def _chosen(forecast) -> dict | None:
    """What the automatic method chose, on which weeks, with which PAI (for the page)."""
    choice = (forecast.parameters or {}).get("chosen")
    if not choice:
        return None
    labels = dict(METHOD_CHOICES)
    validation = choice.get("validation", {})
    scores = validation.get(choice["method"]) or [None]
    best = choice.get("best") or choice["method"]
    best_scores = validation.get(best) or [None]
    return {"label": labels.get(choice["method"], choice["method"]), "pai": scores[0],
            "start": choice.get("start"), "end": choice.get("end"),
            "simpler": best != choice["method"],
            "best_label": labels.get(best, best), "best_pai": best_scores[0],
            "learned_considered": choice.get("learned_considered")}


# ----------------------------------------------------------------------------- hotspots

@never_cache
@login_required
@permission_required(VIEW, raise_exception=True)
@replica_view
def hotspots(request):
    form = f.HotspotForm(request.GET)
    if form.is_valid():
        data = form.cleaned_data
    else:
        blank = f.HotspotForm({})
        blank.is_valid()
        data = blank.cleaned_data
    uploads = list(selectors.upload_scope(request.user)[:50])
    upload = None
    if data.get("upload"):
        upload = selectors.upload_scope(request.user).filter(pk=data["upload"]).first()
        if upload is None:
            raise Http404
        upload = type(upload).objects.get(pk=upload.pk)  # with its content
    result = selectors.hotspots(user=request.user, source=data["source"], upload=upload,
                                crime_group=data["group"], offence=data["offence"].strip(),
                                start=data["start"], end=data["end"], method=data["method"],
                                cell_size_m=data["cell"])
    title = _("Hotspots %(start)s – %(end)s: %(n)s events") % {
        "start": data["start"].strftime("%d/%m/%Y"), "end": data["end"].strftime("%d/%m/%Y"),
        "n": result.n_events}
    figure = maps.hotspot_figure(result.cells, result.grid, title=title, points=result.points)
    response = render(request, "analytics/hotspots.html", {
        "form": f.HotspotForm(initial=data), "errors": form.errors, "data": data,
        "result": result, "figure": figure, "top": result.cells[:20], "uploads": uploads,
        "upload": upload, "groups": CrimeGroup.choices,
        "can_run": request.user.has_perm(RUN)})
    return _map_page(response)


# ----------------------------------------------------------------------------- forecasts

def _forecast_map(forecast: Forecast) -> str:
    title = _("%(horizon)s from %(day)s (%(method)s)") % {
        "horizon": forecast.get_horizon_display(), "day": forecast.starts_on.strftime("%d/%m/%Y"),
        "method": forecast.get_method_display()}
    return maps.hotspot_figure(forecast.cells, forecast.grid, title=title, height=560)


@never_cache
@login_required
@permission_required(VIEW, raise_exception=True)
def forecasts(request):
    group = request.GET.get("group", "")
    if group not in CrimeGroup.values:
        group = ""
    current = []
    for horizon, label in Horizon.choices:
        fc = selectors.forecast_current(user=request.user, horizon=horizon, crime_group=group)
        current.append({"horizon": horizon, "label": label, "forecast": fc,
                        "figure": _forecast_map(fc) if fc else None,
                        "accuracy": accuracy_rows(fc.accuracy if fc else None,
                                                  fc.cell_size_m if fc else None)})
    jobs = list(selectors.forecast_scope(request.user).defer("cells", "grid")[:20])
    for job in jobs:
        five = ((job.accuracy or {}).get("coverage", {}).get("0.05", {}) or {})
        job.pai5 = five.get("pai_pooled", five.get("pai_mean"))
    can_run = request.user.has_perm(RUN)
    response = render(request, "analytics/forecasts.html", {
        "current": current, "jobs": jobs, "group": group, "groups": CrimeGroup.choices,
        "can_run": can_run,
        "queue_form": f.ForecastQueueForm(initial={"method": s.default_method(),
                                                   "cell": s.default_cell_size(),
                                                   "group": group}),
        "pending": any(j.status in ("queued", "running") for j in jobs)})
    return _map_page(response)


@login_required
@require_POST
@permission_required(RUN, raise_exception=True)
def forecast_queue(request):
    form = f.ForecastQueueForm(request.POST)
    if not form.is_valid():
        problems = " ".join(f"{form.fields[name].label}: {' '.join(errs)}"
                             if name in form.fields else " ".join(errs)
                             for name, errs in form.errors.items())
        messages.error(request, _("The forecast was not queued. %(problems)s")
                       % {"problems": problems})
        return redirect("analytics:forecasts")
    d = form.cleaned_data
    try:
        forecast = s.forecast_queue(actor=request.user, scope=_top_unit(request.user),
                                    horizon=d["horizon"], method=d["method"],
                                    crime_group=d["group"], cell_size_m=d["cell"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:forecasts")
    _queued_message(request, forecast)
    return redirect("analytics:forecast", pk=forecast.pk)


@login_required
@require_POST
@permission_required(RUN, raise_exception=True)
def forecast_requeue(request, pk: int):
    """Queue again, with its own parameters, a forecast whose run was lost."""
    lost = _forecast(request, pk)
    try:
        forecast = s.forecast_requeue(actor=request.user, forecast=lost)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("analytics:forecast", pk=lost.pk)
    _queued_message(request, forecast)
    return redirect("analytics:forecast", pk=forecast.pk)


def _forecast(request, pk: int) -> Forecast:
    forecast = selectors.forecast_scope(request.user).filter(pk=pk).first()
    if forecast is None:
        raise Http404
    return s.forecast_settled(forecast)


def _queued_message(request, forecast: Forecast) -> None:
    if forecast.created_now:
        messages.success(request, _("Forecast queued. It is computed in the background; this "
                                    "page shows its progress."))
    else:
        messages.info(request, _("The same forecast is already queued or being computed; this "
                                 "page shows its progress."))


@never_cache
@login_required
@permission_required(VIEW, raise_exception=True)
def forecast_detail(request, pk: int):
    forecast = _forecast(request, pk)
    done = forecast.status == Forecast.State.DONE
    worker_lost = forecast.error == s.WORKER_LOST
    response = render(request, "analytics/forecast_detail.html", {
        "forecast": forecast, "figure": _forecast_map(forecast) if done else None,
        "accuracy": accuracy_rows(forecast.accuracy, forecast.cell_size_m),
        "chosen": _chosen(forecast), "top": forecast.cells[:20],
        "worker_lost": worker_lost,
        "can_requeue": worker_lost and user_has_perm_in_unit(request.user, RUN,
                                                             forecast.scope),
        "progress_url": reverse("analytics:forecast_progress", args=[forecast.pk])})
    return _map_page(response)


@never_cache
@login_required
@permission_required(VIEW, raise_exception=True)
def forecast_progress(request, pk: int):
    forecast = _forecast(request, pk)
    return JsonResponse({"id": forecast.pk, "status": forecast.status,
                         "progress": forecast.progress})


# ----------------------------------------------------------------------------- incident files

@never_cache
@login_required
@permission_required(RUN, raise_exception=True)
def uploads(request):
    form = f.UploadForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            upload = s.upload_create(actor=request.user, scope=_top_unit(request.user),
                                     name=upload_file.name, data=upload_file.read())
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("%(n)s incidents loaded from %(name)s.") % {
                "n": upload.n_rows, "name": upload.name})
            return redirect(f"{reverse('analytics:hotspots')}?upload={upload.pk}"
                            f"&start={upload.first_at:%Y-%m-%d}&end={upload.last_at:%Y-%m-%d}")
    return render(request, "analytics/uploads.html", {
        "form": form, "error": error, "uploads": selectors.upload_scope(request.user)[:50]})


# ----------------------------------------------------------------------------- emerging types

def _month(value: str) -> int | None:
    try:
        year, month = (int(x) for x in value.split("-"))
        return int(np.datetime64(date(year, month, 1), "M").astype(np.int64))
    except (ValueError, TypeError):
        return None


@never_cache
@login_required
@permission_required(VIEW, raise_exception=True)
@replica_view
def emerging_types(request):
    form = f.EmergingForm(request.GET or None)
    form.is_valid()
    d = getattr(form, "cleaned_data", {}) or {}
    level = d.get("level") or "group"
    show = d.get("show") or "alerts"
    rows, month = selectors.emerging_table(user=request.user, level=level,
                                           month=_month(d.get("month") or ""))
    counts = {c: 0 for c in ("new", "rising", "frequent", "rare", "not_appeared")}
    for r in rows:
        counts[r["status"]] += 1
    if show == "alerts":
        rows = [r for r in rows if r["status"] in ("new", "rising")]
    elif show == "appeared":
        rows = [r for r in rows if r["status"] != "not_appeared"]
    label = selectors.month_label(month)
    return render(request, "analytics/emerging.html", {
        "form": form, "rows": rows[:500], "n_rows": len(rows), "counts": counts,
        "month": label, "month_value": str(np.datetime64(month, "M")), "level": level,
        "show": show})


# ----------------------------------------------------------------------------- networks

@never_cache
@login_required
@permission_required(VIEW, raise_exception=True)
@permission_required("cases.view_case", raise_exception=True)
@replica_view
def network_view(request):
    from pctp.analytics.engine.network import spring_layout

    net = selectors.criminal_network(user=request.user)
    people = net["people"]
    people_by = {p.index: p for p in people}
    top = people[:30]
    # Identities only for the people listed, only where the role allows, each view logged.
    identities = case_services.accused_identities(
        actor=request.user, accused=[p.first for p in top], purpose="analytics network")
    # Draw the networks of three or more people and every registered group's; pairs are
    # only counted (they would fill the drawing).
    drawn = [c for c in net["components"]
             if len(c) >= 3 or any(people_by[v].groups for v in c)]
    drawn_set = {v for c in drawn for v in c}
    adj = {v: net["adjacency"][v] & drawn_set for v in drawn_set}
    pos = spring_layout(adj)
    shown = [p for p in people if p.index in drawn_set]
    index = {p.index: i for i, p in enumerate(shown)}
    nodes = []
    for p in shown:
        x, y = pos[p.index]
        dangerous = any(g.group.dangerous for g in p.groups)
        leader = any(g.is_leader for g in p.groups)
        colour = "#c62828" if dangerous else ("#ef6c00" if p.groups else "#1f77b4")
        groups = ", ".join(g.group.name for g in p.groups)
        label = f"{p.label} · {len(p.records)} " + _("cases") + (f" · {groups}" if groups else "")
        if leader:
            label += " · " + _("leader")
        nodes.append({"x": x, "y": y, "label": label, "colour": colour,
                      "size": 10 + 4 * min(p.betweenness, 10) + 2 * min(p.links, 10)})
    edges = [(index[a], index[b], w) for (a, b), w in net["edges"].items()
             if a in index and b in index]
    figure = maps.network_figure(nodes, edges, title=_("Co-accused network"))
    rows = [{"person": p, "identity": identities.get(p.first.pk),
             "cases": sorted({a.case for a in p.records}, key=lambda c: c.occurred_on)}
            for p in top]
    groups = {}
    for p in people:
        for g in p.groups:
            groups.setdefault(g.group.pk, {"group": g.group, "members": 0, "leaders": 0})
            groups[g.group.pk]["members"] += 1
            groups[g.group.pk]["leaders"] += int(g.is_leader)
    can_identity = any(user_has_perm_in_unit(request.user, "cases.view_accused_identity", u)
                       for u in units_in_scope(request.user)[:1])
    response = render(request, "analytics/network.html", {
        "figure": figure, "rows": rows, "n_people": len(people),
        "n_edges": len(net["edges"]), "n_components": len(net["components"]),
        "n_drawn": len(drawn), "n_pairs": len(net["components"]) - len(drawn),
        "groups": list(groups.values()),
        "can_identity": can_identity or bool(identities)})
    return _map_page(response)
