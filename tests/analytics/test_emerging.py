"""Emerging crime types on synthetic monthly counts, with hand-computed expectations."""

import math

import pytest

from pctp.analytics.engine import emerging as em


def poisson_sf(y, mu):
    """P(Y >= y) for a Poisson of mean mu, by hand."""
    return 1.0 - sum(math.exp(-mu) * mu ** k / math.factorial(k) for k in range(y))


def test_a_type_never_seen_has_not_appeared():
    a = em.assess([0] * 12, 0)
    assert a.status == em.NOT_APPEARED
    assert a.expected == 0 and a.p_value is None


def test_a_first_event_ever_is_new():
    a = em.assess([0] * 12, 2)
    assert a.status == em.NEW
    assert a.observed == 2 and a.expected == 0


def test_a_steady_count_is_frequent_and_a_jump_is_rising():
    # mean 2, variance 0 -> dispersion 1 (Poisson); P(Y >= 9 | 2) = 0.000237
    steady = em.assess([2] * 12, 4)
    assert steady.status == em.FREQUENT
    assert steady.p_value == pytest.approx(poisson_sf(4, 2.0), abs=1e-6)   # 0.1429
    jump = em.assess([2] * 12, 9)
    assert jump.status == em.RISING
    assert jump.expected == 2.0 and jump.dispersion == 1.0
    assert jump.p_value == pytest.approx(poisson_sf(9, 2.0), abs=1e-6)
    assert jump.p_value < 0.001
    # the alarm threshold is the 99% Poisson quantile of mean 2: P(Y <= 6) = 0.9955
    assert jump.threshold == 6


def test_a_type_seen_once_a_year_is_rare():
    a = em.assess([0] * 11 + [1], 0)
    assert a.status == em.RARE
    assert a.expected == pytest.approx(1 / 12, abs=1e-3)


def test_two_events_are_too_few_to_call_rising_even_if_unlikely():
    # P(Y >= 2 | 1/12) is about 0.0033 < 0.01, but under the minimum count of 3
    a = em.assess([0] * 11 + [1], 2)
    assert a.p_value < 0.01
    assert a.status == em.RARE


def test_overdispersed_history_raises_the_bar():
    history = [0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4]   # mean 2, sample variance 48/11
    a = em.assess(history, 6)
    assert a.dispersion == pytest.approx((48 / 11) / 2, abs=1e-3)
    poisson_only = poisson_sf(6, 2.0)                   # 0.0166
    assert a.p_value > poisson_only                     # the negative binomial tail is fatter
    assert a.status == em.FREQUENT


def test_seasonal_baseline_uses_the_same_months_of_earlier_years():
    # Three years of a summer peak: 10 in months 6-8 (0-based 5..7), 1 otherwise.
    year = [1, 1, 1, 1, 1, 10, 10, 10, 1, 1, 1, 1]
    history = year * 2 + year[:6]                      # the period under review is month 7
    base, kind = em.baseline_values(history)
    assert kind == "seasonal"
    # month index 30 -> centres 18 and 6, +-1: [5, 6, 7] of each year -> all 10
    assert sorted(base.tolist()) == [10.0] * 6
    assert em.assess(history, 10).status == em.FREQUENT     # a usual peak: no alarm
    assert em.assess(year * 2 + [1] * 6, 10).status == em.FREQUENT
    # the same 10 in a quiet month is rising against a seasonal baseline of ones
    quiet = year * 2 + year[:2]                          # under review: month index 2
    assert em.assess(quiet, 10).status == em.RISING


def test_assess_table_takes_the_last_count_as_the_period_under_review():
    out = em.assess_table({("drugs", "001"): [2] * 12 + [9], ("fraud", "002"): [0] * 13})
    assert out[("drugs", "001")].status == em.RISING
    assert out[("fraud", "002")].status == em.NOT_APPEARED
