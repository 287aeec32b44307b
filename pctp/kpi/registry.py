"""The indicator registry and the KPI engine behind the dashboard, the CLI and the API.

Each indicator is named once here: its code, Vietnamese name, the plain definition of its
numerator and denominator (the indicator function's own text, shown next to every value),
the function that computes both from records, which unit and commune a record belongs
to (for breakdowns), options where DOMAIN.md leaves the formula open, and the direction
(higher or lower is better).

Values are counted in the database: a headline is one aggregate over the indicator's rows
(numerator and denominator as two FILTERed COUNTs; T6: two SUMs); asked for its trend, the
same aggregate also counts both sides of the period cut at each month's end (calendar or
statistical months alike), so a figure and its trend cost one pass over the rows. A
breakdown by unit or commune is one GROUP BY per side. T6's trend is one conditional SUM per
side; T9 and T10 (a few dozen areas) are counted month by month.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db import connection, connections
from django.db.models import Count, Model, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctp.core.dates import shift_year
from pctp.core.indicators import IndicatorResult
from pctp.kpi.periods import YEAR_KINDS, Period, court_year_for
from pctp.kpi.periods import parse as parse_period
from pctp.units.models import Commune, Province, Unit

HIGHER, LOWER = "higher", "lower"
STATUSES = ("met", "at_risk", "missed", "no_data")
STATUS_LABELS = {
    "met": _("met"),
    "at_risk": _("at risk"),
    "missed": _("missed"),
    "no_data": _("not enough data"),
}


# ----------------------------------------------------------------------------- scope

@dataclass(frozen=True)
class Scope:
    """Where a figure is counted: the whole province, one unit and the units under it, or
    one commune."""

    province: Province
    unit: Unit | None = None
    commune: Commune | None = None

    @property
    def key(self) -> str:
        if self.unit is not None:
            return f"unit:{self.unit.code}"
        if self.commune is not None:
            return f"commune:{self.commune.code}"
        return "province"

    @property
    def label(self) -> str:
        if self.unit is not None:
            return self.unit.name
        if self.commune is not None:
            return self.commune.name
        return self.province.name

    # Asked once per scope object (a request builds one), not once per figure.
    @cached_property
    def single_province(self) -> bool:
        """Whether every unit of the database is this province's."""
        return not Unit.objects.exclude(province=self.province).exists()

    @cached_property
    def unit_ids(self) -> list[int]:
        """The scope's unit and every unit under it."""
        return list(Unit.objects.filter(path__startswith=self.unit.path)
                    .values_list("pk", flat=True))


# ----------------------------------------------------------------------------- registry

def _sources_model():
    from pctp.sources.selectors import all_sources
    return all_sources().model


def _cases_model():
    from pctp.cases.selectors import all_cases
    return all_cases().model


def _areas_model():
    from pctp.areas.selectors import all_key_areas
    return all_key_areas().model


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    numerator_label: str
    denominator_label: str
    direction: str
    model: Callable[[], type[Model]]
    unit_field: str            # on the base model: whose figure a record is
    commune_field: str
    compute: Callable[..., IndicatorResult]
    # Group paths on the numerator's and denominator's record models.
    num_paths: dict[str, str]
    den_paths: dict[str, str]
    num_sum: str | None = None  # summed field (VND) instead of a count
    den_sum: str | None = None
    kind: str = "rate"           # rate: num/den %; change: (num - den)/den %
    value_unit: str = "%"
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # How the indicator function counts its trend in the same query as its figure (`cuts`):
    # "additive" (a month's own counts are the differences), "carried" (the denominator
    # carries over from before the period: only the cumulative figure means something),
    # None (the trend is computed apart).
    trend: str | None = None

    def value(self, numerator: int, denominator: int) -> float | None:
        if not denominator:
            return None
        if self.kind == "change":
            return round(100.0 * (numerator - denominator) / denominator, 2)
        return round(100.0 * numerator / denominator, 2)

    def base(self, scope: Scope) -> QuerySet:
        qs = self.model().objects.all()
        if scope.unit is not None:
            return qs.filter(**{f"{self.unit_field}__in": scope.unit_ids})
        if scope.commune is not None:
            return qs.filter(**{self.commune_field: scope.commune})
        if scope.single_province:
            # Every unit is the province's, so every record is: no join, no filter.
            return qs
        units = list(Unit.objects.filter(province=scope.province).values_list("pk", flat=True))
        return qs.filter(**{f"{self.unit_field}__in": units})

    def result(self, scope: Scope, start: date, end: date, *, as_of: date,
               options: dict | None = None, cuts=()) -> IndicatorResult:
        extra = dict(options or {})
        if cuts and self.trend:
            extra["cuts"] = tuple(cuts)
        return self.compute(self.base(scope), start, end, as_of=as_of, **extra)


def _t2(qs, start, end, *, as_of, cuts=()):
    from pctp.sources.indicators import t2_received_classified
    return t2_received_classified(qs, start, end, cuts=cuts)


def _t3(qs, start, end, *, as_of, cuts=()):
    from pctp.sources.indicators import t3_resolution
    return t3_resolution(qs, start, end, cuts=cuts)


def _cases_fn(name):
    def run(qs, start, end, *, as_of, **options):
        from pctp.cases import indicators
        if name == "t8_court_resolution":
            return indicators.t8_court_resolution(qs, start, end, cuts=options.get("cuts", ()))
        if name == "t6":
            basis = options.get("basis", "damage")
            fn = indicators.t6_enforcement if basis == "enforcement" else indicators.t6_recovery
            return fn(qs, start, end, as_of=as_of)
        return getattr(indicators, name)(qs, start, end, as_of=as_of,
                                         cuts=options.get("cuts", ()))
    return run


def _areas_fn(name):
    def run(qs, start, end, *, as_of, **options):
        from pctp.areas import indicators
        return getattr(indicators, name)(qs, start, end, as_of=as_of, **options)
    return run


CASE_PATHS = {"unit": "investigation_body", "commune": "commune"}
REGISTRY: dict[str, Indicator] = {i.code: i for i in [
    Indicator("T1", _("Social-order crimes against the same period last year"),
              _("social-order cases this period"), _("the same period last year"), LOWER,
              _cases_model, "investigation_body", "commune", _cases_fn("t1_social_order"),
              CASE_PATHS, CASE_PATHS, kind="change", trend="additive"),
    Indicator("T2", _("Crime sources received and classified on time"),
              _("classified within 24 hours"), _("sources received"), HIGHER,
              _sources_model, "holder", "commune", _t2,
              {"unit": "holder", "commune": "commune"}, {"unit": "holder", "commune": "commune"},
              trend="additive"),
    Indicator("T3", _("Crime sources resolved"), _("resolved in the period"),
              _("to resolve in the period"), HIGHER, _sources_model, "holder", "commune", _t3,
              {"unit": "holder", "commune": "commune"}, {"unit": "holder", "commune": "commune"},
              trend="carried"),
    Indicator("T4", _("Detection rate"), _("cases detected"), _("cases that occurred"), HIGHER,
              _cases_model, "investigation_body", "commune", _cases_fn("t4_detection"),
              CASE_PATHS, CASE_PATHS, trend="additive"),
    Indicator("T5", _("Detection of very and especially serious crimes"),
              _("severe cases detected"), _("severe cases initiated"), HIGHER, _cases_model,
              "investigation_body", "commune", _cases_fn("t5_severe_detection"),
              CASE_PATHS, CASE_PATHS, trend="additive"),
    Indicator("T6", _("Assets recovered in corruption cases"),
              _("value recovered, seized or frozen (VND)"),
              _("value appropriated or lost (VND)"), HIGHER, _cases_model,
              "investigation_body", "commune", _cases_fn("t6"),
              {"unit": "case__investigation_body", "commune": "case__commune"}, CASE_PATHS,
              num_sum="amount", den_sum="value_lost",
              options={"basis": [("damage", _("value appropriated or lost")),
                                 ("enforcement", _("value to be enforced by judgments"))]}),
    Indicator("T7", _("Cases prosecuted on time"), _("decided within the limit"),
              _("files received by the procuracy"), HIGHER, _cases_model, "procuracy",
              "commune", _cases_fn("t7_on_time_prosecution"),
              {"unit": "case__procuracy", "commune": "case__commune"},
              {"unit": "case__procuracy", "commune": "case__commune"}, trend="additive"),
    Indicator("T8", _("Criminal cases tried by the courts"), _("cases tried"),
              _("cases to resolve"), HIGHER, _cases_model, "court", "commune",
              _cases_fn("t8_court_resolution"),
              {"unit": "case__court", "commune": "case__commune"},
              {"unit": "case__court", "commune": "case__commune"}, trend="carried"),
    Indicator("T9", _("Key areas transformed"), _("areas assessed as transformed"),
              _("areas selected"), HIGHER, _areas_model, "lead_unit", "commune",
              _areas_fn("t9_transformed"),
              {"unit": "lead_unit", "commune": "commune"},
              {"unit": "lead_unit", "commune": "commune"}, trend="additive"),
    Indicator("T10", _("Transformed areas not relapsing"), _("not relapsed"),
              _("transformed areas"), HIGHER, _areas_model, "lead_unit", "commune",
              _areas_fn("t10_not_relapsed"),
              {"unit": "lead_unit", "commune": "commune"},
              {"unit": "lead_unit", "commune": "commune"}),
]}


def get(code: str) -> Indicator:
    try:
        return REGISTRY[code]
    except KeyError as exc:
        raise KeyError(f"unknown indicator {code!r}") from exc


# ----------------------------------------------------------------------------- status

def status_of(value: float | None, denominator: int, *, comparator: str, threshold: Decimal | float,
              min_denominator: int | None = None, margin: float | None = None) -> str:
    """met / at_risk / missed, or no_data when the denominator is under the minimum (a
    handful of records says nothing either way)."""
    min_denominator = (settings.PCTP_KPI_MIN_DENOMINATOR if min_denominator is None
                       else min_denominator)
    margin = settings.PCTP_KPI_AT_RISK_MARGIN if margin is None else margin
    if value is None or denominator < min_denominator:
        return "no_data"
    t = float(threshold)
    ok = {">=": value >= t, ">": value > t, "<=": value <= t, "<": value < t}[comparator]
    if ok:
        return "met"
    return "at_risk" if abs(value - t) <= margin else "missed"


# ----------------------------------------------------------------------------- figures

@dataclass
class Figure:
    """One target over one period and scope, as the dashboard, CLI, API and .xlsx show it."""

    target: object  # plans.Target
    indicator: Indicator
    period: Period        # the period the user chose
    measured: Period      # the period the target is measured over (court year for T8)
    scope: Scope
    result: IndicatorResult
    previous: IndicatorResult | None
    status: str
    value: float | None
    previous_value: float | None
    snapshot: object | None = None  # plans.KpiSnapshot when the period is closed
    revision: object | None = None

    @property
    def change(self) -> float | None:
        """Points of change against the same period last year (None without data)."""
        if self.value is None or self.previous_value is None:
            return None
        return round(self.value - self.previous_value, 2)

    @property
    def definition(self) -> str:
        return self.result.definition

    def as_dict(self) -> dict:
        t = self.target
        return {
            "target": t.code, "indicator": self.indicator.code, "name": str(self.indicator.name),
            "definition": self.definition,
            "numerator_label": str(self.indicator.numerator_label),
            "denominator_label": str(self.indicator.denominator_label),
            "period": self.measured.key, "period_start": self.measured.start.isoformat(),
            "period_end": self.measured.end.isoformat(),
            "value": self.value, "value_unit": self.indicator.value_unit,
            "numerator": self.result.numerator, "denominator": self.result.denominator,
            "comparator": t.comparator, "threshold": float(t.threshold),
            "status": self.status, "direction": self.indicator.direction,
            "previous_value": self.previous_value, "change": self.change,
            "scope": self.scope.key,
            "closed": self.snapshot is not None,
            "closed_value": (float(self.snapshot.value) if self.snapshot is not None
                             and self.snapshot.value is not None else None),
            "revised": self.revision is not None,
        }


def measured_period(target, period: Period) -> Period:
    """The period a target is measured over: the one chosen, or for a yearly figure the
    year of the kind the plan names (court, calendar or statistical year; T8 is usually
    counted over the court year, and the province may choose the others)."""
    if target.period_type == "court_year":
        return court_year_for(period)
    if target.period_type in ("year", "stat_year") and period.kind in YEAR_KINDS \
            and period.kind not in ("ytd", target.period_type):
        prefix = "tk:" if target.period_type == "stat_year" else ""
        return parse_period(f"{prefix}{period.end.year}")
    return period


def trend_cuts(target, period: Period, as_of: date) -> list[date]:
    """The days a trend is counted at: the end of each month of the measured period
    (statistical months for statistical periods) that has begun by `as_of`."""
    return [last for first, last in measured_period(target, period).months() if first <= as_of]


def figure(target, period: Period, scope: Scope, *, as_of: date | None = None,
           compare: bool = True, trend: bool = False) -> Figure:
    """A target's figure. `trend`: also count the monthly trend, in the same query where
    the indicator can (`series(..., result=figure.result)` then costs nothing more)."""
    as_of = as_of or timezone.localdate()
    indicator = get(target.indicator)
    measured = measured_period(target, period)
    result = indicator.result(scope, measured.start, measured.end, as_of=as_of,
                              options=target.options,
                              cuts=trend_cuts(target, period, as_of) if trend else ())
    value = indicator.value(result.numerator, result.denominator)
    previous = previous_value = None
    if compare:
        before = measured.previous_year()
        # As the figure stood at the same point a year earlier: last year's cases have
        # had a year longer to be detected, which would flatter the comparison.
        previous = indicator.result(scope, before.start, before.end,
                                    as_of=shift_year(as_of, -1), options=target.options)
        # Last year's figure obeys the same small-number guard: a rate over a handful of
        # records (e.g. the first year of records) is not a comparison.
        if previous.denominator >= settings.PCTP_KPI_MIN_DENOMINATOR:
            previous_value = indicator.value(previous.numerator, previous.denominator)
    return Figure(target, indicator, period, measured, scope, result, previous,
                  status_of(value, result.denominator, comparator=target.comparator,
                            threshold=target.threshold), value, previous_value)


def dashboard(plan, period: Period, scope: Scope, *, as_of: date | None = None,
              trend: bool = False) -> list[Figure]:
    """Every target's figure, in the plan's order. The targets' queries are independent, so
    on PostgreSQL they run on `PCTP_KPI_WORKERS` connections at once; inside a transaction
    (whose rows other connections cannot see) they run one after the other."""
    as_of = as_of or timezone.localdate()
    targets = list(plan.targets.all())
    workers = min(settings.PCTP_KPI_WORKERS, len(targets))
    if workers <= 1 or not _parallel_allowed():
        return [figure(t, period, scope, as_of=as_of, trend=trend) for t in targets]
    # Facts about the scope asked once here, not once per worker.
    if scope.unit is not None:
        scope.unit_ids  # noqa: B018 - asked here once, not by each worker
    elif scope.commune is None:
        scope.single_province  # noqa: B018

    def run(target):
        try:
            return figure(target, period, scope, as_of=as_of, trend=trend)
        finally:
            # The worker's connection is closed after each target: none is left open
            # between requests (a few ms to connect again, against 50–300 ms a target).
            connections.close_all()

    # Each worker thread reads the database this request reads (a replica, issue 23).
    context = contextvars.copy_context()
    return list(_executor(workers).map(lambda t: context.copy().run(run, t), targets))


_EXECUTORS: dict[int, ThreadPoolExecutor] = {}


def _executor(workers: int) -> ThreadPoolExecutor:
    if workers not in _EXECUTORS:
        _EXECUTORS[workers] = ThreadPoolExecutor(max_workers=workers,
                                                 thread_name_prefix="pctp-kpi")
    return _EXECUTORS[workers]


def _parallel_allowed() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


# ----------------------------------------------------------------------------- breakdowns

def _group(qs: QuerySet, path: str, summed: str | None) -> dict:
    agg = Sum(summed) if summed else Count("pk")
    return {row[path]: int(row["v"] or 0)
            for row in qs.order_by().values(path).annotate(v=agg)}


def breakdown(target, period: Period, scope: Scope, by: str, *, as_of: date | None = None,
              result: IndicatorResult | None = None) -> list[dict]:
    """The figure per unit (`by="unit"`: the unit a record belongs to) or per commune,
    with the same status rule, biggest denominator first. `result`: the figure already
    computed for the same period, scope and day (its records are grouped)."""
    as_of = as_of or timezone.localdate()
    indicator = get(target.indicator)
    measured = measured_period(target, period)
    result = result or indicator.result(scope, measured.start, measured.end, as_of=as_of,
                                        options=target.options)
    if result.counted is not None and indicator.num_paths[by] == indicator.den_paths[by]:
        # Both sides in one GROUP BY over the rows the figure counted.
        pairs = result.counted.by(indicator.num_paths[by])
        num = {k: n for k, (n, _d) in pairs.items() if n}
        den = {k: d for k, (_n, d) in pairs.items() if d}
    else:
        num = _group(result.numerator_records, indicator.num_paths[by], indicator.num_sum)
        den = _group(result.denominator_records, indicator.den_paths[by], indicator.den_sum)
    keys = {k for k in set(num) | set(den) if k is not None}
    model = Unit if by == "unit" else Commune
    objects = model.objects.in_bulk(list(keys))
    rows = []
    for key in keys:
        n, d = num.get(key, 0), den.get(key, 0)
        value = indicator.value(n, d)
        rows.append({"key": key, "object": objects.get(key), "numerator": n, "denominator": d,
                     "value": value,
                     "status": status_of(value, d, comparator=target.comparator,
                                         threshold=target.threshold)})
    return sorted(rows, key=lambda r: (-r["denominator"], str(r["object"])))


def series(target, period: Period, scope: Scope, *, as_of: date | None = None,
           result: IndicatorResult | None = None) -> list[dict]:
    """The figure from the start of the period to the end of each month (statistical months
    for statistical periods): the path towards the period's value, which the last point
    equals once the period has ended. `month_*` are the counts of that month alone where
    they add up. `result`: the figure already computed for the same period, scope and day
    (with its trend, `figure(..., trend=True)`, it is reused and nothing is counted again)."""
    as_of = as_of or timezone.localdate()
    indicator = get(target.indicator)
    measured = measured_period(target, period)
    months = [m for m in measured.months() if m[0] <= as_of]
    out = []
    if indicator.trend:
        cuts = trend_cuts(target, period, as_of)
        if result is None or [day for day, _n, _d in result.trend] != cuts:
            result = indicator.result(scope, measured.start, measured.end, as_of=as_of,
                                      options=target.options, cuts=cuts)
        additive = indicator.trend == "additive"
        n_before = d_before = 0
        for (first, last), (_day, n, d) in zip(months, result.trend, strict=True):
            out.append({"start": first, "end": last, "numerator": n, "denominator": d,
                        "value": indicator.value(n, d),
                        "month_numerator": n - n_before if additive else None,
                        "month_denominator": d - d_before if additive else None})
            n_before, d_before = n, d
        return out
    if indicator.code == "T6" and (target.options or {}).get("basis", "damage") == "damage":
        return _t6_scan(indicator, scope, measured, months, as_of)
    for first, last in months:
        r = indicator.result(scope, measured.start, last, as_of=as_of, options=target.options)
        out.append({"start": first, "end": last, "numerator": r.numerator,
                    "denominator": r.denominator,
                    "value": indicator.value(r.numerator, r.denominator),
                    "month_numerator": None, "month_denominator": None})
    return out


def _t6_scan(indicator, scope, measured, months, as_of):
    """T6 on the damage basis from the start to each month end
    (pctp.cases.indicators.t6_recovery): the corruption cases initiated by the day and not
    closed before the start, their value lost, and their ledger entries up to `as_of`."""
    from django.db.models import Q, Sum

    from pctp.cases.indicators import _counted_entries

    cases = indicator.base(scope).filter(crime_group__in=("corruption",),
                                         initiated_on__lte=measured.end, value_lost__gt=0
                                         ).filter(Q(closed_on__isnull=True)
                                                  | Q(closed_on__gte=measured.start))
    entries = _counted_entries(cases, as_of)
    dens = cases.order_by().aggregate(**{
        f"d{i}": Sum("value_lost", filter=Q(initiated_on__lte=last))
        for i, (_first, last) in enumerate(months)}) if months else {}
    nums = entries.order_by().aggregate(**{
        f"n{i}": Sum("amount", filter=Q(case__initiated_on__lte=last))
        for i, (_first, last) in enumerate(months)}) if months else {}
    out = []
    for i, (first, last) in enumerate(months):
        n, d = int(nums[f"n{i}"] or 0), int(dens[f"d{i}"] or 0)
        out.append({"start": first, "end": last, "numerator": n, "denominator": d,
                    "value": indicator.value(n, d), "month_numerator": None,
                    "month_denominator": None})
    return out


def records(target, period: Period, scope: Scope, part: str, *, as_of: date | None = None
            ) -> QuerySet:
    """Exactly the records counted in the numerator or the denominator of a figure."""
    if part not in ("numerator", "denominator"):
        raise ValueError("part is numerator or denominator")
    as_of = as_of or timezone.localdate()
    indicator = get(target.indicator)
    measured = measured_period(target, period)
    result = indicator.result(scope, measured.start, measured.end, as_of=as_of,
                              options=target.options)
    qs = result.numerator_records if part == "numerator" else result.denominator_records
    return qs.order_by("pk")


def previous_records(target, period: Period, scope: Scope, part: str, *,
                     as_of: date | None = None) -> QuerySet:
    return records(target, measured_period(target, period).previous_year(), scope, part,
                   as_of=as_of)

