"""Plotly figures of the KPI pages, built as plain JSON (no plotly import on the request
path): the monthly trend of a target and the choropleth of its status by commune, drawn
as filled commune outlines so that nothing is fetched from the internet."""

from __future__ import annotations

import json

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pctp.core.templatetags.numbers import kpi_int, kpi_number
from pctp.units.maps import attribution, outlines

STATUS_COLOURS = {"met": "#2e7d32", "at_risk": "#f9a825", "missed": "#c62828",
                  "no_data": "#bdbdbd"}


def _separators() -> str:
    """Plotly's decimal and thousands marks in the page's language (66,67 and 1.234 in
    Vietnamese), for the axis labels it draws itself."""
    return ",." if (get_language() or "vi").startswith("vi") else ".,"


def trend_figure(fig, series: list[dict], *, height: int = 170) -> str:
    """The value from the start of the period to the end of each month, with the threshold
    as a dashed line."""
    unit = fig.indicator.value_unit
    # A month is named by its last day's month (statistical month 3 ends on 14/03).
    x = [f"{m['end']:%m/%Y}" for m in series]
    y = [m["value"] for m in series]
    # The hover is written here in the page's number format (66,67% in Vietnamese); %{y}
    # would add the axis' suffix to a unit already there ("90.61%%").
    text = [f"{kpi_number(m['value'])}{unit if m['value'] is not None else ''} "
            f"({kpi_int(m['numerator'])} / {kpi_int(m['denominator'])})" for m in series]
    threshold = float(fig.target.threshold)
    data = [
        {"type": "scatter", "mode": "lines+markers", "x": x, "y": y, "text": text,
         "name": _("value"), "line": {"color": "#0d47a1"},
         "hovertemplate": "%{x}: %{text}<extra></extra>",
         "connectgaps": False},
        {"type": "scatter", "mode": "lines", "x": x, "y": [threshold] * len(x),
         "name": _("threshold"), "line": {"color": "#888", "dash": "dash", "width": 1},
         "hoverinfo": "skip"},
    ]
    layout = {"height": height, "margin": {"l": 36, "r": 8, "t": 8, "b": 28},
              "separators": _separators(), "showlegend": False, "plot_bgcolor": "white", "paper_bgcolor": "white",
              "xaxis": {"tickfont": {"size": 9}, "showgrid": False},
              "yaxis": {"tickfont": {"size": 9}, "ticksuffix": unit, "zeroline": True,
                        "gridcolor": "#eee"}}
    return json.dumps({"data": data, "layout": layout})


def status_map(target, rows: list[dict]) -> str:
    """Each commune coloured by its status for the target, its value on hover."""
    by_code = {r["object"].code: r for r in rows if r["object"] is not None}
    labels = {"met": _("met"), "at_risk": _("at risk"), "missed": _("missed"),
              "no_data": _("not enough data")}
    data = []
    for code, name, xs, ys in outlines():
        r = by_code.get(code)
        status = r["status"] if r else "no_data"
        if r and r["value"] is not None:
            detail = (f"{kpi_number(r['value'])}% "
                      f"({kpi_int(r['numerator'])}/{kpi_int(r['denominator'])})")
        else:
            detail = _("no records")
        data.append({"type": "scatter", "x": xs, "y": ys, "fill": "toself",
                     "fillcolor": STATUS_COLOURS[status], "mode": "lines",
                     "line": {"color": "#555", "width": 0.5}, "hoveron": "fills",
                     "hoverinfo": "text", "showlegend": False,
                     "text": f"{name}: {detail} — {labels[status]}", "name": name})
    for status, colour in STATUS_COLOURS.items():  # the legend
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers",
                     "marker": {"color": colour, "size": 12, "symbol": "square"},
                     "name": labels[status], "showlegend": True})
    layout = {"height": 560, "margin": {"l": 0, "r": 0, "t": 10, "b": 24},
              "plot_bgcolor": "white", "paper_bgcolor": "white", "hovermode": "closest",
              "xaxis": {"visible": False}, "yaxis": {"visible": False, "scaleanchor": "x"},
              "legend": {"orientation": "h", "y": 1.02},
              "annotations": [{"text": attribution(), "showarrow": False, "xref": "paper",
                               "yref": "paper", "x": 0, "y": -0.03,
                               "font": {"size": 10, "color": "#555"}}]}
    return json.dumps({"data": data, "layout": layout})
