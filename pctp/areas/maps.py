"""The map of key areas: every commune of the province outlined, each area filled with the
colour of its status (a part of a commune drawn as its own polygon). Plotly offline, like
pctp.units.maps: plain filled shapes, nothing fetched from the internet."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from pctp.areas.models import KeyArea, Status
from pctp.units.maps import _Encoder, _outline, attribution
from pctp.units.models import CommuneBoundary

STATUS_COLOURS = {
    Status.SELECTED: "#fdd835",
    Status.TRANSFORMING: "#fb8c00",
    Status.TRANSFORMED: "#43a047",
    Status.NOT_TRANSFORMED: "#e53935",
    Status.REMOVED: "#1e88e5",
    Status.RELAPSED: "#6a1b9a",
}


def areas_map(areas: Iterable[KeyArea], *, title: str) -> str:
    """A Plotly figure as JSON. One legend entry per status; hovering shows the area."""
    import plotly.graph_objects as go

    boundaries = {b.commune_id: b for b in CommuneBoundary.objects.filter(
        commune__province__code=settings.PCTP_PROVINCE_CODE).select_related("commune")}
    traces = []
    xs: list = []
    ys: list = []
    for b in boundaries.values():
        x, y = _outline(b.geometry)
        xs += x
        ys += y
    traces.append(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#9e9e9e", "width": 0.5},
                             hoverinfo="skip", showlegend=False, fill="none"))
    labels = dict(Status.choices)
    shown: set[str] = set()
    for area in sorted(areas, key=lambda a: list(STATUS_COLOURS).index(a.status)):
        geometry = area.part_geometry or (boundaries[area.commune_id].geometry
                                          if area.commune_id in boundaries else None)
        if geometry is None:
            continue
        x, y = _outline(geometry)
        traces.append(go.Scatter(
            x=x, y=y, fill="toself", fillcolor=STATUS_COLOURS[area.status], opacity=0.75,
            mode="lines", line={"color": "#424242", "width": 1}, hoveron="fills",
            hoverinfo="text", legendgroup=area.status, name=str(labels[area.status]),
            showlegend=area.status not in shown,
            text=f"{area.name} — {area.commune.name} ({area.year}): {labels[area.status]}"))
        shown.add(area.status)
    fig = go.Figure(traces)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1.0)
    fig.update_layout(
        title=title, plot_bgcolor="white", paper_bgcolor="white", hovermode="closest",
        margin={"l": 0, "r": 0, "t": 40, "b": 60}, height=600,
        legend={"title": {"text": _("Status")}, "orientation": "h", "y": -0.02},
        annotations=[{"text": attribution(), "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0, "y": -0.1, "font": {"size": 10, "color": "#555"}}])
    return json.dumps(fig.to_plotly_json(), cls=_Encoder)
