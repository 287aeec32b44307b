"""Every step of a criminal case: one function, one permitted transition, one audit row,
inside one transaction with the case's row locked (ARCHITECTURE.md 2–4).

Each step carries the date of its decision (`on`, default today): decisions are often
entered after the paper was signed, and the clocks run from the decision, not the typing.
A step cannot be dated in the future nor before the step that put the case where it is.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctp.cases.models import (
    Accused,
    Case,
    Charge,
    CriminalGroup,
    DetectionMethod,
    Extension,
    GroupMember,
    Measure,
    MeasureExtension,
    Origin,
    Recovery,
    Referral,
    Sex,
    SuspendGround,
    TerminateGround,
    Verdict,
)
from pctp.cases.rules import REQUESTED_RULES, case_deadline
from pctp.cases.transitions import (
    AGENCY_PERM,
    FLOW,
    FORBIDDEN,
    PROCURACY_MAX_RETURNS,
    STAGE_AGENCY,
    S,
)
from pctp.core.audit import access_records, audit_record
from pctp.core.crypto import blind_index, decrypt_json, encrypt_json
from pctp.core.deadlines import end_of_day, is_overdue
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.extensions import extension_decided, extension_request, in_time_to_ask, lock_pending
from pctp.core.idempotency import conflict, scoped
from pctp.core.identity import PersonalIdError, parse_personal_id
from pctp.core.transitions import require_perm
from pctp.law.jurisdiction import PROVINCIAL, REGIONAL, court_level
from pctp.law.jurisdiction import reason as jurisdiction_reason
from pctp.law.models import Offence, OffenceClause
from pctp.law.penal import NotInForce, applicable
from pctp.law.selectors import fold
from pctp.law.severity import Charge as LawCharge
from pctp.law.severity import lead_charge
from pctp.law.timelimits import LawError
from pctp.units.authority import Grant, check_grant
from pctp.units.models import Commune, Unit
from pctp.units.selectors import user_has_perm_in_unit

SUPPLEMENTARY_RULE = {"procuracy": "investigation.supplementary.procuracy",
                      "court": "investigation.supplementary.court"}


@dataclass(frozen=True)
class ChargeInput:
    article: str
    clause: int | None = None


@dataclass(frozen=True)
class Person:
    name: str
    sex: str
    personal_id: str = ""
    birth_date: date | None = None
    residence: str = ""


# ----------------------------------------------------------------------------- helpers

def _require(actor, perm: str, unit: Unit | None) -> None:
    require_perm(actor, perm, unit, str(FORBIDDEN))


def _vi(label) -> str:
    """A choice's label in Vietnamese, for a note stored in the journal (data, one language
    whoever enters it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)


def _record(actor, case: Case, action: str, before: str, *, on: date | None = None,
            note: str = "", changes: dict[str, Any] | None = None) -> None:
    changes = dict(changes or {})
    if on is not None:
        changes["on"] = [None, on.isoformat()]
    FLOW.record(actor, case, action, before, note=note[:1000], changes=changes)


def _day(on: date | None, field: str = "on") -> date:
    today = timezone.localdate()
    on = on or today
    if isinstance(on, datetime):
        on = timezone.localtime(on).date()
    if on > today:
        raise DomainError("invalid", _("A date cannot be in the future."),
                          details={field: [_("%(day)s is in the future.")
                                           % {"day": f"{on:%d/%m/%Y}"}]})
    return on


def _step_day(case: Case, on: date | None, field: str = "on") -> date:
    on = _day(on, field)
    if on < case.status_since:
        since = f"{case.status_since:%d/%m/%Y}"
        raise DomainError("invalid", _("%(day)s is before the day of the previous step "
                                       "(%(since)s).") % {"day": f"{on:%d/%m/%Y}", "since": since},
                          details={field: [_("Not before %(day)s.") % {"day": since}]})
    return on


def _required(value: str, field: str, message: str) -> str:
    if not (value or "").strip():
        raise DomainError("invalid", message, details={field: [_("Required.")]})
    return value.strip()


def _move(case: Case, target: str | None, on: date) -> None:
    if target is not None and target != case.status:
        case.status = target
        case.status_since = on


def _start_clock(case: Case, rule: str, start: date, *, force_majeure: bool = False) -> None:
    case.clock_rule = rule
    case.clock_start = start
    case.clock_extensions = 0
    case.force_majeure = force_majeure
    _recompute_due(case)


def _stop_clock(case: Case) -> None:
    case.clock_rule = ""
    case.clock_start = None
    case.clock_extensions = 0
    case.force_majeure = False
    case.due_date = None


def case_clock(case: Case, *, extensions: int | None = None, decided_on: date | None = None):
    """The Deadline of the running stage clock (None when no clock runs); ``decided_on``
    names who grants its next extension on that day."""
    if not case.clock_rule:
        return None
    try:
        return case_deadline(case.clock_rule, start=case.clock_start, severity=case.severity or None,
                             extensions=case.clock_extensions if extensions is None else extensions,
                             force_majeure=case.force_majeure, decided_on=decided_on,
                             national_security=case.crime_group == "national_security")
    except LawError as exc:
        raise InvalidTransition(exc.code, str(exc), details=exc.details) from None


def _recompute_due(case: Case) -> None:
    result = case_clock(case)
    case.due_date = result.due if result else None


def resolve_charge(article: str, clause: int | None, act_on: date | None = None
                   ) -> tuple[Offence, OffenceClause]:
    """The Penal Code article and clause, or a refusal naming what is unknown, or what was
    not yet an offence on the day of the act (PC Art. 7: no retroactivity)."""
    article = str(article or "").strip().lower()
    offence = Offence.objects.filter(article=article, is_offence=True, repealed=False).first()
    if offence is None:
        raise DomainError("unknown_offence",
                          _("There is no offence at Art. %(article)s PC.") % {"article": article},
                          details={"article": [_("Art. %(article)s does not exist or has been "
                                                 "repealed.") % {"article": article}]})
    if clause is None:
        row = offence.clauses.filter(preparation=False).order_by("clause").first()
    else:
        row = OffenceClause.objects.filter(offence=offence, clause=clause).first()
    if row is None:
        message = (_("Art. %(article)s has no clause %(clause)s.")
                   % {"article": offence.article, "clause": clause})
        raise DomainError("unknown_clause", message, details={"clause": [message]})
    if act_on is not None and not offence.in_force_on(act_on):
        since = offence.in_force_from
        raise DomainError(
            "not_in_force",
            _("Art. %(article)s PC (%(title)s) is in force from %(since)s; an act of %(day)s "
              "is not prosecuted under it (PC Art. 7: a law making a new offence does not "
              "apply to earlier acts).")
            % {"article": offence.article, "title": offence.title,
               "since": f"{since:%d/%m/%Y}", "day": f"{act_on:%d/%m/%Y}"},
            details={"article": [_("Not in force on %(day)s.") % {"day": f"{act_on:%d/%m/%Y}"}]})
    return offence, row


def _recompute_lead(case: Case) -> None:
    """The GSO rule over every charge of the case: the most serious; ties to the lowest
    article (DOMAIN.md §1). The crime group is the lead article's group on initiation."""
    rows = list(case.charges.select_related("offence", "clause"))
    by_key = {(r.offence.article, r.clause.clause): r for r in rows}
    lead = lead_charge(LawCharge(r.offence.article, r.clause.clause, r.severity) for r in rows)
    if lead is None:
        return
    row = by_key[(lead.article, lead.clause)]
    group = row.offence.group_on(case.initiated_on)
    case.lead_offence, case.lead_clause = row.offence, row.clause
    case.severity = row.severity
    case.crime_group = group.group if group else ""


def _open_referral(case: Case, kinds: tuple[str, ...]) -> Referral | None:
    return (case.referrals.filter(kind__in=kinds, closed_on__isnull=True)
            .order_by("-sent_on", "-id").first())


def _close_referral(case: Case, kinds: tuple[str, ...], on: date, outcome: str) -> None:
    referral = _open_referral(case, kinds)
    if referral is not None:
        referral.closed_on = on
        referral.outcome = outcome
        referral.save(update_fields=["closed_on", "outcome"])


def _procuracy_for(commune: Commune | None, body: Unit) -> Unit | None:
    if commune is not None:
        regional = Unit.objects.current().filter(kind=Unit.Kind.REGIONAL_PROCURACY,
                                                 communes=commune).first()
        if regional:
            return regional
    return Unit.objects.current().filter(kind=Unit.Kind.PROCURACY,
                                         province=body.province).first()


def case_brackets(case: Case, on: date) -> list[tuple[str, str, str, float | None, str]]:
    """Each charge's bracket as applied to an act of ``case.occurred_on`` decided on
    ``on`` (PC Art. 7: the law of the act, or a lighter one since)."""
    out = []
    for charge in case.charges.select_related("offence", "clause").prefetch_related(
            "clause__versions"):
        versions = list(charge.clause.versions.all())
        try:
            v = applicable(versions, act_on=case.occurred_on, judged_on=on) if versions else None
        except NotInForce:
            v = None
        bracket = v or charge.clause
        years = float(bracket.max_years) if bracket.max_years is not None else None
        out.append((charge.offence.article, charge.offence.chapter, bracket.max_penalty, years,
                    charge.severity))
    return out


def court_level_for(case: Case, on: date | None = None) -> str:
    on = on or timezone.localdate()
    return court_level(case_brackets(case, on), on=on)


def court_for(case: Case, on: date | None = None) -> Unit | None:
    """The first-instance court by Art. 268 in force on ``on``: the regional court of the
    place of the offence for brackets up to 20 years, the provincial court above."""
    if court_level_for(case, on) == REGIONAL and case.commune_id is not None:
        regional = Unit.objects.current().filter(kind=Unit.Kind.REGIONAL_COURT,
                                                 communes=case.commune_id).first()
        if regional:
            return regional
    return Unit.objects.current().filter(kind=Unit.Kind.COURT,
                                         province=case.investigation_body.province).first()


def _check_court(case: Case, court: Unit, on: date) -> None:
    """A regional court may not try a case above its jurisdiction, nor one outside its
    communes; the provincial court may try any (Art. 268(2)(b))."""
    level = court_level_for(case, on)
    if court.kind == Unit.Kind.REGIONAL_COURT:
        if level == PROVINCIAL:
            raise DomainError("wrong_court",
                              _("The provincial people's court tries this case at first "
                                "instance (%(reason)s).")
                              % {"reason": jurisdiction_reason(level, on=on)},
                              details={"court": [_("Choose the provincial people's court.")]})
        if case.commune_id and not court.communes.filter(pk=case.commune_id).exists():
            raise DomainError("wrong_court", _("This regional people's court has no "
                                               "territorial jurisdiction over the place of the "
                                               "crime."),
                              details={"court": [_("Choose the court where the crime was "
                                                   "committed.")]})
    elif court.province_id != case.investigation_body.province_id:
        raise DomainError("wrong_court", _("The court is not in the case's province."),
                          details={"court": [_("Choose a court of the province.")]})


# ----------------------------------------------------------------------------- initiate

@transaction.atomic
def case_initiate(*, actor, investigation_body: Unit, decision_number: str, summary: str,
                  charges: list[ChargeInput], initiated_on: date | None = None,
                  origin: str = Origin.IN_FLAGRANTE, occurred_at: datetime | None = None,
                  commune: Commune | None = None, address: str = "", lat: float | None = None,
                  lon: float | None = None, procuracy: Unit | None = None, investigator=None,
                  source=None, client_token: str | None = None) -> Case:
    """Decision to initiate a criminal case (CPC Arts. 143, 153): from a crime source, or
    directly when the offender is caught in the act, detected or surrenders."""
    _require(actor, "cases.investigate", investigation_body)
    client_token = scoped(actor, "case", client_token)
    if client_token:
        existing = Case.objects.filter(client_token=client_token).first()
        if existing is not None:  # a double-submitted form opens one case
            if existing.summary != summary.strip() and summary.strip():
                raise conflict("case")
            return existing
    initiated_on = _day(initiated_on, "initiated_on")
    errors: dict[str, list[str]] = {}
    commune_police = investigation_body.kind == Unit.Kind.COMMUNE_POLICE
    if commune_police:
        # Only the chief or deputy the head of the provincial body assigned (Law 99/2025).
        _require(actor, "cases.investigate_commune", investigation_body)
        errors.update(_commune_power_errors(investigation_body, commune, initiated_on, charges))
    elif investigation_body.kind != Unit.Kind.INVESTIGATION_BODY:
        errors["investigation_body"] = [_("Only an investigation body, or a commune police "
                                          "chief assigned, initiates a case.")]
    if origin not in Origin.values:
        errors["origin"] = [_("Invalid ground for initiation.")]
    if not decision_number.strip():
        errors["decision_number"] = [_("The number of the decision to initiate the case is "
                                       "required.")]
    if not summary.strip():
        errors["summary"] = [_("A summary of the case is required.")]
    if occurred_at is not None and timezone.localtime(occurred_at).date() > initiated_on:
        errors["occurred_at"] = [_("The time it happened cannot be after the day of "
                                   "initiation.")]
    if commune is not None and commune.province_id != investigation_body.province_id:
        errors["commune"] = [_("The commune is not in the investigation body's province.")]
    if (lat is None) != (lon is None) or (lat is not None and not (-90 <= lat <= 90
                                                                   and -180 <= lon <= 180)):
        errors["lat"] = [_("Invalid coordinates.")]
    if not charges:
        errors["charges"] = [_("The decision to initiate must name at least one charge.")]
    procuracy = procuracy or _procuracy_for(commune, investigation_body)
    if investigator is None and getattr(actor, "is_authenticated", False) \
            and not actor.is_superuser:
        investigator = actor  # whoever opens the case handles it until the head assigns
    if procuracy is None or procuracy.kind not in (Unit.Kind.PROCURACY,
                                                   Unit.Kind.REGIONAL_PROCURACY):
        errors["procuracy"] = [_("A procuracy must supervise the investigation.")]
    if investigator is not None and not user_has_perm_in_unit(investigator, "cases.investigate",
                                                              investigation_body):
        errors["investigator"] = [_("The person assigned is not an investigator of the "
                                    "body.")]
    if errors:
        raise DomainError("invalid", _("The initiation data are not valid."), details=errors)
    act_on = timezone.localtime(occurred_at).date() if occurred_at else initiated_on
    resolved = [resolve_charge(c.article, c.clause, act_on) for c in charges]

    body = Unit.objects.select_for_update().get(pk=investigation_body.pk)  # serialises numbering
    year = initiated_on.year
    last = (Case.objects.filter(investigation_body=body, register_year=year)
            .aggregate(n=Max("register_number"))["n"] or 0)
    occurred_on = timezone.localtime(occurred_at).date() if occurred_at else initiated_on
    case = Case(
        investigation_body=body, register_year=year, register_number=last + 1,
        procuracy=procuracy, investigator=investigator, source=source, origin=origin,
        decision_number=decision_number.strip(), initiated_on=initiated_on,
        summary=summary.strip(), occurred_at=occurred_at, occurred_on=occurred_on,
        commune=commune, address=address.strip(), lat=lat, lon=lon,
        status=S.INVESTIGATING, status_since=initiated_on, client_token=client_token or None,
        created_by=actor,
        # The investigator who opens the case has seen it; one it is given to has not.
        investigator_seen_at=timezone.now() if investigator is not None
        and investigator.pk == actor.pk else None,
    )
    if origin in (Origin.IN_FLAGRANTE, Origin.SURRENDER):
        # Caught in the act or surrendered: the offender is identified from the start.
        case.detected_on = initiated_on
        case.detection_method = (DetectionMethod.CAUGHT_IN_ACT if origin == Origin.IN_FLAGRANTE
                                 else DetectionMethod.SURRENDER)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        if client_token and Case.objects.filter(client_token=client_token).exists():
            existing = Case.objects.get(client_token=client_token)
            if existing.summary != summary.strip():
                raise conflict("case") from None
            return existing
        raise
    for offence, clause in resolved:
        Charge.objects.get_or_create(case=case, accused=None, clause=clause,
                                     defaults={"offence": offence, "severity": clause.severity})
    _recompute_lead(case)
    _start_clock(case, "investigation", initiated_on)
    case.save()
    _record(actor, case, "initiate", "", on=initiated_on,
            changes={"register": [None, case.register_code],
                     "decision_number": [None, case.decision_number],
                     "origin": [None, origin], "severity": [None, case.severity],
                     "charges": [None, [f"{o.article}.{c.clause}" for o, c in resolved]],
                     "source": [None, source.pk if source else None]})
    if source is not None:
        audit_record(actor=actor, action="source.case_opened", obj=source,
                     from_state=source.status, to_state=source.status,
                     changes={"case": [None, case.pk], "register": [None, case.register_code]})
    return case


COMMUNE_POWER_FROM = date(2025, 7, 1)  # Law 99/2025/QH15
COMMUNE_SEVERITIES = ("less_serious", "serious")


def _commune_power_errors(unit: Unit, commune: Commune | None, on: date,
                          charges: list[ChargeInput]) -> dict[str, list[str]]:
    """Law 99/2025: from 01/07/2025 the commune police chief (or deputy) assigned by the head
    of the provincial investigation body initiates cases of less serious and serious crimes
    committed in the commune. The actor's permission in the unit is checked by the caller."""
    errors: dict[str, list[str]] = {}
    if on < COMMUNE_POWER_FROM:
        errors["investigation_body"] = [_("The commune police initiate cases only from "
                                          "01/07/2025 (Law No. 99/2025/QH15).")]
    if commune is None or not unit.communes.filter(pk=commune.pk).exists():
        errors["commune"] = [_("The commune police initiate cases only of crimes committed "
                               "in their commune.")]
    for c in charges:
        try:
            _offence, clause = resolve_charge(c.article, c.clause)
        except DomainError:
            continue  # named again below with the full message
        if clause.severity not in COMMUNE_SEVERITIES:
            errors["charges"] = [_("A crime under clause %(clause)s of Art. %(article)s is "
                                   "neither less serious nor serious: it is for the provincial "
                                   "investigation body.")
                                 % {"clause": clause.clause, "article": c.article}]
    return errors


@transaction.atomic
def case_initiate_from_source(*, actor, source, investigator=None, decision_number: str = "",
                              summary: str = "", charges: list[ChargeInput] | None = None,
                              initiated_on: date | None = None, procuracy: Unit | None = None,
                              client_token: str | None = None) -> Case:
    """Open the case a source's decision to initiate created (pctp.sources: status
    initiated). Defaults come from the source: its decision, offence, place and investigator."""
    from pctp.sources.models import Source
    from pctp.sources.models import Status as SourceStatus

    source = Source.objects.select_for_update(of=("self",)).select_related(
        "holder", "procuracy", "offence", "clause", "commune").get(pk=source.pk)
    _require(actor, "cases.investigate", source.holder)
    if source.status != SourceStatus.INITIATED:
        raise InvalidTransition("source_not_initiated",
                                _("The source has no decision to initiate a case yet (it is "
                                  "«%(status)s»).") % {"status": source.get_status_display()},
                                details={"state": source.status})
    if Case.objects.filter(source=source).exists():
        raise InvalidTransition("case_exists", _("This source already has its case."))
    if charges is None:
        charges = ([ChargeInput(source.offence.article,
                                source.clause.clause if source.clause_id else None)]
                   if source.offence_id else [])
    decided = timezone.localtime(source.decided_at).date() if source.decided_at else None
    assignee = source.assignee if source.assignee_id and user_has_perm_in_unit(
        source.assignee, "cases.investigate", source.holder) else None
    return case_initiate(
        actor=actor, investigation_body=source.holder,
        decision_number=decision_number or source.decision_number,
        summary=summary or source.summary, charges=charges,
        initiated_on=initiated_on or decided, origin=Origin.SOURCE,
        occurred_at=source.occurred_at, commune=source.commune, address=source.address,
        lat=source.lat, lon=source.lon, procuracy=procuracy or source.procuracy,
        investigator=investigator or assignee, source=source, client_token=client_token)


def open_case_for_initiated_source(sender, *, source, actor, **kwargs) -> Case:
    """A decision to initiate on a crime source opens its case (or links the one already
    opened for it), so that the investigation clock runs from that day."""
    existing = Case.objects.filter(source=source).first()
    if existing is not None:
        return existing
    return case_initiate_from_source(actor=actor, source=source)


def case_seen(*, user, case: Case) -> None:
    """The investigator opened the case: it is no longer new to them (a page view, not a
    change of the record: no journal row)."""
    if case.investigator_id == user.pk and case.investigator_seen_at is None:
        case.investigator_seen_at = timezone.now()
        Case.objects.filter(pk=case.pk, investigator=user, investigator_seen_at__isnull=True
                            ).update(investigator_seen_at=case.investigator_seen_at)


@transaction.atomic
def case_assign(*, actor, case: Case, investigator, note: str = "") -> Case:
    case, before, _target = FLOW.begin(case, "assign", actor=actor)
    if not user_has_perm_in_unit(investigator, "cases.investigate", case.investigation_body):
        raise DomainError("not_an_investigator",
                          _("The person assigned is not an investigator of the body."),
                          details={"investigator": [_("Choose an investigator of the "
                                                      "investigation body.")]})
    previous = case.investigator_id
    case.investigator = investigator
    if previous != investigator.pk:
        case.investigator_seen_at = None  # new to the investigator until they open it
    case.save()
    _record(actor, case, "assign", before, note=note,
            changes={"investigator": [previous, investigator.pk]})
    return case


# ----------------------------------------------------------------------------- accused

def _validate_person(person: Person) -> dict:
    errors: dict[str, list[str]] = {}
    parsed = None
    if not person.name.strip():
        errors["name"] = [_("The accused's full name is required.")]
    if person.sex not in Sex.values:
        errors["sex"] = [_("Invalid sex.")]
    if person.birth_date and person.birth_date > timezone.localdate():
        errors["birth_date"] = [_("The date of birth is in the future.")]
    if person.personal_id.strip():
        try:
            parsed = parse_personal_id(person.personal_id)
        except PersonalIdError as exc:
            errors["personal_id"] = [str(exc)]
        else:
            if person.birth_date and person.birth_date.year != parsed["birth_year"]:
                errors["birth_date"] = [_("The year of birth does not match the personal ID "
                                          "number (%(year)s).") % {"year": parsed["birth_year"]}]
            if person.sex in Sex.values and person.sex != parsed["sex"]:
                errors["sex"] = [_("The sex does not match the personal ID number.")]
    if errors:
        raise DomainError("invalid", _("The accused's identity is not valid."), details=errors)
    return parsed or {}


def person_index(person: Person) -> str:
    """The blind index that links the same person across cases: the personal ID number,
    else the name folded without diacritics with the birth date."""
    pid = person.personal_id.strip().replace(" ", "")
    if pid:
        return blind_index("pid:" + pid)
    born = person.birth_date.isoformat() if person.birth_date else "?"
    return blind_index("name:" + " ".join(fold(person.name).split()) + "|" + born)


def _add_charges(case: Case, accused: Accused | None,
                 resolved: list[tuple[Offence, OffenceClause]]) -> list[str]:
    added = []
    for offence, clause in resolved:
        _row, created = Charge.objects.get_or_create(
            case=case, accused=accused, clause=clause,
            defaults={"offence": offence, "severity": clause.severity})
        if created:
            added.append(f"{offence.article}.{clause.clause}")
    return added


def _after_charges(case: Case) -> dict:
    before = case.severity
    _recompute_lead(case)
    if case.clock_rule and before != case.severity:
        _recompute_due(case)  # the investigation limit follows the severity class
    return {"severity": [before, case.severity]} if before != case.severity else {}


@transaction.atomic
def accused_add(*, actor, case: Case, person: Person, charges: list[ChargeInput],
                is_lead: bool = False, charged_on: date | None = None) -> Accused:
    """Decision to prosecute an accused (CPC Art. 179): identity and charges."""
    case, before, _target = FLOW.begin(case, "add_accused", actor=actor)
    charged_on = _day(charged_on, "charged_on")
    if charged_on < case.initiated_on:
        raise DomainError("invalid", _("An accused cannot be charged before the case was "
                                       "initiated."),
                          details={"charged_on": [_("From %(day)s.")
                                                  % {"day": f"{case.initiated_on:%d/%m/%Y}"}]})
    parsed = _validate_person(person)
    if not charges:
        raise DomainError("invalid", _("At least one charge is required."),
                          details={"article": [_("Required.")]})
    resolved = [resolve_charge(c.article, c.clause, case.occurred_on) for c in charges]
    position = (case.accused.aggregate(n=Max("position"))["n"] or 0) + 1
    lead = is_lead or position == 1
    if lead:
        case.accused.filter(is_lead=True).update(is_lead=False)
    birth_year = person.birth_date.year if person.birth_date else parsed.get("birth_year")
    accused = Accused.objects.create(
        case=case, position=position, sex=person.sex, birth_year=birth_year, is_lead=lead,
        charged_on=charged_on, person_index=person_index(person), created_by=actor)
    accused.identity = encrypt_json(
        {"name": " ".join(person.name.split()), "personal_id": person.personal_id.strip(),
         "birth_date": person.birth_date.isoformat() if person.birth_date else "",
         "residence": person.residence.strip()}, context=f"accused:{accused.pk}")
    accused.save(update_fields=["identity"])
    added = _add_charges(case, accused, resolved)
    changes = {"accused": [None, position], "charges": [None, added], "lead": [None, lead]}
    changes.update(_after_charges(case))
    if case.detected_on is None:
        # Prosecuting an accused means the offender has been identified (khám phá).
        case.detected_on = charged_on
        case.detection_method = DetectionMethod.INVESTIGATION
        changes["detected_on"] = [None, charged_on.isoformat()]
    case.save()
    _record(actor, case, "add_accused", before, on=charged_on, changes=changes)
    return accused


@transaction.atomic
def accused_charge(*, actor, accused: Accused, article: str, clause: int | None = None) -> Charge:
    """A further charge against an accused."""
    case, before, _target = FLOW.begin(accused.case_id, "charge", actor=actor)
    accused = Accused.objects.get(pk=accused.pk, case=case)
    offence, clause_row = resolve_charge(article, clause, case.occurred_on)
    added = _add_charges(case, accused, [(offence, clause_row)])
    if not added:
        raise DomainError("duplicate", _("The accused is already charged under this clause."))
    changes = {"accused": [None, accused.position], "charges": [None, added]}
    changes.update(_after_charges(case))
    case.save()
    _record(actor, case, "charge", before, changes=changes)
    return Charge.objects.get(case=case, accused=accused, clause=clause_row)


@transaction.atomic
def accused_set_lead(*, actor, accused: Accused) -> Accused:
    case, before, _target = FLOW.begin(accused.case_id, "set_lead", actor=actor)
    case.accused.filter(is_lead=True).update(is_lead=False)
    Accused.objects.filter(pk=accused.pk).update(is_lead=True)
    _record(actor, case, "set_lead", before, changes={"lead": [None, accused.position]})
    accused.refresh_from_db()
    return accused


def can_view_identity(actor, case: Case) -> bool:
    return any(unit is not None and user_has_perm_in_unit(actor, "cases.view_accused_identity",
                                                          unit)
               for unit in (case.investigation_body, case.procuracy, case.court))


def accused_identities(*, actor, accused: list[Accused], purpose: str) -> dict[int, dict]:
    """Decrypt the identities of accused persons for someone handling their cases; every
    identity shown is written to the access log (Decree 13/2023)."""
    out: dict[int, dict] = {}
    allowed: dict[tuple, bool] = {}  # one permission check per trio of agencies
    shown = []
    for row in accused:
        case = row.case
        key = (case.investigation_body_id, case.procuracy_id, case.court_id)
        if key not in allowed:
            allowed[key] = can_view_identity(actor, case)
        if not allowed[key]:
            continue
        shown.append(row)
        out[row.pk] = decrypt_json(row.identity, context=f"accused:{row.pk}")
    if shown:
        access_records(actor=actor, objs=shown, fields="identity", purpose=purpose)
    return out


def accused_identity(*, actor, accused: Accused, purpose: str = "") -> dict:
    if not can_view_identity(actor, accused.case):
        raise PermissionRefused("forbidden", _("You may not see the accused's identity."))
    return accused_identities(actor=actor, accused=[accused], purpose=purpose or "api")[accused.pk]


# ----------------------------------------------------------------------------- detection

@transaction.atomic
def case_detect(*, actor, case: Case, on: date, method: str, note: str = "") -> Case:
    """Record when and how the offender was identified (điều tra, khám phá)."""
    case, before, _target = FLOW.begin(case, "detect", actor=actor)
    on = _day(on)
    if on < case.occurred_on:
        raise DomainError("invalid", _("The offender cannot be identified before the crime "
                                       "happened."),
                          details={"on": [_("From %(day)s.")
                                          % {"day": f"{case.occurred_on:%d/%m/%Y}"}]})
    if method not in DetectionMethod.values:
        raise DomainError("invalid", _("Invalid way of identifying the offender."),
                          details={"method": [_("Choose a way.")]})
    old = (case.detected_on.isoformat() if case.detected_on else None, case.detection_method)
    case.detected_on, case.detection_method = on, method
    case.detection_note = note.strip()
    case.save()
    _record(actor, case, "detect", before, on=on, note=note,
            changes={"detected_on": [old[0], on.isoformat()], "method": [old[1] or None, method]})
    return case


# ----------------------------------------------------------------------------- extensions

@transaction.atomic
def case_request_extension(*, actor, case: Case, reason: str, on: date | None = None,
                           record_late: bool = False) -> Extension:
    """Ask the procuracy to extend the investigation, at least 10 days before it expires
    (CPC Arts. 172(2), 174(1)); how many extensions depends on the severity class."""
    case, before, _target = FLOW.begin(case, "request_extension", actor=actor)
    on = _day(on)
    if case.clock_rule not in REQUESTED_RULES:
        raise InvalidTransition("no_extension", _("A supplementary investigation is not "
                                                  "extended (CPC Art. 174)."))
    current = case_clock(case, decided_on=on)
    late = is_overdue(case.due_date, on)
    if late and not record_late:
        raise _case_too_late(_("The extension of the investigation"), case.due_date, on)
    if on < case.status_since:
        raise DomainError("invalid", _("An extension cannot be requested before the case "
                                       "reached this stage."), details={"on": [_("Too early.")]})
    if not current.can_extend:
        raise InvalidTransition(
            "too_many_extensions",
            _("Extended %(n)s times: the most the law allows for a crime classed as "
              "%(severity)s (%(basis)s).")
            % {"n": case.clock_extensions, "severity": case.get_severity_display(),
               "basis": current.basis},
            details={"allowed": case.clock_extensions, "severity": case.severity})
    if not late and not in_time_to_ask(current.request_by, on):
        raise InvalidTransition("request_too_late",
                                _("The extension request must be sent by %(day)s (10 days "
                                  "before the limit expires on %(due)s).")
                                % {"day": f"{current.request_by:%d/%m/%Y}",
                                   "due": f"{current.due:%d/%m/%Y}"})
    request = extension_request(case.extensions, actor=actor, reason=reason,
                                number=case.clock_extensions + 1, rule=case.clock_rule,
                                requested_on=on, due_before=case.due_date)
    _record(actor, case, "request_extension", before, on=on, note=request.reason,
            changes={"request": [None, request.pk], "granted_by": [None, current.granted_by]})
    return request


def _apply_extension(case: Case) -> tuple[date, date]:
    old_due = case.due_date
    case.clock_extensions += 1
    _recompute_due(case)
    return old_due, case.due_date


def _case_too_late(what: str, due: date, on: date) -> InvalidTransition:
    return InvalidTransition(
        "limit_expired",
        _("%(what)s must be decided before the limit runs out (24:00 on %(due)s); a decision "
          "of %(on)s is %(days)s days past it. The lawful ways: conclude the investigation or "
          "decide as the expired limit requires (terminate, suspend), release whoever is "
          "detained; or record the extension decision late (it is marked, and the days past "
          "the limit still count as overdue in the register, the alerts and the targets).")
        % {"what": what, "due": f"{due:%d/%m/%Y}", "on": f"{on:%d/%m/%Y}",
           "days": (on - due).days},
        details={"due_date": due.isoformat(), "decided_on": on.isoformat(),
                 "paths": ["decide", "record_late"]})


def _late_gap(case: Case, on: date, record_late: bool, what: str) -> int:
    """Days past the limit of a decision dated ``on`` (0 when in time): refused unless
    knowingly recorded late."""
    if case.due_date is None or not is_overdue(case.due_date, on):
        return 0
    if not record_late:
        raise _case_too_late(what, case.due_date, on)
    gap = (on - case.due_date).days
    case.late_days += gap
    return gap


@transaction.atomic
def case_extension_decide(*, actor, request: Extension, approve: bool, note: str,
                          on: date | None = None, granted_level: str = "",
                          authority_document: str = "", record_late: bool = False) -> Extension:
    """The procuracy grants or refuses the investigation extension, with its reasons, at
    the level the rule version in force that day names (Art. 172(5)), before the limit
    expires. A later approval is refused, or recorded late (``record_late``): the days in
    between stay overdue."""
    request = lock_pending(request)
    case = FLOW.lock(request.case_id)
    before = case.status
    FLOW.check(case, "extend" if approve else "refuse_extension")
    if case.status != S.INVESTIGATING or case.clock_rule != request.rule:
        raise InvalidTransition("stale_request", _("The case is no longer under the limit "
                                                   "the extension was requested for."))
    on = _day(on)
    if on < request.requested_on:
        raise DomainError("invalid", _("The decision cannot come before the request "
                                       "(%(day)s).") % {"day": f"{request.requested_on:%d/%m/%Y}"},
                          details={"on": [_("Before the request.")]})
    current = case_clock(case, decided_on=on)
    grant = check_grant(actor, supervising=case.procuracy, authority=current.authority,
                        granted_by=current.granted_by or "", perm="cases.prosecute",
                        granted_level=granted_level, authority_document=authority_document)
    note = _required(note, "note", _("The procuracy's opinion is required."))
    extension_decided(request, actor=actor, approve=approve, note=note, grant=grant,
                      decided_on=on, entered_at=timezone.now())
    if approve:
        gap = _late_gap(case, on, record_late, _("The extension of the investigation"))
        request.late, request.gap_days = bool(gap), gap
        old_due, new_due = _apply_extension(case)
        request.due_after = new_due
        case.save()
        changes = {"due_date": [old_due.isoformat(), new_due.isoformat()],
                   "extensions": [case.clock_extensions - 1, case.clock_extensions],
                   "granted_level": [None, grant.level]}
        if grant.document:
            changes["authority_document"] = [None, grant.document]
        if gap:
            changes.update(late=[None, True], gap_days=[None, gap])
        _record(actor, case, "extend", before, on=on, note=note, changes=changes)
    else:
        _record(actor, case, "refuse_extension", before, on=on, note=note)
    request.save()
    return request


@transaction.atomic
def case_extend(*, actor, case: Case, reason: str, on: date | None = None,
                record_late: bool = False) -> Extension:
    """The agency holding the file extends its own limit once: the procuracy its
    prosecution decision (Art. 240), the court president the trial preparation (Art. 277)."""
    case, before, _target = FLOW.begin(case, "extend")
    if case.status == S.INVESTIGATING:
        raise InvalidTransition("procuracy_grants",
                                _("The procuracy decides the extension of the "
                                  "investigation: send it a request."))
    FLOW.require(actor, case, "extend")
    on = _step_day(case, on)
    reason = _required(reason, "reason", _("The reason for the extension is required."))
    current = case_clock(case)
    if current is None or not current.can_extend:
        raise InvalidTransition("too_many_extensions",
                                _("This limit is extended only once (%(basis)s).")
                                % {"basis": current.basis if current else ""})
    gap = _late_gap(case, on, record_late, _("The extension"))
    old_due, new_due = _apply_extension(case)
    row = Extension.objects.create(
        case=case, rule=case.clock_rule, number=case.clock_extensions, requested_by=actor,
        requested_on=on, reason=reason, state=Extension.State.APPROVED, decided_by=actor,
        decided_on=on, decision_note=reason, due_before=old_due, due_after=new_due,
        late=bool(gap), gap_days=gap, entered_at=timezone.now())
    referral = _open_referral(case, (Referral.Kind.CONCLUSION, Referral.Kind.INDICTMENT))
    if referral is not None and referral.received_on is not None:
        referral.due_date = new_due
        referral.save(update_fields=["due_date"])
    case.save()
    _record(actor, case, "extend", before, on=on, note=reason,
            changes={"due_date": [old_due.isoformat(), new_due.isoformat()],
                     "extensions": [case.clock_extensions - 1, case.clock_extensions]})
    return row


# ----------------------------------------------------------------------------- investigation

@transaction.atomic
def case_suspend(*, actor, case: Case, ground: str, decision_number: str, note: str = "",
                 on: date | None = None) -> Case:
    """Suspend the investigation (CPC Art. 229)."""
    case, before, target = FLOW.begin(case, "suspend", actor=actor)
    on = _step_day(case, on)
    if ground not in SuspendGround.values:
        raise DomainError("invalid", _("The ground for suspension is not one of CPC Art. "
                                       "229."), details={"ground": [_("Choose a ground.")]})
    if ground == SuspendGround.OFFENDER_UNKNOWN and case.due_date \
            and not is_overdue(case.due_date, on):
        raise InvalidTransition("limit_not_expired",
                                _("An investigation is suspended for want of an accused only "
                                  "once its limit (%(due)s) has expired (CPC Art. 229).")
                                % {"due": f"{case.due_date:%d/%m/%Y}"})
    number = _required(decision_number, "decision_number",
                       _("The number of the decision to suspend is required."))
    old_due = case.due_date
    case.suspend_ground = ground
    _move(case, target, on)
    _stop_clock(case)
    case.save()
    _record(actor, case, "suspend", before, on=on, note=note,
            changes={"decision_number": [None, number], "ground": [None, ground],
                     "due_date": [old_due.isoformat() if old_due else None, None]})
    return case


@transaction.atomic
def case_resume(*, actor, case: Case, decision_number: str, note: str = "",
                on: date | None = None) -> Case:
    """Resume the investigation (CPC Art. 235): 2 or 3 months more (Art. 174(1))."""
    case, before, target = FLOW.begin(case, "resume", actor=actor)
    on = _step_day(case, on)
    number = _required(decision_number, "decision_number",
                       _("The number of the decision to resume the investigation is required."))
    case.suspend_ground = ""
    _move(case, target, on)
    _start_clock(case, "investigation.resumed", on)
    case.save()
    _record(actor, case, "resume", before, on=on, note=note,
            changes={"decision_number": [None, number], "due_date": [None, case.due_date.isoformat()]})
    return case


@transaction.atomic
def case_conclude(*, actor, case: Case, document_number: str, note: str = "",
                  on: date | None = None) -> Referral:
    """Investigation conclusion recommending prosecution, sent with the file to the
    procuracy (CPC Art. 232). The procuracy's clock starts when it receives it."""
    case, before, target = FLOW.begin(case, "conclude", actor=actor)
    on = _step_day(case, on)
    number = _required(document_number, "document_number",
                       _("The number of the investigation conclusion is required."))
    if not case.accused.exists():
        raise InvalidTransition("no_accused", _("No accused yet: the investigation cannot "
                                                "conclude with a recommendation to prosecute."))
    referral = Referral.objects.create(
        case=case, kind=Referral.Kind.CONCLUSION, from_unit=case.investigation_body,
        to_unit=case.procuracy, document_number=number, note=note.strip(), sent_on=on,
        sent_by=actor)
    on_time = case.due_date is None or on <= case.due_date
    _move(case, target, on)
    _stop_clock(case)
    case.save()
    _record(actor, case, "conclude", before, on=on, note=note,
            changes={"referral": [None, referral.pk], "document_number": [None, number],
                     "on_time": [None, on_time]})
    return referral


@transaction.atomic
def case_terminate(*, actor, case: Case, ground: str, decision_number: str, note: str = "",
                   on: date | None = None) -> Case:
    """Terminate the case: by the investigation body (Art. 230) or the procuracy (Art. 248).
    Anyone still held is released the same day."""
    case, before, target = FLOW.begin(case, "terminate", actor=actor)
    agency = STAGE_AGENCY[case.status]
    on = _step_day(case, on)
    if ground not in TerminateGround.values:
        raise DomainError("invalid", _("Invalid ground for termination."),
                          details={"ground": [_("Choose a legal ground.")]})
    number = _required(decision_number, "decision_number",
                       _("The number of the decision to terminate is required."))
    if agency == "procuracy":
        _close_referral(case, (Referral.Kind.CONCLUSION,), on, "terminate")
    case.terminate_ground = ground
    case.closed_on = on
    _move(case, target, on)
    _stop_clock(case)
    released = _release_all(case, on, "Đình chỉ vụ án")  # i18n: data (stored release note)
    case.save()
    _record(actor, case, "terminate", before, on=on, note=note,
            changes={"decision_number": [None, number], "ground": [None, ground],
                     "released": [None, released]})
    return case


# ----------------------------------------------------------------------------- procuracy

@transaction.atomic
def case_receive(*, actor, case: Case, on: date | None = None) -> Case:
    """The procuracy receives the file and the conclusion: its decision clock starts
    (CPC Art. 240: 20 or 30 days by class)."""
    case, before, target = FLOW.begin(case, "receive", actor=actor)
    on = _step_day(case, on)
    referral = _open_referral(case, (Referral.Kind.CONCLUSION,))
    _move(case, target, on)
    _start_clock(case, "prosecution.decide", on)
    if referral is not None:
        referral.received_on, referral.received_by, referral.due_date = on, actor, case.due_date
        referral.save(update_fields=["received_on", "received_by", "due_date"])
    case.save()
    _record(actor, case, "receive", before, on=on,
            changes={"due_date": [None, case.due_date.isoformat()]})
    return case


@transaction.atomic
def case_indict(*, actor, case: Case, document_number: str, court: Unit | None = None,
                note: str = "", on: date | None = None) -> Referral:
    """Indictment (cáo trạng), sent with the file to the court (CPC Art. 243)."""
    case, before, target = FLOW.begin(case, "indict", actor=actor)
    on = _step_day(case, on)
    number = _required(document_number, "document_number",
                       _("The number of the indictment is required."))
    court = court or court_for(case, on)
    if court is None or court.kind not in (Unit.Kind.COURT, Unit.Kind.REGIONAL_COURT):
        raise DomainError("invalid", _("A court with jurisdiction to try the case is required."),
                          details={"court": [_("Choose a court.")]})
    _check_court(case, court, on)
    on_time = case.due_date is None or on <= case.due_date
    _close_referral(case, (Referral.Kind.CONCLUSION,), on, "indict")
    referral = Referral.objects.create(
        case=case, kind=Referral.Kind.INDICTMENT, from_unit=case.procuracy, to_unit=court,
        document_number=number, note=note.strip(), sent_on=on, sent_by=actor)
    case.court = court
    _move(case, target, on)
    _stop_clock(case)
    case.save()
    _record(actor, case, "indict", before, on=on, note=note,
            changes={"document_number": [None, number], "court": [None, court.pk],
                     "on_time": [None, on_time]})
    return referral


@transaction.atomic
def case_return(*, actor, case: Case, decision_number: str, reason: str,
                on: date | None = None) -> Referral:
    """Return the file for supplementary investigation (CPC Arts. 245, 280, 326): the
    procuracy at most twice; the presiding judge once and the trial panel once (Art. 174)."""
    case, before, target = FLOW.begin(case, "return_for_investigation", actor=actor)
    agency = STAGE_AGENCY[case.status]
    on = _step_day(case, on)
    if agency == "procuracy" and case.procuracy_returns >= PROCURACY_MAX_RETURNS:
        raise InvalidTransition(
            "too_many_returns",
            _("The procuracy returns a file for supplementary investigation at most twice "
              "(CPC Art. 174(2)); this case has been returned %(n)s times.")
            % {"n": case.procuracy_returns},
            details={"returns": case.procuracy_returns, "state": case.status})
    panel = case.status == S.TRIAL_OPEN
    if agency == "court" and (case.panel_returns if panel else case.judge_returns) >= 1:
        message = (_("The trial panel returns a file for supplementary investigation only "
                     "once (CPC Art. 174(2)).") if panel else
                   _("The presiding judge returns a file for supplementary investigation only "
                     "once (CPC Art. 174(2))."))
        raise InvalidTransition("too_many_returns", message, details={"state": case.status})
    number = _required(decision_number, "decision_number",
                       _("The number of the decision to return the file is required."))
    reason = _required(reason, "reason",
                       _("State what the supplementary investigation must establish."))
    if agency == "procuracy":
        case.procuracy_returns += 1
        _close_referral(case, (Referral.Kind.CONCLUSION,), on, "return")
        kind, from_unit = Referral.Kind.RETURN_BY_PROCURACY, case.procuracy
    else:
        if panel:
            case.panel_returns += 1
        else:
            case.judge_returns += 1
        _close_referral(case, (Referral.Kind.INDICTMENT,), on, "return")
        kind, from_unit = Referral.Kind.RETURN_BY_COURT, case.court
    referral = Referral.objects.create(case=case, kind=kind, from_unit=from_unit,
                                       to_unit=case.investigation_body, document_number=number,
                                       note=reason, sent_on=on, sent_by=actor)
    case.returned_by = agency
    _move(case, target, on)
    _stop_clock(case)
    case.save()
    _record(actor, case, "return_for_investigation", before, on=on, note=reason,
            changes={"decision_number": [None, number], "by": [None, agency],
                     "returns": [None, case.procuracy_returns if agency == "procuracy"
                                 else case.judge_returns + case.panel_returns]})
    return referral


@transaction.atomic
def case_receive_returned(*, actor, case: Case, on: date | None = None) -> Case:
    """The investigation body receives the returned file: the supplementary investigation
    runs from that day (2 months after the procuracy, 1 month after the court)."""
    case, before, target = FLOW.begin(case, "receive_returned", actor=actor)
    on = _step_day(case, on)
    referral = _open_referral(case, (Referral.Kind.RETURN_BY_PROCURACY,
                                     Referral.Kind.RETURN_BY_COURT))
    _move(case, target, on)
    _start_clock(case, SUPPLEMENTARY_RULE[case.returned_by or "procuracy"], on)
    if referral is not None:
        referral.received_on, referral.received_by = on, actor
        referral.due_date, referral.closed_on, referral.outcome = case.due_date, on, "received"
        referral.save(update_fields=["received_on", "received_by", "due_date", "closed_on",
                                     "outcome"])
    case.save()
    _record(actor, case, "receive_returned", before, on=on,
            changes={"due_date": [None, case.due_date.isoformat()],
                     "clock_rule": [None, case.clock_rule]})
    return case


@transaction.atomic
def case_prosecution_suspend(*, actor, case: Case, ground: str, decision_number: str,
                             note: str = "", on: date | None = None) -> Case:
    """The procuracy suspends the case (CPC Art. 247)."""
    case, before, target = FLOW.begin(case, "prosecution_suspend", actor=actor)
    on = _step_day(case, on)
    if ground not in SuspendGround.values:
        raise DomainError("invalid", _("The ground for suspension is not one of CPC Art. "
                                       "247."), details={"ground": [_("Choose a ground.")]})
    number = _required(decision_number, "decision_number",
                       _("The number of the decision to suspend is required."))
    _close_referral(case, (Referral.Kind.CONCLUSION,), on, "suspend")
    case.suspend_ground = ground
    _move(case, target, on)
    _stop_clock(case)
    case.save()
    _record(actor, case, "prosecution_suspend", before, on=on, note=note,
            changes={"decision_number": [None, number], "ground": [None, ground]})
    return case


@transaction.atomic
def case_prosecution_resume(*, actor, case: Case, decision_number: str, note: str = "",
                            on: date | None = None) -> Case:
    """The procuracy resumes a suspended case; its decision limit runs again."""
    case, before, target = FLOW.begin(case, "prosecution_resume", actor=actor)
    on = _step_day(case, on)
    number = _required(decision_number, "decision_number",
                       _("The number of the decision to resume is required."))
    case.suspend_ground = ""
    _move(case, target, on)
    _start_clock(case, "prosecution.decide", on)
    case.save()
    _record(actor, case, "prosecution_resume", before, on=on, note=note,
            changes={"decision_number": [None, number], "due_date": [None, case.due_date.isoformat()]})
    return case


# ----------------------------------------------------------------------------- court

@transaction.atomic
def case_accept(*, actor, case: Case, on: date | None = None) -> Case:
    """The court accepts the case (thụ lý): the trial-preparation clock starts (Art. 277);
    15 days when the file comes back after the judge returned it."""
    case, before, target = FLOW.begin(case, "accept", actor=actor)
    on = _step_day(case, on)
    referral = _open_referral(case, (Referral.Kind.INDICTMENT,))
    _move(case, target, on)
    rule = "trial.prepare.returned" if case.judge_returns or case.panel_returns else "trial.prepare"
    _start_clock(case, rule, on)
    if referral is not None:
        referral.received_on, referral.received_by, referral.due_date = on, actor, case.due_date
        referral.save(update_fields=["received_on", "received_by", "due_date"])
    case.save()
    _record(actor, case, "accept", before, on=on,
            changes={"due_date": [None, case.due_date.isoformat()], "clock_rule": [None, rule]})
    return case


@transaction.atomic
def case_commit_to_trial(*, actor, case: Case, decision_number: str, trial_on: date,
                         force_majeure: bool = False, on: date | None = None) -> Case:
    """Decision to bring the case to trial: the trial opens within 15 days, 30 for force
    majeure (Art. 277)."""
    case, before, target = FLOW.begin(case, "commit_to_trial", actor=actor)
    on = _step_day(case, on)
    number = _required(decision_number, "decision_number",
                       _("The number of the decision to commit the case for trial is required."))
    on_time = case.due_date is None or on <= case.due_date
    _move(case, target, on)
    _start_clock(case, "trial.open", on, force_majeure=force_majeure)
    if trial_on is None or trial_on < on or trial_on > case.due_date:
        span = {"start": f"{on:%d/%m/%Y}", "end": f"{case.due_date:%d/%m/%Y}"}
        raise DomainError("trial_date", _("The trial must open within %(days)s days of the "
                                          "decision: from %(start)s to %(end)s.")
                          % {"days": 30 if force_majeure else 15, **span},
                          details={"trial_on": [_("From %(start)s to %(end)s.") % span]})
    case.trial_on = trial_on
    case.save()
    _record(actor, case, "commit_to_trial", before, on=on,
            changes={"decision_number": [None, number], "trial_on": [None, trial_on.isoformat()],
                     "force_majeure": [None, force_majeure], "on_time": [None, on_time]})
    return case


@transaction.atomic
def case_open_trial(*, actor, case: Case, note: str = "", on: date | None = None) -> Case:
    case, before, target = FLOW.begin(case, "open_trial", actor=actor)
    on = _step_day(case, on)
    on_time = case.due_date is None or on <= case.due_date
    _move(case, target, on)
    _stop_clock(case)
    case.save()
    _record(actor, case, "open_trial", before, on=on, note=note,
            changes={"on_time": [None, on_time]})
    return case


@transaction.atomic
def case_judgment(*, actor, case: Case, judgment_number: str, summary: str,
                  recovery_ordered: int | None = None, sentences: dict[int, str] | None = None,
                  detain: list[int] | tuple[int, ...] = (),
                  acquitted: list[int] | tuple[int, ...] = (),
                  exempted: list[int] | tuple[int, ...] = (), on: date | None = None) -> Case:
    """First-instance judgment; the appeal window (15 days, Art. 333) starts. Each defendant
    is convicted unless declared not guilty (``acquitted``, accused ids) or exempted from
    criminal responsibility or penalty (``exempted``). A defendant held and sentenced to
    prison whom the trial panel keeps in detention (``detain``) is held under Art. 329 for
    45 days from the judgment; every other defendant still held, and everyone declared not
    guilty, is released at the hearing (Art. 328)."""
    case, before, target = FLOW.begin(case, "judgment", actor=actor)
    on = _step_day(case, on)
    number = _required(judgment_number, "judgment_number",
                       _("The number of the judgment is required."))
    if recovery_ordered is not None and recovery_ordered < 0:
        raise DomainError("negative_amount", _("An amount cannot be negative."),
                          details={"recovery_ordered": [_("An amount cannot be negative.")]})
    acquitted, exempted = set(acquitted), set(exempted)
    ids = set(case.accused.values_list("pk", flat=True))
    if (acquitted | exempted) - ids:
        raise DomainError("invalid", _("A defendant not of this case."),
                          details={"acquitted": [_("Choose a defendant.")]})
    if acquitted & exempted:
        raise DomainError("invalid", _("A defendant is either declared not guilty or exempted, "
                                       "not both."),
                          details={"acquitted": [_("Choose one finding per defendant.")]})
    if acquitted & set(detain):
        raise DomainError("invalid", _("A defendant declared not guilty is released at the "
                                       "hearing (Art. 328); they cannot be kept in detention."),
                          details={"detain": [_("The defendant is declared not guilty.")]})
    for accused in case.accused.all():
        text = (sentences or {}).get(accused.pk, "").strip()
        if text:
            accused.sentence = text[:300]
        accused.verdict = (Verdict.ACQUITTED if accused.pk in acquitted else
                           Verdict.EXEMPTED if accused.pk in exempted else Verdict.CONVICTED)
        accused.verdict_on = on
        accused.save(update_fields=["sentence", "verdict", "verdict_on"])
    _close_referral(case, (Referral.Kind.INDICTMENT,), on, "judgment")
    case.judgment_number, case.judgment_on = number, on
    case.judgment_summary = summary.strip()
    case.recovery_ordered = recovery_ordered
    case.closed_on = on
    _move(case, target, on)
    _start_clock(case, "appeal.judgment", on)
    held = _after_judgment(actor, case, set(detain), on, number)
    case.save()
    _record(actor, case, "judgment", before, on=on, note=summary,
            changes={"judgment_number": [None, number],
                     "recovery_ordered": [None, recovery_ordered],
                     "acquitted": [None, sorted(_positions(case, acquitted))],
                     "exempted": [None, sorted(_positions(case, exempted))], **held})
    return case


def _positions(case: Case, ids: set[int]) -> list[int]:
    """Defendants' numbers in the case (the journal names no one)."""
    return list(case.accused.filter(pk__in=ids).values_list("position", flat=True)) if ids else []


def _after_judgment(actor, case: Case, detain: set[int], on: date, number: str) -> dict:
    """Art. 329 detention for those the panel keeps; release for everyone else held."""
    kept, released = [], []
    unknown = detain - set(case.accused.values_list("pk", flat=True))
    if unknown:
        raise DomainError("invalid", _("A defendant not of this case."),
                          details={"detain": [_("Choose a defendant.")]})
    held = set(case.measures.filter(released_on__isnull=True).values_list("accused_id", flat=True))
    if detain - held:
        raise DomainError("not_held", _("Only a defendant in detention stays detained after "
                                        "the judgment (Art. 329(1)); detaining a defendant at "
                                        "liberty is another decision (Art. 329(2))."),
                          details={"detain": [_("The defendant is not in detention.")]})
    for measure in case.measures.filter(released_on__isnull=True).select_related("accused"):
        if measure.accused_id in detain:
            _end_measure(measure, max(on, measure.start_on),  # i18n: data (stored note)
                         f"Tạm giam sau khi tuyên án theo bản án {number}")
            row = Measure(case=case, accused=measure.accused, kind=K.DETENTION_JUDGMENT,
                          order_number=number, ordered_by_unit=case.court, ordered_by=actor,
                          start_on=on, severity=measure.severity, due_date=on)
            _result, row.due_date, row.due_at = _measure_due(row)
            row.save()
            kept.append(measure.accused.position)
        else:
            _end_measure(measure, max(on, measure.start_on),  # i18n: data (stored note)
                         f"Trả tự do tại phiên tòa ({number})")
            released.append(measure.accused.position)
    return {"detained_after_judgment": [None, kept], "released": [None, released]}


# ----------------------------------------------------------------------------- custody, detention

K = Measure.Kind
MEASURE_AGENCY = {K.CUSTODY: "investigation", K.DETENTION_INVESTIGATION: "investigation",
                  K.DETENTION_RESUMED: "investigation",
                  K.DETENTION_SUPPLEMENTARY_PROCURACY: "investigation",
                  K.DETENTION_SUPPLEMENTARY_COURT: "investigation",
                  K.DETENTION_PROSECUTION: "procuracy", K.DETENTION_TRIAL: "court",
                  K.DETENTION_JUDGMENT: "court"}
# The detention each stage allows, read off the stage's running clock: Art. 173 in the
# investigation, Art. 174(4) in a resumed or supplementary one (never beyond it), Art. 241
# at the procuracy, Art. 278 at the court; Art. 329 comes with the judgment.
STAGE_DETENTION = {
    "investigation": K.DETENTION_INVESTIGATION, "investigation.resumed": K.DETENTION_RESUMED,
    "investigation.supplementary.procuracy": K.DETENTION_SUPPLEMENTARY_PROCURACY,
    "investigation.supplementary.court": K.DETENTION_SUPPLEMENTARY_COURT,
    "prosecution.decide": K.DETENTION_PROSECUTION, "trial.prepare": K.DETENTION_TRIAL,
    "trial.prepare.returned": K.DETENTION_TRIAL, "trial.open": K.DETENTION_TRIAL,
}
# Detention that may not outlast the stage's own limit (Arts. 174(4), 241, 278(2)).
STAGE_CAPPED = {K.DETENTION_RESUMED, K.DETENTION_SUPPLEMENTARY_PROCURACY,
                K.DETENTION_SUPPLEMENTARY_COURT, K.DETENTION_PROSECUTION, K.DETENTION_TRIAL}
# Orders that count together towards one maximum, however often the person is released
# and detained again: the stage's orders for the same person in the same case.
ONE_MAXIMUM_PER_CASE = {K.DETENTION_INVESTIGATION, K.CUSTODY, K.DETENTION_JUDGMENT}
LAWFUL_PATHS = gettext_lazy(
    "The lawful ways: release the person held at once; or record the decision late (it is "
    "marked as taken after the limit expired, and the days past it count as held past the "
    "limit in the register, the alerts and the targets).")


def accused_severity(accused: Accused) -> str:
    rows = list(accused.charges.select_related("offence", "clause"))
    lead = lead_charge(LawCharge(r.offence.article, r.clause.clause, r.severity) for r in rows)
    return lead.severity if lead else accused.case.severity


def is_national_security(case: Case) -> bool:
    return case.crime_group == "national_security"


def _local(instant: datetime) -> datetime:
    """An aware instant as the naive local time the pure law functions take."""
    return timezone.localtime(instant).replace(tzinfo=None)


def _aware(naive: datetime) -> datetime:
    return timezone.make_aware(naive)


def _measure_start(measure: Measure):
    if measure.kind == K.CUSTODY and measure.start_at is not None:
        return _local(measure.start_at)
    return measure.start_on


_DEADLINE_MEMO: ContextVar[dict | None] = ContextVar("deadline_memo", default=None)


def _measure_due(measure: Measure, extensions: int | None = None, *,
                 decided_on: date | None = None):
    """The law's answer for the measure, and its expiry (the stage's own limit caps it)."""
    args = (measure.kind, _measure_start(measure), measure.severity or None,
            measure.extensions if extensions is None else extensions, decided_on,
            is_national_security(measure.case),
            0 if measure.kind == K.CUSTODY else measure.deducted_days)
    memo = _DEADLINE_MEMO.get()
    result = memo.get(args) if memo is not None else None
    if result is None:
        kind, start, severity, extensions_, decided_on_, security, credit = args
        try:
            result = case_deadline(kind, start=start, severity=severity,
                                   extensions=extensions_, decided_on=decided_on_,
                                   national_security=security, credit_days=credit)
        except LawError as exc:
            raise InvalidTransition(exc.code, str(exc), details=exc.details) from None
        if memo is not None:
            memo[args] = result
    due, due_at = result.due, _aware(result.due_at)
    cap = _stage_cap(measure)
    if cap is not None and cap < due:
        due, due_at = cap, end_of_day(cap)
    return result, due, due_at


def _stage_cap(measure: Measure) -> date | None:
    case = measure.case
    if measure.kind not in STAGE_CAPPED or STAGE_DETENTION.get(case.clock_rule) != measure.kind:
        return None
    return case.due_date


def measure_checked(measure: Measure) -> Measure:
    """The measure as the registers show it: its limit computed again from its start, its
    extensions and the days served, never trusted as stored (issue 16, finding 14). Sets
    ``stored_due_date`` and ``limit_mismatch``; where the law's limit is earlier than the
    stored one the law's is shown (in memory only), so nobody reads a later day than the law
    allows. A limit the law cannot compute is left as stored and flagged."""
    if hasattr(measure, "limit_mismatch"):
        return measure  # checked already (a second check would take the law's for stored)
    measure.stored_due_date = measure.due_date
    measure.limit_mismatch = False
    if not measure.active:
        return measure
    try:
        _result, due, due_at = _measure_due(measure)
    except DomainError:
        measure.limit_mismatch = True
        return measure
    stored_at = measure.expires_at()
    if due != measure.due_date or abs((stored_at - due_at).total_seconds()) > 60:
        measure.limit_mismatch = True
        if due_at < stored_at:
            measure.due_date, measure.due_at = due, due_at
    return measure


def measures_checked(measures) -> list[Measure]:
    """Every measure given, checked (``measure_checked``) and ordered by the law's expiry,
    soonest first: what a register counts, orders and pages, never the stored limit alone
    (a person held past the law's limit whose stored one is later is counted as past it)."""
    from pctp.law.services import one_calendar

    # Within one register the law's answer for the same inputs is computed once (a province
    # holds thousands of people, many ordered the same day under the same rule).
    token = _DEADLINE_MEMO.set({})
    try:
        with one_calendar():
            rows = [measure_checked(m) for m in measures]
    finally:
        _DEADLINE_MEMO.reset(token)
    for m in rows:
        m.checked_expires_at = m.expires_at()  # once: the sort, the counts and the rows
    rows.sort(key=lambda m: (m.checked_expires_at, m.pk))
    return rows


def measure_limit(measure: Measure):
    """The law's answer for the measure (with the extensions granted so far)."""
    return _measure_due(measure)[0]


def _end_measure(measure: Measure, on: date, note: str, at: datetime | None = None) -> None:
    measure.released_on = on
    measure.released_at = at
    measure.release_note = note
    measure.save(update_fields=["released_on", "released_at", "release_note"])


def _release_all(case: Case, on: date, note: str) -> list[int]:
    ended = []
    for measure in case.measures.filter(released_on__isnull=True):
        _end_measure(measure, max(on, measure.start_on), note)
        ended.append(measure.pk)
    return ended


def served_days(measures: list[Measure], *, before: date) -> int:
    """Days served under released orders (day 1 counts; a day that ends one order and
    starts the next is counted once, in the next: TTLT 04/2018 Art. 17)."""
    starts = {m.start_on for m in measures}
    total = 0
    for m in measures:
        if m.released_on is None or m.start_on >= before:
            continue
        days = (m.released_on - m.start_on).days
        handed_over = m.released_on in starts or m.released_on == before
        total += days if handed_over else days + 1
    return total


def _credit(accused: Accused, case: Case, kind: str, start_on: date) -> int:
    """Days that come off a new order: the same stage's earlier orders for this person in
    this case (a new order after a release does not restart the maximum), and for the
    first detention for investigation, the days in custody before it."""
    same = list(accused.measures.filter(case=case, kind=kind))
    if kind not in ONE_MAXIMUM_PER_CASE and case.clock_start:
        same = [m for m in same if m.start_on >= case.clock_start]
    credit = served_days(same, before=start_on)
    if kind == K.DETENTION_INVESTIGATION:
        custody = list(accused.measures.filter(case=case, kind=K.CUSTODY,
                                               released_on__isnull=False))
        credit += sum((min(m.released_on, start_on) - m.start_on).days for m in custody)
    return credit


def _resolve_kind(case: Case, kind: str) -> str:
    """'detention' (or any detention kind) becomes the detention this stage allows."""
    if kind == K.CUSTODY:
        if case.status != S.INVESTIGATING:
            raise InvalidTransition("wrong_stage", _("Custody is ordered only in the "
                                                     "investigation."),
                                    details={"state": case.status})
        return kind
    expected = STAGE_DETENTION.get(case.clock_rule)
    if kind != "detention" and kind not in K.values:
        raise DomainError("invalid", _("Invalid measure."),
                          details={"kind": [_("Choose a measure.")]})
    if expected is None:
        raise InvalidTransition("wrong_stage", _("No detention is ordered at the stage "
                                                 "«%(stage)s».")
                                % {"stage": case.get_status_display()},
                                details={"state": case.status})
    if kind not in ("detention", expected):
        raise InvalidTransition(
            "wrong_stage",
            _("At this stage only «%(allowed)s» may be ordered (%(basis)s), not «%(kind)s».")
            % {"allowed": K(expected).label, "basis": _basis(expected), "kind": K(kind).label},
            details={"state": case.status, "kind": expected})
    return expected


def _basis(kind: str) -> str:
    from pctp.law.timelimits import RULES

    return next(r.basis for r in RULES if r.code == kind)


def _start_instant(kind: str, start) -> tuple[date, datetime | None]:
    """(day, aware instant for custody). A custody given a day alone runs from 00:00."""
    if isinstance(start, datetime):
        instant = start if timezone.is_aware(start) else timezone.make_aware(start)
        if instant > timezone.now() + timedelta(minutes=5):
            raise DomainError("invalid", _("A time cannot be in the future."),
                              details={"start_on": [_("The time is in the future.")]})
        return timezone.localtime(instant).date(), instant if kind == K.CUSTODY else None
    day = _day(start, "start_on")
    return day, _aware(datetime.combine(day, time.min)) if kind == K.CUSTODY else None


@transaction.atomic
def measure_order(*, actor, accused: Accused, kind: str, order_number: str, start_on,
                  note: str = "") -> Measure:
    """Custody (Art. 117, from the hour received) or the detention the case's stage allows
    (Arts. 173, 174(4), 241, 278). The limit comes from pctp.law; days in custody and days
    already served in the same stage come off it; a measure that follows another ends it."""
    case, before, _target = FLOW.begin(accused.case_id, "order_measure")
    accused = Accused.objects.select_related("case").get(pk=accused.pk, case=case)
    kind = _resolve_kind(case, kind)
    agency = MEASURE_AGENCY[kind]
    if STAGE_AGENCY[case.status] != agency:
        raise InvalidTransition("wrong_stage",
                                _("«%(kind)s» is not ordered at the stage «%(stage)s».")
                                % {"kind": K(kind).label, "stage": case.get_status_display()},
                                details={"state": case.status})
    FLOW.require(actor, case, "order_measure")
    start_on, start_at = _start_instant(kind, start_on)
    if start_on < case.occurred_on:
        raise DomainError("invalid", _("The start cannot be before the crime happened."),
                          details={"start_on": [_("From %(day)s.")
                                                % {"day": f"{case.occurred_on:%d/%m/%Y}"}]})
    number = _required(order_number, "order_number",
                       _("The number of the order or decision is required."))
    if kind == K.CUSTODY and accused.measures.filter(case=case).exists():
        raise InvalidTransition("custody_used", _("This person has already been held in "
                                                  "custody or detention in the case: no new "
                                                  "custody is ordered."))
    previous = list(accused.measures.filter(released_on__isnull=True))
    for old in previous:
        if start_on < old.start_on:
            raise DomainError("invalid", _("A new measure cannot start before the measure in "
                                           "force."),
                              details={"start_on": [_("From %(day)s.")
                                                    % {"day": f"{old.start_on:%d/%m/%Y}"}]})
    unit = {"investigation": case.investigation_body, "procuracy": case.procuracy,
            "court": case.court}[agency]
    measure = Measure(case=case, accused=accused, kind=kind, order_number=number,
                      ordered_by_unit=unit, ordered_by=actor, start_on=start_on,
                      start_at=start_at, severity=accused_severity(accused),
                      due_date=start_on)
    for old in previous:  # the new order takes over from this day (counted once)
        _end_measure(old, start_on, f"Chuyển sang {_vi(K(kind).label)}")  # i18n: data (stored)
    measure.deducted_days = _credit(accused, case, kind, start_on)
    _result, measure.due_date, measure.due_at = _measure_due(measure)
    if measure.due_date < start_on:
        raise InvalidTransition(
            "maximum_reached",
            _("This person has been held %(days)s days at this stage, the most %(basis)s "
              "allows: no new order is made (an order after a release does not restart the "
              "limit).") % {"days": measure.deducted_days, "basis": _basis(kind)},
            details={"deducted_days": measure.deducted_days})
    measure.save()
    label = f"{_vi(K(kind).label)} — bị can số {accused.position}, {number}"  # i18n: data
    _record(actor, case, "order_measure", before, on=start_on,
            note=f"{label}. {note}".strip(". ") if note.strip() else label,
            changes={"measure": [None, kind], "accused": [None, accused.position],
                     "order": [None, number], "due_date": [None, measure.due_date.isoformat()],
                     "due_at": [None, timezone.localtime(measure.due_at).isoformat()],
                     "deducted_days": [None, measure.deducted_days],
                     "ended": [None, [m.pk for m in previous]]})
    return measure


def _lock_measure(measure: Measure | int) -> tuple[Measure, Case]:
    pk = measure.pk if isinstance(measure, Measure) else measure
    row = Measure.objects.get(pk=pk)
    case = FLOW.lock(row.case_id)
    return Measure.objects.select_for_update().select_related("accused", "case").get(pk=pk), case


def _instant(on, field: str = "on") -> tuple[date, datetime]:
    """A decision's day and instant: a time given, or a day alone (read as its last
    moment, so a decision dated the last day is in time for a day limit)."""
    if on is None:
        now = timezone.now()
        return timezone.localtime(now).date(), now
    if isinstance(on, datetime):
        instant = on if timezone.is_aware(on) else timezone.make_aware(on)
        if instant > timezone.now() + timedelta(minutes=5):
            raise DomainError("invalid", _("A time cannot be in the future."),
                              details={field: [_("The time is in the future.")]})
        return timezone.localtime(instant).date(), instant
    day = _day(on, field)
    return day, min(end_of_day(day) - timedelta(seconds=1), timezone.now())


def entered_after(limit: datetime, entered: datetime | None) -> bool:
    """Entered more than PCTP_LATE_ENTRY_HOURS after the limit it bears on expired: the
    register held no decision when the limit ran out. Not refused (a paper decision may be
    entered late: an outage, an import), but shown on the record and listed by
    `pctp check-lawful` for checking against the paper."""
    return entered is not None and entered > limit + timedelta(
        hours=settings.PCTP_LATE_ENTRY_HOURS)


def _too_late(what: str, expired: datetime, decided: datetime) -> InvalidTransition:
    return InvalidTransition(
        "limit_expired",
        _("%(what)s must be decided before the limit runs out (%(expired)s); a decision at "
          "%(decided)s is past it.") % {"what": what, "expired": _fmt(expired),
                                        "decided": _fmt(decided)} + f" {LAWFUL_PATHS}",
        details={"expired_at": timezone.localtime(expired).isoformat(),
                 "decided_at": timezone.localtime(decided).isoformat(),
                 "paths": ["release", "record_late"]})


def _fmt_start(instant: datetime) -> str:
    local = timezone.localtime(instant)
    if local.time() == time.min:
        return f"{local:%d/%m/%Y}"
    return _("%(time)s on %(day)s") % {"time": f"{local:%H:%M}", "day": f"{local:%d/%m/%Y}"}


def _fmt(instant: datetime) -> str:
    local = timezone.localtime(instant)
    if local.time() == time.min:
        return _("24:00 on %(day)s") % {"day": f"{local.date() - timedelta(days=1):%d/%m/%Y}"}
    return _("%(time)s on %(day)s") % {"time": f"{local:%H:%M}", "day": f"{local:%d/%m/%Y}"}


@transaction.atomic
def measure_request_extension(*, actor, measure: Measure, reason: str,
                              on=None, record_late: bool = False) -> MeasureExtension:
    """Extend custody (the issuer decides, the procuracy approves within 12 hours,
    Art. 118(2)) or ask the procuracy to extend detention at least 10 days before it
    expires (Art. 173(2)). Never once the limit has expired."""
    measure, case = _lock_measure(measure)
    if not measure.active:
        raise InvalidTransition("released", _("This person has been released or moved to "
                                              "another measure."))
    agency = MEASURE_AGENCY[measure.kind]
    perm, attr = AGENCY_PERM[agency]
    _require(actor, perm, getattr(case, attr))
    on, at = _instant(on)
    current, due, due_at = _measure_due(measure, decided_on=on)
    if not current.can_extend:
        raise InvalidTransition(
            "too_many_extensions",
            _("«%(kind)s» has been extended %(n)s times, the most %(basis)s allows. It "
              "expires on %(due)s: release the person or change the measure.")
            % {"kind": measure.get_kind_display(), "n": measure.extensions,
               "basis": current.basis, "due": f"{measure.due_date:%d/%m/%Y}"},
            details={"allowed": measure.extensions})
    if due < current.due:
        raise InvalidTransition(
            "stage_limit", _("Detention cannot outlast the limit of the stage (%(due)s): "
                             "extend the stage's limit first.") % {"due": f"{due:%d/%m/%Y}"})
    if at < (measure.start_at or end_of_day(measure.start_on) - timedelta(days=1)):
        raise DomainError("invalid", _("An extension cannot be requested before the custody "
                                       "or detention began."),
                          details={"on": [_("Before the start.")]})
    late = at >= due_at
    if late and not record_late:
        raise _too_late(_("The extension"), due_at, at)
    if not late and not in_time_to_ask(current.request_by, on):
        raise InvalidTransition("request_too_late",
                                _("The extension request must be sent by %(day)s (10 days "
                                  "before the limit expires).")
                                % {"day": f"{current.request_by:%d/%m/%Y}"})
    row = extension_request(measure.extension_rows, actor=actor, reason=reason,
                            number=measure.extensions + 1, requested_on=on, requested_at=at,
                            due_before=measure.due_date)
    _record(actor, case, "request_measure_extension", case.status, on=on,  # i18n: data
            note=f"{_vi(K(measure.kind).label)} — bị can số {measure.accused.position}: "
                 f"{row.reason}",
            changes={"measure": [None, measure.pk], "accused": [None, measure.accused.position],
                     "granted_by": [None, current.granted_by]})
    return row


def _decision_deadline(measure: Measure, request: MeasureExtension, due_at: datetime) -> datetime:
    """Until when the decision is in time: before the limit expires; for custody, also
    within the procuracy's 12 hours of a request made in time (Art. 118(2))."""
    if measure.kind == K.CUSTODY and request.requested_at and request.requested_at < due_at:
        return max(due_at, request.requested_at + timedelta(hours=12))
    return due_at


@transaction.atomic
def measure_extension_decide(*, actor, request: MeasureExtension, approve: bool, note: str,
                             on=None, granted_level: str = "", authority_document: str = "",
                             record_late: bool = False) -> MeasureExtension:
    """The procuracy approves or refuses the extension of custody or detention, at the
    level the law requires for it, before the limit expires. Decided later, an approval
    is refused, or with ``record_late`` recorded as a late decision: the days in between
    count as held past the limit (``late_days``), flagged on the register."""
    request = lock_pending(request)
    measure, case = _lock_measure(request.measure_id)
    if not measure.active:
        raise InvalidTransition("released", _("This person has been released."))
    on, at = _instant(on)
    current, _due, due_at = _measure_due(measure, decided_on=on)
    if MEASURE_AGENCY[measure.kind] == "court":
        # Art. 278: detention for trial is the court president's, with the preparation limit.
        _require(actor, "cases.try_case", case.court)
        grant = Grant(unit=case.court, level="court", document="")
    else:
        grant = check_grant(actor, supervising=case.procuracy, authority=current.authority,
                            granted_by=current.granted_by or "", perm="cases.prosecute",
                            granted_level=granted_level, authority_document=authority_document)
    note = _required(note, "note", _("The opinion of the competent person is required."))
    changes: dict[str, Any] = {"measure": [None, measure.pk]}
    asked = request.requested_at or end_of_day(request.requested_on) - timedelta(days=1)
    if at < asked:
        raise DomainError("invalid", _("The decision cannot come before the request, made "
                                       "at %(moment)s.") % {"moment": _fmt(asked)},
                          details={"on": [_("Before the request.")]})
    if approve:
        limit = _decision_deadline(measure, request, due_at)
        if at >= limit:
            if not record_late:
                raise _too_late(_("The approval of the extension"), limit, at)
            request.late = True
            request.gap_days = max(1, (on - measure.due_date).days)
            measure.late_days += request.gap_days
            changes["late_days"] = [measure.late_days - request.gap_days, measure.late_days]
        _result, due, new_due_at = _measure_due(measure, measure.extensions + 1, decided_on=on)
        changes["due_date"] = [measure.due_date.isoformat(), due.isoformat()]
        measure.extensions += 1
        measure.due_date, measure.due_at = due, new_due_at
        measure.save(update_fields=["extensions", "due_date", "due_at", "late_days"])
        request.due_after = due
    extension_decided(request, actor=actor, approve=approve, note=note, grant=grant,
                      decided_on=on, decided_at=at, entered_at=timezone.now())
    request.save()
    changes["granted_level"] = [None, grant.level]
    if grant.document:
        changes["authority_document"] = [None, grant.document]
    if request.late:
        changes["late"] = [None, True]
    _record(  # i18n: data (the journal's note)
        actor, case, "extend_measure" if approve else "refuse_measure_extension",
        case.status, on=on, changes=changes,
        note=f"{_vi(K(measure.kind).label)} — bị can số {measure.accused.position}: {note}")
    return request


@transaction.atomic
def measure_release(*, actor, measure: Measure, released_on, note: str = "") -> Measure:
    """Release (or end the measure); a release cannot precede the start. Released after
    the limit expired, the days past it are counted as held past the limit."""
    measure, case = _lock_measure(measure)
    if not measure.active:
        raise InvalidTransition("released", _("This measure has ended."))
    FLOW.require(actor, case, "release")
    if isinstance(released_on, datetime):
        at = released_on if timezone.is_aware(released_on) else timezone.make_aware(released_on)
        if at > timezone.now() + timedelta(minutes=5):
            raise DomainError("invalid", _("A time cannot be in the future."),
                              details={"released_on": [_("The time is in the future.")]})
        day = timezone.localtime(at).date()
    else:
        day, at = _day(released_on, "released_on"), None
    if day < measure.start_on or (at is not None and measure.start_at and at < measure.start_at):
        begun = _fmt_start(measure.start_at) if measure.start_at else f"{measure.start_on:%d/%m/%Y}"
        freed = _fmt(at) if at is not None else f"{day:%d/%m/%Y}"
        raise DomainError("release_before_start",
                          _("The release (%(freed)s) cannot come before the start "
                            "(%(begun)s).") % {"freed": freed, "begun": begun},
                          details={"released_on": [_("Not before %(day)s.")
                                                   % {"day": f"{measure.start_on:%d/%m/%Y}"}]})
    late = (at if at is not None else end_of_day(day) - timedelta(seconds=1)) > measure.expires_at()
    if late and day > measure.due_date:
        measure.late_days += (day - measure.due_date).days
        measure.save(update_fields=["late_days"])
    _end_measure(measure, day, note.strip(), at)
    _record(actor, case, "release", case.status, on=day,  # i18n: data (the journal's note)
            note=f"{_vi(K(measure.kind).label)} — bị can số {measure.accused.position}"
                 + (f": {note.strip()}" if note.strip() else ""),
            changes={"measure": [None, measure.pk], "accused": [None, measure.accused.position],
                     "late": [None, late]})
    return measure


# ----------------------------------------------------------------------------- asset recovery

def _amount(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError("invalid", _("An amount must be a whole number (đồng)."),
                          details={field: [_("Enter a whole number of đồng.")]})
    if value < 0:
        raise DomainError("negative_amount", _("An amount cannot be negative."),
                          details={field: [_("An amount cannot be negative.")]})
    return value


@transaction.atomic
def case_set_value(*, actor, case: Case, value_lost: int, note: str = "") -> Case:
    """The value appropriated or lost (VND), the base of target T6."""
    case, _before, _target = FLOW.begin(case, "set_value", actor=actor)
    value_lost = _amount(value_lost, "value_lost")
    old = case.value_lost
    case.value_lost = value_lost
    case.save()
    _record(actor, case, "set_value", case.status,  # i18n: data (the journal's note)
            note=f"{value_lost:,} đồng".replace(",", ".") + (f" — {note.strip()}" if note.strip() else ""),
            changes={"value_lost": [old, value_lost]})
    return case


@transaction.atomic
def recovery_record(*, actor, case: Case, kind: str, amount: int, on: date, description: str,
                    realises: Recovery | None = None) -> Recovery:
    """One entry of the recovery ledger: seized, frozen, voluntarily returned or recovered
    at enforcement. An enforcement or a return may realise an earlier seizure or freeze,
    which then no longer counts on its own."""
    case, _before, _target = FLOW.begin(case, "record_recovery", actor=actor)
    amount = _amount(amount, "amount")
    if amount == 0:
        raise DomainError("invalid", _("The amount must be more than 0."),
                          details={"amount": [_("More than 0.")]})
    if kind not in Recovery.Kind.values:
        raise DomainError("invalid", _("Invalid kind of recovery."),
                          details={"kind": [_("Choose a kind.")]})
    on = _day(on)
    if on < case.occurred_on:
        raise DomainError("invalid", _("A recovery cannot be before the crime happened."),
                          details={"on": [_("From %(day)s.")
                                          % {"day": f"{case.occurred_on:%d/%m/%Y}"}]})
    description = _required(description, "description",
                            _("A description of the assets is required."))
    if kind == Recovery.Kind.ENFORCED and case.judgment_on is None:
        raise InvalidTransition("no_judgment", _("A recovery at enforcement comes only after "
                                                 "the judgment."),
                                details={"state": case.status})
    if realises is not None:
        realises = Recovery.objects.filter(pk=realises.pk, case=case).first()
        if realises is None or realises.kind not in (Recovery.Kind.SEIZED, Recovery.Kind.FROZEN) \
                or kind not in (Recovery.Kind.ENFORCED, Recovery.Kind.RETURNED) \
                or Recovery.objects.filter(realises=realises).exists():
            raise DomainError("invalid", _("Only an enforcement or a voluntary return "
                                           "realises a seizure or freeze of this case not yet "
                                           "realised."),
                              details={"realises": [_("Invalid entry.")]})
    entry = Recovery.objects.create(case=case, kind=kind, amount=amount, on=on, stage=case.status,
                                    description=description, realises=realises,
                                    recorded_by=actor)
    _record(actor, case, "record_recovery", case.status, on=on,  # i18n: data (the journal's note)
            note=f"{_vi(Recovery.Kind(kind).label)}: {amount:,} đồng — {description}"
                 .replace(",", "."),
            changes={"kind": [None, kind], "amount": [None, amount],
                     "realises": [None, realises.pk if realises else None]})
    return entry


# ----------------------------------------------------------------------------- groups

@transaction.atomic
def group_create(*, actor, unit: Unit, name: str, dangerous: bool = False,
                 status: str = CriminalGroup.Status.MONITORED, note: str = "",
                 members: list[Accused] = (), leaders: set[int] = frozenset()) -> CriminalGroup:
    """Enter a criminal group in the register, with its members (by their records as
    accused: the same person in other cases joins through the blind index)."""
    _require(actor, "cases.manage_group", unit)
    name = _required(name, "name", _("The group's name is required."))
    if status not in CriminalGroup.Status.values:
        raise DomainError("invalid", _("Invalid status."), details={"status": ["?"]})
    group = CriminalGroup.objects.create(name=name, unit=unit, dangerous=dangerous, status=status,
                                         note=note.strip(), created_by=actor)
    seen = set()
    for accused in members:
        if accused.person_index in seen:
            continue
        seen.add(accused.person_index)
        GroupMember.objects.create(group=group, person_index=accused.person_index,
                                   accused=accused, is_leader=accused.pk in leaders,
                                   added_on=timezone.localdate())
    audit_record(actor=actor, action="group.create", obj=group, to_state=status,
                 changes={"members": [None, len(seen)], "dangerous": [None, dangerous]})
    return group


@transaction.atomic
def group_add_member(*, actor, group: CriminalGroup, accused: Accused,
                     is_leader: bool = False) -> GroupMember:
    group = CriminalGroup.objects.select_for_update().get(pk=group.pk)
    _require(actor, "cases.manage_group", group.unit)
    if group.members.filter(person_index=accused.person_index).exists():
        raise DomainError("already_member", _("This person is already in the group."))
    member = GroupMember.objects.create(group=group, person_index=accused.person_index,
                                        accused=accused, is_leader=is_leader,
                                        added_on=timezone.localdate())
    audit_record(actor=actor, action="group.add_member", obj=group, from_state=group.status,
                 to_state=group.status, changes={"member": [None, member.pk],
                                                 "leader": [None, is_leader]})
    return member


@transaction.atomic
def group_remove_member(*, actor, member: GroupMember, note: str) -> None:
    group = CriminalGroup.objects.select_for_update().get(pk=member.group_id)
    _require(actor, "cases.manage_group", group.unit)
    note = _required(note, "note", _("The reasons are required."))
    pk = member.pk
    member.delete()
    audit_record(actor=actor, action="group.remove_member", obj=group, from_state=group.status,
                 to_state=group.status, changes={"member": [pk, None]}, note=note)


@transaction.atomic
def group_update(*, actor, group: CriminalGroup, status: str, dangerous: bool,
                 leaders: set[int] | None = None, note: str = "") -> CriminalGroup:
    group = CriminalGroup.objects.select_for_update().get(pk=group.pk)
    _require(actor, "cases.manage_group", group.unit)
    if status not in CriminalGroup.Status.values:
        raise DomainError("invalid", _("Invalid status."), details={"status": ["?"]})
    before = group.status
    changes = {}
    if before != status:
        changes["status"] = [before, status]
    if group.dangerous != dangerous:
        changes["dangerous"] = [group.dangerous, dangerous]
    group.status, group.dangerous = status, dangerous
    if note.strip():
        group.note = note.strip()
    group.save()
    if leaders is not None:
        group.members.exclude(pk__in=leaders).update(is_leader=False)
        group.members.filter(pk__in=leaders).update(is_leader=True)
        changes["leaders"] = [None, sorted(leaders)]
    audit_record(actor=actor, action="group.update", obj=group, from_state=before,
                 to_state=status, changes=changes, note=note)
    return group


def held_by_unit(unit_ids, *, now=None) -> dict[int, dict[str, int]]:
    """Per holding unit (the investigation body, procuracy or court by the measure's stage),
    the people held whose limit, computed again from the law, has passed ("past") or ends
    within 10 days ("near"), to the hour for custody (issue 16 QA: the accountability page
    counted the stored date, by day, for investigation bodies only)."""
    from pctp.core.deadlines import CRITICAL, alert_level

    now = now or timezone.now()
    ids = set(unit_ids)
    active = (Measure.objects.filter(released_on__isnull=True)
              .filter(Q(case__investigation_body__in=ids) | Q(case__procuracy__in=ids)
                      | Q(case__court__in=ids))
              .select_related("case", "accused"))
    out: dict[int, dict[str, int]] = {}
    for measure in measures_checked(active):
        case = measure.case
        holder = {"investigation": case.investigation_body_id, "procuracy": case.procuracy_id,
                  "court": case.court_id}[MEASURE_AGENCY[measure.kind]]
        if holder not in ids:
            continue
        level = alert_level(measure.expires_at(), now)
        row = out.setdefault(holder, {"near": 0, "past": 0})
        if level == CRITICAL:
            row["past"] += 1
        elif level:
            row["near"] += 1
    return out
