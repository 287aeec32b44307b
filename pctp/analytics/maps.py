"""Analysis maps drawn by Plotly offline: cells over the province's commune boundaries.

By default the map is plain filled shapes on equal-scale axes (as the portal's
`pctp.units.maps.commune_map`): nothing is fetched from outside. Where the province runs a tile
server, `PCTP_MAP_TILE_URL` (an XYZ template, e.g. ``https://tiles.example/{z}/{x}/{y}.png``)
draws the same shapes over its tiles instead.
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from pyproj import Transformer

from pctp.analytics.engine.grid import SquareGrid
from pctp.core.templatetags.numbers import kpi_int
from pctp.units.maps import _Encoder, _outline, attribution
from pctp.units.models import CommuneBoundary

# Coverage classes drawn on the maps: the share of the area flagged, as in PAI and hit rate.
CLASSES = ((0.01, "#7f0000"), (0.02, "#d7301f"), (0.05, "#fc8d59"), (0.10, "#fdcc8a"))


def _boundaries():
    return (CommuneBoundary.objects.filter(commune__province__code=settings.PCTP_PROVINCE_CODE)
            .select_related("commune").order_by("commune__code"))


def _stamp() -> tuple:
    qs = _boundaries()
    last = qs.order_by("-loaded_at").values_list("loaded_at", flat=True).first()
    return (settings.PCTP_PROVINCE_CODE, qs.count(), str(last))


@lru_cache(maxsize=4)
def _province(stamp: tuple):
    import shapely
    from shapely.geometry import shape

    rows = list(_boundaries())
    shapes = [shape(b.geometry) for b in rows]
    polygon = shapely.union_all(shapes) if shapes else None
    # Outlines simplified to ~50 m and rounded to ~1 m: the page stays light.
    outlines = []
    for b, geom in zip(rows, shapes, strict=True):
        simple = shapely.set_precision(geom.simplify(0.0005, preserve_topology=True), 1e-5)
        if simple.is_empty or simple.geom_type not in ("Polygon", "MultiPolygon"):
            simple = geom
        outlines.append((b.commune.code, b.commune.name, _outline(simple.__geo_interface__)))
    tree = shapely.STRtree(shapes) if shapes else None
    return polygon, outlines, tree, [b.commune.code for b in rows], [b.commune.name for b in rows]


def province_polygon():
    return _province(_stamp())[0]


def province_grid(crs: str, cell_size_m: float, events=None) -> SquareGrid:
    """Square cells of the province (centre inside a commune boundary); without boundaries,
    the bounding box of ``events``."""
    from pctp.analytics.engine.events import Events

    polygon = province_polygon()
    if polygon is None:
        if events is None or len(events) == 0:
            raise ValueError("no commune boundaries and no events to build a grid on")
        return SquareGrid.from_events(events, cell_size_m)
    empty = Events.from_arrays([], [], [], crs=crs)
    return _grid_cached(crs, float(cell_size_m), _stamp(), empty)


_GRIDS: dict = {}


def _grid_cached(crs, size, stamp, empty):
    key = (crs, size, stamp)
    grid = _GRIDS.get(key)
    if grid is None:
        if len(_GRIDS) > 8:
            _GRIDS.clear()
        grid = SquareGrid.from_events(empty, size, polygon=_province(stamp)[0])
        _GRIDS[key] = grid
    return grid


def commune_of(lat: np.ndarray, lon: np.ndarray) -> list[tuple[str, str]]:
    """(code, name) of the commune containing each point ('' outside every boundary)."""
    import shapely

    _polygon, _outlines, tree, codes, names = _province(_stamp())
    out = [("", "")] * len(lat)
    if tree is None or not len(lat):
        return out
    points = shapely.points(np.asarray(lon), np.asarray(lat))
    pi, gi = tree.query(points, predicate="within")
    out = list(out)
    for p, g in zip(pi, gi, strict=True):
        out[int(p)] = (codes[int(g)], names[int(g)])
    return out


def grid_description(grid: SquareGrid) -> dict:
    return {"kind": "square", "x0": grid.x0, "y0": grid.y0, "nx": grid.nx, "ny": grid.ny,
            "cell_size_m": grid.cell_size_m, "crs": grid.crs, "n_cells": grid.n_cells}


def cell_squares(desc: dict, raster: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Corner lon/lat (n x 5, closed rings) of cells given by raster index."""
    r = np.asarray(raster, dtype=np.int64)
    iy, ix = np.divmod(r, int(desc["nx"]))
    s = float(desc["cell_size_m"])
    x = desc["x0"] + ix[:, None] * s + np.array([0, s, s, 0, 0])[None, :]
    y = desc["y0"] + iy[:, None] * s + np.array([0, 0, s, s, 0])[None, :]
    tr = Transformer.from_crs(desc["crs"], "EPSG:4326", always_xy=True)
    lon, lat = tr.transform(x, y)
    return np.round(np.asarray(lon), 5), np.round(np.asarray(lat), 5)


def top_cells(grid: SquareGrid, scores: np.ndarray, order: np.ndarray, *,
              coverage: float = 0.10, counts: np.ndarray | None = None) -> list[dict]:
    """The highest-ranked cells covering ``coverage`` of the area, as stored and drawn:
    rank (1 = highest), raster index, centre, score, class (the smallest coverage level
    that includes it) and, if given, the count of events in it."""
    k = max(1, int(round(coverage * grid.n_cells)))
    chosen = np.asarray(order[:k])
    centres = grid.centres_latlon[chosen]
    raster = grid.raster_index[chosen]
    limits = [max(1, int(round(c * grid.n_cells))) for c, _colour in CLASSES]
    out = []
    for rank, (cell, r, (lat, lon)) in enumerate(zip(chosen, raster, centres, strict=True), 1):
        if scores[cell] <= 0:
            break
        cls = next((c for (c, _colour), lim in zip(CLASSES, limits, strict=True)
                    if rank <= lim), CLASSES[-1][0])
        row = {"rank": rank, "cell": int(cell), "raster": int(r), "lat": round(float(lat), 6),
               "lon": round(float(lon), 6), "score": float(scores[cell]), "coverage": cls}
        if counts is not None:
            row["events"] = int(counts[cell])
        out.append(row)
    return out


def tile_url() -> str:
    return getattr(settings, "PCTP_MAP_TILE_URL", "") or ""


def csp_for_tiles() -> dict:
    """CSP additions a page with a tiled map needs (none when the map is offline)."""
    url = tile_url()
    if not url:
        return {}
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return {"img-src": [origin, "blob:"], "connect-src": [origin], "worker-src": ["blob:"],
            "child-src": ["blob:"]}


def _coverage_label(c: float) -> str:
    return _("top %(pct)s%% of the area") % {"pct": f"{c * 100:g}"}


def hotspot_figure(cells: list[dict], desc: dict, *, title: str,
                   points: tuple[np.ndarray, np.ndarray] | None = None, height: int = 640
                   ) -> str:
    """Cells coloured by coverage class, commune outlines, optional event points."""
    import plotly.graph_objects as go

    tiles = tile_url()
    traces = []
    _poly, outlines, *_rest = _province(_stamp())
    xs: list = []
    ys: list = []
    for _code, _name, (ox, oy) in outlines:
        xs += ox
        ys += oy
    traces.append(_trace(tiles, xs, ys, mode="lines", line={"color": "#888", "width": 0.6},
                         hoverinfo="skip", showlegend=False, name=_("Communes")))
    if cells:
        lon, lat = cell_squares(desc, [c["raster"] for c in cells])
        for c, colour in reversed(CLASSES):
            idx = [i for i, row in enumerate(cells) if row["coverage"] == c]
            if not idx:
                continue
            cx: list = []
            cy: list = []
            for i in idx:
                cx += list(lon[i]) + [None]
                cy += list(lat[i]) + [None]
            traces.append(_trace(tiles, cx, cy, fill="toself", fillcolor=colour, mode="lines",
                                 line={"color": colour, "width": 0.5}, hoverinfo="name",
                                 name=f"{_coverage_label(c)} ({kpi_int(len(idx))})"))
    if points is not None and len(points[0]):
        traces.append(_trace(tiles, list(points[1]), list(points[0]), mode="markers",
                             marker={"size": 3, "color": "#1f4e79", "opacity": 0.5},
                             name=_("Events"), visible="legendonly", hoverinfo="skip"))
    fig = go.Figure(traces)
    layout = {"title": title, "paper_bgcolor": "white", "hovermode": "closest",
              "height": height, "margin": {"l": 0, "r": 0, "t": 40, "b": 24},
              "legend": {"x": 0.01, "y": 0.98, "xanchor": "left", "yanchor": "top",
                         "bgcolor": "rgba(255,255,255,0.85)", "font": {"size": 12},
                         "traceorder": "reversed"},
              "annotations": [{"text": attribution(), "showarrow": False, "xref": "paper",
                               "yref": "paper", "x": 0, "y": -0.03,
                               "font": {"size": 10, "color": "#555"}}]}
    if tiles:
        lons = [v for v in xs if v is not None] or [106.0]
        lats = [v for v in ys if v is not None] or [11.0]
        layout["map"] = {"style": {"version": 8, "sources": {"tiles": {
            "type": "raster", "tiles": [tiles], "tileSize": 256}},
            "layers": [{"id": "tiles", "type": "raster", "source": "tiles"}]},
            "center": {"lon": (min(lons) + max(lons)) / 2, "lat": (min(lats) + max(lats)) / 2},
            "zoom": 8}
        fig.update_layout(**layout)
    else:
        fig.update_layout(plot_bgcolor="white", **layout)
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.0)
    return json.dumps(fig.to_plotly_json(), cls=_Encoder)


def _trace(tiles: str, x, y, **kwargs):
    import plotly.graph_objects as go

    if tiles:
        kwargs.pop("hoveron", None)
        return go.Scattermap(lon=x, lat=y, **kwargs)
    return go.Scatter(x=x, y=y, **kwargs)


def network_figure(nodes: list[dict], edges: list[tuple[int, int, int]], *, title: str) -> str:
    """Nodes (``x``, ``y``, ``label``, ``size``, ``colour``) and edges (i, j, weight)."""
    import plotly.graph_objects as go

    ex: list = []
    ey: list = []
    for i, j, _w in edges:
        ex += [nodes[i]["x"], nodes[j]["x"], None]
        ey += [nodes[i]["y"], nodes[j]["y"], None]
    traces = [go.Scatter(x=ex, y=ey, mode="lines", line={"color": "#aaa", "width": 1},
                         hoverinfo="skip", showlegend=False)]
    traces.append(go.Scatter(
        x=[n["x"] for n in nodes], y=[n["y"] for n in nodes], mode="markers",
        marker={"size": [n["size"] for n in nodes], "color": [n["colour"] for n in nodes],
                "line": {"color": "#333", "width": 1}},
        text=[n["label"] for n in nodes], hoverinfo="text", showlegend=False))
    fig = go.Figure(traces)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.0)
    fig.update_layout(title=title, plot_bgcolor="white", paper_bgcolor="white", height=560,
                      margin={"l": 0, "r": 0, "t": 40, "b": 0}, hovermode="closest")
    return json.dumps(fig.to_plotly_json(), cls=_Encoder)
