from __future__ import annotations

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# (label, url name, permission or None for every signed-in user, or "call:dotted.path" of a
# function of the user)
NAV_ITEMS = [
    (_("Home"), "home", None),
    (_("Crime sources"), "sources:list", "sources.view_source"),
    (_("Criminal cases"), "cases:list", "cases.view_case"),
    (_("Plan targets"), "kpi:dashboard", "kpi.view_kpi"),
    (_("Tasks and reports"), "plans:mine", "plans.view_task"),
    (_("Periodic reports"), "reporting:index", "kpi.view_kpi"),
    (_("Quality and alerts"), "quality:index", "quality.view_quality"),
    (_("Red flags"), "quality:flags", "quality.review_flag"),
    (_("Outreach"), "outreach:campaigns", "outreach.view_outreach"),
    (_("Provinces"), "national:dashboard", "national.view_national"),
    (_("Key areas"), "areas:list", "areas.view_keyarea"),
    (_("Crime analysis"), "analytics:hotspots", "analytics.view_analysis"),
    (_("Portal inbox"), "portal:inbox", "portal.triage_portal"),
    (_("Register imports"), "imports:index", "call:pctp.imports.services.may_use"),
    (_("Units"), "units:list", "units.view_unit"),
    (_("Offences"), "offences", None),
    (_("Time limits"), "deadline", None),
    (_("Audit journal"), "journal:events", "core.view_journal"),
    (_("Administration"), "admin:index", "__staff__"),
    (_("API"), "api-docs", None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, name, perm in NAV_ITEMS:
        if perm == "__staff__":
            allowed = user.is_staff
        elif perm and perm.startswith("call:"):  # an app's own test, named (core imports none)
            allowed = bool(import_string(perm[5:])(user))
        else:
            allowed = perm is None or user.has_perm(perm)
        if allowed:
            url = reverse(name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
