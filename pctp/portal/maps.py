"""Choropleth maps over the province's commune boundaries, drawn by Plotly offline."""

from __future__ import annotations

import json

from django.conf import settings

from pctp.units.models import CommuneBoundary

ATTRIBUTION = ("Ranh giới hành chính: NXB Tài nguyên, Môi trường và Bản đồ Việt Nam "
               "(sapnhap.bando.com.vn), qua vietnamese-provinces-database (MIT)")


def commune_map(values: dict[str, float], *, title: str, suppress_below: int = 5) -> str:
    """A Plotly figure as JSON: each commune a filled polygon coloured by its value.

    Drawn as plain filled shapes on equal-scale axes: no base map, tiles, topojson or WebGL
    is fetched, so the map works on an offline intranet. Values under `suppress_below` are
    drawn in the lowest colour and labelled "<5"."""
    import plotly.graph_objects as go
    from plotly.colors import sample_colorscale

    boundaries = (CommuneBoundary.objects.filter(commune__province__code=settings.PCTP_PROVINCE_CODE)
                  .select_related("commune").order_by("commune__code"))
    top = max([v for v in values.values() if v >= suppress_below] or [1])
    traces = []
    for b in boundaries:
        n = values.get(b.commune.code, 0)
        shown = 0 if 0 < n < suppress_below else n
        colour = sample_colorscale("Reds", [0.05 + 0.95 * shown / top])[0]
        label = "<5" if 0 < n < suppress_below else str(n)
        xs, ys = _outline(b.geometry)
        traces.append(go.Scatter(
            x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines",
            line={"color": "#777", "width": 0.6}, hoveron="fills", hoverinfo="text",
            text=f"{b.commune.name}: {label}", name=b.commune.name, showlegend=False))
    # An invisible trace carries the colour scale legend.
    traces.append(go.Scatter(x=[None], y=[None], mode="markers", showlegend=False,
                             marker={"colorscale": "Reds", "cmin": 0, "cmax": top,
                                     "color": [0], "showscale": True,
                                     "colorbar": {"thickness": 14}}))
    fig = go.Figure(traces)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.0)
    fig.update_layout(
        title=title, plot_bgcolor="white", paper_bgcolor="white", hovermode="closest",
        margin={"l": 0, "r": 0, "t": 40, "b": 20}, height=600,
        annotations=[{"text": ATTRIBUTION, "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0, "y": -0.03, "font": {"size": 10, "color": "#555"}}])
    return json.dumps(fig.to_plotly_json(), cls=_Encoder)


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
