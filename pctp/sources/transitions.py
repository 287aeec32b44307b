"""The crime-source workflow in one place: the transitions, who may take each step, and
``source_actions``, the steps a user may take on a source now. The page offers them and
the services (pctp/sources/services.py) check the same table and the same ``who``."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctp.core.deadlines import is_overdue
from pctp.core.errors import DomainError, PermissionRefused
from pctp.core.extensions import in_time_to_ask
from pctp.core.transitions import Step, Workflow
from pctp.sources.models import OPEN_STATUSES, ReporterType, Source, Status
from pctp.units.models import Unit
from pctp.units.selectors import user_has_perm_in_unit

# The one table of permitted transitions: action -> (states it may start from, state after).
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "forward": (frozenset({Status.RECEIVED}), Status.RECEIVED),
    "classify": (frozenset({Status.RECEIVED}), Status.CLASSIFIED),
    "transfer": (frozenset({Status.RECEIVED, Status.CLASSIFIED}), Status.TRANSFERRED),
    "assign": (frozenset({Status.CLASSIFIED, Status.VERIFYING}), Status.VERIFYING),
    # The offence corrected during verification: the same state, the change journaled.
    "reclassify": (frozenset({Status.CLASSIFIED, Status.VERIFYING}), None),
    "note": (frozenset(OPEN_STATUSES), None),
    "notify": (frozenset({*OPEN_STATUSES, Status.SUSPENDED}), None),
    "extend": (frozenset({Status.VERIFYING}), Status.VERIFYING),
    "request_extension": (frozenset({Status.VERIFYING}), Status.VERIFYING),
    "refuse_extension": (frozenset({Status.VERIFYING}), Status.VERIFYING),
    "initiate": (frozenset({Status.VERIFYING}), Status.INITIATED),
    "decline": (frozenset({Status.VERIFYING}), Status.DECLINED),
    "suspend": (frozenset({Status.VERIFYING}), Status.SUSPENDED),
    "cancel_suspension": (frozenset({Status.SUSPENDED}), Status.VERIFYING),
    # The procuracy cancels an unfounded decision not to initiate and initiates the case
    # itself (CPC Arts. 153(3)(a) and 161); the investigation body then opens and investigates it.
    "cancel_decline": (frozenset({Status.DECLINED}), Status.INITIATED),
    "resume": (frozenset({Status.SUSPENDED}), Status.VERIFYING),
    "merge": (frozenset(OPEN_STATUSES), Status.MERGED),
}

FORBIDDEN = gettext_lazy("You may not take this step on a source of another unit or in this "
                         "role.")
NO_PROCURACY = gettext_lazy("No procuracy supervises this source.")
NOT_ASSIGNED = gettext_lazy("This source is not assigned to you.")
NOT_DECIDER = gettext_lazy("Only the investigator assigned or the unit's leaders decide on this "
                           "source.")

# Who may take each step: the named permission in the unit holding the source...
HOLDER_PERMS = {
    "forward": "sources.receive_source", "classify": "sources.classify_source",
    "transfer": "sources.transfer_source", "assign": "sources.assign_source",
    "note": "sources.verify_source", "notify": "sources.classify_source",
    "notify_procuracy": "sources.classify_source", "notify_reporter": "sources.classify_source",
    "merge": "sources.classify_source", "extend": "sources.extend_deadline",
    "request_extension": "sources.request_extension", "initiate": "sources.decide_source",
    "decline": "sources.decide_source", "suspend": "sources.decide_source",
    "resume": "sources.decide_source", "reclassify": "sources.decide_source",
}
# ... or in the supervising procuracy ...
PROCURACY_PERMS = {"cancel_suspension": "sources.approve_extension",
                   "cancel_decline": "sources.approve_extension",
                   "extension_decision": "sources.approve_extension"}
# ... and for these, only the investigator assigned or the holder's leaders (the refusal).
HANDLER_ONLY = {"note": NOT_ASSIGNED, "request_extension": NOT_ASSIGNED,
                "reclassify": NOT_ASSIGNED,
                "initiate": NOT_DECIDER, "decline": NOT_DECIDER, "suspend": NOT_DECIDER}


def is_handler(user, source: Source) -> bool:
    return source.assignee_id == getattr(user, "pk", None) or user_has_perm_in_unit(
        user, "sources.assign_source", source.holder)


def supervises(user, source: Source) -> bool:
    """The supervising procuracy's procurator (who may record a verification request)."""
    return bool(source.procuracy_id) and user_has_perm_in_unit(
        user, "sources.supervise_source", source.procuracy)


def who(user, source: Source, action: str) -> DomainError | None:
    """Why ``user`` may not take ``action`` on the source (None: they may)."""
    if action == "note" and supervises(user, source):
        return None
    if action in PROCURACY_PERMS:
        if source.procuracy_id is None:
            return PermissionRefused("forbidden", str(NO_PROCURACY))
        perm, unit = PROCURACY_PERMS[action], source.procuracy
    elif action == "accept_transfer":
        perm, unit = "sources.receive_source", source.transfer_target
    else:
        perm, unit = HOLDER_PERMS[action], source.holder
    if unit is None or not user_has_perm_in_unit(user, perm, unit):
        return PermissionRefused("forbidden", str(FORBIDDEN))
    if action in HANDLER_ONLY and not is_handler(user, source):
        return PermissionRefused("not_assigned", str(HANDLER_ONLY[action]))
    return None


def _invalid(source: Source, action: str) -> str:
    from pctp.core.labels import action_label

    return (_("Cannot take the step «%(step)s» while the source is «%(status)s».")
            % {"step": action_label("source." + action), "status": source.get_status_display()})


def _at_commune(source: Source) -> bool:
    return source.holder.kind == Unit.Kind.COMMUNE_POLICE


def _in_time_to_ask(source: Source) -> bool:
    """Before the limit and by the last day to ask (the service refuses otherwise, and a
    source's second extension cannot be recorded late)."""
    from pctp.sources.services import _next_extension

    today = timezone.localdate()
    if is_overdue(source.due_date, today):
        return False
    try:
        return in_time_to_ask(_next_extension(source).request_by, today)
    except DomainError:
        return False


def _pending(source: Source) -> bool:
    return source.extension_requests.filter(state="pending").exists()


# The steps a user may be offered, with the conditions on the source beyond its state
# (the services refuse the same cases, each with its own reason).
STEPS: dict[str, Step] = {
    "forward": Step(when=lambda s, _c: _at_commune(s)),
    "accept_transfer": Step(states=frozenset({Status.TRANSFERRED}),
                            when=lambda s, _c: s.transferred_to_id is None
                            and s.transfer_target_id is not None),
    "classify": Step(when=lambda s, _c: not _at_commune(s)),
    "reclassify": Step(when=lambda s, _c: s.offence_id is not None),
    "transfer": Step(),
    "assign": Step(),
    "note": Step(),
    "merge": Step(),
    "notify_procuracy": Step("notify", when=lambda s, _c: not s.procuracy_notified_at),
    "notify_reporter": Step("notify", when=lambda s, _c: not s.reporter_notified_at
                            and s.reporter_type != ReporterType.ANONYMOUS),
    "extend": Step(when=lambda s, _c: s.extensions == 0 and s.clock_rule == "source.resolve"),
    "request_extension": Step(when=lambda s, _c: s.extensions == 1 and _in_time_to_ask(s)
                              and not _pending(s)),
    "extension_decision": Step("refuse_extension", when=lambda s, _c: _pending(s)),
    "initiate": Step(),
    "decline": Step(),
    "suspend": Step(when=lambda s, _c: is_overdue(s.due_date, timezone.localdate())),
    "cancel_suspension": Step(),
    "cancel_decline": Step(),
    "resume": Step(),
}

FLOW = Workflow(model=Source, audit_prefix="source", table=TRANSITIONS, steps=STEPS, who=who,
                invalid=_invalid, not_found=gettext_lazy("Source not found."),
                related=("holder", "unit", "procuracy"))


def may_attach(user, source: Source) -> bool:
    """Documents are added by the holder's intake or the investigator handling the source,
    while it is the holder's (not transferred or merged away)."""
    if source.status in (Status.TRANSFERRED, Status.MERGED):
        return False
    return (user_has_perm_in_unit(user, "sources.receive_source", source.holder)
            or (user_has_perm_in_unit(user, "sources.verify_source", source.holder)
                and is_handler(user, source)))


def source_actions(user, source: Source) -> set[str]:
    """The steps ``user`` may take on the source now (the page's buttons); the service
    checks again, with the reason when it refuses."""
    return FLOW.actions(user, source)
