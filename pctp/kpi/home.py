"""The home page's targets card (issue 17).

The plan's targets at a glance, for everyone who may read them (the provincial leader and
the Ban Chỉ đạo province-wide, the head of a unit for the unit): each target's value
against its threshold, its status colour, the arrow of its change on the same period last
year, and, province-wide, the three units most behind. Each figure opens its target page,
whose records are the figure's. The figures are those of the dashboard for the year to
date, computed once per scope and `PCTP_HOME_KPI_SECONDS` (the card says when).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from pctp.core.errors import DomainError, PermissionRefused
from pctp.kpi import registry as kpi

WORST_UNITS = 3


def _arrow(fig) -> str:
    change = fig.change
    if not change:
        return ""
    better = change > 0 if fig.indicator.direction == "higher" else change < 0
    return "up" if better else "down"


def _figures(req, user) -> dict:
    from pctp.kpi.accountability import unit_rows

    figures = kpi.dashboard(req.plan, req.period, req.scope, as_of=req.today)
    query = f"period={req.period.key}" + (f"&unit={req.scope.unit.code}"
                                           if req.scope.unit is not None else "")
    rows = [{"code": f.target.code, "name": str(f.indicator.name), "value": f.value,
             "unit": str(f.indicator.value_unit or ""), "status": f.status,
             "comparator": f.target.get_comparator_display(), "threshold": f.target.threshold,
             "change": f.change, "arrow": _arrow(f), "numerator": f.result.numerator,
             "denominator": f.result.denominator,
             "url": reverse("kpi:target", args=[f.target.code]) + "?" + query}
            for f in figures]
    worst = []
    if req.province_wide:
        for r in unit_rows(req, user=user)[:WORST_UNITS]:
            if not any(r["behind"]):
                break
            worst.append({"name": r["unit"].name, "missed": r["missed"],
                          "past_limit": r["past_limit"], "overdue": r["overdue_sources"],
                          "tasks": r["tasks_overdue"], "reports": r["reports_late"]})
    return {"rows": rows, "worst": worst, "computed_at": timezone.now(), "query": query,
            "period": str(req.period.name)}


def targets_card(request) -> dict | None:
    from pctp.kpi.selectors import resolve

    user = request.user
    if not user.has_perm("kpi.view_kpi"):
        return None
    try:
        req = resolve(user)
    except (DomainError, PermissionRefused):
        return None  # no plan with targets yet, or no unit: the dashboard says why
    key = (f"home-kpi:{req.plan.pk}:{req.period.key}:{req.scope.key}:{req.today}:"
           f"{get_language()}")
    data = cache.get(key)
    if data is None:
        data = _figures(req, user)
        cache.set(key, data, settings.PCTP_HOME_KPI_SECONDS)
    counts = {s: sum(1 for r in data["rows"] if r["status"] == s) for s in kpi.STATUSES}
    return {"template": "kpi/_home_targets.html", "order": 30, "data": data,
            "counts": counts, "status_labels": kpi.STATUS_LABELS,
            "plan": req.plan, "dashboard": reverse("kpi:dashboard") + "?" + data["query"],
            "accountability": reverse("kpi:accountability") + "?" + data["query"]}


