"""CSV loading, validation (errors name row and column) and projection."""

import gzip

import numpy as np
import pytest

from pctp.analytics.engine import EventFileError, load_events, to_days, utm_crs_for

HEADER = "id,occurred_at,lat,lon,offence_type,notes\n"


def write(tmp_path, body, name="events.csv", header=HEADER):
    p = tmp_path / name
    p.write_text(header + body, encoding="utf-8")
    return p


def test_loads_dates_with_and_without_time_and_ignores_extra_columns(tmp_path):
    p = write(tmp_path, "1,2017-03-05T14:30:00,21.03,105.85,THEFT,x\n"
                        "2,2017-03-04,21.02,105.84,Theft ,y\n"
                        "3,2017-03-06 08:00,21.01,105.83,ROBBERY,z\n")
    ev = load_events(p)
    assert len(ev) == 3
    # sorted by time; date-only means midnight
    assert ev.days[0] == to_days("2017-03-04")
    assert ev.days[1] == pytest.approx(to_days("2017-03-05T14:30:00"))
    assert ev.crs == "EPSG:32648"                       # UTM 48N for Hanoi
    assert ev.x.min() > 100_000 and ev.y.min() > 2_000_000
    assert len(ev.of_type("theft")) == 2                 # case and blanks ignored


def test_gzip_and_explicit_crs(tmp_path):
    p = tmp_path / "e.csv.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write("occurred_at,lat,lon,offence_type\n2016-01-01T00:00:00,41.88,-87.63,THEFT\n")
    assert load_events(p).crs == "EPSG:32616"            # Chicago -> UTM 16N
    assert load_events(p, crs="EPSG:3857").crs == "EPSG:3857"


def test_utm_zone_choice():
    assert utm_crs_for(105.8, 21.0).to_epsg() == 32648
    assert utm_crs_for(-87.7, 41.8).to_epsg() == 32616
    assert utm_crs_for(151.2, -33.9).to_epsg() == 32756


def test_mixed_time_zone_offsets_keep_wall_clock(tmp_path):
    p = write(tmp_path, "1,2017-03-05T14:30:00+07:00,21.0,105.8,THEFT,\n"
                        "2,2017-03-05T15:30:00,21.0,105.8,THEFT,\n")
    ev = load_events(p)
    assert ev.days[0] == pytest.approx(to_days("2017-03-05T14:30"))


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        ("1,2017-01-01,21,105,T,\n2,2017-01-02,21,105,T,\n3,05/01/2017,21,105,T,\n",
         3, "occurred_at", "unparseable date"),
        ("1,2017-01-01,21,105,T,\n2,2017-02-30,21,105,T,\n", 2, "occurred_at", "date"),
        ("1,,21,105,T,\n", 1, "occurred_at", "empty date"),
        ("1,2017-01-01,21,105,T,\n2,2017-01-01,91.5,105,T,\n", 2, "lat", "outside [-90, 90]"),
        ("1,2017-01-01,21,-180.5,T,\n", 1, "lon", "outside [-180, 180]"),
        ("1,2017-01-01,21,105,T,\n2,2017-01-01,nan,105,T,\n", 2, "lat", "not a number"),
        ("1,2017-01-01,21,105,T,\n2,2017-01-01,21,,T,\n", 2, "lon", "empty value"),
        ("1,2017-01-01,21,abc,T,\n", 1, "lon", "not a number"),
        ("1,2017-01-01,21,105,,\n", 1, "offence_type", "empty offence type"),
    ],
)
def test_validation_errors_name_row_and_column(tmp_path, body, row, column, words):
    p = write(tmp_path, body)
    with pytest.raises(EventFileError) as info:
        load_events(p)
    err = info.value
    assert (err.row, err.column) == (row, column)
    msg = str(err)
    assert f"row {row} (line {row + 1})" in msg and f"column '{column}'" in msg
    assert words in msg


def test_missing_column_and_unreadable_file(tmp_path):
    p = write(tmp_path, "2017-01-01,21,THEFT\n", header="occurred_at,lat,offence_type\n")
    with pytest.raises(EventFileError) as info:
        load_events(p)
    assert info.value.column == "lon" and "missing required column" in str(info.value)
    with pytest.raises(EventFileError, match="file not found"):
        load_events(tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv.gz"
    bad.write_bytes(b"not gzip at all")
    with pytest.raises(EventFileError, match="not a readable CSV"):
        load_events(bad)


def test_events_between_is_half_open(tmp_path):
    p = write(tmp_path, "".join(f"{i},2017-01-0{i},21,105,T,\n" for i in range(1, 6)))
    ev = load_events(p)
    part = ev.between("2017-01-02", "2017-01-04")
    assert np.allclose(part.days, [to_days("2017-01-02"), to_days("2017-01-03")])
    assert len(ev.before("2017-01-01")) == 0
