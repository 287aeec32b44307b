"""Who may see which units. The one scoping helper every app builds its selectors on."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from pctp.units.models import Commune, Membership, Unit

# Roles whose holders see the whole province they serve.
PROVINCE_WIDE_ROLES = {"provincial_leader", "statistics_analyst", "auditor", "system_admin"}


def user_memberships(user) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user).select_related("unit", "role")


def user_role_codes(user) -> list[str]:
    cache = getattr(user, "_pctp_role_codes", None)
    if cache is None:
        cache = sorted({m.role.code for m in user_memberships(user)})
        if getattr(user, "is_authenticated", False):
            user._pctp_role_codes = cache
    return cache


def units_in_scope(user) -> QuerySet[Unit]:
    """The units whose records `user` may see: their units and every unit below them.

    Province-wide roles and superusers see every unit. Cross-agency access that a
    record grants (a procuracy supervising a source, a court that accepted a case)
    is added by each app's own selector on top of this.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    memberships = list(user_memberships(user))
    if not memberships:
        return Unit.objects.none()
    if any(m.role.code in PROVINCE_WIDE_ROLES for m in memberships):
        provinces = {m.unit.province_id for m in memberships}
        return Unit.objects.filter(province_id__in=provinces)
    condition = Q()
    for m in memberships:
        condition |= Q(path__startswith=m.unit.path)
    return Unit.objects.filter(condition)


def unit_list(*, user, kind: str | None = None, query: str | None = None) -> QuerySet[Unit]:
    units = units_in_scope(user).select_related("parent")
    if kind:
        units = units.filter(kind=kind)
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return units


def unit_get(*, user, pk: int) -> Unit:
    """A unit the user may see, or Unit.DoesNotExist (answered as 404: nothing leaks)."""
    return units_in_scope(user).get(pk=pk)


def communes_in_scope(user) -> QuerySet[Commune]:
    return Commune.objects.filter(units__in=units_in_scope(user)).distinct()


def members_of(*, user, unit: Unit) -> QuerySet[Membership]:
    if not units_in_scope(user).filter(pk=unit.pk).exists():
        return Membership.objects.none()
    return Membership.objects.active().filter(unit=unit).select_related("user", "role")


def user_has_perm_in_unit(user, perm: str, unit: Unit) -> bool:
    """True if one of the user's memberships grants `perm` over `unit`'s subtree."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    app_label, codename = perm.split(".", 1)
    for m in user_memberships(user):
        if not m.role.group.permissions.filter(
            content_type__app_label=app_label, codename=codename
        ).exists():
            continue
        if m.role.code in PROVINCE_WIDE_ROLES and m.unit.province_id == unit.province_id:
            return True
        if unit.path.startswith(m.unit.path):
            return True
    return False
