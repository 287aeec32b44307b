"""Spatial units: square cells in metres, or H3 hexagons.

Both grids expose the same small interface used by the forecasting methods:

- ``n_cells`` and ``cell_size_m`` (for H3, the mean distance between neighbouring centres);
- ``cell_of(events)``: cell index per event (``-1`` if outside the grid);
- ``assign(events)``: the same events with ``cell`` filled in, outside events dropped;
- ``counts(cells, weights)``: a per-cell sum (``np.bincount``);
- ``smooth(values, kernel, radius_m)``: ``out[c] = sum_d kernel(dist(c, d)) * values[d]`` over
  cells within ``radius_m`` (FFT convolution on the square raster, a sparse matrix for H3);
- ``centres_xy`` (metres) and ``centres_latlon``.
"""

from __future__ import annotations

from collections.abc import Callable

import h3
import numpy as np
from pyproj import Transformer
from scipy import sparse
from scipy.signal import fftconvolve
from scipy.spatial import cKDTree

from .events import Events

Kernel = Callable[[np.ndarray], np.ndarray]


class SquareGrid:
    """Square cells of ``cell_size`` metres over a rectangle in projected coordinates.

    The full rectangle is ``ny`` rows by ``nx`` columns, raster index ``iy * nx + ix``; ``valid``
    marks the cells that belong to the study area (all of them unless clipped to a polygon).
    Cell indices used everywhere else are positions among the valid cells, in raster order.
    """

    def __init__(self, x0: float, y0: float, nx: int, ny: int, cell_size: float, crs: str,
                 valid: np.ndarray | None = None):
        self.x0 = float(x0)
        self.y0 = float(y0)
        self.nx = int(nx)
        self.ny = int(ny)
        self.cell_size_m = float(cell_size)
        self.crs = crs
        if valid is None:
            valid = np.ones(self.nx * self.ny, dtype=bool)
        self.valid = np.asarray(valid, dtype=bool).reshape(-1)
        self.raster_index = np.flatnonzero(self.valid)
        lut = np.full(self.nx * self.ny, -1, dtype=np.int64)
        lut[self.raster_index] = np.arange(self.raster_index.size)
        self._lut = lut
        self._kernels: dict = {}

    @classmethod
    def from_events(cls, events: Events, cell_size_m: float = 150.0, polygon=None
                    ) -> SquareGrid:
        """Grid over the bounding box of ``events``.

        ``polygon``: optional shapely (Multi)Polygon in lon/lat order (as in GeoJSON); only cells
        whose centre lies inside are kept. With a polygon the box is the polygon's bounds.
        """
        if polygon is not None:
            import shapely

            tr = Transformer.from_crs("EPSG:4326", events.crs, always_xy=True)
            bx, by = tr.transform(*shapely.get_coordinates(polygon).T)
            xmin, xmax, ymin, ymax = np.min(bx), np.max(bx), np.min(by), np.max(by)
        else:
            if len(events) == 0:
                raise ValueError("cannot build a grid from no events")
            xmin, xmax = float(events.x.min()), float(events.x.max())
            ymin, ymax = float(events.y.min()), float(events.y.max())
        nx = int(np.floor((xmax - xmin) / cell_size_m)) + 1
        ny = int(np.floor((ymax - ymin) / cell_size_m)) + 1
        grid = cls(xmin, ymin, nx, ny, cell_size_m, events.crs)
        if polygon is not None:
            import shapely

            lon, lat = grid._raster_centres_lonlat()
            inside = shapely.contains_xy(polygon, lon, lat)
            grid = cls(xmin, ymin, nx, ny, cell_size_m, events.crs, valid=inside)
        return grid

    # -- geometry --------------------------------------------------------------------------
    @property
    def n_cells(self) -> int:
        return int(self.raster_index.size)

    @property
    def shape(self) -> tuple[int, int]:
        return self.ny, self.nx

    def _raster_centres_xy(self) -> tuple[np.ndarray, np.ndarray]:
        iy, ix = np.divmod(np.arange(self.nx * self.ny), self.nx)
        return self.x0 + (ix + 0.5) * self.cell_size_m, self.y0 + (iy + 0.5) * self.cell_size_m

    def _raster_centres_lonlat(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._raster_centres_xy()
        tr = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)
        return tr.transform(x, y)

    @property
    def centres_xy(self) -> np.ndarray:
        x, y = self._raster_centres_xy()
        return np.column_stack([x[self.raster_index], y[self.raster_index]])

    @property
    def centres_latlon(self) -> np.ndarray:
        lon, lat = self._raster_centres_lonlat()
        return np.column_stack([np.asarray(lat)[self.raster_index],
                                np.asarray(lon)[self.raster_index]])

    # -- assignment ------------------------------------------------------------------------
    def cell_of_xy(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        ix = np.floor((np.asarray(x) - self.x0) / self.cell_size_m).astype(np.int64)
        iy = np.floor((np.asarray(y) - self.y0) / self.cell_size_m).astype(np.int64)
        inside = (ix >= 0) & (ix < self.nx) & (iy >= 0) & (iy < self.ny)
        out = np.full(ix.shape, -1, dtype=np.int64)
        out[inside] = self._lut[iy[inside] * self.nx + ix[inside]]
        return out

    def cell_of(self, events: Events) -> np.ndarray:
        if events.cell is not None:
            return events.cell
        return self.cell_of_xy(events.x, events.y)

    def assign(self, events: Events) -> Events:
        cell = self.cell_of_xy(events.x, events.y)
        keep = cell >= 0
        ev = events.with_cells(cell)
        return ev if keep.all() else ev.take(keep)

    def counts(self, cells: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(cells, weights=weights, minlength=self.n_cells).astype(float)

    # -- rasters and smoothing -------------------------------------------------------------
    def to_raster(self, values: np.ndarray) -> np.ndarray:
        r = np.zeros(self.nx * self.ny, dtype=float)
        r[self.raster_index] = values
        return r.reshape(self.ny, self.nx)

    def from_raster(self, raster: np.ndarray) -> np.ndarray:
        return np.asarray(raster).reshape(-1)[self.raster_index]

    def kernel_array(self, kernel: Kernel, radius_m: float) -> np.ndarray:
        r = int(np.floor(radius_m / self.cell_size_m + 1e-9))
        off = np.arange(-r, r + 1) * self.cell_size_m
        dist = np.hypot(off[None, :], off[:, None])
        k = np.where(dist <= radius_m + 1e-9, kernel(dist), 0.0)
        return k

    def smooth(self, values: np.ndarray, kernel: Kernel, radius_m: float = 0.0,
               key=None) -> np.ndarray:
        """Spatial convolution of per-cell values with ``kernel(distance_m)`` up to ``radius_m``.

        ``key`` (hashable) caches the discretised kernel. Results below 1e-10 of the input total
        are set to exactly 0 so that FFT round-off cannot create spurious order among empty
        cells.
        """
        return self.smooth_many(np.asarray(values, dtype=float)[None, :], kernel, radius_m,
                                key)[0]

    def smooth_many(self, values: np.ndarray, kernel: Kernel, radius_m: float = 0.0,
                    key=None) -> np.ndarray:
        """:meth:`smooth` applied to each row of ``values`` (m x n_cells) in one FFT batch."""
        k = self._kernels.get(key) if key is not None else None
        if k is None:
            k = self.kernel_array(kernel, radius_m)
            if key is not None:
                self._kernels[key] = k
        values = np.asarray(values, dtype=float)
        m = values.shape[0]
        raster = np.zeros((m, self.nx * self.ny))
        raster[:, self.raster_index] = values
        raster = raster.reshape(m, self.ny, self.nx)
        if k.size == 1:
            out = raster * float(k.reshape(-1)[0])
        else:
            out = fftconvolve(raster, k[None, ::-1, ::-1], mode="same", axes=(1, 2))
            scale = np.abs(raster).sum(axis=(1, 2)) * np.abs(k).max()
            out[np.abs(out) < 1e-10 * scale[:, None, None]] = 0.0
        return out.reshape(m, -1)[:, self.raster_index]


class H3Grid:
    """H3 hexagons (h3 v4 API) at one resolution.

    The cells are those of the polygon (``h3.h3shape_to_cells``: hexagons whose centre is
    inside) if one is given, else the cells holding events plus one ring around them.
    """

    def __init__(self, cells: list[str], resolution: int, crs: str):
        self.cells = list(cells)
        self.resolution = int(resolution)
        self.crs = crs
        self._index = {c: i for i, c in enumerate(self.cells)}
        lat, lon = np.array([h3.cell_to_latlng(c) for c in self.cells]).T.reshape(2, -1)
        self._lat, self._lon = lat, lon
        tr = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        x, y = tr.transform(lon, lat)
        self._xy = np.column_stack([x, y])
        # centre spacing of neighbouring hexagons = sqrt(3) * edge length
        self.cell_size_m = float(np.sqrt(3.0) * h3.average_hexagon_edge_length(resolution, "m"))
        self._tree = cKDTree(self._xy) if self.cells else None
        self._mats: dict = {}

    @classmethod
    def from_events(cls, events: Events, resolution: int = 9, polygon=None) -> H3Grid:
        if polygon is not None:
            shape = h3.geo_to_h3shape(polygon.__geo_interface__)
            cells = sorted(h3.h3shape_to_cells(shape, resolution))
        else:
            base = {h3.latlng_to_cell(float(a), float(b), resolution)
                    for a, b in zip(events.lat, events.lon, strict=True)}
            ring = set()
            for c in base:
                ring.update(h3.grid_disk(c, 1))
            cells = sorted(ring)
        return cls(cells, resolution, events.crs)

    @property
    def n_cells(self) -> int:
        return len(self.cells)

    @property
    def centres_xy(self) -> np.ndarray:
        return self._xy

    @property
    def centres_latlon(self) -> np.ndarray:
        return np.column_stack([self._lat, self._lon])

    def _lookup(self, events: Events) -> np.ndarray:
        get = self._index.get
        return np.array([get(h3.latlng_to_cell(float(a), float(b), self.resolution), -1)
                         for a, b in zip(events.lat, events.lon, strict=True)], dtype=np.int64)

    def cell_of(self, events: Events) -> np.ndarray:
        if events.cell is not None:
            return events.cell
        return self._lookup(events)

    def assign(self, events: Events) -> Events:
        cell = self._lookup(events)
        ev = events.with_cells(cell)
        keep = cell >= 0
        return ev if keep.all() else ev.take(keep)

    def counts(self, cells: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(cells, weights=weights, minlength=self.n_cells).astype(float)

    def smooth(self, values: np.ndarray, kernel: Kernel, radius_m: float = 0.0,
               key=None) -> np.ndarray:
        """Sparse-matrix version of :meth:`SquareGrid.smooth` over hexagon centres."""
        mat = self._mats.get(key) if key is not None else None
        if mat is None:
            pairs = self._tree.query_pairs(radius_m + 1e-6, output_type="ndarray")
            pairs = pairs.reshape(-1, 2)
            i = np.concatenate([pairs[:, 0], pairs[:, 1], np.arange(self.n_cells)])
            j = np.concatenate([pairs[:, 1], pairs[:, 0], np.arange(self.n_cells)])
            d = np.linalg.norm(self._xy[i] - self._xy[j], axis=1)
            mat = sparse.csr_matrix((kernel(d), (i, j)), shape=(self.n_cells, self.n_cells))
            if key is not None:
                self._mats[key] = mat
        return mat @ np.asarray(values, dtype=float)

    def smooth_many(self, values: np.ndarray, kernel: Kernel, radius_m: float = 0.0,
                    key=None) -> np.ndarray:
        values = np.asarray(values, dtype=float)
        return np.stack([self.smooth(v, kernel, radius_m, key) for v in values])
