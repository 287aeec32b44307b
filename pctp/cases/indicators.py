"""Targets T4, T5, T6 (both bases), T7 and T8 (DOMAIN.md §7), over any period and scope.

Each function returns the counts (T6: the sums in VND) and the exact records behind
numerator and denominator. `scope` is a queryset of cases already limited to what the
caller may see (and, for a breakdown, to a unit or commune). Periods are any two dates;
`calendar_year`, `quarter` and `court_year` (1/10–30/9) name the usual ones.

`as_of` (default: today) is the day whose knowledge the figure uses: a case detected or an
asset recovered after it does not count. Pass the closing day of a report to reproduce the
figure as it was published.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.cases.models import Case, Recovery, Referral, TerminateGround
from pctp.core.deadlines import end_of_day, overdue_q
from pctp.core.indicators import Counted, IndicatorResult
from pctp.law.severity import SEVERE

# A case terminated because no crime occurred never "occurred" for the statistics.
NO_CRIME = (TerminateGround.NO_CRIME, TerminateGround.NOT_A_CRIME)


def calendar_year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def quarter(year: int, q: int) -> tuple[date, date]:
    if q not in (1, 2, 3, 4):
        raise ValueError("a quarter is 1, 2, 3 or 4")
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def court_year(year: int) -> tuple[date, date]:
    """The courts' working year `year`: 1/10 of the year before to 30/9 (e.g. 2026 is
    01/10/2025–30/09/2026)."""
    return date(year - 1, 10, 1), date(year, 9, 30)


def _real(scope: QuerySet[Case]) -> QuerySet[Case]:
    return scope.exclude(terminate_ground__in=NO_CRIME)


def _year_before(day: date) -> date:
    """The last day of the period a year before a period ending on `day` (29/02 included
    when `day` is 28/02 of the year after a leap year's)."""
    from pctp.core.dates import shift_year

    return shift_year(day + timedelta(days=1), -1) - timedelta(days=1)


def t1_social_order(scope: QuerySet[Case], start: date, end: date, *,
                    as_of: date | None = None, cuts: Sequence[date] = ()) -> IndicatorResult:
    """Social-order cases that occurred in the period (numerator) against the same period
    of the previous year (denominator); the change is (now - before) / before. `cuts`: days
    at which the trend is also counted (the period from `start` to each, against the same
    period a year before)."""
    from pctp.core.dates import shift_year

    as_of = as_of or timezone.localdate()
    social = _real(scope).filter(crime_group="social_order", initiated_on__lte=as_of)
    is_now = Q(occurred_on__gte=start, occurred_on__lte=end)
    is_before = Q(occurred_on__gte=shift_year(start, -1), occurred_on__lte=shift_year(end, -1))
    now = social.filter(is_now)
    before = social.filter(is_before)
    # Counted as its two disjoint halves, each an index range on the day it occurred.
    counted = Counted((now, before), is_now, is_before)
    n, d, trend = counted.counts(cuts, num_cut=lambda day: Q(occurred_on__lte=day),
                                 den_cut=lambda day: Q(occurred_on__lte=_year_before(day)))
    return IndicatorResult(
        code="T1", name=_("Social-order crime down on the same period"),
        definition=_("Numerator: social-order cases that occurred in the period (by the day "
                     "they occurred; initiated by the day of counting). Denominator: the cases "
                     "of the same period a year earlier, counted the same way. Value: the change "
                     "= (this period − same period) ÷ same period; the target is a fall of at "
                     "least 5%. Less the cases terminated because nothing happened or the act is "
                     "not a crime."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=now, denominator_records=before, trend=trend, counted=counted)


def t4_detection(scope: QuerySet[Case], start: date, end: date, *, as_of: date | None = None,
                 cuts: Sequence[date] = ()) -> IndicatorResult:
    """Cases that occurred in the period, and of them those whose offender was identified
    by `as_of`. `cuts`: days at which the trend is also counted."""
    as_of = as_of or timezone.localdate()
    occurred = _real(scope).filter(occurred_on__gte=start, occurred_on__lte=end,
                                   initiated_on__lte=as_of)
    is_detected = Q(detected_on__isnull=False, detected_on__lte=as_of)
    detected = occurred.filter(is_detected)
    counted = Counted((occurred,), is_detected)
    n, d, trend = counted.counts(cuts, num_cut=lambda day: Q(occurred_on__lte=day),
                                 den_cut=lambda day: Q(occurred_on__lte=day))
    return IndicatorResult(
        code="T4", name=_("Detection rate"),
        definition=_("Numerator: cases whose offender has been identified (solved) by the day "
                     "of counting. Denominator: cases that occurred in the period (by the day "
                     "they occurred; if unknown, the day of initiation), less the cases "
                     "terminated because nothing happened or the act is not a crime. A case "
                     "whose offender is unknown stays in the denominator."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=detected, denominator_records=occurred, trend=trend, counted=counted)


def t5_severe_detection(scope: QuerySet[Case], start: date, end: date, *,
                        as_of: date | None = None, cuts: Sequence[date] = ()
                        ) -> IndicatorResult:
    """Very serious and especially serious cases initiated in the period, and of them those
    detected by `as_of` (the plan words T5 over cases initiated). `cuts`: days at which the
    trend is also counted."""
    as_of = as_of or timezone.localdate()
    initiated = _real(scope).filter(severity__in=SEVERE, initiated_on__gte=start,
                                    initiated_on__lte=min(end, as_of))
    is_detected = Q(detected_on__isnull=False, detected_on__lte=as_of)
    detected = initiated.filter(is_detected)
    counted = Counted((initiated,), is_detected)
    n, d, trend = counted.counts(cuts, num_cut=lambda day: Q(initiated_on__lte=day),
                                 den_cut=lambda day: Q(initiated_on__lte=day))
    return IndicatorResult(
        code="T5", name=_("Detection of very and especially serious cases"),
        definition=_("Numerator: very and especially serious cases solved by the day of "
                     "counting. Denominator: very and especially serious cases initiated in the "
                     "period (the class of the case's most serious charge)."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=detected, denominator_records=initiated, trend=trend, counted=counted)


def _of_cases(model, scope: QuerySet[Case]) -> QuerySet:
    """Rows of `model` (referrals, ledger entries) belonging to the cases of `scope`; no
    semi-join when the scope is every case."""
    if not scope.query.where:
        return model.objects.all()
    return model.objects.filter(case__in=scope.values("pk"))


def _counted_entries(cases: QuerySet[Case], as_of: date) -> QuerySet[Recovery]:
    """Ledger entries up to `as_of`, without a seizure or freeze already realised by a
    later enforcement or return (so nothing counts twice)."""
    # A realising entry is always of the same case (services.recovery_record), so the
    # anti-join needs only the realises index, not the case set again.
    recorded = _recorded_by(as_of)
    realised = Recovery.objects.filter(realises=OuterRef("pk"), on__lte=as_of, **recorded)
    return Recovery.objects.filter(case__in=cases.values("pk"), on__lte=as_of,
                                   **recorded).exclude(Exists(realised))


def _recorded_by(as_of: date) -> dict:
    """Entries known on `as_of`: dated by then AND entered by its end, so a period computed
    as it stood does not count a recovery typed in later with an earlier date."""
    return {"recorded_at__lt": end_of_day(as_of)}


def _sum(qs: QuerySet, field: str) -> int:
    return int(qs.aggregate(total=Sum(field))["total"] or 0)


def t6_recovery(scope: QuerySet[Case], start: date, end: date, *, as_of: date | None = None,
                groups: tuple[str, ...] = ("corruption",)) -> IndicatorResult:
    """Basis 1: value recovered, seized or frozen ÷ value appropriated or lost, over the
    corruption cases handled in the period (initiated by its end, not closed before it)."""
    as_of = as_of or timezone.localdate()
    cases = scope.filter(crime_group__in=groups, initiated_on__lte=end, value_lost__gt=0).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    entries = _counted_entries(cases, as_of)
    return IndicatorResult(
        code="T6", name=_("Assets recovered in corruption cases (against the value lost)"),
        definition=_("Numerator: the total value of assets seized, frozen, voluntarily returned "
                     "and recovered at enforcement by the day of counting (a seizure realised "
                     "at enforcement counts once). Denominator: the total value appropriated or "
                     "lost in the corruption cases handled in the period (initiated by its end, "
                     "not closed before it). Unit: đồng."),
        period_start=start, period_end=end, numerator=_sum(entries, "amount"),
        denominator=_sum(cases, "value_lost"), numerator_records=entries,
        denominator_records=cases)


def t6_enforcement(scope: QuerySet[Case], start: date, end: date, *,
                   as_of: date | None = None, groups: tuple[str, ...] = ("corruption",)
                   ) -> IndicatorResult:
    """Basis 2: recovered at enforcement ÷ to be recovered under the judgments delivered
    in the period."""
    as_of = as_of or timezone.localdate()
    cases = scope.filter(crime_group__in=groups, judgment_on__gte=start, judgment_on__lte=end,
                         recovery_ordered__gt=0)
    entries = Recovery.objects.filter(case__in=cases.values("pk"), on__lte=as_of,
                                      **_recorded_by(as_of)).filter(
        Q(kind=Recovery.Kind.ENFORCED)
        | Q(kind=Recovery.Kind.RETURNED, on__gte=F("case__judgment_on")))
    return IndicatorResult(
        code="T6_ENFORCEMENT",
        name=_("Assets recovered in corruption cases (against the amounts ordered)"),
        definition=_("Numerator: the value recovered at enforcement (voluntary returns after "
                     "the judgment included) by the day of counting. Denominator: the value to "
                     "recover under the first-instance judgments delivered in the period. Unit: "
                     "đồng."),
        period_start=start, period_end=end, numerator=_sum(entries, "amount"),
        denominator=_sum(cases, "recovery_ordered"), numerator_records=entries,
        denominator_records=cases)


def t7_on_time_prosecution(scope: QuerySet[Case], start: date, end: date, *,
                           as_of: date | None = None, cuts: Sequence[date] = ()
                           ) -> IndicatorResult:
    """Files (investigation conclusion recommending prosecution) received by the procuracy
    in the period; decided (indict, return, suspend, terminate) within the Art. 240 limit
    with any lawful extension. A file still undecided and within its limit on `as_of`
    cannot be judged yet and is left out."""
    as_of = as_of or timezone.localdate()
    received = _of_cases(Referral, scope).filter(
        kind=Referral.Kind.CONCLUSION, received_on__gte=start, received_on__lte=min(end, as_of))
    decided = Q(closed_on__isnull=False, closed_on__lte=as_of)
    judged = received.filter(decided | overdue_q(as_of))
    is_on_time = decided & Q(closed_on__lte=F("due_date"))
    on_time = judged.filter(is_on_time)
    counted = Counted((judged,), is_on_time)
    n, d, trend = counted.counts(cuts, num_cut=lambda day: Q(received_on__lte=day),
                                 den_cut=lambda day: Q(received_on__lte=day))
    return IndicatorResult(
        code="T7", name=_("Share of prosecution decisions on time"),
        definition=_("Numerator: files the procuracy decided on (indictment, return, suspension, "
                     "termination) within the limit of CPC Art. 240, lawful extensions "
                     "included. Denominator: files with an investigation conclusion "
                     "recommending prosecution received by the procuracy in the period, less "
                     "those not yet decided but still within the limit on the day of "
                     "counting."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=on_time, denominator_records=judged, trend=trend, counted=counted)


def t8_court_resolution(scope: QuerySet[Case], start: date, end: date, *,
                        cuts: Sequence[date] = ()) -> IndicatorResult:
    """Cases the courts had to resolve in the period (accepted by its end, incl. the
    carry-over, not resolved before it, not returned for supplementary investigation by
    its end) and of them those tried (first-instance judgment) within it. `cuts`: days at
    which the trend is also counted (the period from `start` to each)."""
    received = _of_cases(Referral, scope).filter(kind=Referral.Kind.INDICTMENT,
                                                 received_on__lte=end)
    handled = received.filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))

    def accepted_by(day: date) -> Q:
        return Q(received_on__lte=day) & ~Q(outcome="return", closed_on__lte=day)

    accepted = handled.exclude(outcome="return", closed_on__lte=end)
    is_tried = Q(outcome="judgment", closed_on__gte=start, closed_on__lte=end)
    resolved = accepted.filter(is_tried)
    # Counted as its two disjoint halves (still open; closed since the start), each an
    # index range scan.
    not_returned = ~Q(outcome="return", closed_on__lte=end)
    counted = Counted((received.filter(not_returned, closed_on__gte=start),
                       received.filter(not_returned, closed_on__isnull=True)), is_tried)
    n, d, trend = counted.counts(cuts, den_cut=accepted_by,
                                 num_cut=lambda day: accepted_by(day) & Q(closed_on__lte=day))
    return IndicatorResult(
        code="T8", name=_("Share of criminal cases tried"),
        definition=_("Numerator: cases the court tried at first instance (judgment delivered) "
                     "in the period. Denominator: cases the court must handle in the period: "
                     "accepted by its end (the carry-over included), less those handled before "
                     "it and those returned for supplementary investigation. The court's "
                     "working year runs from 01/10 of the year before to 30/9."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=resolved, denominator_records=accepted, trend=trend, counted=counted)
