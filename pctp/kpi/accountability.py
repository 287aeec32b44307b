"""Accountability: per unit and its head, the targets the unit carries (with the
small-number guard), its overdue crime sources, people held near or past their limit,
overdue tasks and late reports, ranked with the units most behind first.

Everything is counted with grouped queries: one per target side, one for sources, one for
detentions, two for tasks and reports.
"""

from __future__ import annotations

from pctp.kpi import registry as kpi
from pctp.plans.indicators import current_head, unit_scorecards
from pctp.units.models import Unit
from pctp.units.selectors import units_in_scope

NEAR_DAYS = 10


def unit_rows(req, *, user) -> list[dict]:
    from pctp.cases.services import held_by_unit
    from pctp.sources.selectors import overdue_by_holder

    today = req.today
    allowed = (Unit.objects.filter(province=req.scope.province) if req.province_wide
               else units_in_scope(user))
    if req.scope.unit is not None:
        allowed = allowed.filter(path__startswith=req.scope.unit.path)
    allowed_ids = set(allowed.values_list("pk", flat=True))
    table: dict[int, dict] = {}

    def row(pk: int) -> dict:
        return table.setdefault(pk, {"figures": {}, "overdue_sources": 0, "near_expiry": 0,
                                     "past_limit": 0, "tasks_overdue": 0, "reports_late": 0})

    targets = list(req.plan.targets.all())
    province = kpi.Scope(req.scope.province)
    for target in targets:
        for r in kpi.breakdown(target, req.period, province, "unit", as_of=today):
            if r["key"] in allowed_ids:
                row(r["key"])["figures"][target.code] = r
    for holder, n in overdue_by_holder(allowed_ids, today).items():
        row(holder)["overdue_sources"] = n
    # People held near or past the law's limit (recomputed, to the hour), by holding unit.
    for unit_id, held in held_by_unit(allowed_ids).items():
        x = row(unit_id)
        x["near_expiry"], x["past_limit"] = held["near"], held["past"]
    for card in unit_scorecards(units=allowed, start=req.period.start,
                                end=min(req.period.end, today), today=today):
        x = row(card.unit.pk)
        x["tasks_overdue"] = card.tasks_overdue
        x["reports_late"] = card.reports_late + card.reports_overdue
        x["card"] = card
    units = Unit.objects.in_bulk(list(table))
    out = []
    for pk, x in table.items():
        unit = units[pk]
        missed = [c for c, f in x["figures"].items() if f["status"] == "missed"]
        at_risk = [c for c, f in x["figures"].items() if f["status"] == "at_risk"]
        x.update(unit=unit, head=current_head(unit, today), missed=missed, at_risk=at_risk,
                 cells=[(t.code, x["figures"].get(t.code)) for t in targets],
                 behind=(len(missed), x["past_limit"],
                         x["overdue_sources"] + x["tasks_overdue"] + x["reports_late"],
                         len(at_risk)))
        out.append(x)
    return sorted(out, key=lambda x: (tuple(-v for v in x["behind"]), x["unit"].name))

