"""The national dashboard (issue 23): every province side by side, from the roll-up tables
alone (counts and closed figures; never a record)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Max, Sum

from pctp.national.models import Measure, RollupCount, RollupFigure


def may_view(user) -> bool:
    return bool(user and (user.is_superuser or user.has_perm("national.view_national")))


def years() -> list[int]:
    return sorted({d.year for d in RollupCount.objects.dates("month", "year")}, reverse=True)


def provinces_table(*, year: int) -> dict:
    """Per province: each measure's total over the year, the share of initiated cases
    detected, the latest closed figure of each target in the year, and when it last
    published."""
    from pctp.units.models import Province

    names = dict(Province.objects.values_list("code", "name"))
    totals: dict[str, dict] = defaultdict(dict)
    for row in (RollupCount.objects.filter(month__year=year).values("province", "measure")
                .annotate(n=Sum("count")).order_by()):
        totals[row["province"]][row["measure"]] = row["n"]
    published = dict(RollupCount.objects.values("province").annotate(at=Max("published_at"))
                     .values_list("province", "at").order_by())
    figures: dict[str, dict] = defaultdict(dict)
    for f in (RollupFigure.objects.filter(period_start__year=year)
              .order_by("province", "target", "period_end")):
        figures[f.province][f.target] = f  # the latest period wins
    targets = sorted({t for per in figures.values() for t in per},
                     key=lambda c: (len(c), c))
    rows = []
    for code in sorted(set(totals) | set(figures), key=lambda c: names.get(c, c)):
        t = totals.get(code, {})
        initiated = t.get(Measure.CASES_INITIATED, 0)
        detected = t.get(Measure.CASES_DETECTED, 0)
        rows.append({"province": code, "name": names.get(code, code),
                     "counts": {m: t.get(m, 0) for m in Measure.values},
                     "detected_share": round(100 * detected / initiated, 1) if initiated else None,
                     "figures": [figures[code].get(target) for target in targets],
                     "published_at": published.get(code)})
    from pctp.kpi.registry import STATUS_LABELS

    return {"year": year, "measures": Measure.choices, "targets": targets, "rows": rows,
            "status_labels": STATUS_LABELS}
