"""Emerging crime types: is a count this period unusual against its own history?

Pure functions (numpy/scipy, no Django). A *series* is the number of events of one crime group
or offence in one commune per period (a calendar month in the product), oldest first, ending
with the period under review.

The expected count follows the Farrington algorithm of disease surveillance (Farrington,
Andrews, Beale & Catchpole 1996, JRSS A 159:547-563; Noufaily et al. 2013, Stat Med
32:1206-1222) without its trend term:

- with at least ``seasonal_years`` full years of history, the baseline is the counts of the
  same period and the ``half_window`` periods either side of it in each earlier year (up to
  ``max_years``), so that a usual seasonal peak does not raise an alarm;
- otherwise the baseline is the last ``recent`` periods before the one under review.

The expected count ``mu`` is the baseline mean; the dispersion ``phi = max(1, variance /
mean)`` (quasi-Poisson, as in Farrington). The observed count ``y`` is tested against a
negative binomial with mean ``mu`` and variance ``phi * mu`` (a Poisson when ``phi == 1``):
``p = P(Y >= y)``. A baseline of zeros gets ``mu = 0``.

Classes:

- ``not_appeared``: no event in the history nor in the period;
- ``new``: the period has events and the whole history has none;
- ``rising`` (risk of complex development): ``y >= min_count``, ``y > mu`` and ``p < alpha``;
- ``frequent``: otherwise, if ``mu >= frequent_per_period`` (at least one a month by default);
- ``rare``: otherwise (it has appeared, but less than that).

``new`` and ``rising`` are the ones to alert on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

NOT_APPEARED = "not_appeared"
NEW = "new"
RARE = "rare"
FREQUENT = "frequent"
RISING = "rising"
CLASSES = (NEW, RISING, FREQUENT, RARE, NOT_APPEARED)
ALERT_CLASSES = (NEW, RISING)


@dataclass(frozen=True)
class Assessment:
    status: str
    observed: int
    expected: float
    threshold: float      # the (1 - alpha) quantile: counts above it are unusual
    p_value: float | None
    dispersion: float
    baseline: str         # "seasonal" or "recent"
    baseline_periods: int
    history_total: int

    def as_dict(self) -> dict:
        return asdict(self)


def baseline_values(history: Sequence[float], *, period_length: int = 12,
                    seasonal_years: int = 2, max_years: int = 5, half_window: int = 1,
                    recent: int = 12) -> tuple[np.ndarray, str]:
    """The counts the period under review is compared with (see the module docstring).

    ``history`` excludes the period under review; its last element is the period just before.
    """
    h = np.asarray(history, dtype=float)
    n = h.size
    current = n  # index the period under review would have
    if n >= seasonal_years * period_length + half_window:
        vals = []
        for year in range(1, max_years + 1):
            centre = current - year * period_length
            lo, hi = centre - half_window, centre + half_window
            if lo < 0:
                break
            vals.extend(h[lo:min(hi, n - 1) + 1])
        return np.asarray(vals, dtype=float), "seasonal"
    return h[-recent:] if n else h, "recent"


def nb_upper_tail(y: int, mu: float, phi: float) -> float:
    """``P(Y >= y)`` for a negative binomial of mean ``mu``, variance ``phi * mu`` (Poisson if
    ``phi <= 1``)."""
    if y <= 0:
        return 1.0
    if mu <= 0:
        return 0.0
    if phi <= 1.0 + 1e-12:
        return float(stats.poisson.sf(y - 1, mu))
    r = mu / (phi - 1.0)
    p = 1.0 / phi
    return float(stats.nbinom.sf(y - 1, r, p))


def nb_quantile(q: float, mu: float, phi: float) -> float:
    if mu <= 0:
        return 0.0
    if phi <= 1.0 + 1e-12:
        return float(stats.poisson.ppf(q, mu))
    return float(stats.nbinom.ppf(q, mu / (phi - 1.0), 1.0 / phi))


def assess(history: Sequence[float], observed: int, *, alpha: float = 0.01, min_count: int = 3,
           frequent_per_period: float = 1.0, period_length: int = 12, seasonal_years: int = 2,
           max_years: int = 5, half_window: int = 1, recent: int = 12) -> Assessment:
    """Classify the period under review (``observed``) against ``history`` (earlier periods)."""
    observed = int(observed)
    total = int(np.sum(history)) if len(history) else 0
    base, kind = baseline_values(history, period_length=period_length,
                                 seasonal_years=seasonal_years, max_years=max_years,
                                 half_window=half_window, recent=recent)
    mu = float(base.mean()) if base.size else 0.0
    var = float(base.var(ddof=1)) if base.size > 1 else mu
    phi = max(1.0, var / mu) if mu > 0 else 1.0
    threshold = nb_quantile(1.0 - alpha, mu, phi)
    p = nb_upper_tail(observed, mu, phi) if observed > 0 and mu > 0 else None

    if total == 0:
        status = NEW if observed > 0 else NOT_APPEARED
    elif observed >= min_count and observed > mu and p is not None and p < alpha:
        status = RISING
    elif mu >= frequent_per_period:
        status = FREQUENT
    else:
        status = RARE
    return Assessment(status=status, observed=observed, expected=round(mu, 3),
                      threshold=threshold, p_value=None if p is None else float(f"{p:.6g}"),
                      dispersion=round(phi, 3), baseline=kind, baseline_periods=int(base.size),
                      history_total=total)


def assess_table(series: dict, **kwargs) -> dict:
    """``{key: counts (oldest first, the last one under review)}`` -> ``{key: Assessment}``."""
    out = {}
    for key, counts in series.items():
        counts = list(counts)
        if not counts:
            continue
        out[key] = assess(counts[:-1], counts[-1], **kwargs)
    return out
