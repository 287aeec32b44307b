"""Counting that stops early: an exact count of a province's million rows costs more than a
reader needs ("more than 1,000" says as much as "331,741")."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet


class CappedPaginator(Paginator):
    """A paginator whose count stops at CAP + 1; `capped` says there are more than CAP."""

    CAP = 1000

    @property
    def count(self):
        if not hasattr(self, "_capped_count"):
            self._capped_count = self.object_list.order_by()[: self.CAP + 1].count()
        return self._capped_count

    @property
    def capped(self) -> bool:
        return self.count > self.CAP

    @property
    def num_pages(self) -> int:
        """Past the cap, the pages that hold the first CAP rows (the pager says "of more
        than"): not one more page holding the single row counted to know there are more."""
        if self.capped:
            return max(1, self.CAP // self.per_page)
        return super().num_pages


def capped_count(queryset: QuerySet, cap: int | None = None) -> tuple[int, bool]:
    """(count, capped): the number of rows, up to `cap` (CappedPaginator.CAP unless given),
    and whether there are more. `COUNT(*)` over a `LIMIT cap + 1` subquery: the database
    stops reading after cap + 1 rows."""
    cap = CappedPaginator.CAP if cap is None else cap
    n = queryset.order_by()[: cap + 1].count()
    return (cap, True) if n > cap else (n, False)
