"""What core asks about a user's roles and unit permissions, without importing the app
that keeps them: pctp.units provides the answers in its AppConfig.ready (core imports no
domain app; see docs/architecture.md, the import contracts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

_provider: dict[str, Callable] = {}


def provide(*, role_codes: Callable[..., Iterable[str]],
            has_perm_in_unit: Callable[..., bool], memberships: Callable[..., Iterable],
            units_in_scope: Callable) -> None:
    _provider.update(role_codes=role_codes, has_perm_in_unit=has_perm_in_unit,
                     memberships=memberships, units_in_scope=units_in_scope)


def _get(name: str) -> Callable:
    try:
        return _provider[name]
    except KeyError:
        raise RuntimeError("pctp.units is not installed: no one answers for roles") from None


def role_codes(user) -> list[str]:
    """The codes of the roles of the user's active memberships."""
    return list(_get("role_codes")(user))


def has_perm_in_unit(user, perm: str, unit) -> bool:
    """Whether one of the user's active memberships gives `perm` in `unit`."""
    return bool(_get("has_perm_in_unit")(user, perm, unit))


def memberships(user) -> list:
    """The user's active memberships (unit and role), for the home page."""
    return list(_get("memberships")(user))


def units_in_scope(user):
    """The units whose records the user may see (a queryset)."""
    return _get("units_in_scope")(user)
