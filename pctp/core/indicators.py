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
class Counted:
    """What an indicator counts: disjoint row sets whose union holds its records, and the
    conditions of its numerator and denominator on those rows (`denominator` None: every
    row). Several row sets are for a set defined by an OR across columns (`decided_at IS
    NULL OR decided_at >= …`), which keeps PostgreSQL from the index-only range scan each
    branch alone gets.

    Both sides are counted together, COUNT(1) FILTER (WHERE …), never one query per side,
    and COUNT(1), not COUNT(id), so that a covering index answers alone."""

    rows: tuple[QuerySet, ...]
    numerator: Q
    denominator: Q | None = None

    def _aggregates(self) -> dict:
        den = self.denominator
        return {"n": Count(ONE, filter=self.numerator),
                "d": Count(ONE, filter=den) if den is not None else Count(ONE)}

    def counts(self, cuts: Sequence[date] = (), num_cut: Callable[[date], Q] | None = None,
               den_cut: Callable[[date], Q] | None = None) -> tuple[int, int, Trend]:
        """(numerator, denominator, trend). For each day in `cuts`, the trend holds both
        counts of the period cut at that day (`num_cut(day)`, `den_cut(day)`: the rows that
        period keeps; the later the day, the more it keeps)."""
        n_at = [0] * (len(cuts) + 1)
        d_at = [0] * (len(cuts) + 1)
        for part in self.rows:
            part = part.order_by()
            if not cuts:
                row = part.aggregate(**self._aggregates())
                n_at[0] += row["n"]
                d_at[0] += row["d"]
                continue
            # Each row's first cut (the first day whose cut period keeps it) computed once
            # per row, the rows grouped by it, the trend as running sums: cheaper than one
            # FILTER per cut.
            same = all(num_cut(day) == den_cut(day) for day in cuts)
            grouped = part.annotate(nc=_first_cut(num_cut, cuts),
                                    dc=F("nc") if same else _first_cut(den_cut, cuts))
            for g in grouped.values("nc", "dc").annotate(**self._aggregates()):
                n_at[g["nc"]] += g["n"]
                d_at[g["dc"]] += g["d"]
        trend, n_run, d_run = [], 0, 0
        for i, day in enumerate(cuts):
            n_run, d_run = n_run + n_at[i], d_run + d_at[i]
            trend.append((day, n_run, d_run))
        return sum(n_at), sum(d_at), tuple(trend)

    def by(self, path: str) -> dict:
        """{value of `path`: (numerator, denominator)}: one GROUP BY per row set."""
        out: dict = {}
        for part in self.rows:
            for g in part.order_by().values(path).annotate(**self._aggregates()):
                n, d = out.get(g[path], (0, 0))
                out[g[path]] = (n + g["n"], d + g["d"])
        return out


def _first_cut(cut: Callable[[date], Q], cuts: Sequence[date]) -> Case:
    return Case(*[When(cut(day), then=Value(i)) for i, day in enumerate(cuts)],
                default=Value(len(cuts)), output_field=IntegerField())


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
    # How the counts were taken (`counts`), for grouping them by unit or commune the same
    # way: None where numerator and denominator are rows of different tables (T6).
    counted: Counted | None = field(default=None, repr=False)

    @property
    def value(self) -> float | None:
        """Percent, or None when nothing is in the denominator (not 0%, not 100%)."""
        if not self.denominator:
            return None
        return round(100.0 * self.numerator / self.denominator, 2)
