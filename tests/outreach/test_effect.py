"""The campaign effect (issue 22): a difference in differences on weekly counts, its
interval, and the small-number guard. Counts are made by hand or drawn with a fixed seed
here; the expected values are worked out by hand."""

from __future__ import annotations

import random
from datetime import date, timedelta

from pctp.outreach import effect as fx

START = date(2026, 3, 2)  # a Monday


def _weeks(n, first):
    return [(first + timedelta(days=7 * i), first + timedelta(days=7 * i + 6)) for i in range(n)]


BEFORE = _weeks(4, START - timedelta(days=28))
AFTER = _weeks(2, START)


def _put(daily, commune, periods, counts):
    for (first, _last), n in zip(periods, counts, strict=True):
        daily[(commune, first)] = daily.get((commune, first), 0) + n


def test_a_hand_computed_difference_in_differences():
    """Treated commune 1: 2 a week before, 6 after. Controls 2 and 3: 1 → 2 and 3 → 4, a mean
    of 2 → 3. Effect = (6 − 2) − (3 − 2) = 3 events per commune per week; without the
    campaign commune 1 would have had 2 + 1 = 3, so +100%. 20 events in the treated, 8 + 20 =
    28 in the controls."""
    daily = {}
    _put(daily, 1, BEFORE + AFTER, [2, 2, 2, 2, 6, 6])
    _put(daily, 2, BEFORE + AFTER, [1, 1, 1, 1, 2, 2])
    _put(daily, 3, BEFORE + AFTER, [3, 3, 3, 3, 4, 4])
    e = fx.difference_in_differences("tips", daily, [1], [2, 3], BEFORE, AFTER)
    assert (e.treated_before, e.treated_after, e.control_before, e.control_after) == (2, 6, 2, 3)
    assert (e.effect, e.low, e.high, e.relative) == (3, 3, 3, 1.0)
    assert (e.treated_events, e.control_events, e.verdict) == (20, 28, fx.INCREASE)


def test_the_small_number_guard():
    """19 events in the treated communes: not enough, and no figure shown at all."""
    daily = {}
    _put(daily, 1, BEFORE + AFTER, [2, 2, 2, 2, 6, 5])
    _put(daily, 2, BEFORE + AFTER, [1, 1, 1, 1, 2, 2])
    e = fx.difference_in_differences("tips", daily, [1], [2], BEFORE, AFTER)
    assert e.treated_events == 19 and e.verdict == fx.NOT_ENOUGH
    assert (e.effect, e.low, e.high, e.relative) == (None, None, None, None)
    # Too few weeks before (3) is not enough either, however many events.
    e = fx.difference_in_differences("tips", {(1, d): 50 for d, _l in BEFORE + AFTER}, [1], [2],
                                     BEFORE[1:], AFTER)
    assert e.verdict == fx.NOT_ENOUGH
    # No control commune at all: nothing to compare with.
    assert fx.difference_in_differences("tips", daily, [1], [], BEFORE, AFTER).verdict == \
        fx.NOT_ENOUGH


def _poisson(rng, lam):
    # Knuth's method: enough for the small rates of a commune's week.
    limit, k, p = pow(2.718281828459045, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _simulated(seed, factor, treated=3, control=12, rate=3.0, weeks_before=12, weeks_after=8):
    rng = random.Random(seed)
    before, after = _weeks(weeks_before, START - timedelta(days=7 * weeks_before)), \
        _weeks(weeks_after, START)
    daily = {}
    for c in range(1, treated + control + 1):
        for i, (first, _last) in enumerate(before + after):
            lam = rate * (factor if c <= treated and i >= weeks_before else 1)
            daily[(c, first)] = _poisson(rng, lam)
    return daily, list(range(1, treated + 1)), list(range(treated + 1, treated + control + 1)), \
        before, after


def test_a_campaign_that_doubled_tips_is_detected_and_one_without_effect_is_not():
    """Three targeted communes and twelve others, 3 tips a commune a week, twelve weeks
    before and eight after. Doubled in the targeted communes: the effect (+3 a week, +100%)
    is found in every one of 20 draws. No effect: the interval covers zero in at least 18 of
    20 (a 95% interval misses one time in twenty)."""
    found = 0
    for seed in range(20):
        daily, t, c, before, after = _simulated(seed, 2.0)
        e = fx.difference_in_differences("tips", daily, t, c, before, after)
        found += e.verdict == fx.INCREASE
        assert 1.5 < e.effect < 4.5 and 0.4 < e.relative < 2.0  # the truth: 3 and 1.0
    assert found == 20
    false_alarms = 0
    for seed in range(20):
        daily, t, c, before, after = _simulated(100 + seed, 1.0)
        e = fx.difference_in_differences("tips", daily, t, c, before, after)
        false_alarms += e.verdict != fx.UNCLEAR
    assert false_alarms <= 2


def test_windows_are_whole_weeks_before_and_from_the_start():
    """A campaign 02/03–29/03/2026 seen on 10/05/2026: 12 weeks before, from 08/12/2025 to
    01/03/2026; after it, weeks from 02/03 to 26/04 (the end + 4 weeks, 26/04, is before
    today): 8 weeks."""
    before, after = fx.windows(date(2026, 3, 2), date(2026, 3, 29), date(2026, 5, 10))
    assert (before[0][0], before[-1][1], len(before)) == (date(2025, 12, 8), date(2026, 3, 1), 12)
    assert (after[0][0], after[-1][1], len(after)) == (date(2026, 3, 2), date(2026, 4, 26), 8)
    # Seen on 20/03 the campaign has only two whole weeks (02/03–15/03) behind it.
    _before, after = fx.windows(date(2026, 3, 2), date(2026, 3, 29), date(2026, 3, 20))
    assert len(after) == 2
