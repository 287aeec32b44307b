"""Pages of key areas. Each view: fetch through a selector, validate, call one service."""

from __future__ import annotations

from datetime import date

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pctp.areas import forms as f
from pctp.areas import services as s
from pctp.areas.figures import commune_records, ranking
from pctp.areas.indicators import t9_transformed, t10_not_relapsed
from pctp.areas.maps import STATUS_COLOURS, areas_map
from pctp.areas.models import AreaType, Assessment, KeyArea, ModelCommune, Status, WatchCheck
from pctp.areas.selectors import (
    area_get,
    area_list,
    area_timeline,
    areas_in_scope,
    assessment_get,
    model_communes,
    ranking_communes,
)
from pctp.cases.selectors import case_scope
from pctp.core.csp import PLOTLY_CSP
from pctp.core.errors import DomainError
from pctp.core.labels import action_label
from pctp.core.sorting import sorted_by
from pctp.sources.selectors import source_scope
from pctp.units.models import Unit
from pctp.units.selectors import units_in_scope, user_has_perm_in_unit

VIEW = "areas.view_keyarea"
STRIP = [Status.SELECTED, Status.TRANSFORMING, Status.TRANSFORMED, Status.REMOVED]


def _get(request, pk: int) -> KeyArea:
    try:
        return area_get(user=request.user, pk=pk)
    except KeyArea.DoesNotExist:
        raise Http404 from None


def _year(request, default: int) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


def _can_manage(user) -> bool:
    steering = s.province_steering_unit()
    return steering is not None and user_has_perm_in_unit(user, s.MANAGE, steering)


@login_required
@permission_required(VIEW, raise_exception=True)
def area_index(request):
    today = timezone.localdate()
    form = f.FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year")
    areas = area_list(user=request.user, year=year, status=data.get("status", ""),
                      area_type=data.get("type", ""))
    orders = {"name": (_("name"), ("name", "pk")),
              "commune": (_("commune"), ("commune__name", "name")),
              "-year": (_("year, newest first"), ("-year", "name")),
              "status": (_("status"), ("status", "name"))}
    if isinstance(areas, list):  # filtered by type in Python: sorted the same way
        key = request.GET.get("sort", "")
        if key in orders:
            field = orders[key][1][0].lstrip("-").replace("commune__name", "commune")
            areas.sort(key=lambda a: str(getattr(a, field)), reverse=key.startswith("-"))
        _qs, sort = sorted_by(request, area_list(user=request.user).none(), orders)
    else:
        areas, sort = sorted_by(request, areas, orders)
    scope = areas_in_scope(request.user)
    shown_year = year or today.year
    t9 = t9_transformed(scope, date(shown_year, 1, 1), date(shown_year, 12, 31))
    if not year and not t9.denominator:
        # Early in a year nothing is due yet: the last year's figure says more.
        shown_year -= 1
        t9 = t9_transformed(scope, date(shown_year, 1, 1), date(shown_year, 12, 31))
    t10_year = year or today.year
    t10 = t10_not_relapsed(scope, date(t10_year, 1, 1), date(t10_year, 12, 31))
    return render(request, "areas/area_list.html", {
        "areas": areas, "form": form, "sort": sort, "t9": t9, "t10": t10, "shown_year": shown_year, "t10_year": t10_year,
        "can_manage": _can_manage(request.user), "colours": STATUS_COLOURS})


@login_required
@permission_required(VIEW, raise_exception=True)
def ranking_page(request):
    today = timezone.localdate()
    year = _year(request, today.year)
    area_type = request.GET.get("type") or AreaType.SOCIAL_ORDER
    if area_type not in AreaType.values:
        area_type = AreaType.SOCIAL_ORDER
    form = f.RankingForm(initial={"year": year, "type": area_type})
    rows = ranking(year=year, area_type=area_type, communes=ranking_communes(request.user))
    selected = {}
    for a in areas_in_scope(request.user).filter(year__in=[year - 1, year, year + 1]).order_by(
            "year").select_related(
            "commune"):
        selected.setdefault(a.commune_id, []).append(a)
    for row in rows:
        row.areas = selected.get(row.commune.pk, [])
    from pctp.areas import conf

    return render(request, "areas/ranking.html", {
        "rows": rows, "form": form, "year": year, "area_type": area_type,
        "type_label": dict(AreaType.choices)[area_type], "weights": conf.weights(),
        "can_manage": _can_manage(request.user), "next_year": year + 1,
        "partial": year == today.year, "today": today, "show_all": bool(request.GET.get("all"))})


@login_required
@permission_required(VIEW, raise_exception=True)
def ranking_records(request, code: str):
    """The records behind one commune's row of the ranking, seen through the user's scopes."""
    commune = ranking_communes(request.user).filter(code=code).first()
    if commune is None:
        raise Http404
    today = timezone.localdate()
    year = _year(request, today.year)
    area_type = request.GET.get("type") or AreaType.SOCIAL_ORDER
    if area_type not in AreaType.values:
        raise Http404
    records = commune_records(commune, year=year, area_type=area_type)
    cases = case_scope(request.user)
    sources = source_scope(request.user)
    return render(request, "areas/ranking_records.html", {
        "commune": commune, "year": year, "area_type": area_type,
        "type_label": dict(AreaType.choices)[area_type],
        "crimes": records["crimes"].filter(pk__in=cases.values("pk")).select_related(
            "lead_offence").order_by("-occurred_on"),
        "n_crimes": records["crimes"].count(),
        "previous": records["previous"].count(),
        "drugs": records["drugs"].filter(pk__in=cases.values("pk")).order_by("-occurred_on"),
        "n_drugs": records["drugs"].count(),
        "groups": records["groups"].select_related("unit"),
        "overdue": records["overdue"].filter(pk__in=sources.values("pk")).order_by("due_date"),
        "n_overdue": records["overdue"].count(),
        "can_see_cases": request.user.has_perm("cases.view_case"),
    })


@csp_update(PLOTLY_CSP)
@login_required
@permission_required(VIEW, raise_exception=True)
def area_map(request):
    today = timezone.localdate()
    year = _year(request, today.year)
    areas = list(areas_in_scope(request.user).filter(year=year).select_related("commune"))
    # An earlier year's area still under watch or relapsed is shown too, unless the same
    # area was selected again this year.
    again = {(a.commune_id, a.name) for a in areas}
    earlier = [a for a in areas_in_scope(request.user).filter(
        year__lt=year, status__in=[Status.REMOVED, Status.RELAPSED, Status.TRANSFORMED])
        .select_related("commune") if (a.commune_id, a.name) not in again]
    figure = areas_map([*areas, *earlier],
                       title=_("Key and complex areas by status, %(year)s") % {"year": year})
    counts = {code: 0 for code in Status.values}
    for a in [*areas, *earlier]:
        counts[a.status] += 1
    return render(request, "areas/map.html", {
        "figure": figure, "year": year, "areas": areas, "earlier": earlier,
        "legend": [(code, label, STATUS_COLOURS[code], counts[code])
                   for code, label in Status.choices]})


def _units_for(user):
    return units_in_scope(user).current()


@login_required
@permission_required("areas.manage_keyarea", raise_exception=True)
def area_new(request):
    units = _units_for(request.user)
    communes = ranking_communes(request.user).order_by("name")
    today = timezone.localdate()
    initial = {"year": _year(request, today.year), "types": request.GET.getlist("type"),
               "decision_date": today, "steering_unit": s.province_steering_unit()}
    code = request.GET.get("commune")
    if code:
        initial["commune"] = communes.filter(code=code).first()
        initial["lead_unit"] = Unit.objects.filter(kind=Unit.Kind.COMMUNE_POLICE,
                                                   communes__code=code).first()
    form = f.SelectForm(request.POST or None, units=units, communes=communes, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            area = s.area_select(
                actor=request.user, year=d["year"], commune=d["commune"], name=d["name"],
                types=d["types"], decision_number=d["decision_number"],
                decision_date=d["decision_date"], steering_unit=d["steering_unit"],
                lead_unit=d["lead_unit"], coordinating_units=d["coordinating_units"],
                reasons=d["reasons"], part_geometry=d["part_geometry"],
                part_description=d["part_description"])
        except DomainError as exc:
            for field, errors in exc.details.items():
                form.add_error(field if field in form.fields else None, errors)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The area is in the register."))
            return redirect("areas:detail", pk=area.pk)
    return render(request, "areas/area_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _forms(area: KeyArea, user, data=None) -> dict:
    units = _units_for(user)
    return {"start": f.OnForm(data, prefix="start"),
            "measure": f.MeasureForm(data, prefix="measure", units=units,
                                     initial={"lead_unit": area.lead_unit}),
            "draft": f.DraftForm(data, prefix="draft",
                                 initial={"period_start": area.decision_date,
                                          "period_end": area.assessment_due}),
            "remove": f.RemoveForm(data, prefix="remove"),
            "relapse": f.RelapseForm(data, prefix="relapse")}


def _strip(area: KeyArea) -> list[dict]:
    order = [*STRIP]
    if area.status == Status.NOT_TRANSFORMED:
        order = [Status.SELECTED, Status.TRANSFORMING, Status.NOT_TRANSFORMED]
    if area.status == Status.RELAPSED:
        order = [*STRIP, Status.RELAPSED]
    labels = dict(Status.choices)
    now = order.index(area.status) if area.status in order else len(order)
    return [{"label": labels[c], "done": i < now, "now": i == now} for i, c in enumerate(order)]


@login_required
@permission_required(VIEW, raise_exception=True)
def area_detail(request, pk: int, *, forms=None, status=200):
    area = _get(request, pk)
    manage = user_has_perm_in_unit(request.user, s.MANAGE, area.steering_unit)
    allowed = {a for a, (states, _t) in s.TRANSITIONS.items() if area.status in states}
    assessments = list(area.assessments.select_related("signed_by", "drafted_by"))
    tasks = (area.plan.tasks.select_related("lead_unit").order_by("number")
             if area.plan_id else [])
    snapshot = area.selection_snapshot or {}
    return render(request, "areas/area_detail.html", {
        "area": area, "manage": manage, "allowed": allowed, "strip": _strip(area),
        "forms": forms or _forms(area, request.user), "assessments": assessments,
        "tasks": tasks, "snapshot": snapshot,
        "checks": area.watch_checks.all()[:24], "timeline": area_timeline(area),
        "coordinating": area.coordinating_units.all(),
        "later": area.later_selections.all(), "models": area.model_communes.all(),
        "levels": WatchCheck.Level, "today": timezone.localdate(),
        "can_see_cases": request.user.has_perm("cases.view_case"),
    }, status=status)


def _call(action: str, request, area: KeyArea, d: dict):
    user = request.user
    if action == "start":
        return s.area_start(actor=user, area=area, on=d["on"], note=d["note"])
    if action == "measure":
        return s.area_add_measure(actor=user, area=area, title=d["title"], content=d["content"],
                                  lead_unit=d["lead_unit"], deadline=d["deadline"])
    if action == "draft":
        start, end = d.pop("period_start"), d.pop("period_end")
        return s.assessment_draft(actor=user, area=area, period_start=start, period_end=end,
                                  recorded=s.Recorded(**d))
    if action == "remove":
        return s.area_remove(actor=user, area=area, decision_number=d["decision_number"],
                             on=d["on"], note=d["note"])
    if action == "relapse":
        return s.area_relapse(actor=user, area=area, reason=d["reason"], on=d["on"])
    raise Http404


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def area_action(request, pk: int, action: str):
    area = _get(request, pk)
    forms = _forms(area, request.user, request.POST)
    form = forms.get(action)
    if form is None:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return area_detail(request, pk, forms=forms, status=400)
    try:
        _call(action, request, area, dict(form.cleaned_data))
    except DomainError as exc:
        for field, errors in exc.details.items():
            if field in form.fields:
                form.add_error(field, errors)
        messages.error(request, exc.message)
        return area_detail(request, pk, forms=forms, status=exc.status)
    area.refresh_from_db()
    code = {"measure": "add_measure", "draft": "draft_assessment"}.get(action, action)
    messages.success(request, _("%(action)s: %(area)s, now %(status)s.") % {
        "action": action_label(f"keyarea.{code}"), "area": area,
        "status": area.get_status_display()})
    return redirect("areas:detail", pk=pk)


@login_required
@permission_required(VIEW, raise_exception=True)
def assessment_detail(request, pk: int):
    try:
        assessment = assessment_get(user=request.user, pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None
    return render(request, "areas/assessment.html", {
        "a": assessment, "area": assessment.area,
        "manage": user_has_perm_in_unit(request.user, s.MANAGE, assessment.area.steering_unit),
        "form": f.OnForm(prefix="sign"), "can_see_cases": request.user.has_perm("cases.view_case"),
    })


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def assessment_sign(request, pk: int):
    try:
        assessment = assessment_get(user=request.user, pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None
    form = f.OnForm(request.POST, prefix="sign")
    on = form.cleaned_data["on"] if form.is_valid() else None
    try:
        s.assessment_sign(actor=request.user, assessment=assessment, on=on)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("areas:assessment", pk=pk)
    messages.success(request, _("The assessment is signed; its result and evidence are frozen."))
    return redirect("areas:detail", pk=assessment.area_id)


@login_required
@permission_required(VIEW, raise_exception=True)
def model_commune_index(request):
    communes = ranking_communes(request.user).order_by("name")
    manage = _can_manage(request.user)
    form = f.ModelCommuneForm(request.POST or None, communes=communes,
                              initial={"year": timezone.localdate().year})
    if request.method == "POST":
        if not manage:
            raise Http404
        if form.is_valid():
            d = form.cleaned_data
            areas = areas_in_scope(request.user).filter(commune=d["commune"])
            try:
                s.model_commune_record(actor=request.user, commune=d["commune"], kind=d["kind"],
                                       year=d["year"], status=d["status"],
                                       decision_number=d["decision_number"],
                                       decision_date=d["decision_date"], areas=areas,
                                       note=d["note"])
            except DomainError as exc:
                for field, errors in exc.details.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Done."))
                return redirect("areas:model_communes")
    return render(request, "areas/model_communes.html", {
        "models": model_communes(user=request.user), "form": form, "manage": manage,
        "statuses": ModelCommune.Status})


@require_POST
@login_required
@permission_required(VIEW, raise_exception=True)
def model_commune_status(request, pk: int):
    model = model_communes(user=request.user).filter(pk=pk).first()
    if model is None:
        raise Http404
    try:
        s.model_commune_set_status(actor=request.user, model=model,
                                   status=request.POST.get("status", ""),
                                   decision_number=request.POST.get("decision_number", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("areas:model_communes")
