"""One forecast with its measured accuracy: what the product stores (pure, no Django).

``forecast_with_accuracy`` backtests the method on the ``test_days`` before ``t`` (rolling
windows of the horizon, strictly prospective, skipping windows with less than
``min_history_days`` of history before them, counted from the first percentile of the
event times so that a few late reports of old events do not count as history), then fits it on everything before ``t`` and
scores every cell for ``[t, t + H)``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from .evaluate import COVERAGES, backtest, rank_cells
from .events import Events, to_days
from .methods import make_methods


def backtest_starts(first_day: float, t: float, horizon_days: float, test_days: float,
                    min_history_days: float) -> list[float]:
    """Window starts ``t - k H`` (k = n..1, n = floor(test_days / H)) with enough history."""
    n = int(np.floor(test_days / horizon_days + 1e-9))
    starts = [t - k * horizon_days for k in range(n, 0, -1)]
    return [s for s in starts if s - first_day >= min_history_days]


AUTO = "auto"
# Simplest first: the choice keeps the first of these that is not clearly worse than the best.
AUTO_CANDIDATES = ("naive_all", "naive", "kde", "sepp", "ensemble")
VALIDATION_DAYS = 182.0
# A choice on fewer windows is mostly luck: a monthly forecast compares the methods on 12
# months, not on the 6 of a half-year (QA of issue 24).
MIN_VALIDATION_WINDOWS = 12

# The learned members need this many events a year of the type; sparser types are left to
# the classic methods (issue 24: the learned model scored 1.78 where all-history counts
# scored 2.83 on a sparse held-out type).
LEARNED_MIN_EVENTS_PER_YEAR = 300
# "Clearly worse": behind the best by more than this many standard errors of the difference
# (the one-standard-error rule; the errors from resampling the validation windows, paired).
SELECTION_STANDARD_ERRORS = 1.0
SELECTION_BOOTSTRAP = 1000


def validation_period(horizon_days: float) -> float:
    """The validation period before the test windows: half a year, and at least
    MIN_VALIDATION_WINDOWS windows of the horizon."""
    return max(VALIDATION_DAYS, MIN_VALIDATION_WINDOWS * horizon_days)


def select_method(results: dict, names, coverage: float = 0.01, *,
                  standard_errors: float = SELECTION_STANDARD_ERRORS,
                  bootstrap: int = SELECTION_BOOTSTRAP, seed: int = 0) -> dict:
    """The first of ``names`` (simplest first) whose pooled PAI at ``coverage`` on the
    validation windows (``results``: name -> MethodResult over the same windows) is within
    ``standard_errors`` standard errors of the best one's. The error of each difference comes
    from resampling the windows, the same resamples for every method (paired). A few
    validation windows cannot tell close methods
    apart, and then the simpler one is kept rather than the luckier.

    Returns ``{"method", "best", "scores": {name: pai}, "margin": {name: (diff, se)}}``."""
    names = list(names)
    windows = {n: results[n].windows for n in names}
    n_win = len(windows[names[0]])
    point, boot = {}, {}
    pick = np.random.default_rng(seed).integers(0, n_win, size=(bootstrap, n_win)) \
        if n_win > 1 else None
    for name in names:
        m = [w["metrics"][coverage] for w in windows[name]]
        a = np.array([x["captured"] for x in m], dtype=float)
        n = np.array([x["n_events"] for x in m], dtype=float)
        share = m[0]["k"] / m[0]["n_cells"] if m else 1.0
        point[name] = float(a.sum() / n.sum() / share) if n.sum() else 0.0
        if pick is not None:
            sn = n[pick].sum(axis=1)
            boot[name] = np.where(sn > 0, a[pick].sum(axis=1) / np.maximum(sn, 1) / share, 0.0)
    best = max(names, key=lambda x: (point[x], -names.index(x)))
    margin = {}
    chosen = best
    for name in names:
        diff = point[best] - point[name]
        se = float(np.std(boot[best] - boot[name], ddof=1)) if pick is not None else 0.0
        margin[name] = (diff, se)
    for name in names:
        diff, se = margin[name]
        if diff <= standard_errors * se + 1e-12:
            chosen = name
            break
    return {"method": chosen, "best": best, "scores": point, "margin": margin}


def choose_method(ev: Events, grid, horizon_days: float, before: float, first: float, *,
                  context: Events | None = None, validation_days: float = VALIDATION_DAYS,
                  min_history_days: float = 56.0, area=None,
                  candidates=AUTO_CANDIDATES,
                  progress: Callable[[int, int], None] | None = None) -> dict:
    """Pick the method for a forecast on the validation windows that end at ``before`` (the
    first test window), never on the test windows: the simplest candidate within one standard
    error of the best pooled PAI at 1 % (``select_method``). Learned members only where the
    type is frequent. Returns ``{"method", "best", "validation": {name: [pai1, pai5]},
    "start", "end", "learned_considered"}``."""
    year = ev.between(before - 365.0, before)
    frequent = len(year) >= LEARNED_MIN_EVENTS_PER_YEAR
    names = [n for n in candidates if frequent or n not in ("learned", "ensemble")]
    starts = backtest_starts(first, before, horizon_days, validation_days, min_history_days)
    if not starts:
        return {"method": "naive_all", "validation": {}, "start": None, "end": None,
                "reason": "no validation window", "learned_considered": frequent}
    methods = make_methods(names, grid, horizon_days, context=context)
    results = backtest(ev, grid, methods, starts[0], starts[-1] + horizon_days + 1e-7,
                       horizon_days, coverages=(0.01, 0.05), area=area, progress=progress)
    scores = {}
    for name in names:
        cov = results[name].summary()["coverage"]
        scores[name] = [cov["0.01"].get("pai_pooled") or 0.0,
                        cov["0.05"].get("pai_pooled") or 0.0]
    pick = select_method(results, names)
    return {"method": pick["method"], "best": pick["best"], "validation": scores,
            "n_windows": len(starts),
            "start": str(np.datetime64(int(round(starts[0] * 86400)), "s")),
            "end": str(np.datetime64(int(round((starts[-1] + horizon_days) * 86400)), "s")),
            "learned_considered": frequent}


def forecast_with_accuracy(events: Events, grid, method: str, horizon_days: float, t, *,
                           context: Events | None = None, test_days: float = 365.0,
                           min_history_days: float = 56.0,
                           progress: Callable[[float], None] | None = None,
                           area: np.ndarray | None = None) -> dict:
    """Returns ``scores`` (per cell), ``order`` (cells best first), ``accuracy`` (the
    backtest summary, or None without a single window), ``n_train_events`` and timings.
    Each past window is forecast from the records known before it (``Events.known``); the
    forecast itself from every record that occurred before ``t`` and is held now. ``area``: the study area's cells
    for the accuracy (None: every cell of the grid)."""
    t = to_days(t)
    ev = grid.assign(events.before(t))
    report = progress or (lambda _f: None)
    started = time.perf_counter()
    accuracy = None
    choice = None
    if len(ev):
        # History starts where the records do, not at the odd late report of an old event,
        # and where the system held them (records entered later are no history of then).
        first = float(np.quantile(ev.days if ev.known is None else ev.known, 0.01))
        starts = backtest_starts(first, t, horizon_days, test_days, min_history_days)
        done = 0.0  # share of the progress bar taken by the choice
        if method == AUTO:
            # Chosen on the windows before the test windows, then measured on them.
            before = starts[0] if starts else t
            done = 0.5
            choice = choose_method(ev, grid, horizon_days, before, first, context=context,
                                   min_history_days=min_history_days, area=area,
                                   candidates=AUTO_CANDIDATES,
                                   validation_days=validation_period(horizon_days),
                                   progress=lambda i, n: report(0.5 * i / n))
            method = choice["method"]
        if starts:
            methods = make_methods([method], grid, horizon_days, context=context)
            results = backtest(
                ev, grid, methods, starts[0], starts[-1] + horizon_days + 1e-7, horizon_days,
                coverages=COVERAGES, area=area,
                progress=lambda i, n: report(done + (0.9 - done) * i / n))
            accuracy = results[method].summary()
            if choice is not None:
                accuracy["chosen"] = choice
            accuracy["test_start"] = str(np.datetime64(int(round(starts[0] * 86400)), "s"))
            accuracy["test_end"] = str(np.datetime64(int(round((starts[-1] + horizon_days)
                                                               * 86400)), "s"))
    backtest_s = time.perf_counter() - started
    t0 = time.perf_counter()
    if method == AUTO:  # no record at all: the simplest method
        method = "naive_all"
    model = make_methods([method], grid, horizon_days, context=context)[method]
    model.fit(ev, t)  # every record held now: the forecast is made with all we know
    scores = np.asarray(model.score(), dtype=float)
    report(1.0)
    return {"scores": scores, "order": rank_cells(scores), "accuracy": accuracy,
            "method": method, "choice": choice,
            "n_train_events": len(ev), "backtest_seconds": round(backtest_s, 3),
            "fit_seconds": round(time.perf_counter() - t0, 3)}
