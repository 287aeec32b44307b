"""The home page's card of people held past or near their limit, for everyone whose units
hold, supervise or try them (the investigator and head of the body, the procurator, the
court, the provincial leader). No identity is shown here: the register shows it, logged."""

from __future__ import annotations

from django.utils import timezone

from pctp.cases.selectors import measure_list
from pctp.cases.services import measures_checked


def detention_card(request) -> dict | None:
    user = request.user
    if not user.has_perm("cases.view_case"):
        return None
    now = timezone.now()
    # Each limit computed again from the law, as the register counts it (finding 14).
    held = measures_checked(measure_list(user=user))
    levels = [m.alert(now) for m in held]
    counts = {"total": len(held), "past": levels.count("critical"),
              "soon": levels.count("3_days")}
    if not counts["total"]:
        return None
    past = [m for m, level in zip(held, levels, strict=True) if level == "critical"][:5]
    return {"template": "cases/_home_detention.html", "counts": counts,
            "past": [(m, int(m.hours_past(now))) for m in past]}
