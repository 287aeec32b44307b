"""The home page's crime-source card: the queues that hold this person's work, by role
(issue 17). An intake officer sees their unit's and their own; the head of a unit what came
in, what nobody holds yet and what awaits classification; an investigator what is new to
them; the procuracy what waits for it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from pctp.core.paging import capped_count
from pctp.sources.selectors import source_list
from pctp.units.selectors import units_in_scope


def _wanted(user) -> list[str]:
    if user.has_perm("sources.supervise_source"):
        return ["procuracy", "due_soon", "overdue", "all"]
    if user.has_perm("sources.assign_source"):
        if units_in_scope(user).exclude(kind="commune_police").exists():
            return ["incoming", "unassigned", "unclassified", "due_soon", "overdue"]
        return ["unassigned", "mine", "due_soon", "overdue"]  # a ward classifies nothing
    if not (user.has_perm("sources.verify_source") or user.has_perm("sources.receive_source")):
        return ["all", "due_soon", "overdue"]  # a leader or an analyst holds no source
    return ["mine", "unit", "due_soon", "overdue"]


def source_card(request) -> dict | None:
    from pctp.sources.views import QUEUE_LABELS

    user = request.user
    if not user.has_perm("sources.view_source"):
        return None
    url = reverse("sources:list")
    tiles = []
    for code in _wanted(user):
        # Counted up to 1,000 (">1.000"): a province's million sources are not counted in
        # full on every visit to the home page (1M rows: 0.5 s; capped: 10 ms).
        count, capped = capped_count(source_list(user=user, queue=code))
        tiles.append({"url": f"{url}?queue={code}", "label": QUEUE_LABELS[code],
                      "count": count, "capped": capped,
                      "alert": code == "overdue" and count > 0})
    if user.has_perm("sources.verify_source") and not user.has_perm("sources.assign_source"):
        new = source_list(user=user, queue="mine").filter(is_new=True).count()
        tiles.insert(0, {"url": f"{url}?queue=mine", "label": _("New assignments"),
                         "count": new, "alert": new > 0, "id": "new-assignments"})
    return {"template": "core/_home_tiles.html", "id": "source-queues", "order": 10,
            "title": _("My crime-source queues"), "tiles": tiles}
