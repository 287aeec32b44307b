"""Every step of a key area: one function per permitted transition, one audit row, inside
one transaction with the area's row locked (ARCHITECTURE.md 2–4). The monthly relapse watch
(`pctp areas-watch`) calls the same functions."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctp.areas import conf
from pctp.areas.figures import criteria, geometry_area_km2
from pctp.areas.models import (
    WATCHED_STATUSES,
    AreaType,
    Assessment,
    KeyArea,
    ModelCommune,
    Status,
    WatchCheck,
    groups_of,
)
from pctp.cases.selectors import crimes_in
from pctp.core.audit import audit_record
from pctp.core.errors import DomainError, InvalidTransition, NotFound, PermissionRefused
from pctp.core.models import User
from pctp.law.timelimits import add_months
from pctp.units.models import Commune, Membership, Unit
from pctp.units.selectors import user_has_perm_in_unit

log = logging.getLogger(__name__)

S = Status
MANAGE = "areas.manage_keyarea"

# The one table of permitted transitions: action -> (states it may start from, state after;
# None keeps the state; the assessment's result decides the state after signing).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "start": (frozenset({S.SELECTED}), S.TRANSFORMING),
    "add_measure": (frozenset({S.SELECTED, S.TRANSFORMING}), None),
    "draft_assessment": (frozenset({S.TRANSFORMING}), None),
    "sign_assessment": (frozenset({S.TRANSFORMING}), None),
    "remove": (frozenset({S.TRANSFORMED}), S.REMOVED),
    "relapse": (frozenset(WATCHED_STATUSES), S.RELAPSED),
}

STEP_NAMES = {
    "start": gettext_lazy("start the transformation"),
    "add_measure": gettext_lazy("add a transformation measure"),
    "draft_assessment": gettext_lazy("draft the assessment"),
    "sign_assessment": gettext_lazy("sign the assessment"),
    "remove": gettext_lazy("remove it from the list"),
    "relapse": gettext_lazy("record a relapse"),
}
REASONS = {
    "start": gettext_lazy("Only an area just selected starts its transformation."),
    "draft_assessment": gettext_lazy("Only an area being transformed is assessed."),
    "sign_assessment": gettext_lazy("Only the assessment of an area being transformed is "
                                    "signed."),
    "remove": gettext_lazy("Only an area assessed as transformed is removed from the list."),
    "relapse": gettext_lazy("Only a transformed area (still under watch) can relapse."),
    "add_measure": gettext_lazy("Measures are added only while the area is selected or being "
                                "transformed."),
}


# ----------------------------------------------------------------------------- helpers

def _lock(area: KeyArea | int) -> KeyArea:
    pk = area.pk if isinstance(area, KeyArea) else area
    try:
        return (KeyArea.objects.select_for_update(of=("self",))
                .select_related("commune", "lead_unit", "steering_unit").get(pk=pk))
    except KeyArea.DoesNotExist:
        raise NotFound("not_found", _("Key area not found.")) from None


def _check(area: KeyArea, action: str) -> str | None:
    allowed, target = TRANSITIONS[action]
    if area.status not in allowed:
        raise InvalidTransition(
            "invalid_transition",
            (_("Cannot %(step)s while the area is «%(status)s».")
             % {"step": STEP_NAMES[action], "status": area.get_status_display()}
             + f" {REASONS.get(action, '')}").strip(),
            details={"action": action, "state": area.status})
    return target


def _require(actor, unit: Unit) -> None:
    if not user_has_perm_in_unit(actor, MANAGE, unit):
        raise PermissionRefused("forbidden", _("Only the Steering Committee (the leaders "
                                               "assigned) decides on key areas."))


def _set_status(area: KeyArea, status: str, on: date) -> None:
    area.status, area.status_since = status, on


def _record(actor, area: KeyArea, action: str, before: str, *, note: str = "",
            changes: dict[str, Any] | None = None):
    return audit_record(actor=actor, action=f"keyarea.{action}", obj=area, from_state=before,
                        to_state=area.status, changes=changes, note=note)


def _invalid(errors: dict[str, list[str]]) -> None:
    if errors:
        raise DomainError("invalid", _("The data are not valid yet."), details=errors)


def _not_future(on: date, errors: dict, name: str = "on") -> None:
    if on > timezone.localdate():
        errors[name] = [_("A date in the future cannot be recorded.")]


def _link(area: KeyArea) -> str:
    return reverse("areas:detail", args=[area.pk])


# ----------------------------------------------------------------------------- notifications

def leaders_of(area: KeyArea) -> list[User]:
    """Who is alerted about an area: the holders of areas.manage_keyarea in the province and
    the leaders of the lead unit."""
    managers = Membership.objects.active().filter(
        unit__province_id=area.lead_unit.province_id,
        role__group__permissions__content_type__app_label="areas",
        role__group__permissions__codename="manage_keyarea")
    heads = Membership.objects.active().filter(unit=area.lead_unit, role__code="unit_leader")
    return list(User.objects.filter(is_active=True).filter(
        Q(memberships__in=managers) | Q(memberships__in=heads)).distinct())


def _notify(area: KeyArea, *, key: str, text: str) -> int:
    from pctp.core.notifications import notify

    return notify(leaders_of(area), key=f"area:{area.pk}:{key}", text=text, link=_link(area))


# ----------------------------------------------------------------------------- selection

def _check_geometry(geometry: dict | None, commune: Commune, errors: dict) -> None:
    if not geometry:
        return
    try:
        from shapely.geometry import shape

        geom = shape(geometry)
        if geometry.get("type") not in ("Polygon", "MultiPolygon") or not geom.is_valid:
            raise ValueError
    except Exception:  # noqa: BLE001 — any malformed GeoJSON is the same refusal
        errors["part_geometry"] = [_("The shape drawn on the map must be a valid polygon "
                                     "(GeoJSON).")]
        return
    boundary = getattr(commune, "boundary", None)
    if boundary is not None and not shape(boundary.geometry).intersects(geom):
        errors["part_geometry"] = [_("The shape drawn lies outside the commune.")]
    elif geometry_area_km2(geometry) <= 0:
        errors["part_geometry"] = [_("The shape drawn has no area.")]


def selection_levels(commune: Commune, types: list[str], on: date) -> dict:
    """The levels at selection: crimes of the area's types and the data-driven criteria over
    the 12 months before the decision, with the records behind them."""
    start, end = add_months(on, -12) + timedelta(days=1), on
    found = crimes_in([commune.pk], start, end, groups_of(types)).filter(initiated_on__lte=on)
    levels = criteria(commune, start, end, as_of=on)
    levels["crimes"] = {"count": found.count(),
                        "ids": list(found.order_by("pk").values_list("pk", flat=True))}
    return levels


@transaction.atomic
def area_select(*, actor, year: int, commune: Commune, name: str, types: Iterable[str],
                decision_number: str, decision_date: date, steering_unit: Unit,
                lead_unit: Unit, coordinating_units: Iterable[Unit] = (), reasons: str = "",
                part_geometry: dict | None = None, part_description: str = "",
                assessment_due: date | None = None,
                recorded_level: int | None = None) -> KeyArea:
    """Enter an area in the register as selected by the Steering Committee's decision. An
    earlier selection of the same area still under the relapse watch relapses.

    `recorded_level`: the crimes of the 12 months before selection as the Steering
    Committee's dossier counts them, for the first years of use, when the system holds
    fewer records of that time; the higher of the two is the level at selection."""
    _require(actor, steering_unit)
    types = list(dict.fromkeys(types))
    coordinating = [u for u in coordinating_units if u.pk != lead_unit.pk]
    errors: dict[str, list[str]] = {}
    name = (name or "").strip() or commune.name
    if not types or any(t not in AreaType.values for t in types):
        errors["types"] = [_("Choose at least one valid type of area.")]
    if not decision_number.strip():
        errors["decision_number"] = [_("Required.")]
    if steering_unit.kind != Unit.Kind.STEERING_COMMITTEE:
        errors["steering_unit"] = [_("The selection is decided by the Steering Committee.")]
    if not lead_unit.is_current:
        errors["lead_unit"] = [_("This unit no longer operates.")]
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Invalid year.")]
    _not_future(decision_date, errors, "decision_date")
    _check_geometry(part_geometry, commune, errors)
    if KeyArea.objects.filter(year=year, commune=commune, name=name).exists():
        errors["name"] = [_("The area «%(name)s» is already on the list of %(year)s.")
                          % {"name": name, "year": year}]
    _invalid(errors)

    levels = selection_levels(commune, types, decision_date)
    baseline = levels["crimes"]["count"]
    if recorded_level is not None and recorded_level > baseline:
        levels["recorded_level"] = baseline = recorded_level
    earlier = (KeyArea.objects.select_for_update(of=("self",))
               .filter(commune=commune, name=name, year__lt=year).order_by("-year").first())
    try:
        with transaction.atomic():  # two people entering the same decision at once
            area = KeyArea.objects.create(
                year=year, name=name, commune=commune, part_geometry=part_geometry or None,
                part_description=part_description.strip(), types=types,
                decision_number=decision_number.strip(), decision_date=decision_date,
                steering_unit=steering_unit, lead_unit=lead_unit, reasons=reasons.strip(),
                previous=earlier, status=S.SELECTED, status_since=decision_date,
                selection_snapshot=levels, baseline_crimes=baseline,
                assessment_due=assessment_due or date(year, 12, 31), created_by=actor)
    except IntegrityError:
        raise DomainError("invalid", _("The data are not valid yet."), details={
            "name": [_("The area «%(name)s» is already on the list of %(year)s.")
                     % {"name": name, "year": year}]}) from None
    area.coordinating_units.set(coordinating)
    audit_record(actor=actor, action="keyarea.select", obj=area, to_state=area.status,
                 changes={"year": [None, year], "commune": [None, commune.code],
                          "types": [None, types], "decision": [None, area.decision_number],
                          "decision_date": [None, decision_date.isoformat()],
                          "lead_unit": [None, lead_unit.pk],
                          "coordinating_units": [None, [u.pk for u in coordinating]],
                          "baseline_crimes": [None, area.baseline_crimes]})
    if earlier is not None and earlier.status in WATCHED_STATUSES and (
            earlier.watch_until is None or earlier.watch_until >= decision_date):
        _relapse(actor, earlier, on=decision_date,
                 reason=f"Được lựa chọn lại là địa bàn trọng điểm, phức tạp năm {year} "  # i18n: data
                        f"(quyết định {area.decision_number}).",
                 evidence={"selected_again": area.pk, "decision": area.decision_number})
    return area


@transaction.atomic
def area_start(*, actor, area: KeyArea, on: date | None = None, note: str = "") -> KeyArea:
    """The transformation begins (the plan has been issued)."""
    area = _lock(area)
    before = area.status
    _check(area, "start")
    _require(actor, area.steering_unit)
    on = on or timezone.localdate()
    errors: dict = {}
    _not_future(on, errors)
    if on < area.decision_date:
        errors["on"] = [_("The start cannot be before the selection decision.")]
    _invalid(errors)
    _set_status(area, S.TRANSFORMING, on)
    area.save(update_fields=["status", "status_since", "updated_at"])
    _record(actor, area, "start", before, note=note, changes={"on": [None, on.isoformat()]})
    return area


@transaction.atomic
def area_add_measure(*, actor, area: KeyArea, title: str, content: str, lead_unit: Unit,
                     deadline: date, coordinating_units: Iterable[Unit] = (),
                     today: date | None = None):
    """A measure of the transformation plan: a task of the plans app, in the area's plan
    (created on the first measure, issued by the Steering Committee)."""
    from pctp.plans.services import plan_create, task_assign

    area = _lock(area)
    _check(area, "add_measure")
    _require(actor, area.steering_unit)
    if area.plan is None:
        issued = max(area.decision_date, min(today or timezone.localdate(),
                                             date(area.year, 12, 31)))
        area.plan = plan_create(  # i18n: data (the plan's own record)
            actor=actor, number=f"KHCH-{area.pk}/{area.year}",
            title=f"Kế hoạch chuyển hóa địa bàn trọng điểm, phức tạp: {area.name}"
                  + ("" if area.name == area.commune.name else f" ({area.commune.name})")
                  + f", năm {area.year}",
            issuing_unit=area.steering_unit, steering_unit=area.steering_unit, issued_on=issued,
            period_start=area.decision_date, period_end=max(area.assessment_due, issued),
            legal_basis=f"Quyết định {area.decision_number} ngày "
                        f"{area.decision_date:%d/%m/%Y} của Ban Chỉ đạo")
        area.save(update_fields=["plan", "updated_at"])
    task = task_assign(actor=actor, plan=area.plan, title=title, content=content,
                       lead_unit=lead_unit, coordinating_units=coordinating_units,
                       deadline=deadline, target_code="T9",
                       plan_item=f"Địa bàn {area.name}",  # i18n: data (stored on the task)
                       today=today)
    _record(actor, area, "add_measure", area.status, changes={"task": [None, task.pk]})
    return task


# ----------------------------------------------------------------------------- assessment

@dataclass(frozen=True)
class Recorded:
    """The criteria recorded with evidence (not computable from records)."""

    community_model: bool = False
    community_model_evidence: str = ""
    political_system: bool = False
    political_system_evidence: str = ""
    conventions: bool = False
    conventions_evidence: str = ""
    note: str = ""


def _recorded_errors(recorded: Recorded) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("community_model", "political_system", "conventions"):
        if getattr(recorded, name) and not getattr(recorded, f"{name}_evidence").strip():
            errors[f"{name}_evidence"] = [_("A criterion met needs its evidence.")]
    return errors


def _result(computed: dict, recorded: Recorded) -> str:
    ok = all(c["passed"] for c in computed["criteria"].values()) and (
        recorded.community_model and recorded.political_system and recorded.conventions)
    return "transformed" if ok else "not_transformed"


@transaction.atomic
def assessment_draft(*, actor, area: KeyArea, period_start: date | None = None,
                     period_end: date | None = None, recorded: Recorded = Recorded(),
                     as_of: date | None = None) -> Assessment:
    """A draft assessment: the data-driven criteria computed now from the records of the
    period (default: from the selection decision to the assessment due date)."""
    area = _lock(area)
    _check(area, "draft_assessment")
    _require(actor, area.steering_unit)
    period_start = period_start or area.decision_date
    period_end = period_end or area.assessment_due
    as_of = as_of or timezone.localdate()
    errors = _recorded_errors(recorded)
    if period_end < period_start:
        errors["period_end"] = [_("The end date must come after the start date.")]
    _invalid(errors)
    computed = criteria(area.commune, period_start, period_end, as_of=as_of)
    assessment = Assessment.objects.create(
        area=area, period_start=period_start, period_end=period_end, computed=computed,
        computed_at=timezone.now(), drafted_by=actor, result=_result(computed, recorded),
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in recorded.__dict__.items()})
    audit_record(actor=actor, action="assessment.draft", obj=assessment, to_state="draft",
                 changes={"area": [None, area.pk], "result": [None, assessment.result]})
    _record(actor, area, "draft_assessment", area.status,
            changes={"assessment": [None, assessment.pk]})
    return assessment


@transaction.atomic
def assessment_sign(*, actor, assessment: Assessment, on: date | None = None) -> Assessment:
    """A leader signs: the data-driven criteria are computed once more from the records as
    they stand on the day of signing, the result follows from all criteria, and the
    assessment is frozen. The area becomes transformed or not transformed."""
    area = _lock(assessment.area_id)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.state != Assessment.State.DRAFT:
        raise InvalidTransition("already_signed", _("This assessment is signed and cannot be "
                                                    "changed."),
                                details={"state": assessment.state})
    before = area.status
    _check(area, "sign_assessment")
    _require(actor, area.steering_unit)
    on = on or timezone.localdate()
    errors: dict = {}
    _not_future(on, errors)
    if on < area.status_since:
        errors["on"] = [_("The signature cannot be before the start of the transformation.")]
    _invalid(errors)
    recorded = Recorded(**{k: getattr(assessment, k) for k in Recorded.__dataclass_fields__})
    computed = criteria(area.commune, assessment.period_start, assessment.period_end, as_of=on)
    assessment.computed, assessment.computed_at = computed, timezone.now()
    assessment.result = _result(computed, recorded)
    assessment.state, assessment.signed_by = Assessment.State.SIGNED, actor
    assessment.signed_on, assessment.signed_at = on, timezone.now()
    assessment.save()
    area.assessed_on, area.assessment_result = on, assessment.result
    if assessment.result == "transformed":
        _set_status(area, S.TRANSFORMED, on)
        area.watch_from = on
        area.watch_until = add_months(on, conf.watch_months())
    else:
        _set_status(area, S.NOT_TRANSFORMED, on)
    area.save()
    audit_record(actor=actor, action="assessment.sign", obj=assessment, from_state="draft",
                 to_state="signed", changes={"result": [None, assessment.result]})
    _record(actor, area, "sign_assessment", before,
            changes={"assessment": [None, assessment.pk], "result": [None, assessment.result],
                     "on": [None, on.isoformat()]})
    return assessment


# ----------------------------------------------------------------------------- removal, relapse

@transaction.atomic
def area_remove(*, actor, area: KeyArea, decision_number: str, on: date | None = None,
                note: str = "") -> KeyArea:
    """The Steering Committee's decision takes a transformed area off the list; the relapse
    watch runs PCTP_AREA_WATCH_MONTHS from this day."""
    area = _lock(area)
    before = area.status
    _check(area, "remove")
    _require(actor, area.steering_unit)
    on = on or timezone.localdate()
    errors: dict = {}
    if not decision_number.strip():
        errors["decision_number"] = [_("Required.")]
    _not_future(on, errors)
    if area.assessed_on and on < area.assessed_on:
        errors["on"] = [_("The decision cannot be before the assessment.")]
    _invalid(errors)
    _set_status(area, S.REMOVED, on)
    area.removal_decision, area.removed_on = decision_number.strip(), on
    area.watch_until = add_months(on, conf.watch_months())
    area.save()
    _record(actor, area, "remove", before, note=note,
            changes={"decision": [None, area.removal_decision], "on": [None, on.isoformat()],
                     "watch_until": [None, area.watch_until.isoformat()]})
    return area


def _relapse(actor, area: KeyArea, *, on: date, reason: str, evidence: dict) -> KeyArea:
    before = area.status
    _check(area, "relapse")
    _set_status(area, S.RELAPSED, on)
    area.relapsed_on, area.relapse_reason, area.relapse_evidence = on, reason, evidence
    area.save()
    _record(actor, area, "relapse", before, note=reason, changes={"on": [None, on.isoformat()]})
    _notify(area, key=f"relapse:{on.isoformat()}",  # i18n: data (stored notification)
            text=f"Địa bàn {area.name} ({area.commune.name}) đã tái phức tạp: {reason}")
    return area


@transaction.atomic
def area_relapse(*, actor, area: KeyArea, reason: str, on: date | None = None) -> KeyArea:
    """A leader records a relapse that the data do not show (with the reason)."""
    area = _lock(area)
    _check(area, "relapse")
    _require(actor, area.steering_unit)
    on = on or timezone.localdate()
    errors: dict = {}
    if not reason.strip():
        errors["reason"] = [_("Required.")]
    _not_future(on, errors)
    _invalid(errors)
    return _relapse(actor, area, on=on, reason=reason.strip(), evidence={"recorded_by": actor.pk})


# ----------------------------------------------------------------------------- relapse watch

def _month_end(month: date) -> date:
    return add_months(month.replace(day=1), 1) - timedelta(days=1)


def watch_evaluate(area: KeyArea, month: date, *, as_of: date) -> dict:
    """Crimes of the area's types and the data-driven criteria over the 12 months ending with
    `month`, against the level at selection."""
    end = _month_end(month)
    start = add_months(end + timedelta(days=1), -12)
    found = crimes_in([area.commune_id], start, end, groups_of(area.types)).filter(
        initiated_on__lte=as_of)
    n = found.count()
    computed = criteria(area.commune, start, end, as_of=as_of)
    computed["crimes"] = {"count": n, "ids": list(found.order_by("pk").values_list("pk",
                                                                                  flat=True))}
    base = area.baseline_crimes
    reasons = [f"criterion:{k}" for k, c in computed["criteria"].items() if not c["passed"]]
    if n > 0 and n >= base * conf.relapse_ratio():
        reasons.insert(0, "crimes_at_selection_level")
    if reasons:
        level = WatchCheck.Level.RELAPSE
    elif n > 0 and n >= base * conf.warn_ratio():
        level, reasons = WatchCheck.Level.WARNING, ["crimes_rising"]
    else:
        level = WatchCheck.Level.OK
    return {"month": month.replace(day=1), "window_start": start, "window_end": end,
            "crimes": n, "baseline": base, "computed": computed, "level": level,
            "reasons": reasons}


# Stored in the relapse reason and the notifications, and printed by areas-watch.
REASON_TEXT = {  # i18n: data
    "crimes_at_selection_level": "số vụ phạm tội 12 tháng đã trở lại mức lúc lựa chọn",
    "crimes_rising": "số vụ phạm tội 12 tháng tăng gần mức lúc lựa chọn",
    "criterion:detection": "tỷ lệ khám phá án dưới mức tiêu chí",
    "criterion:severe_detection": "tỷ lệ khám phá án rất nghiêm trọng, đặc biệt nghiêm trọng "
                                  "dưới mức tiêu chí",
    "criterion:sources": "còn nguồn tin chưa được giải quyết đúng hạn",
    "criterion:dangerous_groups": "có băng nhóm tội phạm nguy hiểm đang hoạt động",
}


def _months_due(area: KeyArea, today: date) -> list[date]:
    """The completed months of the watch window not yet checked."""
    last_done = today.replace(day=1) - timedelta(days=1)  # end of the last complete month
    first = area.watch_from.replace(day=1)
    last = min(last_done, area.watch_until or last_done)
    checked = set(area.watch_checks.values_list("month", flat=True))
    months, m = [], first
    while _month_end(m) <= last:
        if m not in checked:
            months.append(m)
        m = add_months(m, 1)
    return months


@transaction.atomic
def watch_area(*, area: KeyArea, today: date, commit: bool) -> list[dict]:
    """Check one area month by month; the first month that fails relapses it."""
    area = _lock(area)
    out = []
    for month in _months_due(area, today):
        result = watch_evaluate(area, month, as_of=today)
        out.append(result)
        if not commit:
            if result["level"] == WatchCheck.Level.RELAPSE:
                break
            continue
        check = WatchCheck.objects.create(area=area, **result)
        text = "; ".join(REASON_TEXT.get(r, r) for r in result["reasons"])
        if result["level"] == WatchCheck.Level.RELAPSE:
            _relapse(None, area, on=result["window_end"],  # i18n: data (stored reason)
                     reason=f"Theo dõi tháng {month:%m/%Y}: {text} "
                            f"({result['crimes']} vụ trong 12 tháng; lúc lựa chọn "
                            f"{result['baseline']} vụ).",
                     evidence={"watch_check": check.pk, "crimes": result["computed"]["crimes"],
                               "criteria": {k: {kk: vv for kk, vv in c.items()}
                                            for k, c in result["computed"]["criteria"].items()}})
            break
        if result["level"] == WatchCheck.Level.WARNING:
            _notify(area, key=f"warning:{month:%Y-%m}",  # i18n: data (stored notification)
                    text=f"Địa bàn {area.name} ({area.commune.name}) có dấu hiệu tái phức tạp "
                         f"(tháng {month:%m/%Y}): {text}: {result['crimes']} vụ trong 12 "
                         f"tháng, lúc lựa chọn {result['baseline']} vụ.")
    return out


@dataclass
class WatchRun:
    committed: bool
    areas: int = 0
    checks: list[tuple[KeyArea, dict]] = field(default_factory=list)

    @property
    def relapsed(self) -> list[KeyArea]:
        return [a for a, r in self.checks if r["level"] == WatchCheck.Level.RELAPSE]

    @property
    def warnings(self) -> list[KeyArea]:
        return [a for a, r in self.checks if r["level"] == WatchCheck.Level.WARNING]


def watch_run(*, today: date | None = None, commit: bool = False) -> WatchRun:
    """The monthly job: every transformed area still in its watch window."""
    today = today or timezone.localdate()
    run = WatchRun(committed=commit)
    areas = (KeyArea.objects.filter(status__in=WATCHED_STATUSES, watch_from__isnull=False,
                                    watch_from__lt=today)
             .filter(Q(watch_until__isnull=True) | Q(watch_until__gte=today - timedelta(days=31)))
             .select_related("commune").order_by("pk"))
    for area in areas:
        run.areas += 1
        for result in watch_area(area=area, today=today, commit=commit):
            run.checks.append((area, result))
    if commit:
        log.info("areas-watch: %d areas, %d checks, %d relapsed", run.areas, len(run.checks),
                 len(run.relapsed))
    return run


# ----------------------------------------------------------------------------- model communes

@transaction.atomic
def model_commune_record(*, actor, commune: Commune, kind: str, year: int,
                         status: str = ModelCommune.Status.BUILDING, decision_number: str = "",
                         decision_date: date | None = None, areas: Iterable[KeyArea] = (),
                         note: str = "") -> ModelCommune:
    steering = Unit.objects.filter(kind=Unit.Kind.STEERING_COMMITTEE,
                                   province=commune.province).first()
    if steering is None:
        raise DomainError("invalid", _("The province has no Steering Committee yet."))
    _require(actor, steering)
    errors: dict[str, list[str]] = {}
    if kind not in ModelCommune.Kind.values:
        errors["kind"] = [_("Invalid kind of model.")]
    if status not in ModelCommune.Status.values:
        errors["status"] = [_("Invalid status.")]
    if status == ModelCommune.Status.RECOGNISED and not decision_number.strip():
        errors["decision_number"] = [_("A recognition needs its decision number.")]
    areas = list(areas)
    if any(a.commune_id != commune.pk for a in areas):
        errors["areas"] = [_("Only areas of the same commune can be linked.")]
    if ModelCommune.objects.filter(commune=commune, kind=kind, year=year).exists():
        errors["year"] = [_("The commune already has this model in that year.")]
    _invalid(errors)
    mc = ModelCommune.objects.create(commune=commune, kind=kind, year=year, status=status,
                                     decision_number=decision_number.strip(),
                                     decision_date=decision_date, note=note.strip(),
                                     created_by=actor)
    mc.areas.set(areas)
    audit_record(actor=actor, action="model_commune.record", obj=mc, to_state=status,
                 changes={"commune": [None, commune.code], "kind": [None, kind],
                          "areas": [None, [a.pk for a in areas]]})
    return mc


MODEL_TRANSITIONS = {
    ModelCommune.Status.BUILDING: {ModelCommune.Status.RECOGNISED},
    ModelCommune.Status.RECOGNISED: {ModelCommune.Status.WITHDRAWN},
    ModelCommune.Status.WITHDRAWN: set(),
}


@transaction.atomic
def model_commune_set_status(*, actor, model: ModelCommune, status: str,
                             decision_number: str = "", on: date | None = None,
                             note: str = "") -> ModelCommune:
    model = ModelCommune.objects.select_for_update().select_related("commune").get(pk=model.pk)
    steering = Unit.objects.filter(kind=Unit.Kind.STEERING_COMMITTEE,
                                   province_id=model.commune.province_id).first()
    _require(actor, steering)
    before = model.status
    if status not in MODEL_TRANSITIONS.get(before, set()):
        raise InvalidTransition("invalid_transition",
                                _("The model cannot move from «%(status)s» to this status.")
                                % {"status": model.get_status_display()},
                                details={"state": before})
    if status == ModelCommune.Status.RECOGNISED and not decision_number.strip():
        _invalid({"decision_number": [_("A recognition needs its decision number.")]})
    model.status = status
    if decision_number.strip():
        model.decision_number = decision_number.strip()
        model.decision_date = on or timezone.localdate()
    if note.strip():
        model.note = note.strip()
    model.save()
    audit_record(actor=actor, action="model_commune.status", obj=model, from_state=before,
                 to_state=status, note=note)
    return model


def province_steering_unit() -> Unit | None:
    return Unit.objects.filter(kind=Unit.Kind.STEERING_COMMITTEE,
                               province__code=settings.PCTP_PROVINCE_CODE).first()
