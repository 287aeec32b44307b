"""Reads of key areas, always scoped to who asks."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from pctp.areas.models import Assessment, KeyArea, ModelCommune
from pctp.core.models import AuditEvent
from pctp.units.models import Commune
from pctp.units.selectors import communes_in_scope, units_in_scope


def areas_in_scope(user) -> QuerySet[KeyArea]:
    """The areas `user` may see: those their units lead, coordinate or selected (the
    Steering Committee), or that lie in a commune their units cover. Province-wide roles see
    the province. Without areas.view_keyarea: none."""
    if not getattr(user, "is_authenticated", False) or not user.has_perm("areas.view_keyarea"):
        return KeyArea.objects.none()
    units = units_in_scope(user).values("pk")
    coordinated = KeyArea.coordinating_units.through.objects.filter(unit__in=units).values(
        "keyarea")
    communes = Commune.objects.filter(units__in=units).values("pk")
    return KeyArea.objects.filter(Q(lead_unit__in=units) | Q(steering_unit__in=units)
                                  | Q(pk__in=coordinated) | Q(commune__in=communes))


def area_list(*, user, year: int | None = None, status: str = "", area_type: str = "",
              commune: str = "") -> QuerySet[KeyArea] | list[KeyArea]:
    qs = areas_in_scope(user).select_related("commune", "lead_unit", "steering_unit")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if commune:
        qs = qs.filter(commune__code=commune)
    qs = qs.order_by("-year", "commune__name", "name")
    if area_type:
        # The types are a short JSON list: filtered here, the same on SQLite and PostgreSQL.
        return [a for a in qs if area_type in a.types]
    return qs


def area_get(*, user, pk: int) -> KeyArea:
    return areas_in_scope(user).select_related(
        "commune", "lead_unit", "steering_unit", "plan", "previous").get(pk=pk)


def area_timeline(area: KeyArea) -> QuerySet[AuditEvent]:
    """Every step of the area (the assessments' own rows are on the assessment)."""
    return (AuditEvent.objects.filter(object_type="areas.keyarea", object_id=str(area.pk))
            .select_related("actor").order_by("at", "id"))


def assessment_get(*, user, pk: int) -> Assessment:
    return Assessment.objects.select_related("area", "area__commune", "signed_by",
                                             "drafted_by").get(
        pk=pk, area__in=areas_in_scope(user).values("pk"))


def model_communes(*, user) -> QuerySet[ModelCommune]:
    if not getattr(user, "is_authenticated", False) or not user.has_perm("areas.view_keyarea"):
        return ModelCommune.objects.none()
    return (ModelCommune.objects.filter(commune__in=communes_in_scope(user).values("pk"))
            .select_related("commune").prefetch_related("areas"))


def ranking_communes(user) -> QuerySet[Commune]:
    """The communes a user may see in the ranking (the province for province-wide roles)."""
    return Commune.objects.filter(pk__in=communes_in_scope(user).values("pk"))


def all_key_areas() -> QuerySet[KeyArea]:
    """Every key area, unscoped: for the indicators (T9, T10) that scope it themselves."""
    return KeyArea.objects.all()
