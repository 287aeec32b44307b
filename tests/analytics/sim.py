"""Synthetic data with known answers for the analytics tests."""

from __future__ import annotations

import numpy as np
from pyproj import Transformer

from pctp.analytics.engine import Events, SquareGrid

CRS = "EPSG:32648"  # UTM 48N, the zone of northern Vietnam
X0, Y0 = 580_000.0, 2_320_000.0  # near Hanoi (about 21.0 N, 105.8 E)
_INV = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)


def make_events(days, x, y, offence_type="THEFT", known=None) -> Events:
    days = np.asarray(days, dtype=float)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    lon, lat = _INV.transform(x, y)
    types = np.full(days.size, offence_type, dtype=object)
    return Events.from_arrays(days, lat, lon, types, crs=CRS, x=x, y=y, known=known)


def square_grid(nx=20, ny=20, cell=150.0) -> SquareGrid:
    return SquareGrid(X0, Y0, nx, ny, cell, CRS)


def cell_centre(grid: SquareGrid, ix: int, iy: int) -> tuple[float, float]:
    return grid.x0 + (ix + 0.5) * grid.cell_size_m, grid.y0 + (iy + 0.5) * grid.cell_size_m


def planted_hotspot(seed=0, days=420, nx=20, ny=20, cell=150.0, background_per_day=1.0,
                    hotspot_per_day=0.6, hotspot=((12, 7), (13, 7), (12, 8), (13, 8))):
    """Uniform background over an nx x ny grid plus a steady hotspot spread over ``hotspot``
    cells (ix, iy). Returns (events, grid, hotspot cell indices)."""
    rng = np.random.default_rng(seed)
    grid = square_grid(nx, ny, cell)
    nb = rng.poisson(background_per_day * days)
    t = [rng.uniform(0, days, nb)]
    x = [X0 + rng.uniform(0, nx * cell, nb)]
    y = [Y0 + rng.uniform(0, ny * cell, nb)]
    nh = rng.poisson(hotspot_per_day * days)
    which = rng.integers(0, len(hotspot), nh)
    hx = np.array([h[0] for h in hotspot])[which]
    hy = np.array([h[1] for h in hotspot])[which]
    t.append(rng.uniform(0, days, nh))
    x.append(X0 + (hx + rng.uniform(0.05, 0.95, nh)) * cell)
    y.append(Y0 + (hy + rng.uniform(0.05, 0.95, nh)) * cell)
    ev = make_events(np.concatenate(t), np.concatenate(x), np.concatenate(y))
    cells = sorted(int(iy * nx + ix) for ix, iy in hotspot)
    return ev, grid, cells


def simulate_grid_hawkes(mu, theta, omega, T, seed=0):
    """Grid Hawkes process of Mohler et al. (2015) simulated by branching.

    Generation 0 (background): in cell n, Poisson(mu_n T) events uniform on [0, T). Each event
    has Poisson(theta) children in its own cell, delayed by Exponential(rate omega); children
    after T are dropped, and the process repeats on the children. Returns (days, cells) sorted.
    """
    rng = np.random.default_rng(seed)
    mu = np.asarray(mu, dtype=float)
    n0 = rng.poisson(mu * T)
    cells = [np.repeat(np.arange(mu.size), n0)]
    times = [rng.uniform(0, T, n0.sum())]
    parents_t, parents_c = times[0], cells[0]
    while parents_t.size:
        k = rng.poisson(theta, parents_t.size)
        ct = np.repeat(parents_t, k) + rng.exponential(1.0 / omega, k.sum())
        cc = np.repeat(parents_c, k)
        keep = ct < T
        parents_t, parents_c = ct[keep], cc[keep]
        times.append(parents_t)
        cells.append(parents_c)
    t = np.concatenate(times)
    c = np.concatenate(cells)
    order = np.argsort(t, kind="stable")
    return t[order], c[order]
