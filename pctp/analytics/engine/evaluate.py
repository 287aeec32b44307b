"""Strictly prospective backtests: hit rate, PAI and PEI* over rolling windows.

For a window ``[t, t + H)`` every method is fitted on events before ``t`` only (and, with
``train_days``, not before ``t - train_days``), scores every cell, and the top ``k`` cells are
flagged, ``k = max(1, round(coverage * n_cells))``. With ``n`` events in the window, ``a`` of
them in flagged cells, and ``best`` the most events any ``k`` cells held in the window:

- hit rate ``= a / n``;
- PAI (predictive accuracy index, Chainey et al. 2008) ``= (a / n) / (k / n_cells)``;
- PEI* (Hunt 2016; Chainey 2013's PEI with the achievable maximum) ``= a / best``.

Ties in scores are broken deterministically: higher score first, then lower cell index. Windows
without events have no hit rate/PAI/PEI* and are left out of the means (counted separately).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .events import Events, to_days
from .methods import Ensemble, Method

COVERAGES = (0.01, 0.02, 0.05, 0.10)


def rank_cells(scores: np.ndarray) -> np.ndarray:
    """Cell indices from highest to lowest score; ties by lower index; NaN last."""
    s = np.asarray(scores, dtype=float)
    s = np.where(np.isnan(s), -np.inf, s)
    return np.lexsort((np.arange(s.size), -s))


def cells_for_coverage(n_cells: int, coverage: float) -> int:
    return max(1, int(round(coverage * n_cells)))


def window_metrics(scores: np.ndarray, actual: np.ndarray,
                   coverages: Sequence[float] = COVERAGES) -> dict[float, dict[str, float]]:
    """Metrics of one window: per coverage, k, captured, best, hit_rate, pai, pei_star."""
    actual = np.asarray(actual, dtype=float)
    n_cells = actual.size
    n = float(actual.sum())
    order = rank_cells(scores)
    captured_cum = np.cumsum(actual[order])
    best_cum = np.cumsum(np.sort(actual)[::-1])
    out = {}
    for cov in coverages:
        k = cells_for_coverage(n_cells, cov)
        a = float(captured_cum[k - 1])
        best = float(best_cum[k - 1])
        hit = a / n if n > 0 else np.nan
        out[cov] = {"k": k, "captured": a, "best": best, "n_events": n, "hit_rate": hit,
                    "pai": hit / (k / n_cells) if n > 0 else np.nan,
                    "pei_star": a / best if best > 0 else np.nan}
    return out


def window_starts(test_start, test_end, horizon_days: float) -> list[float]:
    """Window start times (days): ``test_start, test_start + H, ...`` while the window ends
    no later than the end of day ``test_end`` (inclusive date)."""
    start = to_days(test_start)
    end = to_days(test_end)
    if end == np.floor(end):
        end += 1.0  # a date: include the whole day
    out = []
    t = start
    while t + horizon_days <= end + 1e-9:
        out.append(t)
        t += horizon_days
    return out


@dataclass
class MethodResult:
    name: str
    coverages: tuple[float, ...]
    windows: list[dict] = field(default_factory=list)
    fit_seconds: float = 0.0
    predict_seconds: float = 0.0

    @property
    def n_windows(self) -> int:
        return len(self.windows)

    @property
    def n_events(self) -> int:
        return int(sum(w["n_events"] for w in self.windows))

    def summary(self) -> dict:
        """Mean and sample standard deviation across windows with events."""
        out: dict = {"method": self.name, "n_windows": self.n_windows,
                     "n_windows_with_events": int(sum(w["n_events"] > 0 for w in self.windows)),
                     "n_events": self.n_events, "fit_seconds": round(self.fit_seconds, 3),
                     "predict_seconds": round(self.predict_seconds, 3), "coverage": {}}
        for cov in self.coverages:
            row = {}
            for metric in ("hit_rate", "pai", "pei_star"):
                vals = np.array([w["metrics"][cov][metric] for w in self.windows], dtype=float)
                vals = vals[~np.isnan(vals)]
                row[f"{metric}_mean"] = float(vals.mean()) if vals.size else None
                row[f"{metric}_std"] = float(vals.std(ddof=1)) if vals.size > 1 else None
            row["cells"] = self.windows[0]["metrics"][cov]["k"] if self.windows else None
            out["coverage"][f"{cov:g}"] = row
        return out


def backtest(events: Events, grid, methods: dict[str, Method], test_start, test_end,
             horizon_days: float = 7.0, train_days: float | None = None,
             coverages: Sequence[float] = COVERAGES,
             progress: Callable[[int, int], None] | None = None) -> dict[str, MethodResult]:
    """Rolling-origin backtest. ``events`` may be of any extent; each fit sees only the past.

    Fit time of an ensemble includes the time its members took to fit in that window (they are
    fitted once and shared); its predict time includes the members' scoring.
    """
    ev = grid.assign(events)
    results = {name: MethodResult(name, tuple(coverages)) for name in methods}
    starts = window_starts(test_start, test_end, horizon_days)
    for i, t in enumerate(starts):
        train = ev.between(None if train_days is None else t - train_days, t)
        test = ev.between(t, t + horizon_days)
        actual = grid.counts(test.cell)
        fit_wall: dict[int, float] = {}
        for name, m in methods.items():
            t0 = time.perf_counter()
            m.fit(train, t)
            fit_s = time.perf_counter() - t0
            if isinstance(m, Ensemble):
                fit_s += sum(fit_wall.get(id(mm), 0.0) for mm in m.members)
            fit_wall[id(m)] = fit_s
            t0 = time.perf_counter()
            scores = m.score()
            pred_s = time.perf_counter() - t0
            if scores.shape != (grid.n_cells,):
                raise ValueError(f"{name}: score() returned shape {scores.shape}")
            r = results[name]
            r.fit_seconds += fit_s
            r.predict_seconds += pred_s
            r.windows.append({"start": str(np.datetime64(int(round(t * 86400)), "s")),
                              "n_events": int(actual.sum()),
                              "metrics": window_metrics(scores, actual, coverages)})
        if progress is not None:
            progress(i + 1, len(starts))
    return results
