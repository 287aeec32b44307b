"""Who may see which units. The one scoping helper every app builds its selectors on."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from django.utils import timezone

from pctp.units.models import Commune, Membership, Unit

# Roles whose holders see the whole province they serve.
PROVINCE_WIDE_ROLES = {"provincial_leader", "statistics_analyst", "auditor", "system_admin"}


def user_memberships(user) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.active().filter(user=user).select_related("unit", "role")


# Attributes memoised on a user object (a request's user lives as long as the request).
# (`_pctp_perm_cache` is MembershipBackend's, for `user.has_perm`.)
MEMO_ATTRS = ("_pctp_memberships", "_pctp_grants", "_pctp_perm_cache")


def _memo(user, name: str, build):
    """`build()`, computed once per user object and day (memberships start and end on days;
    a test that travels in time gets a fresh answer)."""
    today = timezone.localdate()
    held = getattr(user, name, None)
    if held is None or held[0] != today:
        held = (today, build())
        setattr(user, name, held)  # through request.user's lazy wrapper, onto the user
    return held[1]


def forget_memberships(user) -> None:
    """Drop what this user object memoised about its memberships and permissions (after a
    membership is granted or ended); other objects of the same user ask again next request."""
    for name in MEMO_ATTRS:
        if hasattr(user, name):
            delattr(user, name)


def active_memberships(user) -> list[Membership]:
    """The user's active memberships with their unit and role, one query per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    return _memo(user, "_pctp_memberships", lambda: list(user_memberships(user)))


def _grants(user) -> list[tuple[Membership, frozenset[str]]]:
    """Each active membership with the permission codes ("app.codename") of its role: one
    more query per user object, after which `user_has_perm_in_unit` asks none."""
    def build():
        memberships = active_memberships(user)
        codes: dict[int, set[str]] = defaultdict(set)
        rows = Group.permissions.through.objects.filter(
            group_id__in={m.role.group_id for m in memberships}).values_list(
            "group_id", "permission__content_type__app_label", "permission__codename")
        for group_id, app_label, codename in rows:
            codes[group_id].add(f"{app_label}.{codename}")
        return [(m, frozenset(codes[m.role.group_id])) for m in memberships]
    return _memo(user, "_pctp_grants", build)


def user_role_codes(user) -> list[str]:
    return sorted({m.role.code for m in active_memberships(user)})


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
    memberships = active_memberships(user)
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
    """True if one of the user's memberships grants `perm` over `unit`'s subtree.

    Asked dozens of times a page (each action, each accused's identity): the memberships and
    their permission codes are fetched once per user object (`_grants`)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    for m, codes in _grants(user):
        if perm not in codes:
            continue
        if m.role.code in PROVINCE_WIDE_ROLES and m.unit.province_id == unit.province_id:
            return True
        if unit.path.startswith(m.unit.path):
            return True
    return False
