"""Strictly prospective backtests: hit rate, PAI and PEI* over rolling windows.

For a window ``[t, t + H)`` every method is fitted on events before ``t`` only (and, with
``train_days``, not before ``t - train_days``), and, when the events say when each record
reached the system (``Events.known``), only on records known before ``t``: a past window is
judged as it could have been forecast then, not with records reported or back-dated later.
It scores every cell of the study area (``area``: a mask of the grid's cells; by default the
whole grid), and the top ``k`` of them are flagged, ``k = max(1, round(coverage * N))`` with
``N`` the study area's cells. With ``n`` events in the window (those outside the study area
count, as misses), ``a`` of them in flagged cells, and ``best`` the most events any ``k``
cells held in the window:

- hit rate ``= a / n``;
- PAI (predictive accuracy index, Chainey et al. 2008) ``= (a / n) / (k / N)``;
- PEI* (Hunt 2016; Chainey 2013's PEI with the achievable maximum) ``= a / best``.

Over the windows the figures are given pooled, as the literature defines them (total
captured / total events / coverage), with a 95 % interval from resampling whole windows
(weeks), and as the mean of the windows' figures (windows without events left out).
Ties in scores are broken deterministically: higher score first, then lower cell index.
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
                   coverages: Sequence[float] = COVERAGES,
                   area: np.ndarray | None = None) -> dict[float, dict[str, float]]:
    """Metrics of one window: per coverage, k, captured, best, hit_rate, pai, pei_star, and
    the study area's cells (``area``: boolean mask over the cells, None for all) and the
    events outside it (counted in ``n_events`` as misses)."""
    actual = np.asarray(actual, dtype=float)
    scores = np.asarray(scores, dtype=float)
    n = float(actual.sum())
    if area is not None:
        idx = np.flatnonzero(np.asarray(area, dtype=bool))
        if idx.size == 0:
            raise ValueError("the study area holds no cell of the grid")
        scores, actual = scores[idx], actual[idx]
    n_cells = actual.size
    order = rank_cells(scores)
    captured_cum = np.cumsum(actual[order])
    best_cum = np.cumsum(np.sort(actual)[::-1])
    outside = n - float(actual.sum())
    out = {}
    for cov in coverages:
        k = cells_for_coverage(n_cells, cov)
        a = float(captured_cum[k - 1])
        best = float(best_cum[k - 1])
        hit = a / n if n > 0 else np.nan
        out[cov] = {"k": k, "captured": a, "best": best, "n_events": n, "hit_rate": hit,
                    "pai": hit / (k / n_cells) if n > 0 else np.nan,
                    "pei_star": a / best if best > 0 else np.nan,
                    "n_cells": n_cells, "outside": outside}
    return out


BOOTSTRAP = 1000


def pooled(windows: list[dict], cov: float, bootstrap: int = BOOTSTRAP, seed: int = 0) -> dict:
    """Pooled figures over windows at one coverage: hit rate Σa/Σn, PAI (Σa/Σn)/(k/N), PEI*
    Σa/Σbest, and 95 % intervals of hit rate and PAI from resampling the windows (a block
    bootstrap: the windows are the blocks, so a week's events stay together)."""
    if not windows:
        return {}
    m = [w["metrics"][cov] for w in windows]
    a = np.array([x["captured"] for x in m], dtype=float)
    n = np.array([x["n_events"] for x in m], dtype=float)
    best = np.array([x["best"] for x in m], dtype=float)
    k = m[0]["k"]
    cells = m[0].get("n_cells")
    share = k / cells if cells else None
    total_a, total_n = float(a.sum()), float(n.sum())
    out = {"captured": total_a, "events": total_n,
           "hit_rate_pooled": total_a / total_n if total_n else None,
           "pai_pooled": (total_a / total_n) / share if total_n and share else None,
           "pei_star_pooled": total_a / float(best.sum()) if best.sum() else None,
           "hit_rate_ci": None, "pai_ci": None}
    if total_n and share and len(m) > 1 and bootstrap:
        rng = np.random.default_rng(seed)
        pick = rng.integers(0, len(m), size=(bootstrap, len(m)))
        sa, sn = a[pick].sum(axis=1), n[pick].sum(axis=1)
        ok = sn > 0
        hits = sa[ok] / sn[ok]
        lo, hi = np.percentile(hits, [2.5, 97.5])
        out["hit_rate_ci"] = [float(lo), float(hi)]
        out["pai_ci"] = [float(lo / share), float(hi / share)]
    return out


def events_study_area(events: Events, grid, test_start) -> np.ndarray:
    """The study area ``events`` (issue 24): the grid's cells that held an event before the
    test period (a boolean mask)."""
    history = grid.assign(events.before(test_start))
    return grid.counts(history.cell) > 0


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
    late_records: int = 0  # distinct records some window's forecast could not know

    @property
    def n_windows(self) -> int:
        return len(self.windows)

    @property
    def n_events(self) -> int:
        return int(sum(w["n_events"] for w in self.windows))

    def summary(self) -> dict:
        """Per coverage the pooled figures with their intervals (``pooled``), and the mean
        and sample standard deviation across windows with events."""
        out: dict = {"method": self.name, "n_windows": self.n_windows,
                     "n_windows_with_events": int(sum(w["n_events"] > 0 for w in self.windows)),
                     "n_events": self.n_events, "fit_seconds": round(self.fit_seconds, 3),
                     "predict_seconds": round(self.predict_seconds, 3),
                     "late_excluded": int(sum(w.get("late_excluded", 0) for w in self.windows)),
                     "late_records": self.late_records,
                     "coverage": {}}
        if self.windows:
            first = self.windows[0]["metrics"][self.coverages[0]]
            out["study_cells"] = first.get("n_cells")
            out["outside"] = float(sum(w["metrics"][self.coverages[0]].get("outside", 0.0)
                                       for w in self.windows))
        for cov in self.coverages:
            row = dict(pooled(self.windows, cov))
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
             progress: Callable[[int, int], None] | None = None,
             area: np.ndarray | None = None) -> dict[str, MethodResult]:
    """Rolling-origin backtest. ``events`` may be of any extent; each fit sees only the past,
    and of it only the records known before the window (``Events.known``). The test window
    holds every event that occurred in it, as known today. ``area``: the study area's cells
    (a boolean mask of the grid; None: all of them).

    Fit time of an ensemble includes the time its members took to fit in that window (they are
    fitted once and shared); its predict time includes the members' scoring.
    """
    ev = grid.assign(events)
    results = {name: MethodResult(name, tuple(coverages)) for name in methods}
    starts = window_starts(test_start, test_end, horizon_days)
    late_any = np.zeros(len(ev), dtype=bool)  # records left out of at least one window
    for i, t in enumerate(starts):
        occurred = ev.between(None if train_days is None else t - train_days, t)
        train = occurred.known_before(t)  # as known at the time
        late = len(occurred) - len(train)
        if late and ev.known is not None:
            lo = 0 if train_days is None else int(np.searchsorted(ev.days, t - train_days))
            hi = int(np.searchsorted(ev.days, t))
            late_any[lo:hi] |= ev.known[lo:hi] >= t
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
                              "n_events": int(actual.sum()), "late_excluded": late,
                              "metrics": window_metrics(scores, actual, coverages, area)})
        if progress is not None:
            progress(i + 1, len(starts))
    for r in results.values():
        r.late_records = int(late_any.sum())
    return results


def fixed_map_ceiling(events: Events, grid, test_start, test_end, horizon_days: float = 7.0,
                      coverages: Sequence[float] = COVERAGES,
                      area: np.ndarray | None = None) -> dict[str, dict]:
    """What a *fixed* map could reach on the test windows, known only in hindsight (issue
    24): no forecast, a yardstick for the benchmark.

    - ``"fixed_hindsight"``: every window flagged by the test period's own counts per cell.
      The pooled hit rate counts the events in the flagged cells over all windows, so the
      cells with the most events of the period are the best one map there is: no map that
      stays the same through the period can catch more. It sees every window's events, its
      own included, so where events are sparse it is a loose bound.
    - ``"fixed_other_windows"``: each window flagged by the counts of the *other* test
      windows (leave one window out): the best map the period's own events give without
      seeing the window judged. Not a bound (a longer history can do better where events are
      sparse), but a fair reading of how stable the period's places were.

    Returns, per name, ``{coverage: pooled(...)}`` with the same windows as ``backtest``;
    nothing for fewer than two windows (no other window to draw the map from).
    """
    ev = grid.assign(events)
    starts = window_starts(test_start, test_end, horizon_days)
    if len(starts) < 2:
        return {}
    whole = ev.between(starts[0], starts[-1] + horizon_days)
    total = grid.counts(whole.cell).astype(float)
    windows: dict[str, list] = {"fixed_hindsight": [], "fixed_other_windows": []}
    for t in starts:
        actual = grid.counts(ev.between(t, t + horizon_days).cell).astype(float)
        for name, scores in (("fixed_hindsight", total), ("fixed_other_windows",
                                                           total - actual)):
            windows[name].append({"n_events": int(actual.sum()),
                                  "metrics": window_metrics(scores, actual, coverages, area)})
    return {name: {f"{cov:g}": pooled(w, cov) for cov in coverages}
            for name, w in windows.items()}
