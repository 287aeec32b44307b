"""The shape every indicator function returns: a value and the records behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet


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

    @property
    def value(self) -> float | None:
        """Percent, or None when nothing is in the denominator (not 0%, not 100%)."""
        if not self.denominator:
            return None
        return round(100.0 * self.numerator / self.denominator, 2)
