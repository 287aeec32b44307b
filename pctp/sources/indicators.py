"""Targets T2 and T3 and the overdue rate (DOMAIN.md §7), over any period and scope.

Each function returns the counts and the exact records behind numerator and denominator.
`scope` is a queryset of sources already limited to what the caller may see (and, for a
unit or commune breakdown, to that unit or commune).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.deadlines import overdue_q
from pctp.core.indicators import Counted, IndicatorResult
from pctp.sources.models import OPEN_STATUSES, RESOLVED_STATUSES, Channel, Source, Status


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tz),
            datetime.combine(end + timedelta(days=1), time.min, tz))


def _received_by(day: date) -> Q:
    return Q(received_at__lt=_bounds(day, day)[1])


def t2_received_classified(scope: QuerySet[Source], start: date, end: date, *,
                           cuts: Sequence[date] = ()) -> IndicatorResult:
    """Sources registered in the period, and of them those classified (or transferred to
    the competent body, or merged) within 24 hours of the handling unit receiving them.
    `cuts`: days at which the trend is also counted (the period from `start` to each)."""
    lo, hi = _bounds(start, end)
    # A source imported from an earlier register has no classification time: it is left
    # out rather than counted late (decision 37).
    denominator = (scope.filter(received_at__gte=lo, received_at__lt=hi)
                   .exclude(channel=Channel.REGISTER))
    # A commune passes a source on within 24 hours (48 for remote communes); one passed
    # on later is not on time, however fast the body classified it (DOMAIN.md §3).
    forwarded_in_time = (Q(forward_due__isnull=True) | Q(forwarded_at__lte=F("forward_due"))
                         | Q(forwarded_at__isnull=True, handled_at__lte=F("forward_due")))
    on_time = Q(handled_at__isnull=False,
                handled_at__lte=F("holder_received_at") + timedelta(hours=24)) & forwarded_in_time
    numerator = denominator.filter(on_time)
    counted = Counted((denominator,), on_time)
    n, d, trend = counted.counts(cuts, num_cut=_received_by, den_cut=_received_by)
    return IndicatorResult(
        code="T2", name=_("Sources received, classified and handled on time"),
        definition=_("Numerator: sources received in the period and classified (or transferred "
                     "to the competent body, or merged) within 24 hours of reaching the unit "
                     "handling them, and, when received by the commune police, passed on "
                     "within 24 hours (48 hours for remote communes). Denominator: sources "
                     "entered in the register in the period; those imported from an earlier register, "
                     "which does not say when they were classified, are left out."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=numerator, denominator_records=denominator, trend=trend, counted=counted)


def t3_resolution(scope: QuerySet[Source], start: date, end: date, *,
                  cuts: Sequence[date] = ()) -> IndicatorResult:
    """Resolved in the period (initiated or not initiated) ÷ sources to resolve in the period:
    received by the end, not transferred away or merged, and not already resolved before
    the start (the carry-over counts). Suspended sources are not resolved. `cuts`: days at
    which the trend is also counted (the period from `start` to each)."""
    lo, hi = _bounds(start, end)
    received = (scope.filter(received_at__lt=hi)
                .exclude(status__in=[Status.TRANSFERRED, Status.MERGED]))
    # Everything not resolved before the start: undecided, decided since, and suspended
    # (or suspended then resumed) before the start, which is not resolved (SPP practice).
    carried = Q(decided_at__lt=lo) & ~Q(status__in=RESOLVED_STATUSES)
    to_resolve = received.filter(Q(decided_at__isnull=True) | Q(decided_at__gte=lo) | carried)
    is_resolved = Q(status__in=RESOLVED_STATUSES, decided_at__gte=lo, decided_at__lt=hi)
    resolved = to_resolve.filter(is_resolved)
    # Counted as its three disjoint parts, each an index range scan.
    counted = Counted((received.filter(decided_at__gte=lo),
                       received.filter(decided_at__isnull=True),
                       received.filter(carried)), is_resolved)
    n, d, trend = counted.counts(
        cuts, den_cut=_received_by,
        num_cut=lambda day: Q(decided_at__lt=_bounds(day, day)[1]) & _received_by(day))
    return IndicatorResult(
        code="T3", name=_("Share of sources resolved"),
        definition=_("Numerator: sources resolved in the period (a case initiated or not). "
                     "Denominator: sources to resolve in the period, the carry-over included, "
                     "less those transferred to another body or merged. A suspension is not a "
                     "resolution: a source suspended in an earlier period stays in the "
                     "denominator."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=resolved, denominator_records=to_resolve, trend=trend, counted=counted)


def unresolved_on(scope: QuerySet[Source], on: date) -> QuerySet[Source]:
    """The sources received by the end of ``on`` and not resolved by then: still open or
    suspended, or initiated or declined after that day."""
    hi = _bounds(on, on)[1]
    return scope.filter(received_at__lt=hi).filter(
        Q(status__in=OPEN_STATUSES) | Q(status=Status.SUSPENDED)
        | Q(decided_at__gte=hi, status__in=RESOLVED_STATUSES))


def overdue_on(scope: QuerySet[Source], on: date) -> QuerySet[Source]:
    """The sources overdue on ``on``: unresolved then and past their resolution limit
    (pctp.core.deadlines.overdue_q), for the overdue rate and the key areas' ranking alike.
    A source lawfully suspended by that day stays unresolved, but its clock has stopped:
    it is not overdue (its limit had expired before it could be suspended, Art. 148)."""
    hi = _bounds(on, on)[1]
    return unresolved_on(scope, on).exclude(status=Status.SUSPENDED, decided_at__lt=hi).filter(
        overdue_q(on))


def overdue_rate(scope: QuerySet[Source], on: date) -> IndicatorResult:
    """Open sources past their resolution limit ÷ open sources, as of a day."""
    unresolved = unresolved_on(scope, on)
    overdue = overdue_on(scope, on)
    return IndicatorResult(
        code="T3_OVERDUE", name=_("Share of sources overdue"),
        definition=_("Numerator: unresolved sources past their resolution limit on the day "
                     "of counting (less the sources lawfully suspended). Denominator: the "
                     "sources unresolved on that day, the suspended ones included."),
        period_start=on, period_end=on, numerator=overdue.count(),
        denominator=unresolved.count(), numerator_records=overdue,
        denominator_records=unresolved)
