"""Rules of red flags over crime sources (issue 21): what in the records may signal a crime
let slip (bỏ lọt). Each returns Findings; pctp.quality keeps the flags and their reviews."""

from __future__ import annotations

import re
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


HOUSE = re.compile(r"^(số\s*)?\d+[a-z]?(/\d+[a-z]?)*\b")  # i18n: data


def _place(address: str) -> str:
    """An address as a place, when it names a house (it starts with a house number: "25/4
    đường 30 Tháng 4", "số 12 Lê Lợi"): letters in one case, spaces collapsed (SQLite's
    lower() leaves Vietnamese capitals as they are, so this is done here, the same on both
    databases). A hamlet or a market ("ấp 3", "chợ Long Hoa") is no place here: many people
    report there for unrelated things. Empty when the address names no house."""
    place = " ".join(address.casefold().split())
    return place if HOUSE.match(place) else ""


def declined_after_repeat_reports(start: date, end: date, *, min_reports: int = 3,
                                  min_declined: int = 2, lookback_days: int = 365
                                  ) -> list[Finding]:
    """The same reporter (PCTP's blind index of their ID, contact or name), or the same place
    (commune and a house's address, whatever the case and spacing), reporting
    `min_reports` times or more in `lookback_days`, and `min_declined` or more of those
    sources declined, one of them in the window: a repeated complaint the police keep
    setting aside. Only people count as reporters (an agency reports as its work);
    anonymous reports carry no reporter index and count only by place."""
    import hashlib
    from datetime import timedelta

    from django.utils import timezone

    since = end - timedelta(days=lookback_days)
    recent = Source.objects.filter(received_at__date__gte=since, received_at__date__lte=end)
    groups: dict[tuple, list] = {}
    fields = ("pk", "holder", "procuracy", "status", "decided_at", "received_at")
    for row in recent.exclude(reporter_index="").filter(reporter_type="person").values_list(
            "reporter_index", *fields):
        groups.setdefault(("reporter", row[0]), []).append(row[1:])
    for row in recent.exclude(address="").exclude(commune__isnull=True).values_list(
            "commune", "address", *fields):
        place = _place(row[1])
        if place:
            groups.setdefault(("place", f"{row[0]}|{place}"), []).append(row[2:])
    out = []
    for (subject, label), rows in sorted(groups.items()):
        declined = [r for r in rows if r[3] == Status.DECLINED]
        recent_decline = any(r[4] and start <= timezone.localtime(r[4]).date() <= end
                             for r in declined)
        if len(rows) < min_reports or len(declined) < min_declined or not recent_decline:
            continue
        rows.sort(key=lambda r: (r[5], r[0]))
        last = max(declined, key=lambda r: (r[4], r[0]))
        digest = hashlib.sha256(label.encode()).hexdigest()[:16]  # no address in the key
        out.append(Finding(
            key=f"repeat_reports:{subject}:{digest}:{end.year}", unit_id=last[1],
            procuracy_id=last[2], subject=subject,
            evidence=tuple(("sources.source", r[0]) for r in rows),
            facts={"reports": len(rows), "declined": len(declined)}))
    return out
