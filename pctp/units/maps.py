"""Choropleth maps over the province's commune boundaries, drawn by Plotly offline."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _

from pctp.units.models import CommuneBoundary

# The publisher's name, as it credits itself.
BOUNDARY_PUBLISHER = "NXB Tài nguyên, Môi trường và Bản đồ Việt Nam"  # i18n: data


def attribution() -> str:
    """The credit of the boundaries under every map, in the user's language."""
    return _("Administrative boundaries: %(publisher)s (sapnhap.bando.com.vn), via "
             "vietnamese-provinces-database (MIT)") % {"publisher": BOUNDARY_PUBLISHER}


# Commune outlines, simplified (about 30 m) and kept per process until the boundaries are
# loaded again: a page then sends ~10 times less than the surveyed polygons.
_OUTLINES: dict = {"key": None, "rows": []}
SIMPLIFY_DEGREES = 0.0003


def outlines() -> list[tuple[str, str, list, list]]:
    """(commune code, name, xs, ys) of the province's communes, simplified."""
    from django.db.models import Count, Max
    from shapely.geometry import mapping, shape

    boundaries = CommuneBoundary.objects.filter(
        commune__province__code=settings.PCTP_PROVINCE_CODE)
    key = tuple(boundaries.aggregate(n=Count("pk"), t=Max("loaded_at")).values())
    if _OUTLINES["key"] != key:
        rows = []
        for b in boundaries.select_related("commune").order_by("commune__code"):
            geometry = mapping(shape(b.geometry).simplify(SIMPLIFY_DEGREES,
                                                          preserve_topology=True))
            xs, ys = _outline(geometry)
            rows.append((b.commune.code, b.commune.name,
                         [None if v is None else round(v, 5) for v in xs],
                         [None if v is None else round(v, 5) for v in ys]))
        _OUTLINES.update(key=key, rows=rows)
    return _OUTLINES["rows"]


def commune_map(values: dict[str, int], *, title: str) -> str:
    """A Plotly figure as JSON: each commune a filled polygon coloured by its value.

    The values are published ones (`pctp.portal.disclosure`: rounded to multiples of 5),
    never exact counts: the colours and the hover text show exactly the numbers of the
    page's table. Drawn as plain filled shapes on equal-scale axes: no base map, tiles,
    topojson or WebGL is fetched, so the map works on an offline intranet. Built as plain
    JSON over the cached simplified outlines (no plotly figure objects on the request
    path)."""
    from plotly.colors import sample_colorscale

    top = max([*values.values(), 1])
    traces = []
    for code, name, xs, ys in outlines():
        n = values.get(code, 0)
        colour = sample_colorscale("Reds", [0.05 + 0.95 * n / top])[0]
        traces.append({"type": "scatter", "x": xs, "y": ys, "fill": "toself",
                       "fillcolor": colour, "mode": "lines",
                       "line": {"color": "#777", "width": 0.6}, "hoveron": "fills",
                       "hoverinfo": "text", "text": f"{name}: {n}", "name": name,
                       "showlegend": False})
    # An invisible trace carries the colour scale legend.
    traces.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers",
                   "showlegend": False,
                   "marker": {"colorscale": "Reds", "cmin": 0, "cmax": top, "color": [0],
                              "showscale": True, "colorbar": {"thickness": 14}}})
    layout = {
        "title": {"text": title}, "plot_bgcolor": "white", "paper_bgcolor": "white",
        "hovermode": "closest", "margin": {"l": 0, "r": 0, "t": 40, "b": 20}, "height": 600,
        "xaxis": {"visible": False}, "yaxis": {"visible": False, "scaleanchor": "x",
                                               "scaleratio": 1.0},
        "annotations": [{"text": attribution(), "showarrow": False, "xref": "paper",
                         "yref": "paper", "x": 0, "y": -0.03,
                         "font": {"size": 10, "color": "#555"}}]}
    return json.dumps({"data": traces, "layout": layout}, cls=_Encoder)


def _outline(geometry: dict) -> tuple[list, list]:
    """Exterior rings as one x/y list, separated by None (Plotly draws each as a shape)."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    xs: list = []
    ys: list = []
    for polygon in polygons:
        ring = polygon[0]
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


class _Encoder(json.JSONEncoder):
    def default(self, o):
        import numpy as np

        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.generic):
            return o.item()
        return super().default(o)


def commune_svg(values: dict[str, int], *, title: str) -> str:
    """The same choropleth as a static SVG drawn on the server (issue 17): the public
    statistics page works on a phone without 4.6 MB of charting script. Each commune is a
    path coloured by its published value, its name and value in its <title> (shown on hover
    or a long press) and `data-commune`/`data-value` for the page's table; equal-scale
    projection (longitude scaled by the cosine of the mean latitude). Escaped throughout."""
    import math
    from html import escape

    from plotly.colors import sample_colorscale

    rows = outlines()
    if not rows:
        return ""
    top = max([*values.values(), 1])
    lats = [y for _c, _n, _xs, ys in rows for y in ys if y is not None]
    lons = [x for _c, _n, xs, _ys in rows for x in xs if x is not None]
    k = math.cos(math.radians((min(lats) + max(lats)) / 2))
    x0, y1 = min(lons) * k, max(lats)
    scale = 1000 / max((max(lons) - min(lons)) * k, max(lats) - min(lats))
    width = (max(lons) - min(lons)) * k * scale
    height = (max(lats) - min(lats)) * scale

    def point(x, y) -> str:
        return f"{(x * k - x0) * scale:.1f} {(y1 - y) * scale:.1f}"

    paths = []
    for code, name, xs, ys in rows:
        n = values.get(code, 0)
        colour = sample_colorscale("Reds", [0.05 + 0.95 * n / top])[0]
        d, pen = [], "M"
        for x, y in zip(xs, ys, strict=True):
            if x is None:
                d.append("Z")
                pen = "M"
                continue
            d.append(f"{pen}{point(x, y)}")
            pen = "L"
        paths.append(f'<path d="{"".join(d)}" fill="{colour}" stroke="#777" stroke-width="0.8" '
                     f'data-commune="{escape(code)}" data-value="{n}"><title>{escape(name)}: '
                     f'{n}</title></path>')
    legend_colours = [sample_colorscale("Reds", [0.05 + 0.95 * i / 4])[0] for i in range(5)]
    stops = "".join(f'<stop offset="{i * 25}%" stop-color="{c}"/>'
                    for i, c in enumerate(legend_colours))
    lw, lh = width, height + 60
    return (
        f'<svg class="map-svg" viewBox="-5 -5 {lw + 10:.0f} {lh + 10:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f'<title>{escape(title)}</title>'
        f'<defs><linearGradient id="scale">{stops}</linearGradient></defs>'
        f'<g>{"".join(paths)}</g>'
        f'<rect x="0" y="{height + 15:.0f}" width="200" height="14" fill="url(#scale)" '
        f'stroke="#777" stroke-width="0.5"/>'
        f'<text x="0" y="{height + 45:.0f}" font-size="16">0</text>'
        f'<text x="200" y="{height + 45:.0f}" font-size="16" text-anchor="end">{top}</text>'
        f'</svg>')
