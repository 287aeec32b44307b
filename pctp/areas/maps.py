"""The map of key areas: every commune of the province outlined, each area filled with the
colour of its status (a part of a commune drawn as its own polygon). Plotly offline, like
pctp.units.maps: plain filled shapes, nothing fetched from the internet."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.utils.translation import gettext as _

from pctp.areas.models import KeyArea, Status
from pctp.units.maps import _Encoder, _outline, attribution, outlines

STATUS_COLOURS = {
    Status.SELECTED: "#fdd835",
    Status.TRANSFORMING: "#fb8c00",
    Status.TRANSFORMED: "#43a047",
    Status.NOT_TRANSFORMED: "#e53935",
    Status.REMOVED: "#1e88e5",
    Status.RELAPSED: "#6a1b9a",
}


def areas_map(areas: Iterable[KeyArea], *, title: str) -> str:
    """A Plotly figure as JSON. One legend entry per status; hovering shows the area.

    Built as plain JSON over the cached simplified outlines of pctp.units.maps (plotly's
    figure objects validated every point in Python: about 0.6 s a request); a part of a
    commune is drawn from its own polygon."""
    communes = {code: (xs, ys) for code, _name, xs, ys in outlines()}
    xs: list = []
    ys: list = []
    for cx, cy in communes.values():
        xs += cx
        ys += cy
    traces = [{"type": "scatter", "x": xs, "y": ys, "mode": "lines",
               "line": {"color": "#9e9e9e", "width": 0.5}, "hoverinfo": "skip",
               "showlegend": False, "fill": "none"}]
    labels = dict(Status.choices)
    shown: set[str] = set()
    for area in sorted(areas, key=lambda a: list(STATUS_COLOURS).index(a.status)):
        if area.part_geometry:
            x, y = _outline(area.part_geometry)
        elif area.commune.code in communes:
            x, y = communes[area.commune.code]
        else:
            continue
        traces.append({
            "type": "scatter", "x": x, "y": y, "fill": "toself",
            "fillcolor": STATUS_COLOURS[area.status], "opacity": 0.75, "mode": "lines",
            "line": {"color": "#424242", "width": 1}, "hoveron": "fills", "hoverinfo": "text",
            "legendgroup": area.status, "name": str(labels[area.status]),
            "showlegend": area.status not in shown,
            "text": f"{area.name} — {area.commune.name} ({area.year}): {labels[area.status]}"})
        shown.add(area.status)
    layout = {
        "title": {"text": title}, "plot_bgcolor": "white", "paper_bgcolor": "white",
        "hovermode": "closest", "margin": {"l": 0, "r": 0, "t": 40, "b": 60}, "height": 600,
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1.0},
        "legend": {"title": {"text": _("Status")}, "orientation": "h", "y": -0.02},
        "annotations": [{"text": attribution(), "showarrow": False, "xref": "paper",
                         "yref": "paper", "x": 0, "y": -0.1,
                         "font": {"size": 10, "color": "#555"}}]}
    return json.dumps({"data": traces, "layout": layout}, cls=_Encoder)
