"""Red flags (issue 21): the sweep that raises them from the rules, and their review:
assigned, noted, closed as justified or referred. Every step is in the journal."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.audit import audit_record
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.quality.models import Flag, FlagNote
from pctp.quality.rules import RULES

REVIEW = "quality.review_flag"
WIDE = {"auditor"}  # the inspectorate's auditor sees the province's flags


def may_review(user) -> bool:
    """The procuracy and the inspectorate's auditor (their role's permission), never the
    administrator by being one: flags name officers."""
    return bool(user and not user.is_superuser and user.has_perm(REVIEW))


def flag_scope(user) -> QuerySet[Flag]:
    """The procuracy sees the flags on what it supervises; the auditor (the inspectorate)
    the province's; no one else any."""
    from pctp.units.selectors import units_in_scope, user_memberships

    if not may_review(user):
        return Flag.objects.none()
    qs = Flag.objects.select_related("unit", "procuracy", "assigned_to")
    if any(m.role.code in WIDE for m in user_memberships(user)):
        provinces = {m.unit.province_id for m in user_memberships(user)}
        return qs.filter(unit__province__in=provinces)
    units = units_in_scope(user)
    return qs.filter(Q(procuracy__in=units) | Q(unit__in=units))


def flags_sweep(*, today: date | None = None, commit: bool = True) -> dict[str, int]:
    """Run every rule; raise a flag for each finding not raised before (its key). Returns
    the findings and the new flags per rule. A flag closed stays closed: the same finding
    is not raised again."""
    today = today or timezone.localdate()
    out = {}
    for code, rule in RULES.items():
        found = rule.find(today - timedelta(days=rule.window_days), today, **rule.params)
        new = 0
        for f in found:
            if Flag.objects.filter(key=f.key).exists():
                continue
            new += 1
            if commit:
                with transaction.atomic():
                    flag = Flag.objects.create(
                        rule=code, key=f.key, unit_id=f.unit_id, procuracy_id=f.procuracy_id,
                        subject=f.subject, evidence=[list(e) for e in f.evidence],
                        facts=f.facts)
                    audit_record(actor=None, action="flag.raise", obj=flag,
                                 to_state=flag.status,
                                 changes={"rule": [None, code], "evidence": [None, len(
                                     f.evidence)]})
        out[code] = {"found": len(found), "new": new}
    return out


def _lock(user, flag: Flag) -> Flag:
    if not may_review(user) or not flag_scope(user).filter(pk=flag.pk).exists():
        raise PermissionRefused("forbidden", _("You may not review this flag."))
    return Flag.objects.select_for_update().get(pk=flag.pk)


@transaction.atomic
def flag_assign(*, actor, flag: Flag, reviewer) -> Flag:
    flag = _lock(actor, flag)
    if not flag.is_open:
        raise InvalidTransition("closed", _("This flag is closed."))
    if not may_review(reviewer) or not flag_scope(reviewer).filter(pk=flag.pk).exists():
        raise DomainError("invalid", _("The reviewer must be able to see this flag."),
                          details={"reviewer": [_("Not allowed.")]})
    before = flag.status
    flag.assigned_to, flag.status = reviewer, Flag.Status.IN_REVIEW
    flag.save(update_fields=["assigned_to", "status"])
    audit_record(actor=actor, action="flag.assign", obj=flag, from_state=before,
                 to_state=flag.status, changes={"reviewer": [None, reviewer.username]})
    return flag


@transaction.atomic
def flag_note(*, actor, flag: Flag, text: str) -> FlagNote:
    flag = _lock(actor, flag)
    if not flag.is_open:
        raise InvalidTransition("closed", _("This flag is closed."))
    text = text.strip()
    if not text or len(text) > 5000:
        raise DomainError("invalid", _("Write the note (at most 5,000 characters)."),
                          details={"text": [_("Required.")]})
    note = FlagNote.objects.create(flag=flag, author=actor, text=text)
    audit_record(actor=actor, action="flag.note", obj=flag, from_state=flag.status,
                 to_state=flag.status, note=text)
    return note


@transaction.atomic
def flag_close(*, actor, flag: Flag, outcome: str, conclusion: str) -> Flag:
    """Closed as justified (the records explain it) or referred (to the inspectorate or the
    investigation of a possible offence), with the conclusion."""
    flag = _lock(actor, flag)
    if not flag.is_open:
        raise InvalidTransition("closed", _("This flag is closed."))
    if outcome not in (Flag.Status.JUSTIFIED, Flag.Status.REFERRED):
        raise DomainError("invalid", _("Close a flag as justified or referred."),
                          details={"outcome": [_("Not allowed.")]})
    if not conclusion.strip() or len(conclusion.strip()) > 5000:
        raise DomainError("invalid", _("State the conclusion (at most 5,000 characters)."),
                          details={"conclusion": [_("Required.")]})
    before = flag.status
    flag.status, flag.conclusion = outcome, conclusion.strip()
    flag.closed_at, flag.closed_by = timezone.now(), actor
    flag.save(update_fields=["status", "conclusion", "closed_at", "closed_by"])
    audit_record(actor=actor, action="flag.close", obj=flag, from_state=before,
                 to_state=flag.status, note=flag.conclusion)
    return flag
