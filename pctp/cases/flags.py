"""Rules of red flags over criminal cases (issue 21)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from pctp.cases.models import Accused, Case, Origin, Status, TerminateGround
from pctp.core.findings import Finding


def same_person_in_terminated_cases(start: date, end: date, *, min_cases: int = 2
                                    ) -> list[Finding]:
    """A person (the same identity index, PCTP's blind index of ID number or name and birth
    date) accused in several cases, each of them terminated, one of them in the window."""
    terminated = Accused.objects.filter(case__status=Status.TERMINATED).exclude(
        case__origin=Origin.REGISTER)
    people = (terminated.values("person_index").annotate(n=Count("case", distinct=True))
              .filter(n__gte=min_cases).values_list("person_index", flat=True))
    out = []
    for index in people:
        cases = list(Case.objects.filter(accused__person_index=index).distinct()
                     .order_by("pk"))
        if any(c.status != Status.TERMINATED for c in cases):
            continue  # one case went on: the person was not let go each time
        if not any(c.closed_on and start <= c.closed_on <= end for c in cases):
            continue
        last = max(cases, key=lambda c: (c.closed_on or date.min, c.pk))
        out.append(Finding(
            key=f"same_person_terminated:{index}", unit_id=last.investigation_body_id,
            procuracy_id=last.procuracy_id, subject="person",
            evidence=tuple(("cases.case", c.pk) for c in cases),
            facts={"cases": len(cases),
                   "grounds": sorted({c.terminate_ground for c in cases})}))
    return out


def repeated_suspensions(start: date, end: date, *, min_count: int = 5, factor: float = 2.0
                         ) -> list[Finding]:
    """An investigation body suspending far more of its cases than the province's others:
    at least `min_count` cases suspended in the window, and `factor` times the median share
    of cases suspended among the bodies."""
    active = Case.objects.exclude(origin=Origin.REGISTER).filter(initiated_on__lte=end)
    rows = list(active.values("investigation_body").annotate(
        n=Count("pk"),
        s=Count("pk", filter=_suspended_in(start, end))))
    shares = sorted(r["s"] / r["n"] for r in rows if r["n"])
    if not shares:
        return []
    median = shares[len(shares) // 2]
    out = []
    for r in rows:
        share = r["s"] / r["n"] if r["n"] else 0.0
        if r["s"] >= min_count and share > factor * median:
            cases = list(active.filter(_suspended_in(start, end),
                                       investigation_body=r["investigation_body"])
                         .order_by("pk").values_list("pk", "procuracy"))
            out.append(Finding(
                # One flag per body and quarter: the window moves daily, the key not.
                key=f"repeated_suspensions:{r['investigation_body']}:{end.year}-Q"
                    f"{(end.month - 1) // 3 + 1}",
                unit_id=r["investigation_body"], procuracy_id=cases[0][1] if cases else None,
                subject="unit", evidence=tuple(("cases.case", pk) for pk, _p in cases),
                facts={"suspended": r["s"], "cases": r["n"], "share": round(100 * share, 1),
                       "median_share": round(100 * median, 1)}))
    return out


def _suspended_in(start: date, end: date):
    from django.db.models import Q

    return Q(status=Status.SUSPENDED, status_since__gte=start, status_since__lte=end)


def status_label(code: str) -> str:
    try:
        return str(Status(code).label)
    except ValueError:
        return code


def ground_label(code: str) -> str:
    """A termination ground as a reader says it (the flags' figures store its code)."""
    try:
        return str(TerminateGround(code).label)
    except ValueError:
        return code


def loss_without_recovery(start: date, end: date, *, min_value: int = 100_000_000
                          ) -> list[Finding]:
    """A corruption or economic case whose loss of `min_value` VND or more is recorded, whose
    file went to the procuracy in the window, and whose recovery ledger holds nothing seized,
    frozen or returned: assets seized and not entered, or never looked for."""
    from pctp.cases.models import Recovery, Referral

    concluded = (Referral.objects.filter(kind=Referral.Kind.CONCLUSION, sent_on__gte=start,
                                         sent_on__lte=end).values("case"))
    cases = (Case.objects.exclude(origin=Origin.REGISTER)
             .filter(pk__in=concluded, crime_group__in=("corruption", "economic"),
                     value_lost__gte=min_value)
             .exclude(pk__in=Recovery.objects.filter(kind__in=("seized", "frozen", "returned"))
                      .values("case")).order_by("pk"))
    return [Finding(key=f"loss_without_recovery:{c.pk}", unit_id=c.investigation_body_id,
                    procuracy_id=c.procuracy_id, subject="case",
                    evidence=(("cases.case", c.pk),), facts={"value_lost": c.value_lost})
            for c in cases]


def closed_after_reassignment(start: date, end: date, *, days: int = 30) -> list[Finding]:
    """A case terminated or suspended in the window within `days` of its investigator being
    replaced: the closing may be the new hand's doing, or the change made for it."""

    from django.utils import timezone

    from pctp.core.models import AuditEvent

    closed = {c.pk: c for c in Case.objects.exclude(origin=Origin.REGISTER).filter(
        status__in=(Status.TERMINATED, Status.SUSPENDED), status_since__gte=start,
        status_since__lte=end)}
    if not closed:
        return []
    changes = AuditEvent.objects.filter(object_type="cases.case", action="case.assign",
                                        object_id__in=[str(pk) for pk in closed])
    last_change: dict[int, date] = {}
    for object_id, at, delta in changes.values_list("object_id", "at", "changes"):
        before, after = (delta or {}).get("investigator", [None, None])
        if not before or before == after:
            continue  # a first assignment is no replacement
        day = timezone.localtime(at).date()
        pk = int(object_id)
        last_change[pk] = max(day, last_change.get(pk, day))
    out = []
    for pk, changed in sorted(last_change.items()):
        case = closed[pk]
        gap = (case.status_since - changed).days
        if 0 <= gap <= days:
            out.append(Finding(
                key=f"closed_after_reassignment:{pk}:{case.status}",
                unit_id=case.investigation_body_id, procuracy_id=case.procuracy_id,
                subject="case", evidence=(("cases.case", pk),),
                facts={"days_after_reassignment": gap, "closed_as": case.status}))
    return out
