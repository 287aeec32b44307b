"""`pctp analytics backtest` runs the engine on a CSV and exits 2 on a bad file."""

import json
from pathlib import Path

import pytest
from django.core.management import ManagementUtility

SLICE = Path(__file__).resolve().parent.parent / "data" / "chicago_slice.csv"


def run(capsys, *args):
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["pctp", "analytics", *args]).execute()
    return exit_info.value.code, capsys.readouterr()


def test_backtest_prints_every_method_as_json(capsys):
    code, out = run(capsys, "backtest", "--events", str(SLICE), "--offence-type", "BURGLARY",
                    "--cell-size-m", "300", "--horizon-days", "7", "--test-start", "2017-10-01",
                    "--test-end", "2017-10-28", "--methods", "naive,kde", "--json")
    assert code == 0
    result = json.loads(out.out)
    assert set(result["methods"]) == {"naive", "kde"}
    assert result["methods"]["naive"]["n_windows"] == 4  # 1–28 October: four weekly windows
    assert result["grid"]["crs"] == "EPSG:32616"  # UTM 16N for Chicago


def test_a_bad_file_exits_2_naming_row_and_column(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("occurred_at,lat,lon,offence_type\n2017-01-01,91.5,-87.6,THEFT\n")
    code, out = run(capsys, "backtest", "--events", str(bad), "--offence-type", "THEFT",
                    "--test-start", "2017-01-01", "--test-end", "2017-01-07", "--json")
    assert code == 2
    assert "row" in out.err and "lat" in out.err
