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
        code="T9", name="Tỷ lệ địa bàn trọng điểm, phức tạp được chuyển hóa",
        definition=("Tử số: địa bàn được đánh giá đã chuyển hóa (đánh giá đã được lãnh đạo ký) "
                    "tính đến ngày tính. Mẫu số: địa bàn trong danh sách lựa chọn có hạn đánh "
                    "giá rơi vào kỳ (mặc định 31/12 của năm được chọn), trừ địa bàn chưa đến hạn "
                    "và chưa được đánh giá tại ngày tính. Địa bàn đến hạn mà chưa đánh giá tính "
                    "là chưa chuyển hóa."),
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
        code="T10", name="Tỷ lệ địa bàn đã chuyển hóa không tái phức tạp",
        definition=("Tử số: địa bàn không tái phức tạp đến hết kỳ (hoặc đến ngày tính nếu sớm "
                    "hơn). Mẫu số: địa bàn đã được đánh giá chuyển hóa, đang trong thời gian "
                    "theo dõi tái phức tạp trong kỳ (từ ngày ký đánh giá đến hết thời hạn theo "
                    "dõi, mặc định 24 tháng sau khi đưa ra khỏi danh sách), trừ địa bàn đã tái "
                    "phức tạp trước kỳ. Tái phức tạp: được lựa chọn lại, hoặc trong thời gian "
                    "theo dõi số vụ phạm tội 12 tháng trở lại mức lúc lựa chọn hay không còn đạt "
                    "tiêu chí tính từ số liệu."),
        period_start=start, period_end=end, numerator=n, denominator=d,
        numerator_records=not_relapsed,
        denominator_records=watched, counted=counted)
