"""Choropleth maps over the province's commune boundaries, drawn by Plotly offline."""

from __future__ import annotations

import json

from django.conf import settings

from pctp.units.models import CommuneBoundary

ATTRIBUTION = ("Ranh giới hành chính: NXB Tài nguyên, Môi trường và Bản đồ Việt Nam "
               "(sapnhap.bando.com.vn), qua vietnamese-provinces-database (MIT)")


def commune_map(values: dict[str, float], *, title: str, suppress_below: int = 5) -> str:
    """A Plotly figure as JSON: each commune coloured by its value; values under
    `suppress_below` are drawn as the lowest class and labelled "<5"."""
    import plotly.graph_objects as go

    boundaries = (CommuneBoundary.objects.filter(commune__province__code=settings.PCTP_PROVINCE_CODE)
                  .select_related("commune"))
    features, codes, z, text = [], [], [], []
    for b in boundaries:
        code = b.commune.code
        features.append({"type": "Feature", "id": code, "geometry": b.geometry,
                         "properties": {"name": b.commune.name}})
        n = values.get(code, 0)
        codes.append(code)
        z.append(0 if 0 < n < suppress_below else n)
        label = "<5" if 0 < n < suppress_below else str(n)
        text.append(f"{b.commune.name}: {label}")
    # The classic geo trace draws from the GeoJSON alone: no tiles, no fonts, no network.
    fig = go.Figure(go.Choropleth(
        geojson={"type": "FeatureCollection", "features": features}, locations=codes, z=z,
        text=text, hoverinfo="text", colorscale="Reds", marker_line_width=0.5,
        marker_line_color="#666", colorbar={"title": {"text": ""}}))
    fig.update_geos(fitbounds="locations", visible=False)
    fig.update_layout(
        title=title,
        margin={"l": 0, "r": 0, "t": 40, "b": 0}, height=560,
        annotations=[{"text": ATTRIBUTION, "showarrow": False, "xref": "paper", "yref": "paper",
                      "x": 0, "y": 0, "font": {"size": 10, "color": "#555"}}])
    return json.dumps(fig.to_plotly_json(), cls=_Encoder)


class _Encoder(json.JSONEncoder):
    def default(self, o):
        import numpy as np

        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.generic):
            return o.item()
        return super().default(o)
