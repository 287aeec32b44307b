"""The KPI engine on the hand-counted fixture of conftest.py: values, statuses, the
comparison with last year, breakdowns by commune and unit, trends and the records."""

from datetime import date

import pytest
import time_machine

from pctp.kpi import registry as kpi
from pctp.kpi.periods import parse
from pctp.units.models import Province
from tests.kpi.conftest import TODAY

pytestmark = pytest.mark.django_db


def province_scope():
    return kpi.Scope(Province.objects.get(code="80"))


def names(qs, fixture):
    by = {(type(v).__name__, v.pk): k for k, v in fixture.items()}
    return sorted(by[(qs.model.__name__, pk)] for pk in qs.values_list("pk", flat=True))


EXPECTED_2026 = {  # target: (numerator, denominator, value, status)
    "T1": (3, 4, -25.0, "met"),
    "T2": (3, 4, 75.0, "missed"),
    "T3": (3, 4, 75.0, "missed"),
    "T4": (2, 3, 66.67, "missed"),
    "T5": (2, 2, 100.0, "met"),
    "T6": (500_000_000, 1_000_000_000, 50.0, "missed"),
    "T7": (1, 2, 50.0, "missed"),
    "T8": (1, 2, 50.0, "missed"),
    "T9": (1, 2, 50.0, "missed"),
    "T10": (1, 2, 50.0, "missed"),
}


@time_machine.travel(TODAY, tick=False)
def test_every_target_of_2026_as_counted_by_hand(plan, kpi_records):
    figures = {f.target.code: f for f in kpi.dashboard(plan, parse("2026"), province_scope())}
    for code, (num, den, value, status) in EXPECTED_2026.items():
        f = figures[code]
        assert (f.result.numerator, f.result.denominator, f.value, f.status) == (
            num, den, value, status), code
    assert figures["T8"].measured.key == "ta:2026"


@time_machine.travel(TODAY, tick=False)
def test_records_behind_each_number(plan, kpi_records):
    scope, year = province_scope(), parse("2026")
    t = {x.code: x for x in plan.targets.all()}
    assert names(kpi.records(t["T2"], year, scope, "numerator"), kpi_records) == ["S1", "S3", "S5"]
    assert names(kpi.records(t["T3"], year, scope, "denominator"), kpi_records) == [
        "S1", "S2", "S3", "S4"]
    assert names(kpi.records(t["T1"], year, scope, "denominator"), kpi_records) == [
        "C5", "C6", "C7", "C8"]
    assert names(kpi.records(t["T4"], year, scope, "numerator"), kpi_records) == ["C1", "C3"]
    assert names(kpi.records(t["T7"], year, scope, "numerator"), kpi_records) == ["R1"]
    assert names(kpi.records(t["T8"], year, scope, "denominator"), kpi_records) == ["I1", "I7"]
    assert names(kpi.records(t["T9"], year, scope, "denominator"), kpi_records) == ["A1", "A2"]
    assert names(kpi.records(t["T10"], year, scope, "numerator"), kpi_records) == ["A4"]


@time_machine.travel(TODAY, tick=False)
def test_last_year_as_it_stood_a_year_ago(plan, kpi_records):
    figures = {f.target.code: f for f in kpi.dashboard(plan, parse("2026"), province_scope())}
    # T2 2025: S4 of S4, S6 = 50% → +25 points this year.
    assert figures["T2"].previous_value == 50.0 and figures["T2"].change == 25.0
    # T4 2025 as known on 20/11/2025: C5, C7 of C5, C6, C7 (C8 not yet initiated).
    assert (figures["T4"].previous.numerator, figures["T4"].previous.denominator) == (2, 3)


@time_machine.travel(TODAY, tick=False)
def test_breakdown_by_commune(plan, kpi_records, communes):
    t2 = plan.targets.get(code="T2")
    rows = {r["object"]: r for r in kpi.breakdown(t2, parse("2026"), province_scope(), "commune")}
    a, b = rows[communes["a"]], rows[communes["b"]]
    assert (a["numerator"], a["denominator"], a["value"]) == (1, 2, 50.0)
    assert (b["numerator"], b["denominator"], b["value"], b["status"]) == (2, 2, 100.0, "met")
    t6 = plan.targets.get(code="T6")
    rows = kpi.breakdown(t6, parse("2026"), province_scope(), "commune")
    assert [(r["object"], r["numerator"], r["denominator"]) for r in rows] == [
        (communes["b"], 500_000_000, 1_000_000_000)]


@time_machine.travel(TODAY, tick=False)
def test_breakdown_by_unit_follows_whose_figure_it_is(plan, kpi_records, units):
    t7 = plan.targets.get(code="T7")  # the procuracy's figure
    rows = kpi.breakdown(t7, parse("2026"), province_scope(), "unit")
    assert [(r["object"], r["numerator"], r["denominator"]) for r in rows] == [
        (units["vks"], 1, 2)]
    t4 = plan.targets.get(code="T4")  # the investigation body's
    rows = kpi.breakdown(t4, parse("2026"), province_scope(), "unit")
    assert [(r["object"], r["numerator"], r["denominator"]) for r in rows] == [
        (units["body"], 2, 3)]


@time_machine.travel(TODAY, tick=False)
def test_unit_and_commune_scopes(plan, kpi_records, units, communes):
    t4 = plan.targets.get(code="T4")
    body = kpi.figure(t4, parse("2026"), kpi.Scope(units["body"].province, unit=units["body"]))
    assert (body.result.numerator, body.result.denominator) == (2, 3)
    court = kpi.figure(t4, parse("2026"), kpi.Scope(units["body"].province, unit=units["court"]))
    assert (court.result.numerator, court.result.denominator, court.status) == (0, 0, "no_data")
    a = kpi.figure(t4, parse("2026"), kpi.Scope(units["body"].province, commune=communes["a"]))
    assert (a.result.numerator, a.result.denominator) == (1, 2)  # C1 of C1, C2


@time_machine.travel(TODAY, tick=False)
def test_trend_is_cumulative_by_month(plan, kpi_records):
    """Each point runs from 1 January to the end of its month."""
    t2 = plan.targets.get(code="T2")
    months = kpi.series(t2, parse("2026"), province_scope())
    assert len(months) == 11  # December has not started on 20/11/2026
    cum = {m["end"].month: (m["numerator"], m["denominator"]) for m in months}
    assert cum[2] == (0, 0) and cum[3] == (1, 1) and cum[4] == (1, 2) and cum[5] == (2, 3)
    assert cum[6] == (3, 4) and cum[11] == (3, 4)
    alone = {m["end"].month: (m["month_numerator"], m["month_denominator"]) for m in months}
    assert alone[4] == (0, 1)  # S2, classified after 48 hours
    t1 = plan.targets.get(code="T1")  # last year's same months in the denominator
    cum = {m["end"].month: (m["numerator"], m["denominator"])
           for m in kpi.series(t1, parse("2026"), province_scope())}
    assert cum[2] == (1, 0) and cum[3] == (1, 1) and cum[8] == (3, 2) and cum[11] == (3, 3)
    t3 = plan.targets.get(code="T3")  # carried over: recomputed to each month's end
    cum = {m["end"].month: (m["numerator"], m["denominator"])
           for m in kpi.series(t3, parse("2026"), province_scope())}
    assert cum[1] == (1, 1)  # S4, received in December, resolved 15/01
    assert cum[5] == (3, 4)  # S1, S3, S4 of S1–S4
    assert cum[11] == (3, 4)  # the year's value
    t6 = plan.targets.get(code="T6")  # C4, initiated 01/03, its entries up to today
    cum = {m["end"].month: (m["numerator"], m["denominator"])
           for m in kpi.series(t6, parse("2026"), province_scope())}
    assert cum[2] == (0, 0) and cum[3] == (500_000_000, 1_000_000_000)
    assert cum[11] == (500_000_000, 1_000_000_000)


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("period", ["2026", "tk:2026", "ta:2026"])
def test_trend_counted_with_the_figure_matches_each_month_counted_alone(
        plan, kpi_records, period, django_assert_num_queries):
    """The trend a figure counts in its own query (`figure(trend=True)`) gives, at each
    month's end, exactly the figure of the period from the start to that day computed on its
    own; the page reusing it asks the database nothing more."""
    scope = province_scope()
    for target in plan.targets.exclude(code__in=["T6", "T10"]):
        fig = kpi.figure(target, parse(period), scope, trend=True)
        with django_assert_num_queries(0):
            months = kpi.series(target, parse(period), scope, result=fig.result)
        indicator = kpi.get(target.indicator)
        assert months, target.code
        for m in months:
            alone = indicator.result(scope, fig.measured.start, m["end"], as_of=TODAY.date())
            assert (m["numerator"], m["denominator"]) == (alone.numerator, alone.denominator), (
                target.code, m["end"])
        if months[-1]["end"] == fig.measured.end:  # a period that has ended
            assert (months[-1]["numerator"], months[-1]["denominator"]) == (
                fig.result.numerator, fig.result.denominator), target.code


@time_machine.travel(TODAY, tick=False)
def test_statistical_year_cuts_at_the_14th(plan, kpi_records):
    """tk:2026 runs 15/12/2025–14/12/2026: S4 (received 20/12/2025) now counts in T2."""
    t2 = plan.targets.get(code="T2")
    f = kpi.figure(t2, parse("tk:2026"), province_scope())
    assert (f.result.numerator, f.result.denominator) == (4, 5)


@pytest.mark.parametrize("value,den,op,threshold,expected", [
    (91.0, 50, ">", 90, "met"),
    (90.0, 50, ">", 90, "at_risk"),    # equal is not "more than"; within 5 points
    (84.0, 50, ">", 90, "missed"),
    (85.0, 50, ">", 90, "at_risk"),
    (-6.0, 50, "<=", -5, "met"),
    (2.0, 50, "<=", -5, "missed"),
    (100.0, 9, ">=", 100, "no_data"),  # fewer than the minimum of 10
    (None, 0, ">=", 100, "no_data"),
])
def test_status_rule(value, den, op, threshold, expected):
    assert kpi.status_of(value, den, comparator=op, threshold=threshold, min_denominator=10,
                         margin=5) == expected


def test_the_small_number_guard_is_a_setting(plan, kpi_records, settings):
    settings.PCTP_KPI_MIN_DENOMINATOR = 10
    with time_machine.travel(TODAY, tick=False):
        f = kpi.figure(plan.targets.get(code="T5"), parse("2026"), province_scope())
        t2 = kpi.figure(plan.targets.get(code="T2"), parse("2026"), province_scope())
    assert (f.value, f.status) == (100.0, "no_data")
    # Last year's 1 of 2 is no comparison either.
    assert (t2.previous.denominator, t2.previous_value, t2.change) == (2, None, None)


@time_machine.travel(TODAY, tick=False)
def test_t6_on_the_enforcement_basis(plan, kpi_records):
    """No judgment ordered a recovery in 2026: no denominator, no value."""
    t6 = plan.targets.get(code="T6")
    t6.options = {"basis": "enforcement"}
    f = kpi.figure(t6, parse("2026"), province_scope())
    assert (f.result.denominator, f.value, f.status) == (0, None, "no_data")
    assert date(2026, 1, 1) == f.measured.start


@pytest.mark.django_db(transaction=True)
@time_machine.travel(TODAY, tick=False)
def test_the_dashboard_on_several_connections_gives_the_figures_counted_by_hand(
        reference_data, plan, kpi_records, settings):
    """Outside a transaction (as in a request) the targets are computed on
    PCTP_KPI_WORKERS connections at once: the same figures, in the plan's order."""
    from django.db import connection

    assert kpi._parallel_allowed() == (connection.vendor == "postgresql")
    settings.PCTP_KPI_WORKERS = 3
    parallel = kpi.dashboard(plan, parse("2026"), province_scope(), trend=True)
    settings.PCTP_KPI_WORKERS = 1
    sequential = kpi.dashboard(plan, parse("2026"), province_scope(), trend=True)
    assert [f.target.code for f in parallel] == [t.code for t in plan.targets.all()]
    for a, b in zip(parallel, sequential, strict=True):
        assert (a.result.numerator, a.result.denominator, a.status, a.result.trend) == (
            b.result.numerator, b.result.denominator, b.status, b.result.trend), a.target.code
    figures = {f.target.code: f for f in parallel}
    for code, (num, den, value, status) in EXPECTED_2026.items():
        f = figures[code]
        assert (f.result.numerator, f.result.denominator, f.value, f.status) == (
            num, den, value, status), code


def test_t8_can_be_measured_over_the_calendar_statistical_or_court_year():
    from types import SimpleNamespace

    from pctp.kpi.periods import parse
    from pctp.kpi.registry import measured_period

    year = parse("2026")
    for kind, start, end in (("court_year", date(2025, 10, 1), date(2026, 9, 30)),
                             ("year", date(2026, 1, 1), date(2026, 12, 31)),
                             ("stat_year", date(2025, 12, 15), date(2026, 12, 14)),
                             ("selected", date(2026, 1, 1), date(2026, 12, 31))):
        measured = measured_period(SimpleNamespace(period_type=kind), year)
        assert (measured.start, measured.end) == (start, end), kind
    # A month stays a month whatever the yearly basis.
    month = parse("2026-03")
    assert measured_period(SimpleNamespace(period_type="stat_year"), month) == month
