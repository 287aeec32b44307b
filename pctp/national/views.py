"""/national/: the provinces' published figures side by side (issue 23)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pctp.core.replica import replica_view
from pctp.national import selectors as q


def _year(request, known: list[int]) -> int:
    """The year asked (ASCII digits, 2000 to 2100), else the latest published."""
    value = request.GET.get("year", "")
    if value.isascii() and value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return known[0] if known else timezone.localdate().year


@never_cache
@login_required
@replica_view
def dashboard(request):
    if not q.may_view(request.user):
        raise PermissionDenied
    known = q.years()
    table = q.provinces_table(year=_year(request, known))
    return render(request, "national/dashboard.html", {"table": table, "years": known})
