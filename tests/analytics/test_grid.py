"""Square and H3 grids."""

import h3
import numpy as np
import pytest
from shapely.geometry import Polygon

from pctp.analytics.engine import H3Grid, SquareGrid

from .sim import _INV, X0, Y0, make_events, square_grid


def test_square_grid_over_bounding_box_and_cell_lookup():
    ev = make_events([0, 1, 2], [X0, X0 + 1000, X0 + 449], [Y0, Y0 + 299, Y0 + 10])
    g = SquareGrid.from_events(ev, 150)
    # x extent 1000 m -> floor(1000/150) + 1 = 7 columns; y extent 299 m -> 2 rows
    assert (g.nx, g.ny, g.n_cells) == (7, 2, 14)
    # (0, 0) -> cell 0; (1000, 299) -> ix 6, iy 1 -> 13; (449, 10) -> ix 2 -> 2
    assert g.cell_of(ev.take(np.argsort(ev.days))).tolist() == [0, 13, 2]
    assert g.cell_of_xy(np.array([X0 - 1]), np.array([Y0])).tolist() == [-1]


def test_square_grid_clipped_to_polygon_keeps_cells_with_centre_inside():
    # a diamond |x - 295| + |y - 295| < 295 (metres from X0, Y0), given in lon/lat
    corners = [(X0 + 295, Y0), (X0 + 590, Y0 + 295), (X0 + 295, Y0 + 590), (X0, Y0 + 295)]
    poly = Polygon([_INV.transform(x, y) for x, y in corners])
    ev = make_events([0], [X0 + 300], [Y0 + 300])
    g = SquareGrid.from_events(ev, 150, polygon=poly)
    # the grid covers the polygon's box: 590 m -> 4 x 4 cells, centres at 75, 225, 375, 525 m,
    # i.e. |offsets| from 295 of 220, 70, 80, 230. Inside when the two offsets sum below 295:
    # (70|80, 70|80) -> 4 cells, plus (70, 220) and (220, 70) (290 < 295) -> 6 cells
    assert (g.nx, g.ny) == (4, 4)
    assert g.n_cells == 6
    assert g.cell_of_xy(np.array([X0 + 10]), np.array([Y0 + 10]))[0] == -1
    assert g.cell_of_xy(np.array([X0 + 300]), np.array([Y0 + 300]))[0] >= 0


def test_square_smooth_matches_direct_sum():
    g = square_grid(9, 7, 100)
    rng = np.random.default_rng(1)
    v = rng.poisson(0.5, g.n_cells).astype(float)

    def kernel(d):
        return np.exp(-d / 150.0)

    out = g.smooth(v, kernel, 450.0)
    xy = g.centres_xy
    d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
    direct = (np.where(d <= 450.0 + 1e-6, kernel(d), 0.0) * v[None, :]).sum(axis=1)
    assert np.allclose(out, direct, atol=1e-9)


def test_h3_grid_matches_h3_and_smooths():
    ev = make_events([0, 1, 2, 3], [X0, X0 + 50, X0 + 2000, X0 + 2010],
                     [Y0, Y0 + 20, Y0 + 2000, Y0 + 1990])
    g = H3Grid.from_events(ev, resolution=9)
    cells = g.cell_of(ev)
    assert (cells >= 0).all()
    for i in range(len(ev)):
        assert g.cells[cells[i]] == h3.latlng_to_cell(ev.lat[i], ev.lon[i], 9)
    # two occupied hexagons (or so) plus their rings of six
    assert g.n_cells >= 14
    counts = g.counts(cells)
    sm = g.smooth(counts, lambda d: np.ones_like(d), g.cell_size_m * 1.1, key="ring1")
    # each occupied hexagon sees itself and its neighbours within one ring
    assert sm[cells[0]] == pytest.approx(counts[g.cell_of(ev)[:2]].sum() if cells[0] != cells[1]
                                         else counts[cells[0]])
    assert g.cell_size_m == pytest.approx(np.sqrt(3) * h3.average_hexagon_edge_length(9, "m"))
