"""Forecasting methods on synthetic data with known answers."""

import numpy as np
import pytest

from pctp.analytics.engine import (
    Ensemble,
    GradientBoostingForecast,
    GridSEPP,
    H3Grid,
    NaiveCounts,
    ProspectiveHotspot,
    RetrospectiveKDE,
    make_methods,
    rank_cells,
)
from pctp.analytics.engine.methods import _Sequences

from .sim import cell_centre, make_events, planted_hotspot, simulate_grid_hawkes, square_grid


@pytest.fixture(scope="module")
def hotspot_data():
    return planted_hotspot(seed=3)


def test_every_method_ranks_the_planted_hotspot_first(hotspot_data):
    ev, grid, hot = hotspot_data
    t = 420.0
    methods = make_methods("all", grid, 7.0, context=ev)
    for name, m in methods.items():
        scores = m.fit(ev, t).score()
        assert scores.shape == (grid.n_cells,)
        top = rank_cells(scores)
        assert top[0] in hot, name
        # the four hotspot cells are the top four for the cell-based methods
        if name in ("naive", "sepp", "learned"):
            assert set(top[:4].tolist()) == set(hot), name


def test_fit_never_sees_events_at_or_after_t(hotspot_data):
    ev, grid, _ = hotspot_data
    t = 300.0
    for cls in (NaiveCounts, RetrospectiveKDE, ProspectiveHotspot, GridSEPP):
        a = cls(grid, 7.0).fit(ev, t).score()
        b = cls(grid, 7.0).fit(ev.before(t), t).score()
        assert np.array_equal(a, b), cls.name


def test_naive_counts_last_n_days():
    grid = square_grid(5, 1)
    x, y = cell_centre(grid, 2, 0)
    ev = make_events([1, 50, 95, 99.5, 100], [x] * 5, [y] * 5)
    s = NaiveCounts(grid, 7, window_days=10).fit(ev, 100.0).score()
    # window [90, 100): days 95 and 99.5 -> 2; day 100 is not before t
    assert s.tolist() == [0, 0, 2, 0, 0]


def test_kde_gaussian_kernel_with_time_decay():
    grid = square_grid(7, 7, 100)
    x, y = cell_centre(grid, 3, 3)
    ev = make_events([80.0], [x], [y])
    s = RetrospectiveKDE(grid, 7, bandwidth_m=100, half_life_days=20,
                         window_days=365).fit(ev, 100.0).score()
    s = s.reshape(7, 7)
    decay = 2 ** (-20 / 20)                       # 20 days old, half-life 20 -> 1/2
    assert s[3, 3] == pytest.approx(decay)
    assert s[3, 4] == pytest.approx(decay * np.exp(-0.5))        # 100 m = 1 bandwidth
    assert s[4, 4] == pytest.approx(decay * np.exp(-1.0))        # sqrt(2) * 100 m
    assert s[3, 6] == pytest.approx(decay * np.exp(-4.5))        # 300 m = 3h, still inside


def test_prospective_hotspot_weights_of_bowers_johnson_pease():
    grid = square_grid(9, 9, 150)
    x, y = cell_centre(grid, 4, 4)
    # one event 10 days before t (whole weeks elapsed = 1), one 70 days before (outside 60 days)
    ev = make_events([90.0, 30.0], [x, x], [y, y])
    s = ProspectiveHotspot(grid, 7).fit(ev, 100.0).score().reshape(9, 9)
    # weight = 1/(1 + distance in cells) * 1/(1 + weeks) with weeks = floor(10/7) = 1
    assert s[4, 4] == pytest.approx(1 / 1 * 1 / 2)               # own cell: 0.5
    assert s[4, 5] == pytest.approx(1 / 2 * 1 / 2)               # 1 cell away: 0.25
    assert s[5, 5] == pytest.approx(1 / (1 + np.sqrt(2)) / 2)    # diagonal, 212 m
    assert s[4, 6] == pytest.approx(1 / 3 * 1 / 2)               # 2 cells = 300 m <= 400 m
    assert s[5, 6] == pytest.approx(1 / (1 + np.sqrt(5)) / 2)    # 335 m
    assert s[6, 6] == 0.0                                        # 424 m > 400 m bandwidth
    assert s[4, 7] == 0.0                                        # 450 m


def test_sepp_recursions_match_brute_force_with_ties():
    rng = np.random.default_rng(7)
    days = np.sort(np.round(rng.uniform(0, 30, 60), 0))            # many same-day ties
    cells = rng.integers(0, 4, 60)
    seq = _Sequences.build(days, cells)
    omega = 0.3
    A, B = seq.excitation(omega)
    for i in range(seq.t.size):
        ti, ci = seq.t[i], seq.cell[i]
        earlier = (cells == ci) & (days < ti)
        dt = ti - days[earlier]
        assert A[i] == pytest.approx(np.exp(-omega * dt).sum())
        assert B[i] == pytest.approx((dt * np.exp(-omega * dt)).sum())


def test_sepp_em_recovers_generating_parameters():
    # Grid Hawkes process, 50 cells, mu_n ~ U(0.02, 0.1) per day, theta = 0.5, omega = 0.2 per
    # day (mean delay 5 days), T = 2000 days, simulated by branching (~12,000 events).
    # Stated tolerance: theta within +-0.05, omega within 20 %, mu_n within 15 % on average
    # (each cell has only ~120 background events, so per-cell Poisson noise alone is ~9 %).
    grid = square_grid(10, 5, 150)
    rng = np.random.default_rng(42)
    mu = rng.uniform(0.02, 0.1, grid.n_cells)
    t, c = simulate_grid_hawkes(mu, theta=0.5, omega=0.2, T=2000.0, seed=1)
    iy, ix = np.divmod(c, grid.nx)
    ev = make_events(t, grid.x0 + (ix + 0.5) * 150, grid.y0 + (iy + 0.5) * 150)
    m = GridSEPP(grid, 7.0, warm_start=False).fit(ev, 2000.0)
    assert abs(m.theta - 0.5) < 0.05
    assert abs(m.omega / 0.2 - 1) < 0.2
    rel = np.abs(m.mu - mu) / mu
    assert rel.mean() < 0.15
    assert np.corrcoef(m.mu, mu)[0, 1] > 0.9
    assert m.mu.sum() == pytest.approx(mu.sum(), rel=0.05)
    # score = expected count in the next 7 days: mu*H + theta (1 - e^{-omega H}) * excitation
    s = m.score()
    decay = np.bincount(c, weights=np.exp(-m.omega * (2000.0 - t)),
                        minlength=grid.n_cells)
    expected = m.mu * 7 + m.theta * (1 - np.exp(-m.omega * 7)) * decay
    assert np.allclose(s, expected)


def test_learned_model_refits_only_when_stale(hotspot_data):
    ev, grid, _ = hotspot_data
    m = GradientBoostingForecast(grid, 7.0, lookback_windows=20, refit_every_days=28)
    m.fit(ev, 300.0)
    first = m.model
    m.fit(ev, 307.0)
    assert m.model is first and m.model_t == 300.0     # features updated, model kept
    m.fit(ev, 328.0)
    assert m.model is not first and m.model_t == 328.0


def test_ensemble_reuses_members_fitted_on_same_events(hotspot_data):
    ev, grid, hot = hotspot_data
    naive = NaiveCounts(grid, 7)
    sepp = GridSEPP(grid, 7)
    ens = Ensemble(grid, 7, members=[naive, sepp], weights=[1, 1])
    naive.fit(ev, 400.0)
    sepp.fit(ev, 400.0)
    ens.fit(ev, 400.0)
    assert ens.member_seconds == 0.0                  # nothing refitted
    assert rank_cells(ens.score())[0] in hot


def test_methods_run_on_h3_cells(hotspot_data):
    ev, _, _ = hotspot_data
    grid = H3Grid.from_events(ev, resolution=9)
    for cls in (NaiveCounts, RetrospectiveKDE, ProspectiveHotspot, GridSEPP):
        s = cls(grid, 7).fit(ev, 420.0).score()
        assert s.shape == (grid.n_cells,) and s.max() > 0


def test_learned_baseline_adds_weighted_150m_neighbourhood():
    # 9 x 9 cells of 150 m, three events in the centre cell (index 40) on days 0, 10 and 20;
    # cut-off day 30, so the history spans 30 days.  With base_neighbour_weight w = 0.3 the
    # baseline (events per day) is (own 730-day count + w * Gaussian(150 m) smoothed count)
    # / 30, plus the same tiny floor (1e-3 of the mean) everywhere:
    #   centre:     (3 + 0.3 * 3) / 30 = 0.13
    #   next door:  (0 + 0.3 * 3 * exp(-0.5)) / 30 = 0.0181959...
    #   corner (848 m away, beyond the 450 m truncation): the floor alone.
    from pctp.analytics.engine import SquareGrid

    grid = SquareGrid(0.0, 0.0, 9, 9, 150.0, "EPSG:32616")
    m = GradientBoostingForecast(grid, 7.0, base_neighbour_weight=0.3, anchor_all_history=0.0)
    days = np.array([0.0, 10.0, 20.0])
    cells = np.array([40, 40, 40])
    _, base = m._features(days, cells, 30.0)
    floor = base[0]
    assert base[40] - floor == pytest.approx(0.13)
    assert base[41] - floor == pytest.approx(0.3 * 3 * np.exp(-0.5) / 30)
    assert floor == pytest.approx(1e-3 * (base - floor).mean())
    # Anchored half to the long run (the default, issue 24): half the above plus half the
    # cell's share of all history per day (3 events over 30 days = 0.1 in the centre).
    #   centre: 0.5 * 0.13 + 0.5 * 0.1 = 0.115; next door: 0.5 * 0.0181959... (no event)
    anchored = GradientBoostingForecast(grid, 7.0, base_neighbour_weight=0.3)
    _, base = anchored._features(days, cells, 30.0)
    floor = base[0]
    assert base[40] - floor == pytest.approx(0.115)
    assert base[41] - floor == pytest.approx(0.5 * 0.3 * 3 * np.exp(-0.5) / 30)
