"""The home page's card of people held past or near their limit, for everyone whose units
hold, supervise or try them (the investigator and head of the body, the procurator, the
court, the provincial leader). No identity is shown here: the register shows it, logged."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from pctp.cases.selectors import measure_list


def detention_card(request) -> dict | None:
    user = request.user
    if not user.has_perm("cases.view_case"):
        return None
    now = timezone.now()
    soon = timezone.localdate() + timedelta(days=3)
    held = measure_list(user=user)
    counts = held.order_by().aggregate(
        total=Count("pk"), past=Count("pk", filter=Q(due_at__lte=now)),
        soon=Count("pk", filter=Q(due_at__gt=now, due_date__lte=soon)))
    if not counts["total"]:
        return None
    past = list(held.filter(due_at__lte=now).order_by("due_at", "id")[:5])
    return {"template": "cases/_home_detention.html", "counts": counts,
            "past": [(m, int(m.hours_past(now))) for m in past]}
