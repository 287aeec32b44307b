"""The criminal-case workflow in one place: the transitions, the agency that holds the file
in each state, who may take each step, and ``case_actions``, the steps a user may take on a
case now. The page offers them and the services (pctp/cases/services.py) check the same
table and the same ``who``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctp.cases.models import Case, Status
from pctp.cases.rules import REQUESTED_RULES
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.extensions import in_time_to_ask
from pctp.core.transitions import Step, Workflow
from pctp.units.models import Unit
from pctp.units.selectors import user_has_perm_in_unit

S = Status
ALL_STATES = frozenset(Status.values)
OPEN_STATES = ALL_STATES - {S.TERMINATED}

# The one table of permitted transitions: action -> (states it may start from, state after;
# None keeps the state).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "assign": (frozenset({S.INVESTIGATING, S.SUSPENDED, S.RETURNED}), None),
    "add_accused": (frozenset({S.INVESTIGATING}), None),
    "charge": (frozenset({S.INVESTIGATING}), None),
    "set_lead": (frozenset({S.INVESTIGATING}), None),
    "detect": (OPEN_STATES, None),
    "request_extension": (frozenset({S.INVESTIGATING}), None),
    "extend": (frozenset({S.INVESTIGATING, S.AT_PROCURACY, S.AT_COURT}), None),
    "refuse_extension": (frozenset({S.INVESTIGATING}), None),
    "suspend": (frozenset({S.INVESTIGATING}), S.SUSPENDED),
    "resume": (frozenset({S.SUSPENDED}), S.INVESTIGATING),
    "conclude": (frozenset({S.INVESTIGATING}), S.SENT_TO_PROCURACY),
    "terminate": (frozenset({S.INVESTIGATING, S.SUSPENDED, S.AT_PROCURACY,
                             S.PROSECUTION_SUSPENDED}), S.TERMINATED),
    "receive": (frozenset({S.SENT_TO_PROCURACY}), S.AT_PROCURACY),
    "indict": (frozenset({S.AT_PROCURACY}), S.SENT_TO_COURT),
    "return_for_investigation": (frozenset({S.AT_PROCURACY, S.AT_COURT, S.COMMITTED,
                                            S.TRIAL_OPEN}), S.RETURNED),
    "receive_returned": (frozenset({S.RETURNED}), S.INVESTIGATING),
    "prosecution_suspend": (frozenset({S.AT_PROCURACY}), S.PROSECUTION_SUSPENDED),
    "prosecution_resume": (frozenset({S.PROSECUTION_SUSPENDED}), S.AT_PROCURACY),
    "accept": (frozenset({S.SENT_TO_COURT}), S.AT_COURT),
    "commit_to_trial": (frozenset({S.AT_COURT}), S.COMMITTED),
    "open_trial": (frozenset({S.COMMITTED}), S.TRIAL_OPEN),
    "judgment": (frozenset({S.TRIAL_OPEN}), S.JUDGED),
    # Against the first-instance judgment; the appellate decision moves the case itself
    # (annulled: back to the court or the investigation body, or terminated).
    "appeal": (frozenset({S.JUDGED}), None),
    "protest": (frozenset({S.JUDGED}), None),
    "decide_appeal": (frozenset({S.JUDGED}), None),
    "order_measure": (frozenset({S.INVESTIGATING, S.AT_PROCURACY, S.AT_COURT, S.COMMITTED,
                                 S.TRIAL_OPEN}), None),
    "set_value": (OPEN_STATES, None),
    "record_recovery": (ALL_STATES, None),
}

# The agency that holds the file in each state: the only one whose users may act in it.
STAGE_AGENCY: dict[str, str | None] = {
    S.INVESTIGATING: "investigation", S.SUSPENDED: "investigation", S.RETURNED: "investigation",
    S.SENT_TO_PROCURACY: "procuracy", S.AT_PROCURACY: "procuracy",
    S.PROSECUTION_SUSPENDED: "procuracy",
    S.SENT_TO_COURT: "court", S.AT_COURT: "court", S.COMMITTED: "court", S.TRIAL_OPEN: "court",
    S.JUDGED: "court", S.TERMINATED: None,
}
AGENCY_PERM = {"investigation": ("cases.investigate", "investigation_body"),
               "procuracy": ("cases.prosecute", "procuracy"),
               "court": ("cases.try_case", "court")}

# Why a step is refused in the wrong stage, in words an official recognises.
REASONS = {
    "judgment": gettext_lazy("A judgment is delivered only after the trial has opened."),
    "open_trial": gettext_lazy("The trial opens only after the decision to commit the case for "
                               "trial."),
    "commit_to_trial": gettext_lazy("The court must accept the case before committing it for "
                                    "trial."),
    "indict": gettext_lazy("The procuracy indicts only once it has received the file and the "
                           "investigation conclusion."),
    "accept": gettext_lazy("The court accepts a case only once the procuracy has sent the file "
                           "and the indictment."),
    "receive": gettext_lazy("The procuracy receives the file only once the investigation body "
                            "has sent the investigation conclusion."),
    "conclude": gettext_lazy("The investigation is concluded only while the case is under "
                             "investigation."),
    "receive_returned": gettext_lazy("No returned file is awaiting the investigation body."),
}

# What each step is called in a refusal ("cannot <step> while the case is <stage>").
STEP_NAMES = {
    "assign": gettext_lazy("assign an investigator"),
    "add_accused": gettext_lazy("initiate proceedings against an accused"),
    "charge": gettext_lazy("add a charge"),
    "set_lead": gettext_lazy("name the lead accused"),
    "detect": gettext_lazy("record the offender identified"),
    "request_extension": gettext_lazy("request an extension of the investigation"),
    "extend": gettext_lazy("extend the time limit"),
    "refuse_extension": gettext_lazy("refuse the extension"),
    "suspend": gettext_lazy("suspend the investigation"),
    "resume": gettext_lazy("resume the investigation"),
    "conclude": gettext_lazy("conclude the investigation and recommend prosecution"),
    "terminate": gettext_lazy("terminate the case"),
    "receive": gettext_lazy("receive the file (procuracy)"),
    "indict": gettext_lazy("indict"),
    "return_for_investigation": gettext_lazy("return the file for supplementary investigation"),
    "receive_returned": gettext_lazy("take back the file returned for supplementary "
                                     "investigation"),
    "prosecution_suspend": gettext_lazy("suspend the case (procuracy)"),
    "prosecution_resume": gettext_lazy("resume the case (procuracy)"),
    "accept": gettext_lazy("accept the case for trial"),
    "commit_to_trial": gettext_lazy("commit the case for trial"),
    "open_trial": gettext_lazy("open the trial"),
    "judgment": gettext_lazy("deliver the judgment"),
    "appeal": gettext_lazy("record an appeal"),
    "protest": gettext_lazy("protest the judgment"),
    "decide_appeal": gettext_lazy("record the appellate decision"),
    "order_measure": gettext_lazy("order custody or detention"),
    "set_value": gettext_lazy("record the value of the damage"),
    "record_recovery": gettext_lazy("record an asset recovery"),
}


PROCURACY_MAX_RETURNS = 2  # CPC Art. 174(2)

FORBIDDEN = gettext_lazy("You may not take this step: the case is at another agency's stage, "
                         "or belongs to another unit.")
NOT_ASSIGNED = gettext_lazy("Only the investigator assigned or the head of the investigation "
                            "body may take this step.")
NOT_INVOLVED = gettext_lazy("You take no part in handling this case.")

# Who may take each step. By default the agency holding the file (CQĐT, VKS or Tòa án:
# ``stage_unit``); in the investigation, for these, only the investigator assigned or the
# head of the body (``is_handler``) ...
HANDLER_ONLY = {"add_accused", "charge", "set_lead", "request_extension", "suspend",
                "conclude", "terminate"}
# ... these: a named permission in one of the case's units, whatever the stage ...
UNIT_PERMS = {"assign": ("cases.assign_case", "investigation_body"),
              "detect": ("cases.investigate", "investigation_body"),
              "extension_decision": ("cases.prosecute", "procuracy"),
              "protest": ("cases.prosecute", "procuracy")}
# ... and these: any agency that takes part in the case.
ANY_AGENCY = {"set_value", "record_recovery", "release"}


def stage_unit(case: Case) -> tuple[str, Unit | None] | None:
    agency = STAGE_AGENCY[case.status]
    if agency is None:
        return None
    perm, attr = AGENCY_PERM[agency]
    return perm, getattr(case, attr)


def is_handler(user, case: Case) -> bool:
    return case.investigator_id == getattr(user, "pk", None) or user_has_perm_in_unit(
        user, "cases.assign_case", case.investigation_body)


def involved(user, case: Case) -> bool:
    return any(unit is not None and user_has_perm_in_unit(user, perm, unit)
               for perm, unit in ((p, getattr(case, attr)) for p, attr in AGENCY_PERM.values()))


def appellate_court(case: Case) -> Unit | None:
    """The court that tries an appeal against the case's judgment (CPC Art. 344): the
    provincial court above a regional court. The provincial court's own judgments go to the
    High People's Court, outside the province: the provincial court enters its decision."""
    court = case.court
    if court is None:
        return None
    parent = court.parent
    if court.kind == Unit.Kind.REGIONAL_COURT and parent is not None \
            and parent.kind == Unit.Kind.COURT:
        return parent
    return court


def who(user, case: Case, action: str) -> DomainError | None:
    """Why ``user`` may not take ``action`` on the case (None: they may)."""
    if action == "decide_appeal":
        unit = appellate_court(case)
        ok = unit is not None and user_has_perm_in_unit(user, "cases.try_case", unit)
        return None if ok else PermissionRefused("forbidden", str(FORBIDDEN))
    if action in ANY_AGENCY:
        return None if involved(user, case) else PermissionRefused("forbidden", str(NOT_INVOLVED))
    if action in UNIT_PERMS:
        perm, attr = UNIT_PERMS[action]
        unit = getattr(case, attr)
        ok = unit is not None and user_has_perm_in_unit(user, perm, unit)
        return None if ok else PermissionRefused("forbidden", str(FORBIDDEN))
    owner = stage_unit(case)
    if owner is None:
        return InvalidTransition("closed", _("The case is closed."), details={"state": case.status})
    perm, unit = owner
    if unit is None or not user_has_perm_in_unit(user, perm, unit):
        return PermissionRefused("forbidden", str(FORBIDDEN))
    if action in HANDLER_ONLY and STAGE_AGENCY[case.status] == "investigation" \
            and not is_handler(user, case):
        return PermissionRefused("not_assigned", str(NOT_ASSIGNED))
    return None


def _invalid(case: Case, action: str) -> str:
    reason = REASONS.get(action, "")
    return (_("Cannot %(step)s while the case is at the stage «%(stage)s».")
            % {"step": STEP_NAMES.get(action, action), "stage": case.get_status_display()}
            + (f" {reason}" if reason else ""))


# The conditions on the case beyond its state under which a step is offered (the services
# refuse the same cases, each with its own reason). ``c``: what the page fetched already
# (the accused, the measures), else fetched here once.

def _accused(case: Case, c: dict) -> list:
    if c.get("accused") is None:
        c["accused"] = list(case.accused.order_by("position"))
    return c["accused"]


def _active(case: Case, c: dict) -> list:
    if c.get("measures") is None:
        c["measures"] = list(case.measures.all())
    return [m for m in c["measures"] if m.active]


def _clock(case: Case, c: dict):
    """The running stage clock, computed once per page (None when no clock runs)."""
    if "clock" not in c:
        from pctp.cases.services import case_clock

        c["clock"] = case_clock(case)
    return c["clock"]


def _can_extend(case: Case, c: dict) -> bool:
    return _clock(case, c) is not None and _clock(case, c).can_extend


def _request_in_time(case: Case, c: dict) -> bool:
    """Not in the days between the last day to ask (10 days before the limit) and the limit
    itself: the service refuses a request then, and only a limit already past may be
    recorded late (CPC Art. 172(2))."""
    from django.utils import timezone

    from pctp.core.deadlines import is_overdue

    today = timezone.localdate()
    clock = _clock(case, c)
    return (is_overdue(case.due_date, today) if case.due_date else False) or (
        clock is not None and in_time_to_ask(clock.request_by, today))


def _pending(case: Case) -> bool:
    return case.extensions.filter(state="pending").exists()


def _may_return(case: Case, _c: dict) -> bool:
    """The procuracy returns a file at most twice; the presiding judge once and the trial
    panel once (CPC Art. 174(2))."""
    if STAGE_AGENCY[case.status] == "procuracy":
        return case.procuracy_returns < PROCURACY_MAX_RETURNS
    return not (case.panel_returns if case.status == S.TRIAL_OPEN else case.judge_returns)


STEPS: dict[str, Step] = {
    "assign": Step(),
    "add_accused": Step(),
    "charge": Step(when=lambda case, c: bool(_accused(case, c))),
    "set_lead": Step(when=lambda case, c: len(_accused(case, c)) > 1),
    "conclude": Step(when=lambda case, c: bool(_accused(case, c))),
    "order_measure": Step(when=lambda case, c: bool(_accused(case, c))),
    "suspend": Step(),
    "resume": Step(),
    "terminate": Step(),
    "detect": Step(),
    "request_extension": Step(when=lambda case, c: case.clock_rule in REQUESTED_RULES
                              and _can_extend(case, c) and _request_in_time(case, c)
                              and not _pending(case)),
    "extension_decision": Step("refuse_extension", when=lambda case, _c: _pending(case)),
    "extend": Step(when=lambda case, c: case.status != S.INVESTIGATING
                   and _can_extend(case, c)),
    "receive_returned": Step(),
    "receive": Step(),
    "indict": Step(),
    "return_for_investigation": Step(when=_may_return),
    "prosecution_suspend": Step(),
    "prosecution_resume": Step(),
    "accept": Step(),
    "commit_to_trial": Step(),
    "open_trial": Step(),
    "judgment": Step(),
    "appeal": Step(),
    "protest": Step(),
    "decide_appeal": Step(when=lambda case, _c: case.appeals.filter(outcome="").exists()),
    "release": Step(states=ALL_STATES, when=lambda case, c: bool(_active(case, c))),
    "measure_request_extension": Step(states=ALL_STATES,
                                      when=lambda case, c: bool(_active(case, c))),
    "set_value": Step(),
    "record_recovery": Step(),
}

FLOW = Workflow(model=Case, audit_prefix="case", table=TRANSITIONS, steps=STEPS, who=who,
                invalid=_invalid, not_found=gettext_lazy("Case not found."),
                related=("investigation_body", "procuracy", "court"))


def case_actions(user, case: Case, *, accused: list | None = None,
                 measures: list | None = None) -> set[str]:
    """The steps ``user`` may take on the case now (the page's actions); the service
    checks again, with the reason when it refuses. ``accused`` and ``measures``: the
    case's, when the caller has them already."""
    return FLOW.actions(user, case, {"accused": accused, "measures": measures})
