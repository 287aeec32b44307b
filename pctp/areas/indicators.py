"""Targets T9 and T10 (DOMAIN.md §7) over any period and scope of key areas, for the KPI
dashboard. Each returns the counts and the exact areas behind numerator and denominator;
`scope` is a queryset of KeyArea already limited to what the caller may see (and, for a
breakdown, to a lead unit or commune). `as_of` (default today) is the day whose knowledge
the figure uses: an assessment signed or a relapse found after it does not count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.areas.models import KeyArea
from pctp.core.indicators import Counted, IndicatorResult


def t9_transformed(scope: QuerySet[KeyArea], start: date, end: date, *,
                   as_of: date | None = None, cuts: Sequence[date] = ()) -> IndicatorResult:
    """Areas whose assessment falls due in the period (by default 31/12 of the selection
    year); of them those assessed as transformed by a signed assessment by `as_of`. An area
    not yet assessed and not yet due on `as_of` cannot be judged and is left out. `cuts`:
    days at which the trend is also counted (the period from `start` to each)."""
    as_of = as_of or timezone.localdate()
    due = scope.filter(assessment_due__gte=start, assessment_due__lte=end,
                       decision_date__lte=as_of).filter(
        Q(assessment_due__lte=as_of) | Q(assessed_on__isnull=False, assessed_on__lte=as_of))
    is_transformed = Q(assessment_result="transformed", assessed_on__isnull=False,
                       assessed_on__lte=as_of)
    transformed = due.filter(is_transformed)
    counted = Counted((due,), is_transformed)
    n, d, trend = counted.counts(cuts, num_cut=lambda day: Q(assessment_due__lte=day),
                                 den_cut=lambda day: Q(assessment_due__lte=day))
    return IndicatorResult(
        code="T9", name=_("Share of key areas transformed"),
        definition=_("Numerator: areas assessed as transformed (the assessment signed by the "
                     "leaders) by the day of counting. Denominator: areas on the selection list "
                     "whose assessment falls due in the period (by default 31/12 of the "
                     "selection year), less the areas neither due nor assessed on the day of "
                     "counting. An area due but not assessed counts as not transformed."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=transformed, denominator_records=due, trend=trend,
        counted=counted)


def t10_not_relapsed(scope: QuerySet[KeyArea], start: date, end: date, *,
                     as_of: date | None = None) -> IndicatorResult:
    """Areas assessed as transformed (by `as_of` and by the end of the period) whose relapse
    watch overlaps the period and that had not relapsed before it started; of them those
    not relapsed by the end of the period (or `as_of`, if earlier)."""
    as_of = as_of or timezone.localdate()
    last = min(end, as_of)
    watched = scope.filter(assessment_result="transformed", assessed_on__isnull=False,
                           assessed_on__lte=last, watch_from__lte=end).filter(
        Q(watch_until__isnull=True) | Q(watch_until__gte=start)).filter(
        Q(relapsed_on__isnull=True) | Q(relapsed_on__gte=start))
    is_not_relapsed = Q(relapsed_on__isnull=True) | Q(relapsed_on__gt=last)
    not_relapsed = watched.filter(is_not_relapsed)
    counted = Counted((watched,), is_not_relapsed)
    n, d, _trend = counted.counts()
    return IndicatorResult(
        code="T10", name=_("Share of transformed areas not relapsed"),
        definition=_("Numerator: areas not relapsed by the end of the period (or by the day of "
                     "counting if earlier). Denominator: areas assessed as transformed and under "
                     "the relapse watch in the period (from the day the assessment is signed to "
                     "the end of the watch, by default 24 months after removal from the list), "
                     "less the areas that relapsed before the period. A relapse: selected again, "
                     "or during the watch the crimes of 12 months back at the level at selection "
                     "or a criterion computed from the data no longer met."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=not_relapsed,
        denominator_records=watched, counted=counted)
