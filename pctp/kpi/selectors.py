"""Which plan, period and scope a KPI request names, and whether the user may see it.

The page, the API and `pctp kpi` all read their parameters through `resolve`, so the
three can never disagree on what a figure covers.

Province-wide roles (provincial leaders, statistics analysts) see the province, any unit
and any commune; a unit leader sees their own unit and the units under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.errors import DomainError, PermissionRefused
from pctp.kpi.models import Target
from pctp.kpi.periods import Period, PeriodError, parse
from pctp.kpi.registry import Scope
from pctp.plans.models import Plan
from pctp.units.models import Commune, Province, Unit
from pctp.units.selectors import PROVINCE_WIDE_ROLES, units_in_scope, user_memberships


@dataclass(frozen=True)
class Request:
    plan: Plan
    period: Period
    scope: Scope
    province_wide: bool
    today: date


def user_province(user) -> Province:
    authenticated = user is not None and user.is_authenticated
    memberships = list(user_memberships(user)) if authenticated else []
    if memberships:
        return memberships[0].unit.province
    return Province.objects.get(code=settings.PCTP_PROVINCE_CODE)


def is_province_wide(user) -> bool:
    if user is None or user.is_superuser:  # None: the operator at the command line
        return True
    return any(m.role.code in PROVINCE_WIDE_ROLES for m in user_memberships(user))


def plans_for(user) -> QuerySet[Plan]:
    province = user_province(user)
    return (
        Plan.objects.filter(issuing_unit__province=province, targets__isnull=False)
        .distinct()
        .select_related("issuing_unit")
        .order_by("-period_end", "-id")
    )


def default_plan(user, day: date) -> Plan | None:
    plans = plans_for(user)
    return (
        plans.filter(period_start__lte=day, period_end__gte=day)
        .exclude(status=Plan.Status.DRAFT)
        .first()
        or plans.first()
    )


def _home_unit(user) -> Unit | None:
    memberships = [m for m in user_memberships(user) if m.role.code == "unit_leader"] or list(
        user_memberships(user)
    )
    return memberships[0].unit if memberships else None


def resolve(
    user,
    *,
    plan: str | int | None = None,
    period: str | None = None,
    unit: str | None = None,
    commune: str | None = None,
    today: date | None = None,
) -> Request:
    """The plan, period and scope asked for; DomainError names the bad parameter,
    PermissionRefused a scope the user may not see."""
    today = today or timezone.localdate()
    if user is not None and not (user.is_superuser or user.has_perm("kpi.view_kpi")):
        raise PermissionRefused("forbidden", _("You may not see the plan's targets."))
    plans = plans_for(user)
    if plan in (None, "", "current"):
        chosen = default_plan(user, today)
        if chosen is None:
            raise DomainError(
                "invalid_plan", _("No plan with targets exists yet."), details={"field": "plan"}
            )
    else:
        try:
            chosen = plans.get(pk=int(plan))
        except (ValueError, TypeError, Plan.DoesNotExist) as exc:
            raise DomainError(
                "invalid_plan",
                _("No plan %(p)s with targets in your province.") % {"p": plan},
                details={"field": "plan"},
            ) from exc
    try:
        chosen_period = parse(period or f"ytd:{today.year}", today=today)
    except PeriodError as exc:
        raise DomainError("invalid_period", str(exc), details={"field": "period"}) from exc
    province = chosen.issuing_unit.province
    wide = is_province_wide(user)
    if unit and commune:
        raise DomainError(
            "invalid_unit", _("Choose a unit or a commune, not both."), details={"field": "unit"}
        )
    if unit:
        found = Unit.objects.filter(code=unit, province=province).first()
        if found is None:
            raise DomainError(
                "invalid_unit",
                _("No unit %(u)s in the province.") % {"u": unit},
                details={"field": "unit"},
            )
        if not wide and not units_in_scope(user).filter(pk=found.pk).exists():
            raise PermissionRefused("forbidden", _("That unit is outside your scope."))
        scope = Scope(province, unit=found)
    elif commune:
        found_commune = Commune.objects.filter(code=commune, province=province).first()
        if found_commune is None:
            raise DomainError(
                "invalid_commune",
                _("No commune %(c)s in the province.") % {"c": commune},
                details={"field": "commune"},
            )
        if not wide:
            raise PermissionRefused(
                "forbidden", _("Only province-wide roles see figures by commune.")
            )
        scope = Scope(province, commune=found_commune)
    elif wide:
        scope = Scope(province)
    else:
        home = _home_unit(user)
        if home is None:
            raise PermissionRefused("forbidden", _("You have no unit."))
        scope = Scope(province, unit=home)
    return Request(chosen, chosen_period, scope, wide, today)


def target_of(req: Request, target: str | int) -> Target:
    try:
        q = Q(code=str(target)) if str(target).upper().startswith("T") else Q(pk=int(target))
        return req.plan.targets.get(q)
    except (ValueError, Target.DoesNotExist) as exc:
        raise DomainError(
            "invalid_target",
            _("The plan has no target %(t)s.") % {"t": target},
            details={"field": "target"},
        ) from exc


def unit_choices(user, province: Province) -> QuerySet[Unit]:
    qs = (
        Unit.objects.current().filter(province=province)
        if is_province_wide(user)
        else (units_in_scope(user).current())
    )
    return qs.order_by("path")


def period_choices(today: date) -> list[tuple[str, str]]:
    y = today.year
    keys = [f"ytd:{y}", str(y - 1), str(y - 2), f"tk:{y}", f"tk:{y - 1}", f"ta:{y}", f"ta:{y - 1}"]
    keys += [f"{y}-Q{q}" for q in range(1, (today.month - 1) // 3 + 2)]
    keys += [f"{y}-H{h}" for h in (1, 2) if h == 1 or today.month > 6]
    keys += [f"tk:{y}-{m:02d}" for m in range(max(1, today.month - 2), today.month + 1)]
    return [(k, parse(k, today=today).name) for k in keys]
