"""Every step of a crime source's life: one function, one permitted transition, one
audit row, inside one transaction with the source's row locked (ARCHITECTURE.md 2–4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.audit import access_record, audit_record
from pctp.core.crypto import blind_index, decrypt_json, encrypt_json
from pctp.core.deadlines import is_overdue
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.extensions import extension_decided, extension_request, in_time_to_ask, lock_pending
from pctp.core.idempotency import conflict, scoped
from pctp.core.identity import PersonalIdError, parse_personal_id
from pctp.core.transitions import require_perm
from pctp.law.models import Offence, OffenceClause
from pctp.law.selectors import fold
from pctp.law.services import deadline, legal_calendar
from pctp.law.timelimits import LawError
from pctp.sources.models import (
    OPEN_STATUSES,
    Attachment,
    Channel,
    DeclineGround,
    ExtensionRequest,
    Kind,
    Outcome,
    ReporterType,
    Source,
    Status,
    SuspendGround,
    VerificationNote,
)
from pctp.sources.signals import source_initiated
from pctp.sources.transitions import FLOW, FORBIDDEN, may_attach, supervises
from pctp.units.authority import check_grant
from pctp.units.models import Commune, Unit
from pctp.units.selectors import user_has_perm_in_unit

COMMUNE_FORWARD_HOURS = 24
REMOTE_FORWARD_HOURS = 48
CLASSIFY_HOURS = 24


@dataclass(frozen=True)
class Reporter:
    type: str
    name: str = ""
    personal_id: str = ""
    contact: str = ""
    agency: str = ""
    confidential: bool = False


# ----------------------------------------------------------------------------- helpers

def _require(actor, perm: str, unit: Unit) -> None:
    require_perm(actor, perm, unit, str(FORBIDDEN))


def _search_text(source: Source) -> str:
    parts = [source.register_code, source.summary, source.content, source.address,
             source.commune.name if source.commune_id else "",
             source.offence.title if source.offence_id else ""]
    return fold(" ".join(p for p in parts if p))


def _recompute_due(source: Source) -> None:
    result = deadline(source.clock_rule, start=source.clock_start, extensions=source.extensions)
    source.due_date = result.due


def _procuracy_for(commune: Commune | None, province_unit: Unit) -> Unit | None:
    if commune is not None:
        regional = Unit.objects.current().filter(kind=Unit.Kind.REGIONAL_PROCURACY,
                                                 communes=commune).first()
        if regional:
            return regional
    return Unit.objects.current().filter(kind=Unit.Kind.PROCURACY,
                                         province=province_unit.province).first()


def _investigation_body(unit: Unit) -> Unit:
    """The provincial police investigation body (CQCSĐT), which handles ordinary crime;
    the security investigation body is reached by an explicit transfer."""
    bodies = Unit.objects.current().filter(kind=Unit.Kind.INVESTIGATION_BODY,
                                           province=unit.province)
    body = bodies.filter(code__endswith="-CSDT").first() or bodies.order_by("code").first()
    if body is None:
        raise DomainError("no_investigation_body", _("The province has no investigation body yet."))
    return body


def _validate_reporter(reporter: Reporter) -> None:
    errors: dict[str, list[str]] = {}
    if reporter.type not in ReporterType.values:
        errors["reporter_type"] = [_("Invalid type of reporter.")]
    if reporter.type == ReporterType.PERSON and not reporter.name.strip():
        errors["reporter_name"] = [_("The reporter's full name is required.")]
    if reporter.type == ReporterType.AGENCY and not reporter.agency.strip():
        errors["reporter_agency"] = [_("The name of the reporting agency or organisation is "
                                       "required.")]
    if reporter.personal_id:
        try:
            parse_personal_id(reporter.personal_id)
        except PersonalIdError as exc:
            errors["reporter_personal_id"] = [str(exc)]
    if errors:
        raise DomainError("invalid", _("The reporter's details are not valid."), details=errors)


def _store_identity(source: Source, reporter: Reporter) -> None:
    if reporter.type == ReporterType.ANONYMOUS:
        source.reporter_identity = None
        source.reporter_index = ""
        return
    identity = {"name": reporter.name.strip(), "personal_id": reporter.personal_id.strip(),
                "contact": reporter.contact.strip(), "agency": reporter.agency.strip()}
    source.reporter_identity = encrypt_json(identity, context=f"source:{source.pk}")
    key = reporter.personal_id.strip() or reporter.contact.strip() or reporter.name.strip()
    source.reporter_index = blind_index(key) if key else ""


# ----------------------------------------------------------------------------- receive

@transaction.atomic
def source_receive(*, actor, unit: Unit, kind: str, channel: str, summary: str, content: str,
                   reporter: Reporter, received_at: datetime | None = None,
                   occurred_at: datetime | None = None, commune: Commune | None = None,
                   address: str = "", lat: float | None = None, lon: float | None = None,
                   client_token: str | None = None) -> Source:
    """Enter a source into the unit's receipt register (CPC Art. 145: none may be refused)."""
    _require(actor, "sources.receive_source", unit)
    client_token = scoped(actor, "source", client_token)
    if client_token:
        existing = Source.objects.filter(client_token=client_token).first()
        if existing is not None:  # a double-submitted form creates one source
            if existing.summary != summary.strip():
                raise conflict("source")
            return existing
    now = timezone.now()
    received_at = received_at or now
    errors: dict[str, list[str]] = {}
    if kind not in Kind.values:
        errors["kind"] = [_("Invalid kind of source.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Invalid channel of receipt.")]
    if received_at > now + timedelta(minutes=5):
        errors["received_at"] = [_("The time of receipt cannot be in the future.")]
    if occurred_at and occurred_at > now + timedelta(minutes=5):
        errors["occurred_at"] = [_("The time it happened cannot be in the future.")]
    if occurred_at and occurred_at > received_at:
        errors["occurred_at"] = [_("The time of occurrence cannot be after the time of receipt.")]
    if not summary.strip():
        errors["summary"] = [_("A summary of the source is required.")]
    if commune is not None and commune.province_id != unit.province_id:
        errors["commune"] = [_("The commune is not in the receiving unit's province.")]
    if (lat is None) != (lon is None) or (lat is not None and not (-90 <= lat <= 90
                                                                   and -180 <= lon <= 180)):
        errors["lat"] = [_("Invalid coordinates.")]
    if errors:
        raise DomainError("invalid", _("The receipt data are not valid."), details=errors)
    _validate_reporter(reporter)

    locked_unit = Unit.objects.select_for_update().get(pk=unit.pk)  # serialises numbering
    year = timezone.localtime(received_at).year
    last = (Source.objects.filter(unit=locked_unit, register_year=year)
            .aggregate(n=Max("register_number"))["n"] or 0)
    local_day = timezone.localtime(received_at).date()
    source = Source(
        unit=locked_unit, register_year=year, register_number=last + 1, holder=locked_unit,
        procuracy=_procuracy_for(commune, locked_unit), kind=kind, channel=channel,
        received_at=received_at, holder_received_at=received_at, occurred_at=occurred_at,
        commune=commune, address=address.strip(), lat=lat, lon=lon, summary=summary.strip(),
        content=content.strip(), reporter_type=reporter.type,
        confidential=reporter.confidential and reporter.type != ReporterType.ANONYMOUS,
        clock_rule="source.resolve", clock_start=local_day, due_date=local_day,
        client_token=client_token or None, created_by=actor,
    )
    if locked_unit.kind == Unit.Kind.COMMUNE_POLICE:
        hours = REMOTE_FORWARD_HOURS if commune is not None and commune.remote else COMMUNE_FORWARD_HOURS
        source.forward_due = received_at + timedelta(hours=hours)
    else:
        source.notice_due = legal_calendar().add_working_days(local_day, 3)
    _recompute_due(source)
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        if client_token and Source.objects.filter(client_token=client_token).exists():
            existing = Source.objects.get(client_token=client_token)
            if existing.summary != summary.strip():
                raise conflict("source") from None
            return existing
        raise
    _store_identity(source, reporter)
    source.search_text = _search_text(source)
    source.save(update_fields=["reporter_identity", "reporter_index", "search_text"])
    audit_record(actor=actor, action="source.receive", obj=source, to_state=source.status,
                 changes={"register": [None, source.register_code], "kind": [None, kind],
                          "channel": [None, channel]})
    return source


# ----------------------------------------------------------------------------- commune → body

@transaction.atomic
def source_forward(*, actor, source: Source, note: str = "", to_unit: Unit | None = None
                   ) -> Source:
    """Commune police pass a source to the provincial investigation body after the
    preliminary check (24 h, or 48 h for remote communes)."""
    source, before, _target = FLOW.begin(source, "forward")
    if source.holder.kind != Unit.Kind.COMMUNE_POLICE:
        raise InvalidTransition("not_at_commune",
                                _("The source is no longer with the commune police."))
    FLOW.require(actor, source, "forward")
    body = to_unit or _investigation_body(source.holder)
    if body.kind != Unit.Kind.INVESTIGATION_BODY:
        raise DomainError("not_investigation_body",
                          _("A source is passed on only to an investigation body."))
    now = timezone.now()
    previous = source.holder
    source.holder = body
    source.holder_received_at = now
    source.forwarded_at = now
    source.notice_due = legal_calendar().add_working_days(timezone.localdate(), 3)
    source.save()
    FLOW.record(actor, source, "forward", before, note=note,
            changes={"holder": [previous.pk, body.pk],
                     "late": [None, bool(source.forward_due and now > source.forward_due)]})
    return source


# ----------------------------------------------------------------------------- classify

def _offence_for(source: Source, article: str, clause: int | None):
    """The offence and clause an article and clause name, in force on the day of the act."""
    offence = Offence.objects.filter(article=str(article).strip().lower(), is_offence=True,
                                     repealed=False).first()
    if offence is None:
        raise DomainError("unknown_offence",
                          _("There is no offence at Art. %(article)s PC.") % {"article": article},
                          details={"article": [_("Art. %(article)s does not exist or has been "
                                                 "repealed.") % {"article": article}]})
    act_on = timezone.localtime(source.occurred_at or source.received_at).date()
    if not offence.in_force_on(act_on):
        raise DomainError(
            "not_in_force",
            _("Art. %(article)s PC is in force from %(since)s; an act of %(day)s is not "
              "prosecuted under it (PC Art. 7).")
            % {"article": offence.article, "since": f"{offence.in_force_from:%d/%m/%Y}",
               "day": f"{act_on:%d/%m/%Y}"},
            details={"article": [_("Not in force on %(day)s.") % {"day": f"{act_on:%d/%m/%Y}"}]})
    clause_row = None
    if clause is not None:
        clause_row = OffenceClause.objects.filter(offence=offence, clause=clause).first()
        if clause_row is None:
            message = (_("Art. %(article)s has no clause %(clause)s.")
                       % {"article": offence.article, "clause": clause})
            raise DomainError("unknown_clause", message, details={"clause": [message]})
    else:
        clause_row = offence.clauses.filter(preparation=False).order_by("clause").first()
    return offence, clause_row


@transaction.atomic
def source_classify(*, actor, source: Source, article: str, clause: int | None = None,
                    urgent: bool = False, note: str = "") -> Source:
    """Classify within 24 hours: the offence (and so the severity and crime group)."""
    source, before, _target = FLOW.begin(source, "classify")
    if source.holder.kind == Unit.Kind.COMMUNE_POLICE:
        raise InvalidTransition("forward_first", _("The commune police pass the source on to the "
                                                    "investigation body, which classifies it."))
    FLOW.require(actor, source, "classify")
    offence, clause_row = _offence_for(source, article, clause)
    group = offence.group_on(timezone.localdate())
    source.offence = offence
    source.clause = clause_row
    source.severity = clause_row.severity if clause_row else ""
    source.crime_group = group.group if group else ""
    source.urgent = urgent
    source.classified_at = timezone.now()
    source.handled_at = source.handled_at or source.classified_at
    source.status = Status.CLASSIFIED
    source.search_text = _search_text(source)
    source.save()
    FLOW.record(actor, source, "classify", before, note=note,
            changes={"offence": [None, offence.article],
                     "clause": [None, clause_row.clause if clause_row else None],
                     "severity": [None, source.severity], "group": [None, source.crime_group],
                     "within_24h": [None, source.classified_at - source.holder_received_at
                                    <= timedelta(hours=CLASSIFY_HOURS)]})
    return source


SEVERITY_RANK = {"less_serious": 1, "serious": 2, "very_serious": 3, "especially_serious": 4}


@transaction.atomic
def source_reclassify(*, actor, source: Source, article: str, clause: int | None = None,
                      reason: str) -> Source:
    """Correct the offence during verification (the investigator assigned or the unit's
    leaders), with the reason; the journal keeps the offence, clause and severity before and
    after, and whether the new one is lighter (quality Q10 counts those)."""
    source, before, _target = FLOW.begin(source, "reclassify", actor=actor)
    if not reason.strip():
        raise DomainError("invalid", _("State why the offence changes."),
                          details={"reason": [_("Required.")]})
    offence, clause_row = _offence_for(source, article, clause)
    if offence.pk == source.offence_id and (clause_row.pk if clause_row else None) == \
            source.clause_id:
        raise DomainError("unchanged", _("The source is already classified under this article "
                                         "and clause."), details={"article": [_("Unchanged.")]})
    old = (source.offence.article if source.offence_id else None,
           source.clause.clause if source.clause_id else None, source.severity,
           source.crime_group)
    group = offence.group_on(timezone.localdate())
    source.offence, source.clause = offence, clause_row
    source.severity = clause_row.severity if clause_row else ""
    source.crime_group = group.group if group else ""
    source.search_text = _search_text(source)
    source.save()
    lighter = SEVERITY_RANK.get(source.severity, 0) < SEVERITY_RANK.get(old[2], 0)
    FLOW.record(actor, source, "reclassify", before, note=reason,
                changes={"offence": [old[0], offence.article],
                         "clause": [old[1], clause_row.clause if clause_row else None],
                         "severity": [old[2], source.severity],
                         "group": [old[3], source.crime_group], "lighter": [None, lighter]})
    return source


# ----------------------------------------------------------------------------- transfer

@transaction.atomic
def source_transfer(*, actor, source: Source, to_unit: Unit, reason: str) -> Source:
    """Not competent: send to the competent body at once (CPC Art. 146)."""
    source, before, _target = FLOW.begin(source, "transfer", actor=actor)
    if to_unit.pk == source.holder_id:
        raise DomainError("same_unit", _("A source cannot be transferred to the unit "
                                          "handling it."))
    if not reason.strip():
        raise DomainError("invalid", _("The reason for the transfer is required."),
                          details={"reason": [_("Required.")]})
    source.transfer_target = to_unit
    source.handled_at = source.handled_at or timezone.now()
    source.status = Status.TRANSFERRED
    source.save()
    FLOW.record(actor, source, "transfer", before, note=reason,
            changes={"to_unit": [None, to_unit.pk]})
    return source


@transaction.atomic
def source_accept_transfer(*, actor, source: Source) -> Source:
    """The competent body enters a transferred source in its own register; both link."""
    source = FLOW.lock(source)
    if source.status != Status.TRANSFERRED or source.transfer_target_id is None:
        raise InvalidTransition("not_transferred",
                                _("This source is not awaiting acceptance of a transfer."))
    if source.transferred_to_id:
        raise InvalidTransition("already_accepted",
                                _("The transferred source has already been accepted."))
    target = source.transfer_target
    FLOW.require(actor, source, "accept_transfer")
    identity = (decrypt_json(source.reporter_identity, context=f"source:{source.pk}")
                if source.reporter_identity else {})
    reporter = Reporter(type=source.reporter_type, confidential=source.confidential, **identity)
    accepted = source_receive(
        actor=actor, unit=target, kind=source.kind, channel=Channel.TRANSFER,
        summary=source.summary, content=source.content, reporter=reporter,
        occurred_at=source.occurred_at, commune=source.commune, address=source.address,
        lat=source.lat, lon=source.lon,
    )
    source.transferred_to = accepted
    source.save(update_fields=["transferred_to", "updated_at"])
    audit_record(actor=actor, action="source.accept_transfer", obj=source,
                 from_state=source.status, to_state=source.status,
                 changes={"accepted_as": [None, accepted.pk]})
    return accepted


# ----------------------------------------------------------------------------- assign, verify

def source_seen(*, user, source: Source) -> None:
    """The assignee opened the source: it is no longer new to them (not a change of the
    record: no journal row, the page view is the event)."""
    if source.assignee_id == user.pk and source.assignee_seen_at is None:
        source.assignee_seen_at = timezone.now()
        Source.objects.filter(pk=source.pk, assignee=user, assignee_seen_at__isnull=True
                              ).update(assignee_seen_at=source.assignee_seen_at)


@transaction.atomic
def source_assign(*, actor, source: Source, investigator, note: str = "") -> Source:
    source, before, _target = FLOW.begin(source, "assign", actor=actor)
    if not user_has_perm_in_unit(investigator, "sources.verify_source", source.holder) and \
            not user_has_perm_in_unit(investigator, "sources.decide_source", source.holder):
        raise DomainError("not_an_investigator",
                          _("The person assigned is not an investigator of the unit."),
                          details={"investigator": [_("Choose an investigator of the unit.")]})
    previous = source.assignee_id
    source.assignee = investigator
    source.assigned_at = timezone.now()
    source.assignee_seen_at = None  # new to the investigator until they open it
    source.status = Status.VERIFYING
    source.save()
    FLOW.record(actor, source, "assign", before, note=note,
            changes={"assignee": [previous, investigator.pk]})
    return source


@transaction.atomic
def source_note(*, actor, source: Source, text: str) -> VerificationNote:
    """A verification step (what was checked, documents received, tasks given)."""
    source, _before, _target = FLOW.begin(source, "note")
    if not text.strip():
        raise DomainError("invalid", _("The note is empty."), details={"text": [_("Required.")]})
    procuracy = supervises(actor, source)
    if not procuracy:
        FLOW.require(actor, source, "note")  # the investigator assigned or the leaders
    note = VerificationNote.objects.create(source=source, author=actor, text=text.strip(),
                                           procuracy_request=procuracy)
    audit_record(actor=actor, action="source.request_verification" if procuracy else "source.note",
                 obj=source, from_state=source.status, to_state=source.status, note=text[:500])
    return note


@transaction.atomic
def source_notify(*, actor, source: Source, recipient: str) -> Source:
    """Mark the written receipt notice sent to the procuracy or to the reporter."""
    source, _before, _target = FLOW.begin(source, "notify", actor=actor)
    field = {"procuracy": "procuracy_notified_at", "reporter": "reporter_notified_at"}.get(recipient)
    if field is None:
        raise DomainError("invalid", _("Invalid recipient of the notice."))
    if recipient == "reporter" and source.reporter_type == ReporterType.ANONYMOUS:
        raise DomainError("anonymous", _("An anonymous source: there is no one to notify."))
    if getattr(source, field):
        raise InvalidTransition("already_notified", _("This notice has already been sent."))
    setattr(source, field, timezone.now())
    source.save(update_fields=[field, "updated_at"])
    audit_record(actor=actor, action=f"source.notify_{recipient}", obj=source,
                 from_state=source.status, to_state=source.status,
                 changes={"late": [None, bool(source.notice_due
                                              and timezone.localdate() > source.notice_due)]})
    return source


# ----------------------------------------------------------------------------- extensions

def _next_extension(source: Source, decided_on: date | None = None):
    try:
        return deadline(source.clock_rule, start=source.clock_start, extensions=source.extensions,
                        decided_on=decided_on)
    except LawError as exc:
        raise InvalidTransition(exc.code, str(exc)) from None


def _late_refusal(what: str, due: date, today: date) -> InvalidTransition:
    return InvalidTransition(
        "limit_expired",
        _("%(what)s must be decided before the resolution limit runs out (24:00 on %(due)s); "
          "today, %(today)s, is %(days)s days past it. The lawful ways: decide on the source "
          "(initiate, decline, suspend); or record the extension decision late (it is marked, "
          "and the days past the limit still count as overdue in the register, the alerts and "
          "the targets).")
        % {"what": what, "due": f"{due:%d/%m/%Y}", "today": f"{today:%d/%m/%Y}",
           "days": (today - due).days},
        details={"due_date": due.isoformat(), "paths": ["decide", "record_late"]})


def _late(source: Source, today: date, record_late: bool, what: str) -> int:
    """Days past the limit of a decision taken today (0 in time); refused unless the
    decision is knowingly recorded late."""
    if not is_overdue(source.due_date, today):
        return 0
    if not record_late:
        raise _late_refusal(what, source.due_date, today)
    gap = (today - source.due_date).days
    source.late_days += gap
    return gap


@transaction.atomic
def source_extend(*, actor, source: Source, reason: str, record_late: bool = False) -> Source:
    """The first extension, granted by the head of the investigation body (up to 2 months
    in total from receipt, Art. 147(2)), before the 20 days run out."""
    source, before, _target = FLOW.begin(source, "extend", actor=actor)
    current = _next_extension(source)
    if source.clock_rule != "source.resolve" or not current.can_extend:
        raise InvalidTransition("no_extension", _("This limit cannot be extended further."))
    if source.extensions >= 1:
        raise InvalidTransition("procuracy_extension",
                                _("The procuracy decides the second extension: send it a "
                                  "request."))
    if not reason.strip():
        raise DomainError("invalid", _("The reason for the extension is required."),
                          details={"reason": [_("Required.")]})
    gap = _late(source, timezone.localdate(), record_late, _("The extension"))
    old_due = source.due_date
    source.extensions += 1
    _recompute_due(source)
    source.save()
    changes = {"due_date": [old_due.isoformat(), source.due_date.isoformat()],
               "extensions": [source.extensions - 1, source.extensions]}
    if gap:
        changes.update(late=[None, True], gap_days=[None, gap])
    FLOW.record(actor, source, "extend", before, note=reason, changes=changes)
    return source


@transaction.atomic
def source_request_extension(*, actor, source: Source, reason: str,
                             today: date | None = None) -> ExtensionRequest:
    """Ask the procuracy for the second extension, at least 5 days before expiry."""
    source, _before, _target = FLOW.begin(source, "request_extension", actor=actor)
    current = _next_extension(source)
    if source.extensions < 1:
        raise InvalidTransition("first_extension_first",
                                _("The head of the investigation body decides the first "
                                  "extension."))
    if not current.can_extend:
        raise InvalidTransition("too_many_extensions",
                                _("The extensions the law allows are used up (CPC Art. "
                                  "147)."))
    today = today or timezone.localdate()
    if is_overdue(source.due_date, today):
        raise _late_refusal(_("The extension"), source.due_date, today)
    if not in_time_to_ask(current.request_by, today):
        raise InvalidTransition("request_too_late",
                                _("The extension request must be sent by %(day)s (5 days "
                                  "before the limit expires).")
                                % {"day": f"{current.request_by:%d/%m/%Y}"})
    request = extension_request(source.extension_requests, actor=actor, reason=reason,
                                number=source.extensions + 1)
    audit_record(actor=actor, action="source.request_extension", obj=source,
                 from_state=source.status, to_state=source.status, note=reason[:500],
                 changes={"request": [None, request.pk]})
    return request


@transaction.atomic
def extension_decide(*, actor, request: ExtensionRequest, approve: bool, note: str,
                     record_late: bool = False) -> ExtensionRequest:
    """The procuracy approves or refuses the second extension, with its reasons, before
    the limit expires (a later approval is refused, or recorded late with the days past
    the limit counted)."""
    request = lock_pending(request)
    source = FLOW.lock(request.source_id)
    FLOW.require(actor, source, "extension_decision")
    if not note.strip():
        raise DomainError("invalid", _("The procuracy's opinion is required."),
                          details={"note": [_("Required.")]})
    before = source.status
    FLOW.check(source, "extend" if approve else "refuse_extension")
    current = _next_extension(source, decided_on=timezone.localdate())
    grant = check_grant(actor, supervising=source.procuracy, authority=current.authority,
                        granted_by=current.granted_by or "", perm="sources.approve_extension")
    extension_decided(request, actor=actor, approve=approve, note=note, grant=grant,
                      decided_at=timezone.now())
    if approve:
        gap = _late(source, timezone.localdate(), record_late,
                    _("The approval of the extension"))
        request.late, request.gap_days = bool(gap), gap
        old_due = source.due_date
        source.extensions += 1
        try:
            _recompute_due(source)
        except LawError as exc:
            raise InvalidTransition(exc.code, str(exc)) from None
        source.save()
        changes = {"due_date": [old_due.isoformat(), source.due_date.isoformat()],
                   "extensions": [source.extensions - 1, source.extensions],
                   "granted_level": [None, grant.level]}
        if gap:
            changes.update(late=[None, True], gap_days=[None, gap])
        FLOW.record(actor, source, "extend", before, note=note, changes=changes)
    else:
        FLOW.record(actor, source, "refuse_extension", before, note=note)
    request.save()
    return request


# ----------------------------------------------------------------------------- decide

def _decide_guard(actor, source: Source, action: str) -> str:
    before = source.status
    FLOW.check(source, action)
    FLOW.require(actor, source, action)  # the investigator assigned or the leaders
    return before


def _finish(actor, source: Source, action: str, before: str, outcome: str, *, number: str,
            note: str) -> Source:
    source.outcome = outcome
    source.decided_at = timezone.now()
    source.decision_number = number.strip()
    source.decision_note = note.strip()
    source.save()
    FLOW.record(actor, source, action, before, note=note,
            changes={"decision_number": [None, source.decision_number],
                     "on_time": [None, timezone.localdate() <= source.due_date]})
    return source


@transaction.atomic
def source_initiate(*, actor, source: Source, decision_number: str, note: str = "") -> Source:
    """Decision to initiate a criminal case (the cases module takes over)."""
    source = FLOW.lock(source)
    before = _decide_guard(actor, source, "initiate")
    if not decision_number.strip():
        raise DomainError("invalid", _("The number of the decision to initiate is required."),
                          details={"decision_number": [_("Required.")]})
    if source.offence_id is None:
        raise InvalidTransition("not_classified", _("The source has no offence yet."))
    source.status = Status.INITIATED
    source = _finish(actor, source, "initiate", before, Outcome.INITIATE,
                     number=decision_number, note=note)
    # Every initiation opens (or links) its case, in this transaction (CPC Art. 153).
    source_initiated.send(sender=Source, source=source, actor=actor)
    return source


@transaction.atomic
def source_decline(*, actor, source: Source, ground: str, decision_number: str,
                   note: str) -> Source:
    """Decision not to initiate, on a ground of CPC Art. 157."""
    source = FLOW.lock(source)
    before = _decide_guard(actor, source, "decline")
    if ground not in DeclineGround.values:
        raise DomainError("invalid", _("A ground not to initiate is required (CPC Art. 157)."),
                          details={"ground": [_("Choose a legal ground.")]})
    if not note.strip():
        raise DomainError("invalid", _("The reasons are required."),
                          details={"note": [_("Required.")]})
    source.status = Status.DECLINED
    source.decline_ground = ground
    return _finish(actor, source, "decline", before, Outcome.DECLINE,
                   number=decision_number, note=note)


@transaction.atomic
def source_suspend(*, actor, source: Source, ground: str, decision_number: str, note: str,
                   today: date | None = None) -> Source:
    """Suspend (CPC Art. 148): only once the limit has expired, and only on a lawful ground.
    The decision goes to the procuracy and the reporter within 24 hours."""
    source = FLOW.lock(source)
    before = _decide_guard(actor, source, "suspend")
    today = today or timezone.localdate()
    if not is_overdue(source.due_date, today):
        raise InvalidTransition("limit_not_expired",
                                _("Resolution is suspended only once its limit (%(due)s) "
                                  "has expired (CPC Art. 148).")
                                % {"due": f"{source.due_date:%d/%m/%Y}"})
    if ground not in SuspendGround.values:
        raise DomainError("invalid", _("The ground for suspension is not one of Art. 148."),
                          details={"ground": [_("Choose a ground of Art. 148(1).")]})
    source.status = Status.SUSPENDED
    source.suspend_ground = ground
    source.suspended_at = timezone.now()
    return _finish(actor, source, "suspend", before, Outcome.SUSPEND,
                   number=decision_number, note=note)


@transaction.atomic
def source_cancel_suspension(*, actor, source: Source, note: str) -> Source:
    """The procuracy cancels a suspension: resolution continues for up to 1 month."""
    source, before, _target = FLOW.begin(source, "cancel_suspension", actor=actor)
    if not note.strip():
        raise DomainError("invalid", _("State the reason for cancelling."),
                          details={"note": [_("Required.")]})
    return _restart(actor, source, "cancel_suspension", before, "source.suspension_cancelled", note)


@transaction.atomic
def source_cancel_decline(*, actor, source: Source, decision_number: str, note: str,
                          on: date | None = None) -> Source:
    """The procuracy cancels a decision not to initiate that had no ground and initiates the
    case itself (CPC Arts. 153(3)(a) and 161): the source is initiated under the
    procuracy's decision, and the investigation body opens the case from it (the lawfulness
    sweep lists an initiated source without its case until it does)."""
    source, before, _target = FLOW.begin(source, "cancel_decline", actor=actor)
    number = decision_number.strip()
    if not number:
        raise DomainError("invalid", _("The number of the procuracy's decision to initiate is "
                                       "required."),
                          details={"decision_number": [_("Required.")]})
    if not note.strip():
        raise DomainError("invalid", _("State why the decision not to initiate had no ground."),
                          details={"note": [_("Required.")]})
    today = timezone.localdate()
    on = on or today
    declined_on = timezone.localtime(source.decided_at).date() if source.decided_at else None
    if on > today or (declined_on and on < declined_on):
        message = (_("A date cannot be in the future.") if on > today else
                   _("Not before the decision not to initiate (%(day)s).")
                   % {"day": f"{declined_on:%d/%m/%Y}"})
        raise DomainError("invalid", message, details={"on": [message]})
    declined = source.decision_number
    source.status = Status.INITIATED
    source.outcome = Outcome.INITIATE
    source.decline_ground = ""
    # The day of the procuracy's decision: the case's investigation runs from it.
    source.decided_at = timezone.now() if on == today else timezone.make_aware(
        datetime.combine(on, time(12, 0)))
    source.decision_number = number
    source.decision_note = note.strip()
    source.save()
    FLOW.record(actor, source, "cancel_decline", before, note=note,
                changes={"decision_number": [declined, number], "on": [None, on.isoformat()],
                         "by": [None, "procuracy"]})
    return source


@transaction.atomic
def source_resume(*, actor, source: Source, note: str) -> Source:
    """Resume a suspended source (CPC Art. 149): up to 1 month more."""
    source, before, _target = FLOW.begin(source, "resume", actor=actor)
    if not note.strip():
        raise DomainError("invalid", _("The reasons for resuming are required."),
                          details={"note": [_("Required.")]})
    return _restart(actor, source, "resume", before, "source.resume", note)


def _restart(actor, source: Source, action: str, before: str, rule: str, note: str) -> Source:
    old_due = source.due_date
    source.status = Status.VERIFYING
    source.outcome = ""
    source.suspend_ground = ""
    source.clock_rule = rule
    source.clock_start = timezone.localdate()
    source.extensions = 0
    _recompute_due(source)
    source.save()
    FLOW.record(actor, source, action, before, note=note,
            changes={"due_date": [old_due.isoformat(), source.due_date.isoformat()],
                     "clock_rule": [None, rule]})
    return source


# ----------------------------------------------------------------------------- merge

@transaction.atomic
def source_merge(*, actor, source: Source, into: Source, note: str = "") -> Source:
    """Merge a duplicate into another source; both keep their histories."""
    if source.pk == into.pk:
        raise DomainError("same_source", _("A source cannot be merged into itself."))
    first, second = sorted([source.pk, into.pk])  # lock in a fixed order: no deadlock
    locked = {s.pk: s for s in (FLOW.lock(first), FLOW.lock(second))}
    source, into = locked[source.pk], locked[into.pk]
    before = source.status
    FLOW.check(source, "merge")
    if into.status not in OPEN_STATUSES:
        raise InvalidTransition("target_closed",
                                _("The source merged into must still be open."))
    FLOW.require(actor, source, "merge")
    FLOW.require(actor, into, "merge")
    source.status = Status.MERGED
    source.handled_at = source.handled_at or timezone.now()
    source.merged_into = into
    source.save()
    FLOW.record(actor, source, "merge", before, note=note, changes={"merged_into": [None, into.pk]})
    audit_record(actor=actor, action="source.absorb", obj=into, from_state=into.status,
                 to_state=into.status, changes={"merged_source": [None, source.pk]}, note=note)
    return source


# ----------------------------------------------------------------------------- identity

def can_view_identity(actor, source: Source) -> bool:
    if source.reporter_type == ReporterType.ANONYMOUS:
        return False
    if source.assignee_id == getattr(actor, "pk", None):
        return True
    if user_has_perm_in_unit(actor, "sources.view_reporter_identity", source.holder):
        return True
    if source.confidential:
        return False  # confidential: only the investigator and the holder's leaders
    return (user_has_perm_in_unit(actor, "sources.receive_source", source.holder)
            or (source.procuracy_id is not None
                and user_has_perm_in_unit(actor, "sources.supervise_source", source.procuracy)))


def source_reporter_identity(*, actor, source: Source, purpose: str = "") -> dict[str, str]:
    """Decrypt the reporter's identity for someone handling the source; log the view."""
    if not can_view_identity(actor, source):
        raise PermissionRefused("forbidden", _("You may not see the reporter's identity."))
    with transaction.atomic():
        access_record(actor=actor, obj=source, fields="reporter_identity",
                      purpose=purpose or "handling the source")
    return decrypt_json(source.reporter_identity, context=f"source:{source.pk}")


@transaction.atomic
def source_attach(*, actor, source: Source, uploaded) -> Attachment:
    """Attach a document, photo or video; the type is checked from the file's content."""
    from pctp.core.uploads import check_upload, strip_metadata

    source = FLOW.lock(source)
    if source.status in (Status.TRANSFERRED, Status.MERGED):
        raise InvalidTransition("closed", _("The source was transferred or merged: no "
                                             "documents are added."))
    if not may_attach(actor, source):
        raise PermissionRefused("forbidden", _("You may not attach documents to this source."))
    content_type = check_upload(uploaded)
    clean = strip_metadata(uploaded, content_type)
    attachment = Attachment.objects.create(
        source=source, file=clean, name=uploaded.name[:200], content_type=content_type,
        size=clean.size, uploaded_by=actor)
    audit_record(actor=actor, action="source.attach", obj=source, from_state=source.status,
                 to_state=source.status, changes={"attachment": [None, attachment.name]})
    return attachment
