"""Sorting a list as the user asks (issue 17: every list can be sorted, its order kept in the
URL with its filters). Each page names its orders: key → (label, fields); `?sort=key` picks
one, anything else keeps the page's own order. `core/_sort.html` draws the choice as a form
that carries the page's other parameters."""

from __future__ import annotations

from django.db.models import QuerySet


def sorted_by(request, qs: QuerySet, orders: dict) -> tuple[QuerySet, dict]:
    key = request.GET.get("sort", "")
    if key in orders:
        qs = qs.order_by(*orders[key][1])
    keep = [(k, v) for k, values in request.GET.lists() if k not in ("sort", "page")
            for v in values]
    return qs, {"choices": [(k, label) for k, (label, _f) in orders.items()],
                "current": key if key in orders else "", "keep": keep}
