"""Rules of red flags over crime sources (issue 21): what in the records may signal a crime
let slip (bỏ lọt). Each returns Findings; pctp.quality keeps the flags and their reviews."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from pctp.core.findings import Finding
from pctp.sources.models import DeclineGround, Source, Status

NOT_A_CRIME = (DeclineGround.NO_CRIME, DeclineGround.NOT_A_CRIME)


def declined_as_no_crime_by_one_officer(start: date, end: date, *, min_count: int = 5,
                                        min_share: float = 0.6, factor: float = 2.0
                                        ) -> list[Finding]:
    """An investigator whose sources are declined as "no crime" or "not a crime" (CPC Art.
    157.1-2) far more often than the unit's other investigators: at least `min_count` such
    declines in the window, at least `min_share` of their declines, and `factor` times the
    share of the rest of the unit, which must itself have declined `min_count` or more (a
    unit where one officer alone declines is no comparison)."""
    declined = Source.objects.filter(status=Status.DECLINED, decided_at__date__gte=start,
                                     decided_at__date__lte=end, assignee__isnull=False)
    rows = (declined.values("holder", "assignee").annotate(
        n=Count("pk"), nc=Count("pk", filter=Q(decline_ground__in=NOT_A_CRIME))))
    by_unit: dict[int, list[dict]] = {}
    for row in rows:
        by_unit.setdefault(row["holder"], []).append(row)
    out = []
    for unit_id, officers in by_unit.items():
        for row in officers:
            others = [o for o in officers if o is not row]
            rest_n = sum(o["n"] for o in others)
            if rest_n < min_count:
                continue  # the rest of the unit declined too few to compare with
            rest_share = sum(o["nc"] for o in others) / rest_n
            share = row["nc"] / row["n"]
            if row["nc"] >= min_count and share >= min_share and share >= factor * rest_share:
                sources = list(declined.filter(holder=unit_id, assignee=row["assignee"],
                                               decline_ground__in=NOT_A_CRIME)
                               .order_by("pk").values_list("pk", "procuracy"))
                out.append(Finding(
                    # One flag per officer and year: the window moves daily, the key not.
                    key=f"declined_no_crime:{unit_id}:{row['assignee']}:{end.year}",
                    unit_id=unit_id, procuracy_id=sources[0][1] if sources else None,
                    subject=f"user:{row['assignee']}",
                    evidence=tuple(("sources.source", pk) for pk, _p in sources),
                    facts={"declined_no_crime": row["nc"], "declined": row["n"],
                           "share": round(100 * share, 1),
                           "rest_of_unit_share": round(100 * rest_share, 1)}))
    return out
