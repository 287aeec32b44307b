"""The shape every indicator function returns: a value and the records behind it, and the
one-query count that fills it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

# The trend of a figure: for each cut day, the numerator and the denominator the same
# indicator would give for the period from its start to that day.
Trend = tuple[tuple[date, int, int], ...]
ONE = Value(1, output_field=IntegerField())


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    definition: str
    period_start: date
    period_end: date
    numerator: int
    denominator: int
    numerator_records: QuerySet = field(repr=False)
    denominator_records: QuerySet = field(repr=False)
    trend: Trend = ()

    @property
    def value(self) -> float | None:
        """Percent, or None when nothing is in the denominator (not 0%, not 100%)."""
        if not self.denominator:
            return None
        return round(100.0 * self.numerator / self.denominator, 2)


def counts(rows: QuerySet | Sequence[QuerySet], *, numerator: Q, denominator: Q | None = None,
           cuts: Sequence[date] = (), num_cut: Callable[[date], Q] | None = None,
           den_cut: Callable[[date], Q] | None = None) -> tuple[int, int, Trend]:
    """Numerator and denominator counted in one pass over `rows` (one aggregate with
    FILTER clauses, not one COUNT per side), and, for each day in `cuts`, both counts of
    the period cut at that day (`num_cut(day)`, `den_cut(day)`: the rows that period would
    keep). `denominator` None: every row of `rows`.

    `rows` may be a list of disjoint querysets whose union is the row set: each is counted
    and the counts added. That is for a row set defined by an OR across columns
    (`decided_at IS NULL OR decided_at >= …`), which keeps PostgreSQL from an index-only
    range scan where each branch alone gets one."""
    if not isinstance(rows, QuerySet):
        totals = [0, 0, [[day, 0, 0] for day in cuts]]
        for part in rows:
            n, d, trend = counts(part, numerator=numerator, denominator=denominator, cuts=cuts,
                                 num_cut=num_cut, den_cut=den_cut)
            totals[0] += n
            totals[1] += d
            for point, (_day, pn, pd) in zip(totals[2], trend, strict=True):
                point[1] += pn
                point[2] += pd
        return totals[0], totals[1], tuple(tuple(point) for point in totals[2])
    den = denominator if denominator is not None else Q()
    # COUNT(1), not COUNT(id): a count that reads no column lets PostgreSQL answer from a
    # covering index alone (an index-only scan) where one has the filtered columns.
    n_count = Count(ONE, filter=numerator)
    d_count = Count(ONE, filter=den) if denominator is not None else Count(ONE)
    rows = rows.order_by()
    if not cuts:
        row = rows.aggregate(n=n_count, d=d_count)
        return row["n"], row["d"], ()
    # Each row's first cut: the first day whose cut period keeps it (a cut period keeps
    # more rows the later its day), computed once per row; the rows are then grouped by
    # it and the cumulative counts are running sums. Cheaper than one FILTER per cut.
    def first_cut(cut):
        return Case(*[When(cut(day), then=Value(i)) for i, day in enumerate(cuts)],
                    default=Value(len(cuts)), output_field=IntegerField())

    same = all(num_cut(day) == den_cut(day) for day in cuts)
    grouped = rows.annotate(nc=first_cut(num_cut), dc=first_cut(den_cut) if not same else F("nc"))
    groups = grouped.values("nc", "dc").annotate(n=n_count, d=d_count)
    n_at = [0] * (len(cuts) + 1)
    d_at = [0] * (len(cuts) + 1)
    for g in groups:
        n_at[g["nc"]] += g["n"]
        d_at[g["dc"]] += g["d"]
    trend, n_run, d_run = [], 0, 0
    for i, day in enumerate(cuts):
        n_run, d_run = n_run + n_at[i], d_run + d_at[i]
        trend.append((day, n_run, d_run))
    return sum(n_at), sum(d_at), tuple(trend)
