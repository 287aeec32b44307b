"""Period keys of the KPI dashboard (DOMAIN.md §11), expected days written by hand."""

from datetime import date

import pytest

from pctp.kpi.periods import PeriodError, court_year_for, parse

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("key,kind,start,end", [
    ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-02", "month", date(2026, 2, 1), date(2026, 2, 28)),
    ("2028-02", "month", date(2028, 2, 1), date(2028, 2, 29)),
    ("2026-Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30)),
    ("2026-H1", "half", date(2026, 1, 1), date(2026, 6, 30)),
    # "tháng 12/2025" = 15/11/2025–14/12/2025; "năm 2020" = 15/12/2019–14/12/2020.
    ("tk:2025-12", "stat_month", date(2025, 11, 15), date(2025, 12, 14)),
    ("tk:2020", "stat_year", date(2019, 12, 15), date(2020, 12, 14)),
    ("tk:2026-01", "stat_month", date(2025, 12, 15), date(2026, 1, 14)),
    ("tk:2026-Q2", "stat_quarter", date(2026, 3, 15), date(2026, 6, 14)),
    ("tk:2026-H2", "stat_half", date(2026, 6, 15), date(2026, 12, 14)),
    ("ta:2026", "court_year", date(2025, 10, 1), date(2026, 9, 30)),
    ("ytd:2026", "ytd", date(2026, 1, 1), date(2026, 11, 29)),
    ("ytd:2025", "ytd", date(2025, 1, 1), date(2025, 12, 31)),
    ("2026-03-10..2026-04-09", "range", date(2026, 3, 10), date(2026, 4, 9)),
])
def test_keys_name_the_law_s_periods(key, kind, start, end):
    p = parse(key, today=TODAY)
    assert (p.kind, p.start, p.end) == (kind, start, end)


def test_previous_year_is_the_same_period_a_year_earlier():
    assert parse("tk:2026-03").previous_year().start == date(2025, 2, 15)
    assert parse("tk:2026-03").previous_year().end == date(2025, 3, 14)
    assert parse("tk:2026-03").previous_year().key == "tk:2025-03"
    # 29 February 2028 has no twin in 2027.
    prev = parse("2028-02-29..2028-03-31").previous_year()
    assert (prev.start, prev.end) == (date(2027, 2, 28), date(2027, 3, 31))
    ytd = parse("ytd:2026", today=TODAY).previous_year()
    assert (ytd.start, ytd.end) == (date(2025, 1, 1), date(2025, 11, 29))


def test_months_of_a_statistical_year_run_15th_to_14th():
    months = parse("tk:2026").months()
    assert len(months) == 12
    assert months[0] == (date(2025, 12, 15), date(2026, 1, 14))
    assert months[-1] == (date(2026, 11, 15), date(2026, 12, 14))
    cal = parse("2026-Q1").months()
    assert cal == [(date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28)),
                   (date(2026, 3, 1), date(2026, 3, 31))]


def test_court_year_targets_follow_the_year_chosen():
    assert court_year_for(parse("2026")).key == "ta:2026"
    assert court_year_for(parse("2026-Q1")).key == "2026-Q1"


@pytest.mark.parametrize("key", ["", "2026-13", "tk:2026-Q5", "xx:2026", "ta:2026-03",
                                 "2026-05-01..2026-04-01", "1999", "2026-1", "ytd:2030"])
def test_bad_keys_say_what_is_expected(key):
    with pytest.raises(PeriodError) as err:
        parse(key, today=TODAY)
    assert str(err.value)
