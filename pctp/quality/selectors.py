"""What the quality page counts for a reader: the cases they may see (the province for
province-wide roles, else the cases their units investigate, supervise or try), narrowed to a
unit if asked, over a period; each indicator's figure and its breakdowns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.cases.selectors import all_cases, case_scope
from pctp.core.errors import DomainError, PermissionRefused
from pctp.kpi.periods import Period, PeriodError, parse
from pctp.quality.registry import INDICATORS, QualityIndicator
from pctp.units.models import Unit
from pctp.units.selectors import units_in_scope, user_memberships


def may_view(user) -> bool:
    return bool(user and (user.is_superuser or user.has_perm("quality.view_quality")))


@dataclass(frozen=True)
class Request:
    period: Period
    cases: QuerySet
    unit: Unit | None
    label: str
    today: date
    sources: QuerySet | None = None


def resolve(user, *, period: str | None = None, unit: str | None = None,
            today: date | None = None) -> Request:
    today = today or timezone.localdate()
    if not may_view(user):
        raise PermissionRefused("forbidden", _("You may not see the quality indicators."))
    try:
        chosen = parse(period or f"ytd:{today.year}", today=today)
    except PeriodError as exc:
        raise DomainError("invalid_period", str(exc), details={"field": "period"}) from exc
    if chosen.start > today:
        raise DomainError("invalid_period", _("The period %(p)s has not begun.")
                          % {"p": chosen.label}, details={"field": "period"})
    from pctp.kpi.selectors import is_province_wide
    from pctp.sources.selectors import all_sources, source_scope

    if is_province_wide(user):  # (an auditor holds no view_quality: refused above)
        from pctp.kpi.selectors import user_province

        province = user_province(user)
        cases = all_cases().filter(Q(investigation_body__province=province)
                                   | Q(procuracy__province=province))
        sources = all_sources().filter(holder__province=province)
        label = province.name
        allowed = Unit.objects.filter(province=province)
    else:
        cases = case_scope(user)
        sources = source_scope(user)
        allowed = units_in_scope(user)
        label = ", ".join(m.unit.name for m in user_memberships(user)) or "—"
    found = None
    if unit:
        found = allowed.filter(code=unit).first()
        if found is None:
            raise DomainError("invalid_unit", _("No unit %(u)s in your scope.") % {"u": unit},
                              details={"field": "unit"})
        ids = Unit.objects.filter(path__startswith=found.path).values("pk")
        cases = cases.filter(Q(investigation_body__in=ids) | Q(procuracy__in=ids)
                             | Q(court__in=ids))
        sources = sources.filter(Q(holder__in=ids) | Q(procuracy__in=ids))
        label = found.name
    return Request(chosen, cases, found, label, today, sources)


@dataclass
class Figure:
    indicator: QualityIndicator
    result: object

    @property
    def value(self) -> float | None:
        r = self.result
        if not r.denominator:
            return None
        value = 100.0 * r.numerator / r.denominator
        # A rare event still shows: 1 in 2,643 is 0.04 per 100, not 0.0.
        return round(value, 1) if value >= 1 or value == 0 else round(value, 2)

    def as_dict(self) -> dict:
        r = self.result
        return {"code": r.code, "name": r.name, "definition": r.definition,
                "kind": self.indicator.kind, "numerator": r.numerator,
                "denominator": r.denominator, "per_100": self.value,
                "numerator_label": str(self.indicator.numerator_label),
                "denominator_label": str(self.indicator.denominator_label),
                "period_start": r.period_start.isoformat(),
                "period_end": r.period_end.isoformat(),
                "alert": self.indicator.kind == "alert" and r.numerator > 0}


def get_indicator(code: str) -> QualityIndicator:
    found = INDICATORS.get(code.upper())
    if found is None:
        raise DomainError("invalid_indicator", _("There is no quality indicator %(c)s.")
                          % {"c": code}, details={"field": "indicator"})
    return found


def figure(req: Request, code: str) -> Figure:
    ind = get_indicator(code)
    scope = req.sources if ind.records == "sources" else req.cases
    return Figure(ind, ind.compute(scope, req.period.start, req.period.end, as_of=req.today))


def figures(req: Request) -> list[Figure]:
    return [figure(req, code) for code in INDICATORS]


def breakdown(fig: Figure, by: str) -> list[dict]:
    """The figure per unit answerable (`by="unit"`) or per investigator (`by="person"`),
    most records first. The investigator is named: these pages are for the procuracy and
    the leaders who answer for the quality of the work (no citizen is named)."""
    if by not in ("unit", "person", "reason") or (by == "reason"
                                                   and not fig.indicator.by_reason):
        raise DomainError("invalid_breakdown", _("A breakdown is by unit or by person."),
                          details={"field": "by"})
    path = {"unit": fig.indicator.by_unit, "person": fig.indicator.by_person,
            "reason": fig.indicator.by_reason}[by]
    r = fig.result

    def grouped(qs):
        return {row[path]: row["n"] for row in qs.order_by().values(path).annotate(
            n=Count("pk"))}

    num, den = grouped(r.numerator_records), grouped(r.denominator_records)
    keys = [k for k in set(num) | set(den)]
    if by == "reason":
        names = {k: str(v) for k, v in fig.indicator.reason_labels}
        names[""] = _("no change")
    elif by == "unit":
        names = {u.pk: u.name for u in Unit.objects.filter(pk__in=[k for k in keys if k])}
    else:
        from django.contrib.auth import get_user_model

        names = {u.pk: (u.full_name or u.username) for u in
                 get_user_model().objects.filter(pk__in=[k for k in keys if k])}
    rows = [{"key": k, "name": names.get(k, _("not assigned")), "numerator": num.get(k, 0),
             "denominator": den.get(k, 0),
             "per_100": round(100.0 * num.get(k, 0) / den[k], 1) if den.get(k) else None}
            for k in keys]
    if by == "reason":  # each reason's share of the changes (the unchanged have none)
        rows = [r for r in rows if r["key"]]
        total = sum(r["numerator"] for r in rows)
        for r in rows:
            r["denominator"] = total
            r["per_100"] = round(100.0 * r["numerator"] / total, 1) if total else None
    return sorted(rows, key=lambda x: (-x["numerator"], -x["denominator"], str(x["name"])))


def records(fig: Figure, part: str) -> QuerySet:
    if part not in ("numerator", "denominator"):
        raise DomainError("invalid_part", _("Choose the numerator or the denominator."),
                          details={"field": "part"})
    qs = fig.result.numerator_records if part == "numerator" else fig.result.denominator_records
    return qs.order_by("pk")


# ----------------------------------------------------------------------------- time in each stage

# Below this many stretches a unit's median and 90th percentile are not shown (a p90 of three
# values is one of them): decision 59.
MIN_STAGE_RECORDS = 5


def _p90(values: list[int]) -> int:
    """The 90th percentile by nearest rank: the smallest value at least 90% of the values do
    not exceed (values sorted)."""
    import math

    return values[max(0, math.ceil(0.9 * len(values)) - 1)]


def _summary(rows: list) -> dict:
    import statistics

    days = sorted(r.days for r in rows)
    limits = sorted(r.limit_days for r in rows if r.limit_days is not None)
    enough = len(days) >= MIN_STAGE_RECORDS
    return {"n": len(days), "enough": enough,
            "median": statistics.median(days) if enough else None,
            "p90": _p90(days) if enough else None,
            "limit_median": statistics.median(limits) if limits else None,
            "over": sum(1 for r in rows if r.over)}


def stage_table(req: Request) -> list[dict]:
    """For each stage, every unit's stretches ended in the period: how many, their median
    and 90th percentile in days, the median limit and how many ran past it; the stage's
    whole scope first."""
    from pctp.cases.quality import STAGES, stage_intervals

    labels = stage_labels()
    out = []
    for stage in STAGES:
        rows = stage_intervals(req.cases, req.period.start, req.period.end, as_of=req.today,
                               stage=stage)
        by_unit: dict = {}
        for r in rows:
            by_unit.setdefault(r.unit_id, []).append(r)
        names = {u.pk: u.name for u in Unit.objects.filter(pk__in=[k for k in by_unit if k])}
        units = [{"unit": k, "name": names.get(k, _("not recorded")), **_summary(v)}
                 for k, v in by_unit.items()]
        units.sort(key=lambda x: (-x["n"], str(x["name"])))
        out.append({"stage": stage, "label": labels[stage], "all": _summary(rows),
                    "units": units})
    return out


def stage_labels() -> dict:
    return {"investigation": _("Investigation (initiation to conclusion, CPC Art. 172)"),
            "prosecution": _("Deciding on prosecution (receipt of the file to the decision, "
                             "Art. 240)"),
            "trial": _("Preparing the trial (receipt of the indictment to the judgment or "
                       "return, Art. 277)"),
            "appeal": _("Appeal (entered to the appellate decision, Art. 346)")}


def stage_records(req: Request, stage: str, unit: int | None) -> list:
    """The stretches behind one row of the table (``unit`` None: the whole stage), the
    longest first, each with its case."""
    from pctp.cases.quality import STAGES, stage_intervals

    if stage not in STAGES:
        raise DomainError("invalid_stage", _("There is no stage %(s)s.") % {"s": stage},
                          details={"field": "stage"})
    rows = stage_intervals(req.cases, req.period.start, req.period.end, as_of=req.today,
                           stage=stage)
    if unit is not None:
        rows = [r for r in rows if r.unit_id == unit]
    rows.sort(key=lambda r: (-r.days, r.case_id))
    codes = {c.pk: c for c in all_cases().filter(pk__in={r.case_id for r in rows})
             .select_related("investigation_body")}
    return [{"case": codes[r.case_id], "interval": r} for r in rows if r.case_id in codes]
