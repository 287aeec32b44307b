from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from pctp.units.models import Unit
from pctp.units.selectors import members_of, unit_get, unit_list


@login_required
@permission_required("units.view_unit", raise_exception=True)
def unit_index(request):
    kind = request.GET.get("kind", "")
    query = request.GET.get("q", "").strip()
    units = unit_list(user=request.user, kind=kind or None, query=query or None)
    page = Paginator(units, 100).get_page(request.GET.get("page"))
    return render(request, "units/unit_list.html", {
        "page": page, "kinds": Unit.Kind.choices, "kind": kind, "q": query,
    })


@login_required
@permission_required("units.view_unit", raise_exception=True)
def unit_detail(request, pk: int):
    try:
        unit = unit_get(user=request.user, pk=pk)
    except Unit.DoesNotExist:
        raise Http404 from None
    return render(request, "units/unit_detail.html", {
        "unit": unit,
        "members": members_of(user=request.user, unit=unit),
        "children": unit_list(user=request.user).filter(parent=unit),
        "communes": unit.communes.order_by("name"),
    })
