"""The shape every indicator function returns: a value and the records behind it, and the
one-query count that fills it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet

# The trend of a figure: for each cut day, the numerator and the denominator the same
# indicator would give for the period from its start to that day.
Trend = tuple[tuple[date, int, int], ...]


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


def counts(rows: QuerySet, *, numerator: Q, denominator: Q | None = None,
           cuts: Sequence[date] = (), num_cut: Callable[[date], Q] | None = None,
           den_cut: Callable[[date], Q] | None = None) -> tuple[int, int, Trend]:
    """Numerator and denominator counted in one pass over `rows` (one aggregate with
    FILTER clauses, not one COUNT per side), and, for each day in `cuts`, both counts of
    the period cut at that day (`num_cut(day)`, `den_cut(day)`: the rows that period would
    keep). `denominator` None: every row of `rows`."""
    den = denominator if denominator is not None else Q()
    aggregates = {"n": Count("pk", filter=numerator),
                  "d": Count("pk", filter=den) if denominator is not None else Count("pk")}
    for i, day in enumerate(cuts):
        aggregates[f"n{i}"] = Count("pk", filter=numerator & num_cut(day))
        aggregates[f"d{i}"] = Count("pk", filter=den & den_cut(day))
    row = rows.order_by().aggregate(**aggregates)
    return (row["n"], row["d"],
            tuple((day, row[f"n{i}"], row[f"d{i}"]) for i, day in enumerate(cuts)))
