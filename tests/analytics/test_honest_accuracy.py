"""Issue 24: accuracy as known at the time, PAI pooled over a stated study area, the
all-history baseline, and the command line's study area. Expected values by hand."""

import json
from pathlib import Path

import numpy as np
import pytest

from pctp.analytics.engine import NaiveCounts, backtest, window_metrics
from pctp.analytics.engine.cli import main
from pctp.analytics.engine.events import EventFileError, load_events
from pctp.analytics.engine.methods import CLASSIC_METHODS, make_methods

from .sim import cell_centre, make_events, square_grid

SLICE = Path(__file__).resolve().parents[1] / "data" / "chicago_slice.csv"


def _events(grid, points, known=None):
    """points: (cell ix, day) on a one-row grid."""
    xs, ys = zip(*(cell_centre(grid, ix, 0) for ix, _d in points), strict=True)
    days = [d for _ix, d in points]
    return make_events(days, xs, ys, known=known)


def test_window_metrics_over_a_study_area_count_events_outside_as_misses():
    scores = np.array([5, 1, 3, 3, 0, 0, 2, 0, 4, 0], dtype=float)
    actual = np.array([2, 0, 1, 0, 0, 3, 0, 0, 1, 0], dtype=float)  # 7 events, 4 outside
    area = np.array([True] * 5 + [False] * 5)
    m = window_metrics(scores, actual, coverages=(0.2, 0.4), area=area)
    # k = round(0.2 * 5) = 1: cell 0 (score 5) holds 2 of the 7 events
    #   hit 2/7, PAI (2/7) / (1/5) = 10/7; the best single cell of the area holds 2: PEI* 1
    assert m[0.2]["k"] == 1 and m[0.2]["n_cells"] == 5 and m[0.2]["outside"] == 4
    assert m[0.2]["hit_rate"] == pytest.approx(2 / 7)
    assert m[0.2]["pai"] == pytest.approx(10 / 7)
    assert m[0.2]["pei_star"] == pytest.approx(1.0)
    # k = 2: cells 0 and 2 (the tie at 3 goes to the lower index): 3 events
    #   PAI (3/7) / (2/5) = 15/14
    assert m[0.4]["captured"] == 3
    assert m[0.4]["pai"] == pytest.approx(15 / 14)
    with pytest.raises(ValueError):
        window_metrics(scores, actual, coverages=(0.2,), area=np.zeros(10, dtype=bool))


def _two_windows(known=None):
    """History: three events in cell 3, one in cell 7; window 1 (days 1000-1007): one event
    in cell 3; window 2 (1007-1014): three in cell 7."""
    grid = square_grid(nx=10, ny=1)
    t0 = 1000.0
    points = [(3, t0 - 30), (3, t0 - 20), (3, t0 - 10), (7, t0 - 5),
              (3, t0 + 1), (7, t0 + 8), (7, t0 + 9), (7, t0 + 10)]
    return grid, t0, _events(grid, points, known)


def test_pai_pooled_over_the_windows_differs_from_their_mean_as_computed_by_hand():
    grid, t0, ev = _two_windows()
    res = backtest(ev, grid, {"naive": NaiveCounts(grid, 7)}, t0, t0 + 14 - 1e-9,
                   horizon_days=7, coverages=(0.1,))
    c = res["naive"].summary()["coverage"]["0.1"]
    # window 1: cell 3 first (3 past events) and its one event is there: PAI (1/1)/(1/10) = 10
    # window 2: cell 3 (4 events) still first, the 3 events are in cell 7: PAI 0
    assert c["pai_mean"] == pytest.approx(5.0)
    # pooled: 1 caught of 4 events over 1 cell of 10: (1/4) / (1/10) = 2.5
    assert c["captured"] == 1 and c["events"] == 4
    assert c["hit_rate_pooled"] == pytest.approx(0.25)
    assert c["pai_pooled"] == pytest.approx(2.5)
    # PEI*: best single cell each window holds 1 then 3: 1 / 4
    assert c["pei_star_pooled"] == pytest.approx(0.25)
    # Resampling two windows: both window 1 (PAI 10), both window 2 (PAI 0), or one of each
    # (2.5), a quarter, a quarter and a half of the time: the 95 % interval is 0 to 10.
    assert c["pai_ci"] == pytest.approx([0.0, 10.0])
    assert c["hit_rate_ci"] == pytest.approx([0.0, 1.0])
    again = backtest(ev, grid, {"naive": NaiveCounts(grid, 7)}, t0, t0 + 14 - 1e-9,
                     horizon_days=7, coverages=(0.1,))["naive"].summary()
    assert again["coverage"]["0.1"]["pai_ci"] == c["pai_ci"]  # seeded: the same each time


def test_a_late_reported_record_is_not_used_before_it_was_received():
    """Five thefts in cell 7 occurred weeks before the test but reached the system on day
    t0 + 3: the forecast for window 1 (from t0) could not know them; window 2's could."""
    grid = square_grid(nx=10, ny=1)
    t0 = 1000.0
    points = [(3, t0 - 30), (3, t0 - 20), (3, t0 - 10)] + [(7, t0 - 40 + i) for i in range(5)] \
        + [(7, t0 + 1), (7, t0 + 8)]
    days = [d for _ix, d in points]
    known = [*days[:3], *[t0 + 3] * 5, *days[8:]]
    honest = backtest(_events(grid, points, known), grid, {"naive": NaiveCounts(grid, 7)}, t0,
                      t0 + 14 - 1e-9, horizon_days=7, coverages=(0.1,))["naive"]
    hindsight = backtest(_events(grid, points), grid, {"naive": NaiveCounts(grid, 7)}, t0,
                         t0 + 14 - 1e-9, horizon_days=7, coverages=(0.1,))["naive"]
    # As known: window 1 sees cell 3 (3) only and misses; window 2 sees cell 7 (5 + 1 = 6).
    assert [w["metrics"][0.1]["pai"] for w in honest.windows] == pytest.approx([0.0, 10.0])
    assert [w["late_excluded"] for w in honest.windows] == [5, 0]
    assert honest.summary()["late_excluded"] == 5
    # With hindsight window 1 would have been credited too.
    assert [w["metrics"][0.1]["pai"] for w in hindsight.windows] == pytest.approx([10.0, 10.0])
    assert honest.summary()["coverage"]["0.1"]["pai_pooled"] == pytest.approx(5.0)
    assert honest.summary()["late_records"] == 5
    # Received only on day t0 + 10: left out of both windows' forecasts; the page counts the
    # five records once (QA: it said "2365 hồ sơ" for 1,011 records), not once per window.
    later = [*days[:3], *[t0 + 10] * 5, *days[8:]]
    twice = backtest(_events(grid, points, later), grid, {"naive": NaiveCounts(grid, 7)}, t0,
                     t0 + 14 - 1e-9, horizon_days=7, coverages=(0.1,))["naive"].summary()
    assert twice["late_excluded"] == 10 and twice["late_records"] == 5


def test_naive_counts_over_all_history_is_a_classic_method():
    grid, t0, ev = _two_windows()
    methods = make_methods(["naive", "naive_all"], grid, 7)
    assert "naive_all" in CLASSIC_METHODS
    old = _events(grid, [(5, t0 - 700), (5, t0 - 600), (5, t0 - 500), (2, t0 - 5)])
    for m in methods.values():
        m.fit(old, t0)
    # the 365-day window sees only cell 2; all history sees cell 5's three old events
    assert methods["naive"].score().tolist()[2] == 1 and methods["naive"].score()[5] == 0
    assert methods["naive_all"].score()[5] == 3 and methods["naive_all"].score()[2] == 1


def test_an_events_file_may_say_when_each_record_was_received(tmp_path):
    f = tmp_path / "ev.csv"
    f.write_text("occurred_at,received_at,lat,lon,offence_type\n"
                 "2017-01-01,2017-01-20,41.9,-87.7,THEFT\n"
                 "2017-01-02,2016-12-30,41.9,-87.7,THEFT\n")  # a receipt before the event
    ev = load_events(f)
    assert (ev.known - ev.days).tolist() == pytest.approx([19.0, 0.0])
    bad = tmp_path / "bad.csv"
    bad.write_text("occurred_at,received_at,lat,lon,offence_type\n"
                   "2017-01-01,,41.9,-87.7,THEFT\n"  # blank: known when it occurred
                   "2017-01-01,yesterday,41.9,-87.7,THEFT\n")
    with pytest.raises(EventFileError) as err:
        load_events(bad)
    assert "received_at" in str(err.value) and "row 2" in str(err.value)
    blank = tmp_path / "blank.csv"
    blank.write_text("occurred_at,received_at,lat,lon,offence_type\n"
                     "2017-01-01,,41.9,-87.7,THEFT\n2017-01-02,2017-01-05,41.9,-87.7,THEFT\n")
    assert (load_events(blank).known - load_events(blank).days).tolist() == [0.0, 3.0]
    # A date past the calendar's range was read as 1816 (QA): now refused.
    far = tmp_path / "far.csv"
    far.write_text("occurred_at,received_at,lat,lon,offence_type\n"
                   "2017-01-01,9999-12-31,41.9,-87.7,THEFT\n")
    with pytest.raises(EventFileError) as err:
        load_events(far)
    assert "outside 1900–2100" in str(err.value) and "received_at" in str(err.value)


def _run(capsys, *extra):
    code = main(["backtest", "--events", str(SLICE), "--offence-type", "burglary",
                 "--test-start", "2017-12-03", "--test-end", "2017-12-16", "--methods",
                 "naive,naive_all", "--json", *extra])
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if code == 0 else captured.err)


def test_the_command_line_states_and_uses_its_study_area(tmp_path, capsys):
    code, events = _run(capsys)
    assert code == 0 and events["study_area"]["kind"] == "events"
    code, bbox = _run(capsys, "--study-area", "bbox")
    assert code == 0 and bbox["study_area"] == {"kind": "bbox",
                                                "n_cells": bbox["grid"]["n_cells"]}
    assert events["study_area"]["n_cells"] < bbox["study_area"]["n_cells"]
    for report in (events, bbox):
        n = report["study_area"]["n_cells"]
        for c in report["methods"]["naive"]["coverage"].values():
            assert c["pai_pooled"] == pytest.approx(c["captured"] / c["events"] * n / c["cells"])
    # A polygon: the western half of the slice's burglaries' box (-87.72 to -87.66 E,
    # 41.90 to 41.94 N).
    lon0, lat0, lon1, lat1 = -87.725, 41.895, -87.655, 41.945
    mid = (lon0 + lon1) / 2
    half = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
            "geometry": {"type": "Polygon", "coordinates": [[[lon0, lat0], [mid, lat0],
                                                             [mid, lat1], [lon0, lat1],
                                                             [lon0, lat0]]]}}]}
    area = tmp_path / "west.geojson"
    area.write_text(json.dumps(half))
    code, west = _run(capsys, "--study-area", str(area))
    assert code == 0 and west["study_area"]["kind"] == "file"
    assert 0 < west["study_area"]["n_cells"] == west["grid"]["n_cells"]
    assert 0 < west["methods"]["naive"]["n_events"] < bbox["methods"]["naive"]["n_events"]
    # Bad areas are refused with exit code 2 and a reason.
    (tmp_path / "bad.geojson").write_text("{not json")
    code, err = _run(capsys, "--study-area", str(tmp_path / "bad.geojson"))
    assert code == 2 and "not a readable GeoJSON" in err
    (tmp_path / "points.geojson").write_text(json.dumps(
        {"type": "Point", "coordinates": [-87.7, 41.9]}))
    code, err = _run(capsys, "--study-area", str(tmp_path / "points.geojson"))
    assert code == 2 and "no Polygon" in err
    code, err = _run(capsys, "--study-area", str(tmp_path / "missing.geojson"))
    assert code == 2 and "not a readable GeoJSON" in err
    # QA: malformed content, a world-sized area and an area without events exited 1 with a
    # traceback, ran out of memory, or printed a table of dashes.
    bad_shapes = {
        "features.geojson": {"type": "FeatureCollection", "features": "x"},
        "string.geojson": {"type": "FeatureCollection", "features": ["x"]},
        "list.geojson": {"type": "FeatureCollection", "features": [{"geometry": [1, 2]}]},
        "nan.geojson": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], ["NaN", 1],
                                                            [0, 0]]]},
        "empty.geojson": {"type": "Polygon", "coordinates": []},
        "world.geojson": {"type": "Polygon", "coordinates": [[[-179, -80], [179, -80],
                                                              [179, 80], [-179, 80],
                                                              [-179, -80]]]},
        "swapped.geojson": {"type": "Polygon", "coordinates": [[[lat0, lon0], [lat1, lon0],
                                                                [lat1, mid], [lat0, mid],
                                                                [lat0, lon0]]]},
        "elsewhere.geojson": {"type": "Polygon", "coordinates": [[[105, 10], [106, 10],
                                                                  [106, 11], [105, 11],
                                                                  [105, 10]]]},
    }
    for name, content in bad_shapes.items():
        (tmp_path / name).write_text(json.dumps(content))
        code, err = _run(capsys, "--study-area", str(tmp_path / name))
        assert code == 2 and err.startswith("error: ") and "Traceback" not in err, (name, err)
    code, err = _run(capsys, "--study-area", str(tmp_path))  # a directory
    assert code == 2 and "not a file" in err


def _shifting(grid):
    """Cell 5: ten events three years back. Cell 2: three in the last year, two in the
    validation weeks (days 972-1000). The test weeks (1000-1014): two in cell 5 again."""
    points = [(5, float(d)) for d in range(10)] + [(2, 800.0), (2, 810.0), (2, 820.0),
                                                   (2, 975.0), (2, 990.0),
                                                   (5, 1001.0), (5, 1008.0)]
    return _events(grid, points)


def test_the_automatic_method_is_chosen_on_the_weeks_before_the_test_only():
    from pctp.analytics.engine import forecast as fc

    grid = square_grid(nx=10, ny=1)
    ev = grid.assign(_shifting(grid))
    choice = fc.choose_method(ev, grid, 7, before=1000.0, first=0.0, validation_days=28,
                              candidates=("naive", "naive_all"))
    # Validation windows 972, 979, 986, 993. The 365-day counts rank cell 2 first and catch
    # both validation events: pooled PAI (2/2) / (1/10) = 10; all-history counts rank cell 5
    # (10 events) first and catch none: 0.
    assert choice["method"] == "naive"
    assert choice["validation"] == {"naive": [10.0, 10.0], "naive_all": [0.0, 0.0]}
    assert choice["end"] == "1972-09-27T00:00:00"  # day 1000: the first test window's start


def test_the_automatic_choice_keeps_the_simpler_method_when_the_weeks_cannot_tell():
    """One-standard-error rule: a method listed later wins only by more than the noise of
    the validation weeks."""
    from pctp.analytics.engine import forecast as fc

    grid = square_grid(nx=10, ny=1)
    # Ten old thefts in cell 5 (days 0-9), three last year in cell 2; in the validation
    # weeks (972, 979, 986, 993) two in cell 2 in week 1 and one in cell 5 in week 2.
    ev = grid.assign(_events(grid, [(5, float(d)) for d in range(10)]
                             + [(2, 800.0), (2, 810.0), (2, 820.0), (2, 973.0), (2, 974.0),
                                (5, 980.0)]))
    choice = fc.choose_method(ev, grid, 7, before=1000.0, first=0.0, validation_days=28,
                              candidates=("naive_all", "naive"))
    # 365-day counts flag cell 2 both weeks: 2 of 3 caught, PAI (2/3) / (1/10) = 6.67;
    # all-history counts flag cell 5: 1 of 3, 3.33. The 3.33 lead rests on two weeks: a
    # resample of the four weeks without week 2 reads +10, one without week 1 reads -10,
    # each about a quarter of the time, so the lead is well inside one standard error.
    assert choice["validation"]["naive"][0] == pytest.approx(20 / 3)
    assert choice["validation"]["naive_all"][0] == pytest.approx(10 / 3)
    assert choice["best"] == "naive" and choice["method"] == "naive_all"
    assert choice["n_windows"] == 4
    # Listed first, the better method is kept.
    first = fc.choose_method(ev, grid, 7, before=1000.0, first=0.0, validation_days=28,
                             candidates=("naive", "naive_all"))
    assert first["method"] == first["best"] == "naive"


def test_the_automatic_choice_takes_a_later_method_that_wins_clearly():
    from pctp.analytics.engine import forecast as fc

    grid = square_grid(nx=10, ny=1)
    ev = grid.assign(_shifting(grid))
    choice = fc.choose_method(ev, grid, 7, before=1000.0, first=0.0, validation_days=28,
                              candidates=("naive_all", "naive"))
    # 10 against 0 (above); the two events are in weeks 1 and 3, so a resample shows the
    # lead of 10 unless it draws neither (1/16): its standard error is
    # about 10 * sqrt(15/16 * 1/16) = 2.4, and 10 is well beyond it.
    assert choice["method"] == choice["best"] == "naive"


def test_a_forecast_on_auto_reports_the_chosen_methods_accuracy_on_the_test_weeks(
        monkeypatch):
    from pctp.analytics.engine import forecast as fc

    monkeypatch.setattr(fc, "AUTO_CANDIDATES", ("naive", "naive_all"))
    monkeypatch.setattr(fc, "VALIDATION_DAYS", 28.0)
    monkeypatch.setattr(fc, "MIN_VALIDATION_WINDOWS", 4)
    grid = square_grid(nx=10, ny=1)
    out = fc.forecast_with_accuracy(_shifting(grid), grid, "auto", 7, 1014.0, test_days=14)
    acc = out["accuracy"]
    assert out["method"] == "naive" and acc["chosen"]["method"] == "naive"
    # On the test weeks the thefts went back to cell 5: the chosen method misses both
    # (PAI 0), though all-history counts would have caught them. The choice did not peek.
    assert acc["coverage"]["0.01"]["pai_pooled"] == 0.0
    assert acc["n_windows"] == 2 and acc["n_events"] == 2


def test_an_automatic_forecast_reports_progress_while_it_chooses(monkeypatch):
    """The choice is half the work: the progress bar moves through it (QA of issue 24: it
    sat at 5 % until the test windows)."""
    from pctp.analytics.engine import forecast as fc

    monkeypatch.setattr(fc, "AUTO_CANDIDATES", ("naive", "naive_all"))
    monkeypatch.setattr(fc, "VALIDATION_DAYS", 28.0)
    monkeypatch.setattr(fc, "MIN_VALIDATION_WINDOWS", 4)
    grid = square_grid(nx=10, ny=1)
    seen = []
    fc.forecast_with_accuracy(_shifting(grid), grid, "auto", 7, 1014.0, test_days=14,
                              progress=seen.append)
    # four validation windows take the first half, the two test windows up to 0.9, the fit 1
    assert seen == pytest.approx([0.125, 0.25, 0.375, 0.5, 0.7, 0.9, 1.0])


def test_a_monthly_choice_rests_on_twelve_windows():
    from pctp.analytics.engine import forecast as fc

    assert fc.validation_period(7) == 182.0      # 26 weekly windows
    assert fc.validation_period(30) == 360.0     # 12 monthly windows, not 6


def test_the_learned_baseline_is_anchored_to_the_long_run():
    """A cell that held ten thefts three years ago and none since keeps a share of the
    learned model's baseline (issue 24: anchored to long-run counts); unanchored, it scores
    no more than a cell that never held one."""
    from pctp.analytics.engine.methods import GradientBoostingForecast

    grid = square_grid(nx=10, ny=1, cell=1000.0)
    ev = _events(grid, [(5, float(d)) for d in range(10)]
                 + [(2, 900.0 + d) for d in range(0, 30, 3)])
    anchored = GradientBoostingForecast(grid, 7).fit(ev, 1000.0).score()
    plain = GradientBoostingForecast(grid, 7, anchor_all_history=0.0).fit(ev, 1000.0).score()
    assert anchored[5] > anchored[8] and anchored[2] > anchored[5]
    assert plain[5] == pytest.approx(plain[8])


def test_the_fixed_map_ceiling_is_computed_by_hand():
    """Issue 24: the best one map for the test weeks, in hindsight, with and without the
    week it is judged on. Three windows: one event in cell 3, then three in cell 7, then one
    in cell 7; 1 cell of 10 flagged."""
    from pctp.analytics.engine import fixed_map_ceiling

    grid = square_grid(nx=10, ny=1)
    t0 = 1000.0
    ev = _events(grid, [(3, t0 - 30), (3, t0 + 1), (7, t0 + 8), (7, t0 + 9), (7, t0 + 10),
                        (7, t0 + 15)])
    out = fixed_map_ceiling(ev, grid, t0, t0 + 21 - 1e-9, horizon_days=7, coverages=(0.1,))
    # In hindsight the test weeks hold cell 3: 1, cell 7: 4; cell 7 is flagged every week and
    # catches 0 + 3 + 1 of the 5 events: PAI (4/5) / (1/10) = 8.
    hind = out["fixed_hindsight"]["0.1"]
    assert hind["captured"] == 4 and hind["events"] == 5
    assert hind["pai_pooled"] == pytest.approx(8.0)
    # Leaving the judged week out: week 1 sees cell 7: 4 (miss); week 2 sees cell 3: 1 and
    # cell 7: 1, the tie to the lower index, cell 3 (miss); week 3 sees cell 7: 3 (caught 1).
    # PAI (1/5) / (1/10) = 2.  The event before the test weeks is in neither map.
    loo = out["fixed_other_windows"]["0.1"]
    assert loo["captured"] == 1 and loo["events"] == 5
    assert loo["pai_pooled"] == pytest.approx(2.0)
    assert fixed_map_ceiling(ev, grid, t0, t0 + 3, horizon_days=7) == {}  # no window
    assert fixed_map_ceiling(ev, grid, t0, t0 + 7 - 1e-9, horizon_days=7) == {}  # no other
