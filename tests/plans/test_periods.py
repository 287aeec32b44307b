"""Period arithmetic of recurring reports, counted on a calendar by hand."""

from datetime import date

from pctp.plans.periods import (
    add_months,
    buckets,
    nth_due,
    parse_period_key,
    period,
    period_label,
    periods,
)


def dues(anchor, recurrence, count):
    return [nth_due(anchor, recurrence, n) for n in range(count)]


def test_monthly_from_31_january_keeps_to_the_month_end_and_never_drifts():
    assert dues(date(2026, 1, 31), "monthly", 5) == [
        date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30),
        date(2026, 5, 31)]


def test_monthly_from_31_january_2028_falls_on_29_february_in_the_leap_year():
    assert dues(date(2028, 1, 31), "monthly", 3) == [
        date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]


def test_yearly_from_29_february_2028_falls_on_28_february_until_the_next_leap_year():
    assert dues(date(2028, 2, 29), "yearly", 5) == [
        date(2028, 2, 29), date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28),
        date(2032, 2, 29)]


def test_quarterly_from_31_march_clamps_to_30_june_and_30_september():
    assert dues(date(2026, 3, 31), "quarterly", 5) == [
        date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31),
        date(2027, 3, 31)]


def test_quarterly_on_the_15th_of_the_last_month_crosses_the_year():
    assert dues(date(2025, 9, 15), "quarterly", 3) == [
        date(2025, 9, 15), date(2025, 12, 15), date(2026, 3, 15)]


def test_six_monthly_from_31_august_2027_falls_on_29_february_2028():
    assert dues(date(2027, 8, 31), "six_monthly", 4) == [
        date(2027, 8, 31), date(2028, 2, 29), date(2028, 8, 31), date(2029, 2, 28)]


def test_each_period_runs_from_the_day_after_the_previous_due_date():
    first = period(date(2026, 1, 31), "monthly", 0)
    assert (first.start, first.end) == (date(2026, 1, 1), date(2026, 1, 31))
    second = period(date(2026, 1, 31), "monthly", 1)
    assert (second.start, second.end) == (date(2026, 2, 1), date(2026, 2, 28))
    leap = period(date(2028, 2, 29), "yearly", 0)
    assert (leap.start, leap.end) == (date(2027, 3, 1), date(2028, 2, 29))
    after_leap = period(date(2028, 2, 29), "yearly", 1)
    assert (after_leap.start, after_leap.end) == (date(2028, 3, 1), date(2029, 2, 28))


def test_periods_stop_at_the_first_that_begins_after_the_end():
    got = [(p.start, p.end) for p in periods(date(2026, 3, 31), "quarterly",
                                             until=date(2026, 12, 31))]
    assert got == [(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30)),
                   (date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 10, 1), date(2026, 12, 31))]


def test_an_anchor_on_a_month_end_stays_on_month_ends():
    assert dues(date(2026, 6, 30), "six_monthly", 3) == [
        date(2026, 6, 30), date(2026, 12, 31), date(2027, 6, 30)]
    assert dues(date(2026, 2, 28), "monthly", 3) == [
        date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    assert dues(date(2026, 4, 30), "monthly", 2) == [date(2026, 4, 30), date(2026, 5, 31)]


def test_a_mid_month_anchor_keeps_its_day():
    assert dues(date(2026, 1, 30), "monthly", 3) == [
        date(2026, 1, 30), date(2026, 2, 28), date(2026, 3, 30)]


def test_add_months_goes_backwards_across_a_year():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -3) == date(2025, 10, 15)


def test_labels_name_whole_calendar_periods_and_dates_otherwise():
    from django.utils import translation

    with translation.override("en"):
        assert period_label(date(2026, 2, 1), date(2026, 2, 28)) == "Month 2/2026"
        assert period_label(date(2026, 7, 1), date(2026, 9, 30)) == "Quarter III/2026"
        assert period_label(date(2026, 1, 1), date(2026, 6, 30)) == "First half of 2026"
        assert period_label(date(2026, 1, 1), date(2026, 12, 31)) == "Year 2026"
        assert period_label(date(2025, 12, 16), date(2026, 1, 15)) == "16/12/2025–15/01/2026"
    with translation.override("vi"):
        assert period_label(date(2026, 7, 1), date(2026, 9, 30)) == "Quý III/2026"


def test_period_keys_and_calendar_buckets():
    assert parse_period_key("2026-Q3") == (date(2026, 7, 1), date(2026, 9, 30))
    assert parse_period_key("2028-02") == (date(2028, 2, 1), date(2028, 2, 29))
    assert parse_period_key("2026-H2") == (date(2026, 7, 1), date(2026, 12, 31))
    assert parse_period_key("2026") == (date(2026, 1, 1), date(2026, 12, 31))
    assert parse_period_key("2026-Q5") is None and parse_period_key("abc") is None
    assert buckets("quarter", date(2025, 11, 20), date(2026, 2, 1)) == [
        (date(2025, 10, 1), date(2025, 12, 31)), (date(2026, 1, 1), date(2026, 3, 31))]
