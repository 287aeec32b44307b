"""Forecasting methods behind one interface.

Every method is built on a grid (:mod:`.grid`) and a horizon in days, then::

    method.fit(events_before_t, t)   # uses only events strictly before t (enforced)
    method.score()                   # np.ndarray, one relative-risk score per cell for [t, t+H)

Higher scores mean a cell is more likely to see events in the window. Scores are only used to
rank cells, except where a method says they are expected counts.

Classic baselines, implemented from their papers:

- :class:`NaiveCounts` -- events per cell in the last N days.
- :class:`RetrospectiveKDE` -- Gaussian kernel density of past events with exponential time
  decay (the standard "hotspot map"; e.g. Chainey, Tompson & Uhlig 2008, Security Journal 21).
- :class:`ProspectiveHotspot` -- Bowers, Johnson & Pease (2004), "Prospective hot-spotting: the
  future of crime mapping?", British Journal of Criminology 44(5):641-658.
- :class:`GridSEPP` -- Mohler, Short, Malinowski, Johnson, Tita, Bertozzi & Brantingham (2015),
  "Randomized controlled field trials of predictive policing", JASA 110(512):1399-1411.

Our own: :class:`GradientBoostingForecast` (Poisson gradient boosting on multi-scale lagged
counts) and :class:`Ensemble` (weighted rank average).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from .events import Events, to_days


class Method:
    """Base class: subclasses implement ``_fit(days, cells, t)`` and ``score()``.

    ``days`` are the event times (float days, sorted), ``cells`` their cell indices; both are
    restricted to events strictly before ``t`` and inside the grid.
    """

    name = "base"
    classic = True

    def __init__(self, grid, horizon_days: float = 7.0):
        self.grid = grid
        self.horizon_days = float(horizon_days)
        self.t: float | None = None
        self.fitted_key: tuple | None = None
        self.fit_seconds = 0.0

    def fit(self, events: Events, t) -> Method:
        t = to_days(t)
        ev = events.before(t)  # strictly prospective, whatever the caller passed
        cells = self.grid.cell_of(ev)
        keep = cells >= 0
        days = ev.days[keep]
        cells = cells[keep]
        t0 = time.perf_counter()
        self.t = t
        self._fit(days, cells, t)
        self.fit_seconds = time.perf_counter() - t0
        self.fitted_key = (t, len(events), id(events))
        return self

    def _fit(self, days: np.ndarray, cells: np.ndarray, t: float) -> None:
        raise NotImplementedError

    def score(self) -> np.ndarray:
        raise NotImplementedError

    def _check_fitted(self) -> None:
        if self.t is None:
            raise RuntimeError(f"{self.name}: call fit() before score()")


def _window(days: np.ndarray, t: float, window_days: float | None) -> slice:
    """Slice of sorted ``days`` within ``[t - window_days, t)``."""
    lo = 0 if window_days is None else int(np.searchsorted(days, t - window_days, "left"))
    hi = int(np.searchsorted(days, t, "left"))
    return slice(lo, hi)


# ---------------------------------------------------------------------------------------------
class NaiveCounts(Method):
    """Naive hotspots: the number of events in each cell over the last ``window_days`` days."""

    name = "naive"

    def __init__(self, grid, horizon_days: float = 7.0, window_days: float = 365.0):
        super().__init__(grid, horizon_days)
        self.window_days = window_days

    def _fit(self, days, cells, t):
        sl = _window(days, t, self.window_days)
        self._scores = self.grid.counts(cells[sl])

    def score(self):
        self._check_fitted()
        return self._scores.copy()


class NaiveAllHistory(NaiveCounts):
    """Naive hotspots over all history (the field's usual default): on held-out data it
    beat the 365-day window on three of four types (issue 24), so uplift is measured
    against the better of the two."""

    name = "naive_all"

    def __init__(self, grid, horizon_days: float = 7.0):
        super().__init__(grid, horizon_days, window_days=None)


# ---------------------------------------------------------------------------------------------
def gaussian_kernel(h: float):
    def k(d: np.ndarray) -> np.ndarray:
        return np.exp(-0.5 * (np.asarray(d) / h) ** 2)

    return k


class RetrospectiveKDE(Method):
    """Retrospective kernel density estimate with exponential time decay.

    ``score(c) = sum_i 2^(-age_i / half_life) * exp(-|c - x_i|^2 / (2 h^2))`` over events of the
    last ``window_days`` days, with a Gaussian kernel of bandwidth ``h = bandwidth_m`` truncated
    at 3h. Events are first binned to cells (the usual grid approximation of a KDE, exact to
    within half a cell), then convolved by FFT. This is the "hotspot map" of the mapping
    literature (Chainey, Tompson & Uhlig 2008, "The utility of hotspot mapping for predicting
    spatial patterns of crime", Security Journal 21:4-28), with time decay added.
    """

    name = "kde"

    def __init__(self, grid, horizon_days: float = 7.0, bandwidth_m: float = 150.0,
                 half_life_days: float | None = 365.0, window_days: float | None = 730.0):
        super().__init__(grid, horizon_days)
        self.bandwidth_m = float(bandwidth_m)
        self.half_life_days = half_life_days
        self.window_days = window_days

    def _fit(self, days, cells, t):
        sl = _window(days, t, self.window_days)
        age = t - days[sl]
        w = None if self.half_life_days is None else np.exp2(-age / self.half_life_days)
        counts = self.grid.counts(cells[sl], w)
        h = self.bandwidth_m
        self._scores = self.grid.smooth(counts, gaussian_kernel(h), 3.0 * h, key=("gauss", h))

    def score(self):
        self._check_fitted()
        return self._scores.copy()


# ---------------------------------------------------------------------------------------------
class ProspectiveHotspot(Method):
    """Prospective hotspotting ("ProMap"), Bowers, Johnson & Pease (2004), BJC 44(5):641-658.

    For each cell, every event within the spatial bandwidth (400 m) and the temporal bandwidth
    (2 months, taken as 60 days) contributes

        1 / (1 + distance in cells)  x  1 / (1 + weeks elapsed)

    where the distance is between cell centres in units of the cell size (0 for the event's own
    cell) and the weeks elapsed are whole weeks before the forecast time (0 for the last 7 days).
    These are the paper's weights and its best-performing bandwidths (400 m, 2 months). The sum
    is separable, so it is computed as one convolution of the week-weighted cell counts with the
    distance kernel.
    """

    name = "promap"

    def __init__(self, grid, horizon_days: float = 7.0, bandwidth_m: float = 400.0,
                 bandwidth_days: float = 60.0):
        super().__init__(grid, horizon_days)
        self.bandwidth_m = float(bandwidth_m)
        self.bandwidth_days = float(bandwidth_days)

    def _fit(self, days, cells, t):
        sl = _window(days, t, self.bandwidth_days)
        weeks = np.floor((t - days[sl]) / 7.0)
        weighted = self.grid.counts(cells[sl], 1.0 / (1.0 + weeks))
        size = self.grid.cell_size_m

        def kernel(d):
            return 1.0 / (1.0 + np.asarray(d) / size)

        self._scores = self.grid.smooth(weighted, kernel, self.bandwidth_m,
                                        key=("promap", self.bandwidth_m))

    def score(self):
        self._check_fitted()
        return self._scores.copy()


# ---------------------------------------------------------------------------------------------
@dataclass
class _Sequences:
    """Events arranged for the O(N) Hawkes recursions of :class:`GridSEPP`.

    Events are sorted by (cell, time); cells are ranked by their number of events (most first),
    and the events are stored *position-major*: block ``k`` holds the k-th event of every cell
    that has more than ``k`` events, in cell-rank order. The cells present in block ``k`` are then
    a prefix of those in block ``k - 1``, so the recursion over ``k`` uses only slices.
    """

    t: np.ndarray          # event time, position-major layout
    cell: np.ndarray       # grid cell of each event, same layout
    delta: np.ndarray      # time since the previous event in the same cell (0 in block 0)
    tie_rank: np.ndarray   # 1 + number of earlier events in the same cell at the same time
    offsets: np.ndarray    # start of each block
    sizes: np.ndarray      # length of each block

    @classmethod
    def build(cls, days: np.ndarray, cells: np.ndarray) -> _Sequences:
        n = days.size
        order = np.lexsort((days, cells))
        c = cells[order]
        t = days[order]
        _, start, cnt = np.unique(c, return_index=True, return_counts=True)
        rank_order = np.argsort(-cnt, kind="stable")
        rank_of = np.empty_like(rank_order)
        rank_of[rank_order] = np.arange(rank_order.size)
        pos = np.arange(n) - np.repeat(start, cnt)
        cell_rank = np.repeat(rank_of, cnt)
        kmax = int(cnt.max()) if n else 0
        hist = np.bincount(cnt, minlength=kmax + 1)
        sizes = cnt.size - np.cumsum(hist)[:kmax]            # cells with more than k events
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        flat = offsets[pos] + cell_rank if n else pos
        prev_t = np.concatenate([[np.nan], t[:-1]])
        delta = np.where(pos > 0, t - prev_t, 0.0)
        new_run = (pos == 0) | (delta > 0)
        run_start = np.maximum.accumulate(np.where(new_run, np.arange(n), 0)) if n else pos
        tie = np.arange(n) - run_start + 1
        out_t, out_c = np.empty(n), np.empty(n, dtype=np.int64)
        out_d, out_r = np.empty(n), np.empty(n)
        out_t[flat], out_c[flat], out_d[flat], out_r[flat] = t, c, delta, tie
        return cls(out_t, out_c, out_d, out_r, offsets, sizes.astype(np.int64))

    def excitation(self, omega: float) -> tuple[np.ndarray, np.ndarray]:
        """For every event i: ``A_i = sum_j exp(-omega (t_i - t_j))`` and
        ``B_i = sum_j (t_i - t_j) exp(-omega (t_i - t_j))`` over earlier events j (strictly
        earlier times) in the same cell, by the recursions ``F_i = 1 + e_i F_{i-1}``,
        ``G_i = e_i (G_{i-1} + delta_i F_{i-1})`` with ``e_i = exp(-omega delta_i)``; ``F``
        includes the event itself and same-time predecessors, removed via ``tie_rank``."""
        n = self.t.size
        e = np.exp(-omega * self.delta)
        F = np.empty(n)
        G = np.empty(n)
        if n == 0:
            return F, G
        m0 = int(self.sizes[0])
        F[:m0] = 1.0
        G[:m0] = 0.0
        offs, sizes = self.offsets, self.sizes
        for k in range(1, sizes.size):
            a = int(offs[k])
            m = int(sizes[k])
            p = int(offs[k - 1])
            fp = F[p:p + m]
            ek = e[a:a + m]
            G[a:a + m] = ek * (G[p:p + m] + self.delta[a:a + m] * fp)
            F[a:a + m] = 1.0 + ek * fp
        return np.maximum(F - self.tie_rank, 0.0), G


class GridSEPP(Method):
    """Grid self-exciting point process of Mohler et al. (2015), JASA 110(512):1399-1411.

    In cell n the conditional intensity is

        lambda_n(t) = mu_n + sum_{t_n^i < t} theta * omega * exp(-omega (t - t_n^i))

    (background rate ``mu_n`` per day, ``theta`` the expected number of direct offspring of an
    event, ``1/omega`` the mean triggering delay in days). Parameters are estimated by the paper's
    expectation-maximisation: the E-step gives each event the probability of being background,
    ``p_ii = mu_n / lambda_n(t_i)``, or triggered by an earlier event j in its cell,
    ``p_ij = theta omega exp(-omega (t_i - t_j)) / lambda_n(t_i)``; the M-step sets

        omega = sum p_ij / sum p_ij (t_i - t_j),  theta = sum p_ij / N,  mu_n = sum_{i in n} p_ii / T

    with ``T`` the length of the training period. The pairwise sums are computed exactly in
    O(N) per iteration by the exponential-kernel recursions (see :class:`_Sequences`), only over
    cells that have events. Events at exactly the same time are not allowed to trigger each
    other (their time difference is zero). Warm-started from the previous fit.

    The score of a cell is its expected number of events in ``[t, t + H)`` (without triggering
    inside the window): ``mu_n H + theta (1 - exp(-omega H)) sum_i exp(-omega (t - t_n^i))``;
    with ``score_mode="intensity"`` it is ``lambda_n(t)`` as ranked in the paper.
    """

    name = "sepp"

    def __init__(self, grid, horizon_days: float = 7.0, window_days: float | None = None,
                 theta0: float = 0.3, omega0: float = 0.1, max_iter: int = 200,
                 tol: float = 1e-4, warm_start: bool = True, score_mode: str = "window"):
        super().__init__(grid, horizon_days)
        self.window_days = window_days
        self.theta = float(theta0)
        self.omega = float(omega0)
        self.max_iter = int(max_iter)
        self.tol = float(tol)
        self.warm_start = warm_start
        self.score_mode = score_mode
        self.n_iter_ = 0
        self.mu: np.ndarray | None = None

    def _fit(self, days, cells, t):
        sl = _window(days, t, self.window_days)
        days, cells = days[sl], cells[sl]
        self._days, self._cells = days, cells
        n_cells = self.grid.n_cells
        if days.size == 0:
            self.mu = np.zeros(n_cells)
            return
        start = t - self.window_days if self.window_days is not None else float(days[0])
        T = max(t - start, 1.0)
        self.T = T
        fit_params_em(self, days, cells, T, n_cells)

    def score(self):
        self._check_fitted()
        if self._days.size == 0:
            return np.zeros(self.grid.n_cells)
        decay = np.exp(-self.omega * (self.t - self._days))
        exc = np.bincount(self._cells, weights=decay, minlength=self.grid.n_cells)
        if self.score_mode == "intensity":
            return self.mu + self.theta * self.omega * exc
        H = self.horizon_days
        return self.mu * H + self.theta * (1.0 - np.exp(-self.omega * H)) * exc


def fit_params_em(model: GridSEPP, days: np.ndarray, cells: np.ndarray, T: float,
                  n_cells: int) -> None:
    """EM of Mohler et al. (2015) for (mu, theta, omega); updates ``model`` in place."""
    seq = _Sequences.build(days, cells)
    N = days.size
    counts = np.bincount(cells, minlength=n_cells).astype(float)
    theta = model.theta if model.warm_start else 0.3
    omega = model.omega if model.warm_start else 0.1
    theta = min(max(theta, 1e-3), 0.95)
    mu = counts / T * (1.0 - theta)
    c = seq.cell
    n_iter = 0
    for _ in range(model.max_iter):
        n_iter += 1
        A, B = seq.excitation(omega)
        trig = theta * omega * A
        lam = mu[c] + trig
        lam = np.where(lam > 0, lam, 1e-300)
        p_trig = trig / lam                      # sum_j p_ij for each event i
        p_bg = 1.0 - p_trig                      # p_ii
        s_trig = float(p_trig.sum())
        s_dt = float((theta * omega * B / lam).sum())  # sum_j p_ij (t_i - t_j)
        new_omega = s_trig / s_dt if s_dt > 0 else omega
        new_theta = s_trig / N
        mu = np.bincount(c, weights=p_bg, minlength=n_cells) / T
        change = max(abs(new_theta - theta) / max(theta, 1e-6),
                     abs(new_omega - omega) / max(omega, 1e-9))
        theta, omega = new_theta, new_omega
        if change < model.tol:
            break
    model.theta, model.omega, model.mu, model.n_iter_ = theta, omega, mu, n_iter


# ---------------------------------------------------------------------------------------------
class GradientBoostingForecast(Method):
    """Our learned model: Poisson gradient boosting on multi-scale lagged cell counts.

    For a cut-off time ``s`` each cell is described, using only events before ``s``, by

    - its own counts over the last 7, 28, 91, 182, 365 and 730 days, and exponentially decayed
      counts with time scales of 3 and 14 days (repeat victimisation);
    - neighbourhood counts: Gaussian smoothing at 150 m and 450 m of several of the above;
    - seasonality: its (and its neighbourhood's) count in the same weeks one year earlier
      (+-14 days), the city-wide count in those weeks relative to the yearly mean, and the
      day of year of ``s`` (sine, cosine); the city-wide trend (last 28 vs last 365 days);
    - days since its last event;
    - optionally (``context``: events of *all* offence types, e.g. the whole file) the cell's
      and its neighbourhood's counts of any offence over 28/365/730 days, and the 150 m
      neighbourhood counts over 730 days of each of the ``context_types`` most frequent offence
      types (chosen at the first fit, from events before it) -- other crime marks the places (shops, transit, housing) where the target occurs.

    The model is multiplicative on a baseline ``b`` (events per day from the cell's own counts
    over two years plus ``base_neighbour_weight`` times its 150 m-neighbourhood counts, blended
    ``anchor_all_history`` : 1 - it with its share of all history per day, so that a sparse type
    keeps its long-run places: issue 24, chosen on the 2016 windows, where 0.5 raised pooled
    PAI@1 % for BURGLARY 3.08 -> 3.11, MOTOR VEHICLE THEFT 1.83 -> 2.05, BATTERY 6.32 -> 6.44
    and left THEFT at 17.05 -> 16.99): it predicts the ratio of the label to ``b L``
    (Poisson loss with sample weights ``b L``, which is Poisson regression with offset
    ``log(b L)``), so the fine ranking of the busiest cells comes from ``b`` and the trees learn
    the corrections (recency, neighbourhood, season, other crime). The score is
    ``b H x predicted ratio``, an expected count.

    Features are log-quantised to byte codes (``round(24 log(1 + x))``, sine/cosine
    ``round(100 (v + 1))``), a monotone map that leaves the trees' choices intact, keeps each
    feature under 256 distinct values (exact, fast binning) and the cached matrices small.

    Training examples are (cell, cut-off) pairs at the ``lookback_windows`` cut-offs
    ``s = t - L, t - L - step, ...`` (``step = cutoff_step_days``; a year of weekly cut-offs by
    default), each labelled with the cell's count of target events in ``[s, s + L)``
    (``L = label_days``, the horizon by default) -- all inside the past, so nothing after ``t``
    is used (context events are cut at ``t`` like the others). On 2016 validation windows a
    year of weekly cut-offs with 7-day labels beat 26 fortnightly cut-offs with 7- or 28-day
    labels, and a neighbour weight of 0.3 with a zero rate of 0.1 beat 0.1 and 0.03 for all
    four types at PAI@1% and for three of four at PAI@5% (docs/benchmarks.md). Cells with no
    target event within ~1.3 km over two years are
    left out; zero-count examples are subsampled at rate ``zero_rate`` and re-weighted by
    ``1 / zero_rate``. The model (``sklearn`` ``HistGradientBoostingRegressor``, Poisson loss) is
    refitted when ``refit_every_days`` have passed since its last fit (that fit, too, used only
    events before its own time); features are recomputed at every ``t``. ``n_threads`` limits
    OpenMP threads (1 by default: on a shared 2-core machine one thread is ~5x faster than two
    threads that wait for each other).
    """

    name = "learned"
    classic = False

    BASE_FEATURES = ("c7", "c28", "c91", "c182", "c365", "c730", "d3", "d14",
                     "n150_c28", "n150_c365", "n150_c730", "n150_d14", "n450_c91", "n450_c365",
                     "n450_c730", "season_c", "season_n150", "season_city", "since_last",
                     "doy_sin", "doy_cos", "trend")
    CONTEXT_FEATURES = ("x_c28", "x_c365", "x_c730", "x_n150_c365", "x_n450_c365",
                        "x_n150_c730")

    def __init__(self, grid, horizon_days: float = 7.0, context: Events | None = None,
                 context_types: int = 8, label_days: float | None = None,
                 base_neighbour_weight: float = 0.3, anchor_all_history: float = 0.5,
                 lookback_windows: int = 52, cutoff_step_days: float = 7.0,
                 refit_every_days: float = 56.0,
                 zero_rate: float = 0.1, max_iter: int = 100, learning_rate: float = 0.1,
                 max_leaf_nodes: int = 31, min_samples_leaf: int = 100,
                 l2_regularization: float = 1.0, random_state: int = 0, n_threads: int = 1):
        super().__init__(grid, horizon_days)
        self.n_threads = n_threads
        self.lookback_windows = int(lookback_windows)
        self.cutoff_step_days = float(cutoff_step_days)
        self.refit_every_days = float(refit_every_days)
        self.zero_rate = float(zero_rate)
        self.hgb_params = dict(loss="poisson", max_iter=max_iter, learning_rate=learning_rate,
                               max_leaf_nodes=max_leaf_nodes,
                               min_samples_leaf=min_samples_leaf,
                               l2_regularization=l2_regularization, early_stopping=False,
                               random_state=random_state)
        self.random_state = random_state
        self.base_neighbour_weight = float(base_neighbour_weight)
        self.anchor_all_history = float(anchor_all_history)
        self.label_days = float(label_days if label_days is not None else horizon_days)
        self.context = None
        self.context_types: list[str] = []
        self._context_events = grid.assign(context) if context is not None else None
        self._n_context_types = int(context_types)
        self.feature_names = self.BASE_FEATURES
        self.model = None
        self.model_t: float | None = None
        self._feature_cache: dict = {}
        self._context_all = None  # (context, known) once prepared

    # -- features -----------------------------------------------------------------------------
    def _smooth_many(self, rows, h):
        return self.grid.smooth_many(np.vstack(rows), gaussian_kernel(h), 3.0 * h,
                                     key=("gauss", h))

    def _counts(self, days, cells, s, w):
        lo = int(np.searchsorted(days, s - w, "left"))
        hi = int(np.searchsorted(days, s, "left"))
        return self.grid.counts(cells[lo:hi])

    def features(self, days: np.ndarray, cells: np.ndarray, s: float) -> np.ndarray:
        """Feature matrix (n_cells x len(feature_names)) at cut-off ``s``, events before ``s``."""
        return self._features(days, cells, s)[0]

    def _features(self, days: np.ndarray, cells: np.ndarray, s: float
                  ) -> tuple[np.ndarray, np.ndarray]:
        """(features, baseline events per day) at cut-off ``s``."""
        hi = int(np.searchsorted(days, s, "left"))
        key = (s, float(days[0]) if days.size else 0.0, hi,
               len(self.context[0]) if self.context is not None else 0)
        hit = self._feature_cache.get(key)
        if hit is not None:
            return hit
        g = self.grid
        n = g.n_cells
        d = days[:hi]
        c = cells[:hi]
        cnt = {w: self._counts(d, c, s, w) for w in (7, 28, 91, 182, 365, 730)}
        lo = int(np.searchsorted(d, s - 120, "left"))
        age = s - d[lo:]
        d3 = g.counts(c[lo:], np.exp(-age / 3.0))
        d14 = g.counts(c[lo:], np.exp(-age / 14.0))
        a = int(np.searchsorted(d, s - 365 - 14, "left"))
        b = int(np.searchsorted(d, s - 365 + self.horizon_days + 14, "left"))
        season = g.counts(c[a:b])
        span_days = min(730.0, s - float(d[0])) if hi else 1.0
        yearly = cnt[730].sum() * 365.0 / max(span_days, 1.0)
        season_city = season.sum() / max(yearly * (self.horizon_days + 28) / 365.0, 1e-9)
        last = np.full(n, -np.inf)
        if hi:
            np.maximum.at(last, c, d)
        since = np.minimum(s - last, 1000.0)
        doy = 2 * np.pi * ((s % 365.25) / 365.25)
        trend = (cnt[28].sum() * 365.0 / 28.0) / max(cnt[365].sum(), 1.0)
        s150 = [cnt[28], cnt[365], cnt[730], d14, season]
        s450 = [cnt[91], cnt[365], cnt[730]]
        ctx_raw = []
        if self.context is not None:
            xd, xc, xt = self.context
            x28 = self._counts(xd, xc, s, 28)
            x365 = self._counts(xd, xc, s, 365)
            x730 = self._counts(xd, xc, s, 730)
            ctx_raw = [x28, x365, x730]
            s150 += [x365, x730]
            s450 += [x365]
            lo = int(np.searchsorted(xd, s - 730, "left"))
            hi = int(np.searchsorted(xd, s, "left"))
            typ, cel = xt[lo:hi], xc[lo:hi]
            keep = typ >= 0
            k = len(self.context_types)
            per_type = np.bincount(typ[keep] * n + cel[keep], minlength=k * n).reshape(k, n)
            s150 += list(per_type.astype(float))
        sm150 = self._smooth_many(s150, 150.0)
        sm450 = self._smooth_many(s450, 450.0)
        cols = [cnt[7], cnt[28], cnt[91], cnt[182], cnt[365], cnt[730], d3, d14,
                sm150[0], sm150[1], sm150[2], sm150[3], sm450[0], sm450[1], sm450[2],
                season, sm150[4], np.full(n, season_city), since,
                np.full(n, np.sin(doy)), np.full(n, np.cos(doy)), np.full(n, trend)]
        if self.context is not None:
            # x_c28, x_c365, x_c730, x_n150_c365, x_n450_c365, x_n150_c730, type*_n150_c730
            cols += ctx_raw + [sm150[5], sm450[3], sm150[6]] + list(sm150[7:])
        X = np.column_stack(cols)
        # Quantise (monotone for the trees) so every feature has at most ~250 distinct values:
        # binning is then exact and cheap (sklearn's weighted-quantile binning is slow).
        signed = [self.feature_names.index("doy_sin"), self.feature_names.index("doy_cos")]
        pos = np.ones(X.shape[1], dtype=bool)
        pos[signed] = False
        X[:, pos] = np.round(np.log1p(np.maximum(X[:, pos], 0.0)) * 24.0)
        X[:, signed] = np.round((X[:, signed] + 1.0) * 100.0)
        X = np.clip(X, 0, 255).astype(np.uint8)       # codes; trees only need the order
        # baseline: own (+ a little 150 m-neighbourhood) counts over up to two years, per day
        base = (cnt[730] + self.base_neighbour_weight * sm150[2]) / max(span_days, 1.0)
        if self.anchor_all_history and hi:
            # Anchored to the long run: the cell's share of all history, per day.
            span_all = max(s - float(d[0]), 1.0)
            base = ((1 - self.anchor_all_history) * base
                    + self.anchor_all_history * g.counts(c) / span_all)
        base += 1e-3 * max(float(base.mean()), 1e-9)
        if len(self._feature_cache) > 400:
            self._feature_cache.clear()
        self._feature_cache[key] = (X, base)
        return X, base

    # -- fit / score --------------------------------------------------------------------------
    def _train(self, days, cells, t):
        from sklearn.ensemble import HistGradientBoostingRegressor

        Xs, ys, ws = [], [], []
        first = float(days[0]) if days.size else t
        active_col = self.feature_names.index("n450_c730")
        L = self.label_days
        step = self.cutoff_step_days
        for k in range(self.lookback_windows):
            s = t - L - k * step          # the label window [s, s + L) ends by t
            if s - first < 28:            # need some history before a cut-off
                break
            X, base = self._features(days, cells, s)
            lo = int(np.searchsorted(days, s, "left"))
            hi = int(np.searchsorted(days, s + L, "left"))
            y = self.grid.counts(cells[lo:hi])
            active = X[:, active_col] > 0
            # deterministic per cut-off, so refits reuse the same zero sample
            rng = np.random.default_rng([self.random_state, int(round(s * 24))])
            zero = active & (y == 0) & (rng.random(y.size) < self.zero_rate)
            sel = (active & (y > 0)) | zero
            expected = base[sel] * L
            # Poisson regression of y with offset log(expected) == Poisson regression of the
            # ratio y / expected with sample weight expected
            Xs.append(X[sel])
            ys.append(y[sel] / expected)
            ws.append(expected * np.where(y[sel] > 0, 1.0, 1.0 / self.zero_rate))
        oldest = t - L - self.lookback_windows * step
        for key in [k for k in self._feature_cache if k[0] < oldest]:
            del self._feature_cache[key]      # cut-offs no later fit will use
        if not Xs or sum(v.size for v in ys) < 50 or sum(v.sum() for v in ys) == 0:
            self.model = None
            return
        model = HistGradientBoostingRegressor(**self.hgb_params)
        with threadpool_limits(self.n_threads):
            model.fit(np.concatenate(Xs), np.concatenate(ys),
                      sample_weight=np.concatenate(ws))
        self.model = model

    def _prepare_context(self, t: float) -> None:
        """Fix the context offence types at the first fit, from context events before ``t``."""
        ctx = self._context_events
        self._context_events = None
        if ctx is None or len(ctx.before(t)) == 0:
            return
        names, codes = np.unique(ctx.offence_type.astype(str), return_inverse=True)
        n_before = int(np.searchsorted(ctx.days, t, "left"))
        freq = np.bincount(codes[:n_before], minlength=names.size)
        top = np.argsort(-freq, kind="stable")[:self._n_context_types]
        top = top[freq[top] > 0]
        remap = np.full(names.size, -1)
        remap[top] = np.arange(top.size)
        self.context_types = [str(names[i]) for i in top]
        self.context = (ctx.days, ctx.cell, remap[codes])
        self._context_all = (self.context, ctx.known)
        self.feature_names = self.BASE_FEATURES + self.CONTEXT_FEATURES + tuple(
            f"type{i}_n150_c730" for i in range(top.size))

    def _fit(self, days, cells, t):
        if self._context_events is not None:
            self._prepare_context(t)
        if self._context_all is not None and self._context_all[1] is not None:
            # As known at the time: only the other crimes the system held before t.
            (xd, xc, xt), known = self._context_all
            keep = known < t
            self.context = (xd[keep], xc[keep], xt[keep])
        stale = (self.model_t is None or t < self.model_t
                 or t - self.model_t >= self.refit_every_days - 1e-9)
        if stale:
            self._train(days, cells, t)
            self.model_t = t
        X, base = self._features(days, cells, t)
        scores = base * self.horizon_days
        if self.model is not None:   # else too little history: the baseline alone
            # cells with no event within ~1.3 km in two years keep the (tiny) baseline
            active = X[:, self.feature_names.index("n450_c730")] > 0
            if active.any():
                with threadpool_limits(self.n_threads):
                    scores[active] *= self.model.predict(X[active])
        self._scores = scores

    def score(self):
        self._check_fitted()
        return np.asarray(self._scores, dtype=float).copy()


# ---------------------------------------------------------------------------------------------
def _normalised_rank(scores: np.ndarray) -> np.ndarray:
    from scipy.stats import rankdata

    return rankdata(scores, method="average") / scores.size


class Ensemble(Method):
    """Weighted average of the members' normalised ranks (``how="rank"``) or of their scores
    scaled to unit mean (``how="blend"``). Members already fitted on the same events at the
    same ``t`` (e.g. by a backtest running them too) are reused, not refitted."""

    name = "ensemble"
    classic = False

    def __init__(self, grid, horizon_days: float = 7.0, members: list[Method] | None = None,
                 weights: list[float] | None = None, how: str = "rank"):
        super().__init__(grid, horizon_days)
        if not members:
            members = [GradientBoostingForecast(grid, horizon_days), GridSEPP(grid, horizon_days)]
        self.members = list(members)
        self.weights = np.ones(len(self.members)) if weights is None else np.asarray(weights)
        self.how = how
        self.member_seconds = 0.0

    def fit(self, events: Events, t) -> Ensemble:
        td = to_days(t)
        key = (td, len(events), id(events))
        self.member_seconds = 0.0
        for m in self.members:
            if m.fitted_key != key:
                t0 = time.perf_counter()
                m.fit(events, td)
                self.member_seconds += time.perf_counter() - t0
        self.t = td
        self.fitted_key = key
        return self

    def score(self):
        self._check_fitted()
        total = np.zeros(self.grid.n_cells)
        for w, m in zip(self.weights, self.members, strict=True):
            s = m.score()
            if self.how == "rank":
                total += w * _normalised_rank(s)
            else:
                total += w * s / max(float(s.mean()), 1e-12)
        return total / self.weights.sum()


# ---------------------------------------------------------------------------------------------
METHOD_NAMES = ("naive", "naive_all", "kde", "promap", "sepp", "learned", "ensemble")
CLASSIC_METHODS = ("naive", "naive_all", "kde", "promap", "sepp")
_CLASSES = {"naive": NaiveCounts, "naive_all": NaiveAllHistory, "kde": RetrospectiveKDE,
            "promap": ProspectiveHotspot,
            "sepp": GridSEPP, "learned": GradientBoostingForecast}


def make_methods(names, grid, horizon_days: float = 7.0, context: Events | None = None
                 ) -> dict[str, Method]:
    """Build methods by name (``"all"`` or an iterable of names) with default parameters.

    ``context`` (events of all offence types) is given to the learned model as covariates.

    The ensemble shares its members with the other methods of the returned dict, so a
    backtest fits each member only once per window.
    """
    if isinstance(names, str):
        names = METHOD_NAMES if names == "all" else [s.strip() for s in names.split(",") if s]
    names = list(dict.fromkeys(names))
    unknown = [n for n in names if n not in METHOD_NAMES]
    if unknown:
        raise ValueError(f"unknown method(s): {', '.join(unknown)}; "
                         f"choose from {', '.join(METHOD_NAMES)} or all")
    def build(n):
        if n == "learned":
            return GradientBoostingForecast(grid, horizon_days, context=context)
        return _CLASSES[n](grid, horizon_days)

    out: dict[str, Method] = {}
    for n in names:
        if n != "ensemble":
            out[n] = build(n)
    if "ensemble" in names:
        members = []
        for n in ENSEMBLE_MEMBERS:
            members.append(out[n] if n in out else build(n))
        out["ensemble"] = Ensemble(grid, horizon_days, members, weights=list(ENSEMBLE_WEIGHTS))
    return {n: out[n] for n in names}


ENSEMBLE_MEMBERS = ("learned", "sepp")
ENSEMBLE_WEIGHTS = (2.0, 1.0)
