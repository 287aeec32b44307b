"""Appeals against a first-instance judgment and the appellate court's decision (issue 21).

A party appeals within 15 days of the judgment (CPC Art. 333(1)); an appeal filed later is
entered with the reason it is late, and the appellate court decides whether to accept it
(Art. 335). The procuracy of the same level protests within 15 days, the higher procuracy
within 30 (Art. 337(1)); which one it is follows from the procurator's unit, and a protest
after its limit is refused. Each appeal belongs to the judgment it challenges. One
appellate trial decides every appeal pending against the judgment (Arts. 355-359): it
upholds, amends or annuls it; an annulment voids the findings and sends the case back to
the first-instance court for a new trial, or back to the investigation body, or ends it; a
defendant may be declared not guilty on appeal. After that decision the judgment is final:
no new appeal. A withdrawal (Art. 348) ends one appeal only. Every step is one row of the
case journal.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from pctp.cases.models import (
    CHANGED_ON_APPEAL,
    Appeal,
    Case,
    Status,
    TerminateGround,
    Verdict,
)
from pctp.cases.rules import case_deadline
from pctp.cases.services import (
    _day,
    _positions,
    _record,
    _release_all,
    _required,
    _start_clock,
    _stop_clock,
)
from pctp.cases.transitions import FLOW
from pctp.core.errors import DomainError, InvalidTransition

OUTCOME = Appeal.Outcome
# Grounds on which an appellate court ends the case (Art. 359): those of Arts. 155 and 157.
TERMINATION_GROUNDS = tuple(g for g in TerminateGround.values
                            if g != TerminateGround.LIMIT_EXPIRED)


def _fmt(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def appeal_window(case: Case, kind: str, appellant: str) -> date:
    """The last day to appeal or protest the case's judgment."""
    rule = ("protest.higher" if appellant == Appeal.Appellant.HIGHER_PROCURACY else
            "protest.same_level" if kind == Appeal.Kind.PROTEST else "appeal.judgment")
    return case_deadline(rule, start=case.judgment_on).due


def _accused(case: Case, accused_id: int | None):
    if accused_id in (None, ""):
        return None
    found = case.accused.filter(pk=accused_id).first()
    if found is None:
        raise DomainError("invalid", _("A defendant not of this case."),
                          details={"accused": [_("Choose a defendant.")]})
    return found


def _filed_day(case: Case, on: date | None) -> date:
    on = _day(on, "filed_on")
    if case.judgment_on is None:
        raise InvalidTransition("no_judgment", _("The case has no judgment to appeal (an "
                                                 "annulled judgment is appealed no more)."))
    if on < case.judgment_on:
        raise DomainError("invalid", _("An appeal is filed on or after the day of the judgment "
                                       "(%(day)s).") % {"day": _fmt(case.judgment_on)}
                          if case.judgment_on else _("The case has no judgment."),
                          details={"filed_on": [_("Not before the judgment.")]})
    return on


@transaction.atomic
def case_appeal(*, actor, case: Case, appellant: str, document_number: str, grounds: str,
                accused: int | None = None, late_reason: str = "",
                on: date | None = None) -> Appeal:
    """A party's appeal, entered by the first-instance court that received it."""
    return _file(actor, case, "appeal", Appeal.Kind.APPEAL, appellant, document_number,
                 grounds, accused, late_reason, on)


def is_higher_procuracy(actor, case: Case) -> bool:
    """The actor protests for the procuracy above the one supervising the case (the
    provincial procuracy over a regional one)."""
    from pctp.units.models import Unit
    from pctp.units.selectors import user_has_perm_in_unit

    parent = case.procuracy.parent if case.procuracy_id else None
    return parent is not None and parent.kind == Unit.Kind.PROCURACY and \
        user_has_perm_in_unit(actor, "cases.prosecute", parent)


@transaction.atomic
def case_protest(*, actor, case: Case, document_number: str, grounds: str,
                 accused: int | None = None, on: date | None = None) -> Appeal:
    """The procuracy's protest (kháng nghị), entered by the procuracy supervising the case
    or the one above it: which of the two, and so its limit, follows from the actor's unit."""
    appellant = (Appeal.Appellant.HIGHER_PROCURACY if is_higher_procuracy(actor, case)
                 else Appeal.Appellant.PROCURACY)
    return _file(actor, case, "protest", Appeal.Kind.PROTEST, appellant, document_number,
                 grounds, accused, "", on)


MAX_TEXT = 5000


def pending(case: Case):
    """The appeals not yet decided against the case's current judgment."""
    return case.appeals.filter(outcome="", judgment_on=case.judgment_on,
                               judgment_number=case.judgment_number)


def _decided_on_the_merits(case: Case) -> Appeal | None:
    return (case.appeals.filter(judgment_on=case.judgment_on,
                                judgment_number=case.judgment_number)
            .exclude(outcome="").exclude(outcome=Appeal.Outcome.WITHDRAWN).first())


def _file(actor, case, action, kind, appellant, document_number, grounds, accused_id,
          late_reason, on) -> Appeal:
    case, before, _target = FLOW.begin(case, action, actor=actor)
    parties = [a for a in Appeal.Appellant.values if not a.endswith("procuracy")]
    if kind == Appeal.Kind.APPEAL and appellant not in parties:
        raise DomainError("invalid", _("Choose who appeals."),
                          details={"appellant": [_("Choose who appeals.")]})
    on = _filed_day(case, on)
    number = _required(document_number, "document_number",
                       _("The number of the appeal or protest is required."))
    grounds = _required(grounds, "grounds", _("State what is appealed, and why."))
    if len(grounds) > MAX_TEXT or len(late_reason or "") > MAX_TEXT:
        raise DomainError("invalid", _("At most %(n)s characters.") % {"n": MAX_TEXT},
                          details={"grounds": [_("At most %(n)s characters.") % {"n": MAX_TEXT}]})
    final = _decided_on_the_merits(case)
    if final is not None:
        raise InvalidTransition("judgment_final", _(
            "The appellate court decided on this judgment on %(day)s (%(n)s): it is final, "
            "and no appeal can be entered against it.")
            % {"day": _fmt(final.decided_on), "n": final.decision_number})
    if case.appeals.filter(judgment_on=case.judgment_on, judgment_number=case.judgment_number,
                           kind=kind, document_number=number).exists():
        raise DomainError("duplicate", _("An appeal or protest with this number is already "
                                         "entered against the judgment."),
                          details={"document_number": [_("Already entered.")]})
    accused = _accused(case, accused_id)
    last = appeal_window(case, kind, appellant)
    late_reason = (late_reason or "").strip()
    if on > last:
        if kind == Appeal.Kind.PROTEST:
            raise InvalidTransition(
                "protest_late", _("The time to protest the judgment ended on %(day)s (CPC Art. "
                                  "337(1)): a protest after it cannot be entered.")
                % {"day": _fmt(last)}, details={"filed_on": [_("After %(day)s.")
                                                              % {"day": _fmt(last)}]})
        if not late_reason:
            raise DomainError(
                "appeal_late", _("The time to appeal ended on %(day)s (CPC Art. 333). State why "
                                 "the appeal is late: the appellate court decides whether to "
                                 "accept it (Art. 335).") % {"day": _fmt(last)},
                details={"late_reason": [_("Required for an appeal filed after %(day)s.")
                                         % {"day": _fmt(last)}]})
    elif late_reason:
        raise DomainError("invalid", _("The appeal is within its time: there is no delay to "
                                       "explain."), details={"late_reason": [_("Leave empty.")]})
    appeal = Appeal.objects.create(
        case=case, kind=kind, appellant=appellant, accused=accused, document_number=number,
        judgment_number=case.judgment_number, judgment_on=case.judgment_on, filed_on=on, grounds=grounds, late_reason=late_reason,
        due_date=case_deadline("appeal.trial", start=on).due, entered_by=actor)
    _record(actor, case, action, before, on=on, note=grounds,
            changes={"document_number": [None, number], "appellant": [None, appellant],
                     "defendant": [None, accused.position if accused else None],
                     "late": [None, bool(late_reason)]})
    return appeal


@transaction.atomic
def appeal_decide(*, actor, appeal: Appeal, outcome: str, decision_number: str, note: str = "",
                  reason: str = "", acquitted: list[int] | tuple[int, ...] = (),
                  ground: str = "", retrial_at: str = "court", on: date | None = None) -> Appeal:
    """The appellate court's decision on one appeal or protest.

    ``reason``: why the judgment was changed (amended or annulled only). ``acquitted``:
    defendants declared not guilty on appeal (amended). ``ground``: the ground of Art. 157
    on which a judgment annulled ends the case (Art. 359). ``retrial_at``: where an annulled
    case goes back (Art. 358): "court" for a new first-instance trial, "investigation" for a
    new investigation."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    case, before, _target = FLOW.begin(appeal.case, "decide_appeal", actor=actor)
    if appeal.outcome:
        raise InvalidTransition("decided", _("This appeal was decided on %(day)s.")
                                % {"day": _fmt(appeal.decided_on)})
    on = _day(on, "on")
    if on < appeal.filed_on:
        raise DomainError("invalid", _("%(day)s is before the appeal was filed (%(filed)s).")
                          % {"day": _fmt(on), "filed": _fmt(appeal.filed_on)},
                          details={"on": [_("Not before %(day)s.") % {"day": _fmt(appeal.filed_on)}]})
    if appeal.judgment_on != case.judgment_on or appeal.judgment_number != \
            case.judgment_number:
        raise InvalidTransition("other_judgment", _(
            "This appeal challenged an earlier judgment (%(n)s), which is no longer the "
            "case's.") % {"n": appeal.judgment_number or "—"})
    if outcome not in OUTCOME.values:
        raise DomainError("invalid", _("Choose the appellate court's decision."),
                          details={"outcome": [_("Choose the appellate court's decision.")]})
    number = _required(decision_number, "decision_number",
                       _("The number of the appellate judgment or decision is required."))
    changed = outcome in CHANGED_ON_APPEAL
    if changed and reason not in Appeal.Reason.values:
        raise DomainError("invalid", _("State why the judgment was changed."),
                          details={"reason": [_("Choose why the judgment was changed.")]})
    if not changed and reason:
        raise DomainError("invalid", _("A judgment upheld, or an appeal withdrawn, has no reason "
                                       "for a change."), details={"reason": [_("Leave empty.")]})
    acquitted = set(acquitted)
    if acquitted and outcome != OUTCOME.AMENDED:
        raise DomainError("invalid", _("A defendant is declared not guilty on appeal only when "
                                       "the judgment is amended (Art. 357)."),
                          details={"acquitted": [_("Only with an amended judgment.")]})
    if acquitted - set(case.accused.values_list("pk", flat=True)):
        raise DomainError("invalid", _("A defendant not of this case."),
                          details={"acquitted": [_("Choose a defendant.")]})
    if outcome == OUTCOME.ANNULLED_TERMINATED and ground not in TERMINATION_GROUNDS:
        raise DomainError("invalid", _("State the ground on which the case ends (CPC Art. 359, "
                                       "on the grounds of Arts. 155 and 157)."),
                          details={"ground": [_("Choose a ground.")]})
    if ground and outcome != OUTCOME.ANNULLED_TERMINATED:
        raise DomainError("invalid", _("A ground of termination goes only with a judgment "
                                       "annulled and the case terminated."),
                          details={"ground": [_("Leave empty.")]})
    if len(note) > MAX_TEXT:
        raise DomainError("invalid", _("At most %(n)s characters.") % {"n": MAX_TEXT},
                          details={"note": [_("At most %(n)s characters.") % {"n": MAX_TEXT}]})
    if outcome == OUTCOME.ANNULLED_RETRIAL and retrial_at not in ("court", "investigation"):
        raise DomainError("invalid", _("Choose where the case goes back to."),
                          details={"retrial_at": [_("Choose where the case goes back to.")]})
    changes = {"decision_number": [None, number], "outcome": [None, outcome],
               "appeal": [None, appeal.document_number]}
    if reason:
        changes["reason"] = [None, reason]
    if acquitted:
        case.accused.filter(pk__in=acquitted).update(verdict=Verdict.ACQUITTED, verdict_on=on)
        changes["acquitted"] = [None, sorted(_positions(case, acquitted))]
        released = _release_some(case, acquitted, on, number)
        if released:
            changes["released"] = [None, released]
    judgment = case.judgment_number
    if outcome in (OUTCOME.ANNULLED_TERMINATED, OUTCOME.ANNULLED_RETRIAL):
        # The judgment is void: its findings and sentences with it (the journal keeps them).
        changes["annulled"] = [judgment, None]
        changes["findings"] = [{a.position: [a.verdict, a.sentence] for a in case.accused.all()},
                               None]
        case.accused.update(verdict="", verdict_on=None, sentence="")
        case.judgment_number, case.judgment_on, case.judgment_summary = "", None, ""
        case.recovery_ordered = None
    if outcome == OUTCOME.ANNULLED_TERMINATED:
        case.status, case.status_since = Status.TERMINATED, max(on, case.status_since)
        case.terminate_ground, case.closed_on = ground, on
        _stop_clock(case)
        released = _release_all(case, on,  # i18n: data (stored note)
                                f"Trả tự do: hủy bản án, đình chỉ vụ án ở phúc thẩm ({number})")
        changes.update({"ground": [None, ground], "released": [None, released]})
    elif outcome == OUTCOME.ANNULLED_RETRIAL:
        if retrial_at == "court":
            case.status, rule = Status.AT_COURT, "trial.prepare"
        else:
            case.status, rule = Status.INVESTIGATING, "investigation"
        case.status_since, case.closed_on = max(on, case.status_since), None
        _start_clock(case, rule, on)
        changes.update({"retrial_at": [None, retrial_at], "due_date": [None, case.due_date.isoformat()]})
    # One appellate trial decides every appeal pending against the judgment; a withdrawal
    # ends its own appeal only.
    rows = [appeal] if outcome == OUTCOME.WITHDRAWN else [appeal, *Appeal.objects.filter(
        case=case, outcome="", judgment_on=appeal.judgment_on,
        judgment_number=appeal.judgment_number).exclude(pk=appeal.pk)]
    for row in rows:
        row.outcome, row.reason, row.decided_on = outcome, reason, on
        row.decision_number, row.decision_note = number, note.strip()
        row.decided_by = actor
        row.save()
    if len(rows) > 1:
        changes["appeals"] = [None, [r.document_number for r in rows]]
    case.save()
    _record(actor, case, "decide_appeal", before, on=on, note=note, changes=changes)
    return appeal


def _release_some(case: Case, accused: set[int], on: date, number: str) -> list[int]:
    from pctp.cases.services import _end_measure

    released = []
    for measure in case.measures.filter(released_on__isnull=True, accused__in=accused
                                        ).select_related("accused"):
        _end_measure(measure, max(on, measure.start_on),  # i18n: data (stored note)
                     f"Trả tự do: tuyên không phạm tội ở phúc thẩm ({number})")
        released.append(measure.accused.position)
    return released


__all__ = ["appeal_decide", "appeal_window", "case_appeal", "case_protest"]
