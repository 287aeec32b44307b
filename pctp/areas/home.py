"""The home page's key-areas card (issue 17): areas in relapse first, for those who follow
the key areas (the provincial leader, the heads of units, the analysts)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from pctp.areas.models import WATCHED_STATUSES, Status
from pctp.areas.selectors import areas_in_scope


def areas_card(request) -> dict | None:
    user = request.user
    if not user.has_perm("areas.view_keyarea"):
        return None
    counts = areas_in_scope(user).order_by().aggregate(
        relapsed=Count("pk", filter=Q(status=Status.RELAPSED)),
        transforming=Count("pk", filter=Q(status__in=[Status.SELECTED, Status.TRANSFORMING])),
        watched=Count("pk", filter=Q(status__in=WATCHED_STATUSES)))
    if not any(counts.values()):
        return None
    url = reverse("areas:list")
    return {"template": "core/_home_tiles.html", "id": "key-areas", "order": 40,
            "title": _("Key areas"), "alert": counts["relapsed"] > 0,
            "tiles": [
                {"url": f"{url}?status=relapsed", "label": _("in relapse"),
                 "count": counts["relapsed"], "alert": counts["relapsed"] > 0},
                {"url": url, "label": _("being transformed"), "count": counts["transforming"],
                 "alert": False},
                {"url": url, "label": _("under the relapse watch"), "count": counts["watched"],
                 "alert": False}]}
