"""The home page's tools card (issue 17): the statistics analyst, the auditor and the
administrator reach their tools from home, each link shown only with its permission."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (permission, URL name, label); None: staff only.
TOOLS = (
    ("kpi.view_kpi", "kpi:dashboard", _("The plan's targets")),
    ("kpi.close_kpi_period", "kpi:accountability", _("Units and their heads")),
    ("analytics.run_analysis", "analytics:hotspots", _("Hotspots and maps")),
    ("analytics.run_analysis", "analytics:forecasts", _("Forecasts")),
    ("analytics.run_analysis", "analytics:emerging", _("Emerging crime types")),
    ("core.view_journal", "journal:events", _("Audit journal")),
    ("core.view_journal", "journal:access", _("Access to personal data")),
    ("core.export_journal", "journal:export", _("Export the journal (CSV)")),
    (None, "admin:index", _("Administration")),
)


def tools_card(request) -> dict | None:
    user = request.user
    links = []
    for perm, name, label in TOOLS:
        allowed = user.is_staff if perm is None else user.has_perm(perm)
        if not allowed:
            continue
        url = reverse(name, args=["events"]) if name == "journal:export" else reverse(name)
        links.append({"url": url, "label": str(label)})
    if not (user.has_perm("core.view_journal") or user.has_perm("analytics.run_analysis")
            or user.is_staff):
        return None  # the others reach their work from the cards above
    return {"template": "core/_home_tools.html", "id": "tools", "order": 45, "links": links}
