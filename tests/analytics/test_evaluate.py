"""Evaluation maths against hand-computed cases."""

import numpy as np
import pytest

from pctp.analytics.engine import NaiveCounts, backtest, rank_cells, window_metrics, window_starts
from pctp.analytics.engine.evaluate import cells_for_coverage

from .sim import cell_centre, make_events, square_grid


def test_rank_cells_breaks_ties_by_lower_index_and_puts_nan_last():
    scores = np.array([1.0, 3.0, np.nan, 3.0, 1.0, 0.0])
    # 3.0 at cells 1 and 3 -> 1 first; 1.0 at cells 0 and 4 -> 0 first; NaN last
    assert rank_cells(scores).tolist() == [1, 3, 0, 4, 5, 2]


def test_cells_for_coverage():
    assert cells_for_coverage(10, 0.01) == 1       # never fewer than one cell
    assert cells_for_coverage(200, 0.01) == 2
    assert cells_for_coverage(200, 0.05) == 10
    assert cells_for_coverage(62663, 0.01) == 627  # round(626.63)


def test_window_metrics_hand_computed():
    # 10 cells; ranking by score (ties -> lower index): 0 (5), 8 (4), 2 (3), 3 (3), 6 (2), ...
    scores = np.array([5, 1, 3, 3, 0, 0, 2, 0, 4, 0], dtype=float)
    actual = np.array([2, 0, 1, 0, 0, 3, 0, 0, 1, 0], dtype=float)   # n = 7 events
    m = window_metrics(scores, actual, coverages=(0.1, 0.2, 0.3, 0.4))
    # k = 1: flagged {0} -> 2 events; best single cell is cell 5 with 3
    #   hit = 2/7, PAI = (2/7) / (1/10) = 20/7, PEI* = 2/3
    assert m[0.1]["k"] == 1
    assert m[0.1]["hit_rate"] == pytest.approx(2 / 7)
    assert m[0.1]["pai"] == pytest.approx(20 / 7)
    assert m[0.1]["pei_star"] == pytest.approx(2 / 3)
    # k = 2: flagged {0, 8} -> 2 + 1 = 3; best two cells 3 + 2 = 5
    #   hit = 3/7, PAI = (3/7) / (2/10) = 15/7, PEI* = 3/5
    assert m[0.2]["hit_rate"] == pytest.approx(3 / 7)
    assert m[0.2]["pai"] == pytest.approx(15 / 7)
    assert m[0.2]["pei_star"] == pytest.approx(3 / 5)
    # k = 3: flagged {0, 8, 2} -> 2 + 1 + 1 = 4; best 3 + 2 + 1 = 6
    #   hit = 4/7, PAI = (4/7) / (3/10) = 40/21, PEI* = 4/6
    assert m[0.3]["pai"] == pytest.approx(40 / 21)
    assert m[0.3]["pei_star"] == pytest.approx(4 / 6)
    # k = 4: the tie at score 3 takes cell 2 then cell 3 -> still 4; best 3 + 2 + 1 + 1 = 7
    assert m[0.4]["captured"] == 4
    assert m[0.4]["best"] == 7
    assert m[0.4]["pei_star"] == pytest.approx(4 / 7)


def test_window_metrics_all_ties_and_empty_window():
    actual = np.array([0, 1, 0, 0, 0, 0, 0, 0, 0, 1], dtype=float)
    m = window_metrics(np.zeros(10), actual, coverages=(0.2,))
    # all scores tied -> cells 0 and 1 flagged -> 1 of 2 events; PAI = (1/2)/(2/10) = 2.5
    assert m[0.2]["hit_rate"] == pytest.approx(0.5)
    assert m[0.2]["pai"] == pytest.approx(2.5)
    assert m[0.2]["pei_star"] == pytest.approx(0.5)    # best two cells hold both events
    empty = window_metrics(np.arange(10.0), np.zeros(10), coverages=(0.2,))
    assert np.isnan(empty[0.2]["hit_rate"]) and np.isnan(empty[0.2]["pei_star"])


def test_window_starts_weekly_2017_gives_52_windows():
    starts = window_starts("2017-01-01", "2017-12-31", 7)
    assert len(starts) == 52
    assert np.datetime64(int(starts[-1] * 86400), "s") == np.datetime64("2017-12-24T00:00")


def test_backtest_aggregates_hand_computed_windows():
    grid = square_grid(nx=10, ny=1)
    t0 = 1000.0

    def at(ix, days):
        x, y = cell_centre(grid, ix, 0)
        return [days], [x], [y]

    pts = [at(3, t0 - 30), at(3, t0 - 20), at(3, t0 - 10), at(7, t0 - 5),   # history
           at(3, t0 + 1), at(5, t0 + 2),                                   # window 1
           at(7, t0 + 8), at(7, t0 + 9)]                                   # window 2
    days, xs, ys = (np.concatenate([p[i] for p in pts]) for i in range(3))
    ev = make_events(days, xs, ys)
    res = backtest(ev, grid, {"naive": NaiveCounts(grid, 7, window_days=365)},
                   t0, t0 + 14 - 1e-9, horizon_days=7, coverages=(0.1,))
    s = res["naive"].summary()
    # window 1: naive ranks cell 3 first (3 past events); 1 of its 2 events is there
    #   hit 1/2, PAI (1/2)/(1/10) = 5, PEI* 1/1 = 1
    # window 2: cell 3 (now 4 events) still first; both events in cell 7 -> hit 0, PAI 0, PEI* 0
    w = res["naive"].windows
    assert [x["metrics"][0.1]["pai"] for x in w] == pytest.approx([5.0, 0.0])
    c = s["coverage"]["0.1"]
    assert c["hit_rate_mean"] == pytest.approx(0.25)
    assert c["pai_mean"] == pytest.approx(2.5)
    assert c["pai_std"] == pytest.approx(np.std([5.0, 0.0], ddof=1))   # 3.5355
    assert c["pei_star_mean"] == pytest.approx(0.5)
    assert s["n_windows"] == 2 and s["n_events"] == 4
