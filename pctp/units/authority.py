"""Who may grant an extension: the level of the deciding procuracy against the rule.

The law names a level for each extension (Arts. 147, 172(5), 173(3) and their 2025
versions, pctp.law.timelimits): the supervising procuracy, or the provincial one, or the
Supreme People's Procuracy. A procuracy may grant what its own level or a lower one may
grant. The supervising procuracy may also record, with its number, a decision taken by a
higher procuracy that does not use this system (the Supreme People's Procuracy); the
decision is then recorded as that level's, never as its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from pctp.core.errors import DomainError, PermissionRefused
from pctp.law.timelimits import PROCURACY_LEVELS, procuracy_level_required
from pctp.units.models import Unit
from pctp.units.selectors import user_has_perm_in_unit

UNIT_LEVEL = {Unit.Kind.REGIONAL_PROCURACY: "regional", Unit.Kind.PROCURACY: "provincial"}
LEVEL_NAMES = {"district": gettext_lazy("district procuracy"),
               "regional": gettext_lazy("regional procuracy"),
               "provincial": gettext_lazy("provincial-level procuracy"),
               "supreme": gettext_lazy("Supreme People's Procuracy")}


@dataclass(frozen=True)
class Grant:
    unit: Unit  # the procuracy through which the actor decides
    level: str  # the level whose decision this is
    document: str  # the higher procuracy's decision number, when recorded for it


def _in_words(granted_by: str | None, level: str) -> str:
    """Who grants, as the law words it (in Vietnamese) for a Vietnamese reader; the level's
    name in the reader's language otherwise (no Vietnamese phrase in an English sentence)."""
    if granted_by and (get_language() or "vi").startswith("vi"):
        return granted_by
    return str(LEVEL_NAMES[level])


def _acting_units(actor, supervising: Unit, perm: str) -> list[Unit]:
    """The supervising procuracy, and the provincial procuracy of its province, where the
    actor holds ``perm``; the highest level first."""
    candidates = [supervising]
    if supervising.kind != Unit.Kind.PROCURACY:
        candidates += list(Unit.objects.current().filter(kind=Unit.Kind.PROCURACY,
                                                         province=supervising.province_id))
    units = [u for u in candidates if user_has_perm_in_unit(actor, perm, u)]
    return sorted(units, key=lambda u: -PROCURACY_LEVELS[UNIT_LEVEL[u.kind]])


def check_grant(actor, *, supervising: Unit, authority: str | None, granted_by: str,
                perm: str, provincial_body: bool = True, granted_level: str = "",
                authority_document: str = "") -> Grant:
    """The grant this actor may make, or a refusal naming the authority the law requires.

    ``granted_level``/``authority_document``: a decision of a higher procuracy (the
    supreme one) recorded by the actor's own."""
    units = _acting_units(actor, supervising, perm)
    if not units:
        raise PermissionRefused("forbidden", _("You do not belong to the procuracy competent "
                                               "for this."))
    unit = units[0]
    need = procuracy_level_required(authority or "", provincial_body=provincial_body)
    own = UNIT_LEVEL[unit.kind]
    if need is None or PROCURACY_LEVELS[own] >= PROCURACY_LEVELS[need]:
        return Grant(unit=unit, level=own, document="")
    higher = (granted_level or "").strip()
    document = (authority_document or "").strip()
    # Only the Supreme People's Procuracy's decision is recorded on its behalf: it does not
    # use this system. A provincial procuracy does, and decides itself.
    if higher == "supreme" and PROCURACY_LEVELS["supreme"] >= PROCURACY_LEVELS[need]:
        if not document:
            raise DomainError("authority_document_required",
                              _("Give the number of the extension decision of the %(level)s.")
                              % {"level": LEVEL_NAMES[higher]},
                              details={"authority_document": [_("Required.")]})
        return Grant(unit=unit, level=higher, document=document)
    raise PermissionRefused(
        "wrong_level",
        _("This extension is for %(authority)s to grant; the %(own)s may not decide it. If the "
          "%(needed)s has decided, record that decision's number.")
        % {"authority": _in_words(granted_by, need), "own": LEVEL_NAMES[own],
           "needed": LEVEL_NAMES[need]},
        details={"required_level": need, "level": own})
