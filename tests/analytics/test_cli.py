"""The backtest command line on the shipped Chicago slice, and its exit codes."""

import json
from pathlib import Path

import pytest

from pctp.analytics.engine.cli import main

SLICE = Path(__file__).resolve().parents[1] / "data" / "chicago_slice.csv"


def test_slice_is_small_and_plain():
    lines = SLICE.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "occurred_at,lat,lon,offence_type"
    assert len(lines) - 1 <= 3000


def test_backtest_json_on_chicago_slice(capsys):
    code = main(["backtest", "--events", str(SLICE), "--offence-type", "burglary",
                 "--cell-size-m", "150", "--horizon-days", "7", "--test-start", "2017-10-01",
                 "--test-end", "2017-12-30", "--methods", "all", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    report = json.loads(out)
    assert report["grid"]["crs"] == "EPSG:32616"
    methods = report["methods"]
    assert list(methods) == ["naive", "naive_all", "kde", "promap", "sepp", "learned",
                             "ensemble"]
    area = report["study_area"]
    assert area["kind"] == "events" and 0 < area["n_cells"] < report["grid"]["n_cells"]
    for s in methods.values():
        assert s["n_windows"] == 13                     # 2017-10-01 .. 2017-12-30, weekly
        assert s["n_events"] > 100
        assert s["fit_seconds"] >= 0 and s["predict_seconds"] >= 0
        for cov in ("0.01", "0.02", "0.05", "0.1"):
            c = s["coverage"][cov]
            assert 0 <= c["hit_rate_mean"] <= 1
            assert c["pai_mean"] == pytest.approx(c["hit_rate_mean"] * area["n_cells"]
                                                  / c["cells"], rel=1e-9)
            assert c["pai_pooled"] == pytest.approx(c["captured"] / c["events"]
                                                    * area["n_cells"] / c["cells"], rel=1e-9)
            assert 0 <= c["pei_star_mean"] <= 1
        # on real data every method beats chance (PAI 1) at 5 % of the study area's cells
        assert s["coverage"]["0.05"]["pai_pooled"] > 1.0


def test_text_output_and_train_days(capsys):
    code = main(["backtest", "--events", str(SLICE), "--offence-type", "MOTOR VEHICLE THEFT",
                 "--test-start", "2017-12-03", "--test-end", "2017-12-16", "--methods",
                 "naive,promap", "--train-days", "120"])
    out = capsys.readouterr().out
    assert code == 0
    assert "MOTOR VEHICLE THEFT" in out and "promap" in out and "PAI@1%" in out


def test_bad_file_exits_2_naming_row_and_column(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("occurred_at,lat,lon,offence_type\n2017-01-01,41.9,-87.7,THEFT\n"
                   "2017-01-02,41.9,-87.7,THEFT\n2017-01-03,141.9,-87.7,THEFT\n")
    code = main(["backtest", "--events", str(bad), "--offence-type", "THEFT",
                 "--test-start", "2017-01-02", "--test-end", "2017-01-09", "--json"])
    err = capsys.readouterr().err
    assert code == 2
    assert "row 3" in err and "column 'lat'" in err


def test_missing_column_unknown_type_and_bad_arguments_exit_2(tmp_path, capsys):
    bad = tmp_path / "nolon.csv"
    bad.write_text("occurred_at,lat,offence_type\n2017-01-01,41.9,THEFT\n")
    args = ["--test-start", "2017-01-02", "--test-end", "2017-01-09"]
    assert main(["backtest", "--events", str(bad), "--offence-type", "THEFT", *args]) == 2
    assert "column 'lon'" in capsys.readouterr().err
    assert main(["backtest", "--events", str(SLICE), "--offence-type", "ARSON",
                 "--test-start", "2017-12-01", "--test-end", "2017-12-31"]) == 2
    assert "no events of offence type" in capsys.readouterr().err
    assert main(["backtest", "--events", str(SLICE), "--offence-type", "BURGLARY",
                 "--test-start", "2017-12-01", "--test-end", "2017-12-31",
                 "--methods", "naive,magic"]) == 2
    assert "unknown method" in capsys.readouterr().err
    assert main(["backtest", "--events", str(SLICE), "--offence-type", "BURGLARY",
                 "--test-start", "2017-13-01", "--test-end", "2017-12-31"]) == 2
    assert main(["backtest", "--events", str(tmp_path / "missing.csv"), "--offence-type",
                 "BURGLARY", *args]) == 2
    assert "file not found" in capsys.readouterr().err


def test_backtest_on_h3_cells(capsys):
    code = main(["backtest", "--events", str(SLICE), "--offence-type", "BURGLARY",
                 "--h3-resolution", "9", "--test-start", "2017-12-03", "--test-end",
                 "2017-12-16", "--methods", "naive,kde,sepp", "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["grid"]["kind"] == "h3" and report["grid"]["n_cells"] > 50
    assert report["methods"]["sepp"]["n_windows"] == 2
