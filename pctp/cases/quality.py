"""Quality of investigation, prosecution and trial (issue 21): indicators over a scope of
cases, each with its definition and the exact records behind it. Not plan targets: they are
read on the quality page, beside T1–T10, and the alerts among them are never a rate only.

Every function takes `scope` (the cases the reader may see), the period and `as_of` (the
day whose knowledge counts: a return entered later is not known yet), and returns an
`IndicatorResult`. Cases brought in from earlier registers (`origin=register`) carry no
history of returns or measures and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from pctp.cases.models import (
    CHANGED_ON_APPEAL,
    Accused,
    Appeal,
    Case,
    Measure,
    Origin,
    Referral,
    Status,
    TerminateGround,
    Verdict,
)
from pctp.core.indicators import IndicatorResult

APPEAL_REASONS = tuple(Appeal.Reason.choices)
RETURNS = (Referral.Kind.RETURN_BY_PROCURACY, Referral.Kind.RETURN_BY_COURT)
# Grounds on which a person held was held for nothing (CPC Arts. 157.1-2 and 230; Law on
# State compensation 10/2017/QH14, Art. 18): no crime, no criminal act, no proof in time.
WRONGFUL = (TerminateGround.NO_CRIME, TerminateGround.NOT_A_CRIME,
            TerminateGround.LIMIT_EXPIRED)


def _cases(scope: QuerySet[Case]) -> QuerySet[Case]:
    return scope.exclude(origin=Origin.REGISTER)


def _referrals(scope: QuerySet[Case]) -> QuerySet[Referral]:
    return Referral.objects.filter(case__in=_cases(scope).values("pk"))


def _result(code, name, definition, start, end, num_qs, den_qs) -> IndicatorResult:
    return IndicatorResult(code=code, name=name, definition=definition, period_start=start,
                           period_end=end, numerator=num_qs.count(), denominator=den_qs.count(),
                           numerator_records=num_qs, denominator_records=den_qs)


def _returns(scope, start, end, as_of, *, returned_kind, received_kind):
    """Returns of a kind dated in the period, over the files of a kind received in it."""
    refs = _referrals(scope)
    last = min(end, as_of)
    returned = refs.filter(kind=returned_kind, sent_on__gte=start, sent_on__lte=last)
    received = refs.filter(kind=received_kind, received_on__gte=start, received_on__lte=last)
    return returned, received


def procuracy_returns(scope: QuerySet[Case], start: date, end: date, *, as_of: date
                      ) -> IndicatorResult:
    """Files the procuracy returned for supplementary investigation, per 100 files with a
    conclusion recommending prosecution it received (CPC Art. 245)."""
    returned, received = _returns(scope, start, end, as_of,
                                  returned_kind=Referral.Kind.RETURN_BY_PROCURACY,
                                  received_kind=Referral.Kind.CONCLUSION)
    return _result("Q1", _("Files returned by the procuracy for supplementary investigation"),
                   _("Numerator: decisions of the procuracy returning a file to the "
                     "investigation body for supplementary investigation (CPC Art. 245), "
                     "dated in the period. Denominator: files with an investigation "
                     "conclusion recommending prosecution the procuracy received in the "
                     "period. Per 100 files."), start, end, returned, received)


def court_returns(scope: QuerySet[Case], start: date, end: date, *, as_of: date
                  ) -> IndicatorResult:
    """Files the court returned for supplementary investigation (by the presiding judge,
    CPC Art. 280, or the trial panel, Art. 298), per 100 indictments it received."""
    returned, received = _returns(scope, start, end, as_of,
                                  returned_kind=Referral.Kind.RETURN_BY_COURT,
                                  received_kind=Referral.Kind.INDICTMENT)
    return _result("Q2", _("Files returned by the court for supplementary investigation"),
                   _("Numerator: decisions of the court (the presiding judge, CPC Art. 280, or "
                     "the trial panel, Art. 298) returning a file for supplementary "
                     "investigation, dated in the period. Denominator: indictments the court "
                     "received in the period. Per 100 files."), start, end, returned, received)


def returned_twice(scope: QuerySet[Case], start: date, end: date, *, as_of: date
                   ) -> IndicatorResult:
    """Of the cases returned in the period, those returned two times or more in all (an
    alert: a file the law allows to be returned twice at most by the procuracy)."""
    last = min(end, as_of)
    returned = _cases(scope).filter(Exists(Referral.objects.filter(
        case=OuterRef("pk"), kind__in=RETURNS, sent_on__gte=start, sent_on__lte=last)))
    twice = returned.annotate(n_returns=Count("referrals", filter=Q(
        referrals__kind__in=RETURNS, referrals__sent_on__lte=last))).filter(n_returns__gte=2)
    return _result("Q3", _("Cases returned more than once"),
                   _("Numerator: cases returned for supplementary investigation two times or "
                     "more, by the procuracy or the court, one of them in the period. "
                     "Denominator: cases returned in the period. Each case in the numerator is "
                     "an alert to review."), start, end,
                   Case.objects.filter(pk__in=twice.values("pk")), returned)


def _acquitted(start: date, last: date, *, held: bool = False):
    """Defendants declared not guilty in the period (first instance or appeal); ``held``:
    only those who had been held in custody or detention in the case."""
    rows = Accused.objects.filter(verdict=Verdict.ACQUITTED, verdict_on__gte=start,
                                  verdict_on__lte=last)
    if held:
        rows = rows.filter(Exists(Measure.objects.filter(accused=OuterRef("pk"))))
    return Exists(rows.filter(case=OuterRef("pk")))


def wrongful_detention(scope: QuerySet[Case], start: date, end: date, *, as_of: date
                       ) -> IndicatorResult:
    """Cases in which someone held in custody or detention was held for nothing: the case
    terminated in the period because there was no crime, the act was no crime or the limit
    ran out without proof, or the person declared not guilty in the period. Each is an
    alert (State compensation, Law 10/2017/QH14 Art. 18)."""
    last = min(end, as_of)
    held = Exists(Measure.objects.filter(case=OuterRef("pk")))
    cases = _cases(scope)
    closed = cases.filter(status__in=(Status.TERMINATED, Status.JUDGED), closed_on__gte=start,
                          closed_on__lte=last).filter(held)
    wrongful = cases.filter(Q(status=Status.TERMINATED, closed_on__gte=start, closed_on__lte=last,
                              terminate_ground__in=WRONGFUL) & held
                            | _acquitted(start, last, held=True))
    denominator = cases.filter(Q(pk__in=closed.values("pk")) | Q(pk__in=wrongful.values("pk")))
    return _result("Q4", _("Wrongful custody or detention"),
                   _("Numerator: cases in which a person had been held in custody or detention "
                     "and which were terminated in the period because no crime occurred, the "
                     "act was not a crime (CPC Art. 157.1-2) or the investigation limit ran out "
                     "without proof against the accused (Art. 230), or in which a person held "
                     "was declared not guilty in the period, at first instance or on appeal: "
                     "the State may owe compensation (Law 10/2017/QH14, Art. 18). Denominator: "
                     "cases closed in the period (terminated or judged) in which a person had "
                     "been held, with the numerator's. Each case in the numerator is an "
                     "alert."), start, end, wrongful, denominator)


def acquittals(scope: QuerySet[Case], start: date, end: date, *, as_of: date
               ) -> IndicatorResult:
    """Prosecutions that ended with a court finding of no crime: a defendant declared not
    guilty (CPC Art. 326 at first instance, Art. 357 on appeal), or the judgment annulled
    and the case terminated on appeal because there was no crime (Art. 359)."""
    last = min(end, as_of)
    cases = _cases(scope)
    no_crime = Exists(Appeal.objects.filter(
        case=OuterRef("pk"), outcome=Appeal.Outcome.ANNULLED_TERMINATED,
        decided_on__gte=start, decided_on__lte=last))
    found = cases.filter(_acquitted(start, last)
                         | (no_crime & Q(terminate_ground__in=WRONGFUL)))
    decided = cases.filter(Q(judgment_on__gte=start, judgment_on__lte=last)
                           | Exists(Appeal.objects.filter(case=OuterRef("pk"),
                                                          decided_on__gte=start,
                                                          decided_on__lte=last))
                           | Q(pk__in=found.values("pk")))
    return _result("Q7", _("Acquittals and court findings of no crime"),
                   _("Numerator: cases in which the court declared a defendant not guilty in "
                     "the period, at first instance (CPC Art. 326) or on appeal (Art. 357), or "
                     "annulled the judgment and ended the case because there was no crime "
                     "(Art. 359). Denominator: cases in which a court delivered a "
                     "first-instance judgment or decided an appeal in the period. Each case in "
                     "the numerator is an alert: someone was prosecuted for a crime the court "
                     "did not find."), start, end, found, decided)


def appeals_changed(scope: QuerySet[Case], start: date, end: date, *, as_of: date
                    ) -> IndicatorResult:
    """Appeals and protests decided in the period whose judgment was amended or annulled, per
    100 decided (withdrawn appeals aside), with the reason of each change."""
    last = min(end, as_of)
    # One appellate decision decides every appeal pending against the judgment: it is
    # counted once, by the first of them.
    first = (Appeal.objects.filter(case=OuterRef("case"), decided_on=OuterRef("decided_on"),
                                   decision_number=OuterRef("decision_number"))
             .order_by("pk").values("pk")[:1])
    decided = (Appeal.objects.filter(case__in=_cases(scope).values("pk"), decided_on__gte=start,
                                     decided_on__lte=last)
               .exclude(outcome=Appeal.Outcome.WITHDRAWN).filter(pk=Subquery(first)))
    changed = decided.filter(outcome__in=CHANGED_ON_APPEAL)
    return _result("Q8", _("Judgments amended or annulled on appeal"),
                   _("Numerator: first-instance judgments the appellate court amended (CPC "
                     "Art. 357) or annulled (Arts. 358-359) in the period, each with why: the "
                     "charge, the sentence, procedure, evidence, no crime, the civil part. "
                     "Denominator: judgments on which the appellate court decided in the "
                     "period (one decision decides every appeal and protest against a "
                     "judgment; an appeal withdrawn, Art. 348, is no decision). Per 100 "
                     "decided."), start, end, changed, decided)


def suspended_with_suspect(scope: QuerySet[Case], start: date, end: date, *, as_of: date
                           ) -> IndicatorResult:
    """Cases suspended on the day of counting although a suspect is known (an accused or
    a detection recorded), of all suspended cases."""
    suspended = _cases(scope).filter(status=Status.SUSPENDED, status_since__lte=as_of)
    known = suspended.filter(Q(detected_on__isnull=False, detected_on__lte=as_of)
                             | Exists(Accused.objects.filter(case=OuterRef("pk"))))
    return _result("Q5", _("Suspended cases with a known suspect"),
                   _("Numerator: cases under suspension on the day of counting for which an "
                     "accused is prosecuted or the offender was identified (a suspension for "
                     "an unknown offender, CPC Art. 229.1.a, then needs a look). Denominator: "
                     "every case under suspension that day. The period does not matter: it "
                     "is the state on the day of counting."), start, end, known, suspended)


# ----------------------------------------------------------------------------- time in each stage

STAGES = ("investigation", "prosecution", "trial", "appeal")


@dataclass(frozen=True)
class StageInterval:
    """One stretch of a case in one stage, ended in the period: who held it, from when to
    when, and the day its limit fell (``due``; None when the record does not say)."""

    stage: str
    case_id: int
    unit_id: int | None
    start: date
    end: date
    due: date | None

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def limit_days(self) -> int | None:
        return (self.due - self.start).days if self.due else None

    @property
    def over(self) -> bool:
        return self.due is not None and self.end > self.due


def stage_intervals(scope: QuerySet[Case], start: date, end: date, *, as_of: date,
                    stage: str) -> list[StageInterval]:
    """The stretches of ``stage`` that ended in the period, as known on ``as_of``.

    investigation: from the decision to initiate to the first investigation conclusion sent
    to the procuracy; its limit is the base limit of CPC Art. 172(1) for the case's severity
    (extensions are not counted: the figure shows how often a case needs them).
    prosecution: from the procuracy's receipt of the file to its decision (Art. 240), the
    limit with the extensions granted. trial: from the court's receipt of the indictment to
    the judgment or the return (Art. 277), the same. appeal: from the appeal entered to the
    appellate decision (Art. 346)."""
    from pctp.cases.rules import case_deadline

    last = min(end, as_of)
    cases = _cases(scope)
    rows: list[StageInterval] = []
    if stage == "investigation":
        firsts = (Referral.objects.filter(case__in=cases.values("pk"),
                                          kind=Referral.Kind.CONCLUSION)
                  .values("case").annotate(first=Min("sent_on"))
                  .filter(first__gte=start, first__lte=last))
        sent = {r["case"]: r["first"] for r in firsts}
        limits: dict = {}
        for pk, body, initiated, severity in (Case.objects.filter(pk__in=sent).values_list(
                "pk", "investigation_body", "initiated_on", "severity")):
            key = (initiated, severity)
            if key not in limits:
                try:
                    limits[key] = case_deadline("investigation", start=initiated,
                                                severity=severity or None).due
                except Exception:  # noqa: BLE001 - a record without a severity: no limit
                    limits[key] = None
            rows.append(StageInterval(stage, pk, body, initiated, sent[pk], limits[key]))
    elif stage in ("prosecution", "trial"):
        kind = Referral.Kind.CONCLUSION if stage == "prosecution" else Referral.Kind.INDICTMENT
        for case_id, unit, received, closed, due in (
                Referral.objects.filter(case__in=cases.values("pk"), kind=kind,
                                        received_on__isnull=False, closed_on__gte=start,
                                        closed_on__lte=last)
                .values_list("case", "to_unit", "received_on", "closed_on", "due_date")):
            rows.append(StageInterval(stage, case_id, unit, received, closed, due))
    elif stage == "appeal":
        for case_id, court, parent, kind, filed, decided, due in (
                Appeal.objects.filter(case__in=cases.values("pk"), decided_on__gte=start,
                                      decided_on__lte=last)
                .values_list("case", "case__court", "case__court__parent",
                             "case__court__kind", "filed_on", "decided_on", "due_date")):
            unit = parent if kind == "regional_court" and parent else court
            rows.append(StageInterval(stage, case_id, unit, filed, decided, due))
    else:
        raise ValueError(stage)
    # A stretch that ends before it starts is a record entered wrong: left out, not counted
    # as a negative time.
    return [r for r in rows if r.end >= r.start]


__all__ = ["acquittals", "appeals_changed", "court_returns", "procuracy_returns", "returned_twice", "stage_intervals", "suspended_with_suspect",
           "wrongful_detention"]
