"""The figures behind selection, assessment and the relapse watch, computed from the records
of the cases and sources apps by SQL aggregation. Each figure keeps the ids of the records
behind it, so a page can show them and a signed assessment can freeze them.

Counting rules (docs/decisions.md, key areas):
- a crime is a criminal case that occurred (occurred_on) in the commune, except a case
  terminated because no crime occurred; the area types pick the crime groups (TYPE_GROUPS);
- detection: cases initiated in the period in the commune, detected by `as_of`;
- sources received and handled: sources received in the period in the commune, decided,
  transferred, merged or lawfully suspended by `as_of`; one still open but within its limit
  is not judged yet and left out;
- an active dangerous group "of" a commune: a group in the register, active and marked
  dangerous, kept by that commune's police, or with a member accused in a case of the commune.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from pctp.areas import conf
from pctp.areas.models import TYPE_GROUPS, AreaType, CommuneArea
from pctp.cases.selectors import (
    active_groups_of,
    active_groups_per_commune,
    crimes_in,
    initiated_in,
)
from pctp.core.deadlines import as_instant, end_of_day, overdue_q
from pctp.law.severity import SEVERE
from pctp.sources.selectors import handled_by, overdue_in, received_in
from pctp.units.models import Commune


def _ids(qs: QuerySet) -> list[int]:
    return list(qs.order_by("pk").values_list("pk", flat=True))


def _rate_criterion(denominator: QuerySet, numerator: QuerySet, threshold: float) -> dict:
    d, n = denominator.count(), numerator.count()
    rate = round(100.0 * n / d, 2) if d else None
    return {"numerator": n, "denominator": d, "rate": rate, "threshold": threshold,
            # Nothing to detect or handle fails nothing.
            "passed": rate is None or rate >= threshold,
            "numerator_ids": _ids(numerator), "denominator_ids": _ids(denominator)}


def criteria(commune: Commune, start: date, end: date, *, as_of: date) -> dict:
    """The data-driven criteria of a transformed area over [start, end], known on `as_of`."""
    communes = [commune.pk]
    last = min(end, as_of)
    initiated = initiated_in(communes, start, last)
    detected = initiated.filter(detected_on__isnull=False, detected_on__lte=as_of)
    severe = initiated.filter(severity__in=SEVERE)
    severe_detected = detected.filter(severity__in=SEVERE)

    hi = end_of_day(as_of)
    received = received_in(communes, as_instant(start), min(end_of_day(end), hi))
    handled_q = handled_by(hi)
    handled = received.filter(handled_q)
    judged = received.filter(handled_q | overdue_q(as_of))

    dangerous = active_groups_of(communes, dangerous_only=True)
    n_dangerous = dangerous.count()
    return {
        "period": [start.isoformat(), end.isoformat()], "as_of": as_of.isoformat(),
        "criteria": {
            "detection": _rate_criterion(initiated, detected, conf.detection_min()),
            "severe_detection": _rate_criterion(severe, severe_detected,
                                                conf.severe_detection_min()),
            "sources": _rate_criterion(judged, handled, 100.0),
            "dangerous_groups": {"count": n_dangerous, "ids": _ids(dangerous),
                                 "passed": n_dangerous == 0},
        },
    }


# ----------------------------------------------------------------------------- area of a commune

def commune_area_km2(commune: Commune) -> float | None:
    """The reference area, else the area of the boundary (computed once and cached)."""
    if commune.area_km2:
        return commune.area_km2
    cached = CommuneArea.objects.filter(commune=commune).first()
    if cached:
        return cached.area_km2
    boundary = getattr(commune, "boundary", None)
    if boundary is None:
        return None
    km2 = geometry_area_km2(boundary.geometry)
    CommuneArea.objects.update_or_create(commune=commune, defaults={"area_km2": km2})
    return km2


def geometry_area_km2(geometry: dict) -> float:
    """Area of a lon/lat GeoJSON geometry on a local equirectangular projection (accurate
    to well under 1% at a commune's size)."""
    import math

    import shapely
    from shapely.geometry import shape

    geom = shape(geometry)
    lat0 = math.radians(geom.centroid.y)
    scale = [111.320 * math.cos(lat0), 110.574]
    return shapely.transform(geom, lambda coords: coords * scale).area


# ----------------------------------------------------------------------------- ranking

@dataclass
class Candidate:
    commune: Commune
    crimes: int = 0
    area_km2: float | None = None
    rate: float = 0.0
    previous_average: float = 0.0
    trend: float | None = None  # change against the average of the two previous years
    severe: int = 0
    drugs: int = 0
    groups: int = 0
    overdue: int = 0
    score: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)
    rank: int = 0
    areas: list = field(default_factory=list)  # key areas already selected in the commune

    @property
    def reasons(self) -> list[str]:
        """The factors that weigh most in the score, strongest first."""
        ranked = sorted(((v, k) for k, v in self.parts.items() if v > 0), reverse=True)
        return [k for _v, k in ranked[:3]]


def _per_commune(qs: QuerySet, key: str = "commune_id") -> dict[int, int]:
    return {row[key]: row["n"] for row in qs.values(key).annotate(n=Count("pk", distinct=True))
            .order_by() if row[key] is not None}


def ranking(*, year: int, area_type: str, communes: QuerySet[Commune] | None = None,
            as_of: date | None = None) -> list[Candidate]:
    """The province's communes ranked for selection, from the records of `year` (areas are
    chosen for the next year from it). Every factor is normalised by its largest value among
    the communes, multiplied by its weight (PCTP_AREA_WEIGHTS) and added up."""
    as_of = as_of or timezone.localdate()
    if area_type not in AreaType.values:
        raise ValueError(f"unknown area type {area_type!r}")
    if communes is None:
        communes = Commune.objects.filter(province__code=settings.PCTP_PROVINCE_CODE)
    start, end = date(year, 1, 1), min(date(year, 12, 31), as_of)
    groups = TYPE_GROUPS[area_type]
    ids = communes.values("pk")

    n_crimes = _per_commune(crimes_in(ids, start, end, groups).filter(initiated_on__lte=as_of))
    n_prev = _per_commune(crimes_in(ids, date(year - 2, 1, 1), date(year - 1, 12, 31), groups))
    n_severe = _per_commune(crimes_in(ids, start, end, groups).filter(severity__in=SEVERE,
                                                                   initiated_on__lte=as_of))
    n_drugs = _per_commune(crimes_in(ids, start, end, ("drugs",)).filter(initiated_on__lte=as_of))
    n_overdue = _per_commune(overdue_in(ids, end))
    n_groups = active_groups_per_commune(ids)

    out = []
    for c in communes:
        cand = Candidate(commune=c, crimes=n_crimes.get(c.pk, 0), severe=n_severe.get(c.pk, 0),
                         drugs=n_drugs.get(c.pk, 0), groups=n_groups.get(c.pk, 0),
                         overdue=n_overdue.get(c.pk, 0))
        cand.area_km2 = commune_area_km2(c)
        cand.rate = round(cand.crimes / cand.area_km2, 3) if cand.area_km2 else 0.0
        cand.previous_average = n_prev.get(c.pk, 0) / 2
        # A commune with no crime before counts its previous average as 1.
        cand.trend = round((cand.crimes - cand.previous_average)
                           / max(cand.previous_average, 1), 3)
        out.append(cand)
    _score(out)
    out.sort(key=lambda x: (-x.score, -x.crimes, x.commune.code))
    for i, cand in enumerate(out, start=1):
        cand.rank = i
    return out


def _score(candidates: list[Candidate]) -> None:
    w = conf.weights()
    values = {
        "crimes": lambda x: x.crimes, "rate": lambda x: x.rate,
        "trend": lambda x: max(x.trend or 0.0, 0.0), "severe": lambda x: x.severe,
        "drugs": lambda x: x.drugs, "groups": lambda x: x.groups, "overdue": lambda x: x.overdue,
    }
    tops = {k: max([f(x) for x in candidates] or [0]) for k, f in values.items()}
    for x in candidates:
        x.parts = {k: (round(w[k] * f(x) / tops[k], 4) if tops[k] else 0.0)
                   for k, f in values.items()}
        x.score = round(sum(x.parts.values()), 4)


def commune_records(commune: Commune, *, year: int, area_type: str, as_of: date | None = None
                    ) -> dict[str, QuerySet]:
    """The records behind one commune's row of the ranking (not yet scoped to a user)."""
    as_of = as_of or timezone.localdate()
    start, end = date(year, 1, 1), min(date(year, 12, 31), as_of)
    groups = TYPE_GROUPS[area_type]
    ids = [commune.pk]
    base = crimes_in(ids, start, end, groups).filter(initiated_on__lte=as_of)
    return {
        "crimes": base,
        "previous": crimes_in(ids, date(year - 2, 1, 1), date(year - 1, 12, 31), groups),
        "severe": base.filter(severity__in=SEVERE),
        "drugs": crimes_in(ids, start, end, ("drugs",)).filter(initiated_on__lte=as_of),
        "groups": active_groups_of(ids, dangerous_only=False),
        "overdue": overdue_in(ids, end),
    }
