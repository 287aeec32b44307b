"""The home page's tools card (issue 17): the statistics analyst, the auditor and the
administrator reach their tools from home, each link shown only with its permission."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

# (permission, URL name, label); None: staff only.
TOOLS = (
    ("plans.view_kpi", "kpi:dashboard", N_("The plan's targets")),
    ("plans.close_kpi_period", "kpi:accountability", N_("Units and their heads")),
    ("analytics.run_analysis", "analytics:hotspots", N_("Hotspots and maps")),
    ("analytics.run_analysis", "analytics:forecasts", N_("Forecasts")),
    ("analytics.run_analysis", "analytics:emerging", N_("Emerging crime types")),
    ("core.view_journal", "journal:events", N_("Audit journal")),
    ("core.view_journal", "journal:access", N_("Access to personal data")),
    ("core.export_journal", "journal:export", N_("Export the journal (CSV)")),
    (None, "admin:index", N_("Administration")),
)


def tools_card(request) -> dict | None:
    user = request.user
    links = []
    for perm, name, label in TOOLS:
        allowed = user.is_staff if perm is None else user.has_perm(perm)
        if not allowed:
            continue
        url = reverse(name, args=["events"]) if name == "journal:export" else reverse(name)
        links.append({"url": url, "label": _(label)})
    if not (user.has_perm("core.view_journal") or user.has_perm("analytics.run_analysis")
            or user.is_staff):
        return None  # the others reach their work from the cards above
    return {"template": "core/_home_tools.html", "id": "tools", "order": 45, "links": links}
