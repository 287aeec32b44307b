"""Maps are offline by default; a configured tile server is drawn under the same shapes and
its origin, and only it, is allowed by the page's CSP."""

import json

import pytest

from pctp.analytics import maps
from tests.personas import login

pytestmark = pytest.mark.django_db


def figure(**kwargs):
    desc = {"x0": 600000.0, "y0": 1200000.0, "nx": 10, "cell_size_m": 500.0,
            "crs": "EPSG:32648"}
    cells = [{"raster": 3, "coverage": 0.01}, {"raster": 15, "coverage": 0.05}]
    return json.loads(maps.hotspot_figure(cells, desc, title="t", **kwargs))


def test_the_default_map_fetches_nothing(settings):
    settings.PCTP_MAP_TILE_URL = ""
    fig = figure()
    assert {t["type"] for t in fig["data"]} == {"scatter"}
    assert "map" not in fig["layout"] and "mapbox" not in fig["layout"]
    # one outline trace of the communes, one trace per coverage class present
    names = [t.get("name", "") for t in fig["data"][1:]]
    assert len(names) == 2 and all("(1)" in n for n in names)
    assert maps.csp_for_tiles() == {}


def test_a_tile_server_is_used_when_configured(settings, analyst):
    settings.PCTP_MAP_TILE_URL = "https://tiles.tinh.example/{z}/{x}/{y}.png"
    fig = figure()
    assert {t["type"] for t in fig["data"]} == {"scattermap"}
    source = fig["layout"]["map"]["style"]["sources"]["tiles"]
    assert source["tiles"] == ["https://tiles.tinh.example/{z}/{x}/{y}.png"]
    page = login(analyst).get("/analytics/", {"cell": 2000})
    csp = page["Content-Security-Policy"]
    img = csp.split("img-src")[1].split(";")[0]
    assert "https://tiles.tinh.example" in img
    assert "https://tiles.tinh.example" not in csp.split("script-src")[1].split(";")[0]


def test_cell_squares_are_closed_rings_of_the_cell_size():
    desc = {"x0": 600000.0, "y0": 1200000.0, "nx": 10, "cell_size_m": 500.0,
            "crs": "EPSG:32648"}
    lon, lat = maps.cell_squares(desc, [0, 11])
    assert lon.shape == (2, 5) and (lon[:, 0] == lon[:, 4]).all()
    # cell 11 is one row up and one column right of cell 0: ~500 m, ~0.0045 degrees
    assert 0.004 < lat[1, 0] - lat[0, 0] < 0.005 and 0.004 < lon[1, 0] - lon[0, 0] < 0.005
