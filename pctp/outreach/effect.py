"""Did a campaign change anything? A difference-in-differences on weekly counts, shown
honestly (issue 22, decision 66).

For one outcome (portal tips, crime sources received, crimes), the targeted communes' weekly
count per commune is compared with the untargeted communes', in the weeks before the
campaign and the weeks during and after it:

    effect = (treated after − treated before) − (control after − control before)

in events per commune per week. Its uncertainty is a bootstrap over weeks (each period's
weeks drawn again with replacement, 2,000 times, a fixed seed): week-to-week noise is what a
handful of communes shows most. The 95% interval excludes zero, or the page says it cannot
tell. Below a minimum of events in the targeted communes (`PCTP_OUTREACH_MIN_EVENTS`), with
fewer than a quarter of that minimum in their weeks before, with nothing at all in the
comparison communes' weeks before (a base of no records reads any later count as a rise), or
with too few weeks on either side, it says "not enough data" and shows no effect at all.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

INCREASE, DECREASE, UNCLEAR, NOT_ENOUGH = "increase", "decrease", "unclear", "not_enough"
MIN_BEFORE_WEEKS, MIN_AFTER_WEEKS = 4, 2


@dataclass(frozen=True)
class Effect:
    outcome: str
    treated_before: float | None   # events per commune per week
    treated_after: float | None
    control_before: float | None
    control_after: float | None
    effect: float | None           # the difference in differences
    low: float | None              # its 95% interval
    high: float | None
    relative: float | None         # the effect against what the treated would have had
    treated_events: int
    control_events: int
    weeks_before: int
    weeks_after: int
    treated_communes: int
    control_communes: int
    verdict: str

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def weeks(start: date, end: date) -> list[tuple[date, date]]:
    """Whole 7-day weeks from ``start`` that end on or before ``end``."""
    out, day = [], start
    while day + timedelta(days=6) <= end:
        out.append((day, day + timedelta(days=6)))
        day += timedelta(days=7)
    return out


def windows(starts_on: date, ends_on: date, today: date, *, before_weeks: int = 12,
            after_weeks: int = 4) -> tuple[list, list]:
    """The weeks before the campaign (ending the day before it starts) and the weeks from
    its start to ``after_weeks`` after its end, as far as today allows."""
    before_start = starts_on - timedelta(days=7 * before_weeks)
    before = weeks(before_start, starts_on - timedelta(days=1))
    after = weeks(starts_on, min(ends_on + timedelta(days=7 * after_weeks),
                                 today - timedelta(days=1)))
    return before, after


def _series(daily: dict, communes: Iterable[int], periods: list[tuple[date, date]]
            ) -> list[float]:
    """Per week, the mean count per commune."""
    communes = list(communes)
    out = []
    for first, last in periods:
        total = 0
        for commune in communes:
            day = first
            while day <= last:
                total += daily.get((commune, day), 0)
                day += timedelta(days=1)
        out.append(total / len(communes))
    return out


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def difference_in_differences(outcome: str, daily: dict, treated: Iterable[int],
                              control: Iterable[int], before: list, after: list, *,
                              min_events: int = 20, draws: int = 2000, seed: int = 22
                              ) -> Effect:
    """``daily``: {(commune id, day): count}. ``before``/``after``: lists of (first, last)
    days of each week."""
    treated, control = sorted(set(treated)), sorted(set(control) - set(treated))
    t_b, t_a = (_series(daily, treated, before), _series(daily, treated, after)) \
        if treated else ([], [])
    c_b, c_a = (_series(daily, control, before), _series(daily, control, after)) \
        if control else ([], [])
    t_events = round(sum(t_b + t_a) * len(treated)) if treated else 0
    c_events = round(sum(c_b + c_a) * len(control)) if control else 0
    base = dict(outcome=outcome, treated_events=t_events, control_events=c_events,
                weeks_before=len(before), weeks_after=len(after),
                treated_communes=len(treated), control_communes=len(control))
    # The weeks before are the base: with (almost) nothing in them — before the records
    # begin, after a go-live or an import — any later count would read as a rise.
    t_before_events = round(sum(t_b) * len(treated)) if treated else 0
    c_before_events = round(sum(c_b) * len(control)) if control else 0
    if (not treated or not control or len(before) < MIN_BEFORE_WEEKS
            or len(after) < MIN_AFTER_WEEKS or t_events < min_events
            or t_before_events < max(1, min_events // 4) or c_before_events == 0):
        return Effect(treated_before=None, treated_after=None, control_before=None,
                      control_after=None, effect=None, low=None, high=None, relative=None,
                      verdict=NOT_ENOUGH, **base)
    # Per week, treated minus control: the effect is the change of that gap.
    gap_b = [t - c for t, c in zip(t_b, c_b, strict=True)]
    gap_a = [t - c for t, c in zip(t_a, c_a, strict=True)]
    effect = _mean(gap_a) - _mean(gap_b)
    rng = random.Random(seed)
    boot = sorted(_mean(rng.choices(gap_a, k=len(gap_a))) - _mean(rng.choices(gap_b, k=len(gap_b)))
                  for _ in range(draws))
    low, high = boot[int(0.025 * draws)], boot[int(0.975 * draws) - 1]
    expected = _mean(t_b) + (_mean(c_a) - _mean(c_b))  # the treated without the campaign
    relative = effect / expected if expected > 0 else None
    verdict = INCREASE if low > 0 else DECREASE if high < 0 else UNCLEAR
    return Effect(treated_before=_mean(t_b), treated_after=_mean(t_a), control_before=_mean(c_b),
                  control_after=_mean(c_a), effect=effect, low=low, high=high,
                  relative=relative, verdict=verdict, **base)
