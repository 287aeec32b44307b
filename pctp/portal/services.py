"""The portal's writes: submit, follow up, converse, and the staff's triage."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.audit import access_record, audit_record
from pctp.core.crypto import decrypt_json, encrypt_json
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.identity import PersonalIdError, parse_personal_id
from pctp.core.uploads import check_upload, strip_metadata
from pctp.portal.models import (
    AddressSalt,
    Attempt,
    FraudIndicator,
    IdentityCheck,
    PortalAttachment,
    PortalMessage,
    PortalReport,
    ReportStatus,
)
from pctp.sources import services as sources
from pctp.sources.models import Channel, Kind, ReporterType, Source
from pctp.units.models import Commune, Unit
from pctp.units.selectors import user_has_perm_in_unit

# Unambiguous characters: no 0/O, 1/I/L.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class RateLimited(DomainError):
    status = 429


class WrongCredentials(DomainError):
    status = 403


@dataclass(frozen=True)
class Identity:
    name: str
    personal_id: str = ""
    contact: str = ""


def _random(groups: int, size: int = 4) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(size)) for _ in range(groups))


ATTEMPT_KEEP = timedelta(hours=24)


def _salt() -> bytes:
    """Today's random key (created on first use); yesterday's and older are deleted."""
    today = timezone.localdate()
    row = AddressSalt.objects.filter(day=today).first()
    if row is None:
        AddressSalt.objects.filter(day__lt=today).delete()
        row, _created = AddressSalt.objects.get_or_create(
            day=today, defaults={"salt": secrets.token_bytes(32)})
    return bytes(row.salt)


def address_key(address: str | None) -> str:
    """A keyed hash of a client address under today's random key: enough to count attempts
    within a day, useless to identify anyone, and impossible to recompute once the key is
    deleted (the next day). The key is today's random salt (in the database) keyed again by
    the application's secret (never in the database): a reader of the database or of a
    dump cannot hash a suspected address to find its attempts (decision 27)."""
    key = hmac.new(settings.SECRET_KEY.encode(), _salt(), hashlib.sha256).digest()
    return hmac.new(key, (address or "-").encode(), hashlib.sha256).hexdigest()[:24]


def scoped_token(scope: str, client_token: str) -> str:
    """An idempotency key scoped to its submitter (a portal session, or an address's daily
    hash through the API) and hashed, so that one submitter can never reach another's
    report by reusing a token, and the stored value says nothing about either."""
    return hashlib.sha256(f"{scope}|{client_token}".encode()).hexdigest()


def fingerprint(commune, crime_type: str, description: str) -> str:
    return hashlib.sha256(f"{commune.pk}|{crime_type}|{description.strip()}".encode()).hexdigest()


def _forget_old_attempts() -> None:
    Attempt.objects.filter(at__lt=timezone.now() - ATTEMPT_KEEP).delete()


def _count(key: str, window: timedelta) -> int:
    return Attempt.objects.filter(key=key, at__gte=timezone.now() - window).count()


def count_attempts(scope: str, client_address: str | None, window: timedelta) -> int:
    """How many times this address did ``scope`` within ``window`` (other public forms'
    rate limits: the address kept only as today's keyed hash, rows older than a day
    deleted)."""
    _forget_old_attempts()
    return _count(f"{scope}:{address_key(client_address)}", window)


def record_attempt(scope: str, client_address: str | None) -> None:
    Attempt.objects.create(key=f"{scope}:{address_key(client_address)}")


def _attach(report: PortalReport, files, message: PortalMessage | None = None) -> None:
    if len(files) > settings.PCTP_PORTAL_MAX_FILES:
        raise DomainError("too_many_files", _("At most %(n)s files.")
                          % {"n": settings.PCTP_PORTAL_MAX_FILES},
                          details={"files": [_("Too many files.")]})
    for uploaded in files:
        content_type = check_upload(uploaded)
        clean = strip_metadata(uploaded, content_type)
        PortalAttachment.objects.create(report=report, message=message, file=clean,
                                        name=uploaded.name[:200], content_type=content_type,
                                        size=clean.size)


def _review_unit(commune: Commune) -> Unit:
    unit = Unit.objects.current().filter(kind=Unit.Kind.COMMUNE_POLICE, communes=commune).first()
    if unit is None:
        raise DomainError("unknown_commune", _("No unit receives reports for this commune yet."),
                          details={"commune": [_("Choose a commune of the province.")]})
    return unit


def portal_submit(*, commune: Commune, crime_type: str, description: str,
                  occurred_at: datetime | None = None, place: str = "", lat: float | None = None,
                  lon: float | None = None, identity: Identity | None = None,
                  confidential: bool = False, files=(), client_token: str,
                  client_address: str | None = None) -> tuple[PortalReport, str | None]:
    """Store a citizen's report. Returns the report and its passphrase. A retry of the same
    submission (same scoped key and same report) gets a new passphrase: the first may never
    have reached the citizen (a crash, a lost connection), and a report nobody can follow up
    is worse than a replaced passphrase. The same key with a different report is refused.
    ``client_token`` must already be scoped to its submitter (`scoped_token`)."""
    print_ = fingerprint(commune, crime_type, description)
    existing = PortalReport.objects.filter(client_token=client_token).first()
    if existing is not None:
        return _retry(existing, print_)
    _forget_old_attempts()
    key = f"submit:{address_key(client_address)}"
    if _count(key, timedelta(hours=1)) >= settings.PCTP_PORTAL_SUBMITS_PER_HOUR:
        raise RateLimited("rate_limited", _("You have sent many reports in a short time. "
                                            "Please try again later or call 113."))
    errors: dict[str, list[str]] = {}
    if not description.strip() or len(description.strip()) < 10:
        errors["description"] = [_("Describe what happened (at least 10 characters).")]
    if occurred_at and occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = [_("The time it happened cannot be in the future.")]
    if identity is not None:
        if not identity.name.strip():
            errors["name"] = [_("Enter your full name, or choose to report anonymously.")]
        if identity.personal_id:
            try:
                parse_personal_id(identity.personal_id)
            except PersonalIdError as exc:
                errors["personal_id"] = [str(exc)]
        if not identity.contact.strip():
            errors["contact"] = [_("Enter a phone number or e-mail address so that the police "
                                   "can contact you.")]
    if errors:
        raise DomainError("invalid", _("The report is not valid yet."), details=errors)
    passphrase = _random(4).lower()
    try:
        with transaction.atomic():
            report = PortalReport.objects.create(
                tracking_code=_random(2), passphrase_hash=make_password(passphrase),
                unit=_review_unit(commune), commune=commune, occurred_at=occurred_at,
                place=place.strip()[:300], lat=lat, lon=lon, crime_type=crime_type,
                description=description.strip(), anonymous=identity is None,
                confidential=confidential and identity is not None,
                identity_check=IdentityCheck.NONE if identity is None else (
                    IdentityCheck.PENDING if identity.personal_id else IdentityCheck.NONE),
                client_token=client_token, client_fingerprint=print_)
            if identity is not None:
                report.identity = encrypt_json(
                    {"name": identity.name.strip(), "personal_id": identity.personal_id.strip(),
                     "contact": identity.contact.strip()}, context=f"portal:{report.pk}")
                report.save(update_fields=["identity"])
            _attach(report, list(files))
            Attempt.objects.create(key=key)
            audit_record(actor=None, action="portal.submit", obj=report, to_state=report.status)
    except IntegrityError:
        existing = PortalReport.objects.filter(client_token=client_token).first()
        if existing is None:
            raise
        return _retry(existing, print_)
    return report, passphrase


@transaction.atomic
def _retry(report: PortalReport, print_: str) -> tuple[PortalReport, str]:
    report = PortalReport.objects.select_for_update().get(pk=report.pk)
    if report.client_fingerprint and report.client_fingerprint != print_:
        raise InvalidTransition("token_conflict", _("This submission code was already used for "
                                                    "another report. Please reload the page and "
                                                    "send it again."))
    passphrase = _random(4).lower()
    report.passphrase_hash = make_password(passphrase)
    report.save(update_fields=["passphrase_hash"])
    audit_record(actor=None, action="portal.passphrase_reissued", obj=report,
                 from_state=report.status, to_state=report.status)
    report.retried = True
    return report, passphrase


def portal_open(*, tracking_code: str, passphrase: str,
                client_address: str | None = None) -> PortalReport:
    """Let a reporter in with code and passphrase. Wrong guesses are slowed, then blocked,
    per code and per address; nothing tells whether the code exists."""
    code = tracking_code.strip().upper()
    _forget_old_attempts()
    code_key, addr_key = f"follow:{code}", f"follow-addr:{address_key(client_address)}"
    window = timedelta(minutes=settings.PCTP_PORTAL_BLOCK_MINUTES)
    # The attempt is written (and committed) before anything is checked, so that guesses
    # sent at once each see the others: at most PCTP_PORTAL_MAX_FAILURES ever reach the
    # passphrase. A right passphrase takes its own attempt back.
    # A request refused before the check (blocked, or too soon) takes its attempt back too:
    # it checked nothing, so it neither uses up the citizen's tries nor extends a block. The
    # bound holds: a row is taken back only by a request that never reaches the passphrase.
    with transaction.atomic():
        mine = Attempt.objects.bulk_create([Attempt(key=code_key), Attempt(key=addr_key)])
    if (_count(code_key, window) > settings.PCTP_PORTAL_MAX_FAILURES
            or _count(addr_key, window) > settings.PCTP_PORTAL_MAX_FAILURES * 3):
        Attempt.objects.filter(pk__in=[a.pk for a in mine]).delete()
        raise RateLimited("blocked", _("Too many wrong tries. Please try again in %(minutes)s "
                                       "minutes.") % {"minutes": settings.PCTP_PORTAL_BLOCK_MINUTES})
    slow_after = settings.PCTP_PORTAL_SLOW_AFTER
    previous = (Attempt.objects.filter(key=code_key).exclude(pk=mine[0].pk)
                .order_by("-at").first())
    if (previous and _count(code_key, window) > slow_after
            and timezone.now() - previous.at < timedelta(
                seconds=settings.PCTP_PORTAL_SLOW_SECONDS)):
        Attempt.objects.filter(pk__in=[a.pk for a in mine]).delete()
        raise RateLimited("slow_down", _("Please wait a few seconds and try again."))
    report = PortalReport.objects.filter(tracking_code=code).first()
    stored = report.passphrase_hash if report else make_password("x")  # same work either way
    if report is None or not check_password(passphrase.strip().lower(), stored):
        raise WrongCredentials("wrong_credentials",
                               _("The tracking code or the passphrase is not right."))
    Attempt.objects.filter(pk__in=[a.pk for a in mine]).delete()
    return report


@transaction.atomic
def portal_reporter_message(*, report: PortalReport, text: str, files=()) -> PortalMessage:
    if not text.strip() and not files:
        raise DomainError("invalid", _("The message is empty."),
                          details={"text": [_("Write the message.")]})
    if report.status in (ReportStatus.CLOSED_ABUSE,):
        raise InvalidTransition("closed", _("This report is closed."))
    message = PortalMessage.objects.create(report=report, sender=PortalMessage.Sender.REPORTER,
                                           text=text.strip())
    _attach(report, list(files), message)
    audit_record(actor=None, action="portal.reporter_message", obj=report,
                 from_state=report.status, to_state=report.status)
    return message


# ----------------------------------------------------------------------------- staff

def _lock(report: PortalReport) -> PortalReport:
    return PortalReport.objects.select_for_update().select_related("unit", "commune").get(
        pk=report.pk)


def _require(actor, report: PortalReport) -> None:
    if not user_has_perm_in_unit(actor, "portal.triage_portal", report.unit):
        raise PermissionRefused("forbidden", _("You do not handle this unit's reports."))


def _need_new(report: PortalReport, step: str) -> None:
    if report.status != ReportStatus.NEW:
        raise InvalidTransition("invalid_transition",
                                _("Cannot %(step)s: the report is «%(status)s».")
                                % {"step": step, "status": report.get_status_display()},
                                details={"state": report.status})


def _identity(report: PortalReport) -> dict:
    return decrypt_json(report.identity, context=f"portal:{report.pk}") if report.identity else {}


@transaction.atomic
def portal_convert(*, actor, report: PortalReport, summary: str) -> Source:
    """Enter the report in the unit's register as a crime source (channel: online portal)."""
    report = _lock(report)
    _require(actor, report)
    _need_new(report, _("convert it into a crime source"))
    ident = _identity(report)
    reporter = (sources.Reporter(type=ReporterType.ANONYMOUS) if report.anonymous else
                sources.Reporter(type=ReporterType.PERSON, name=ident.get("name", ""),
                                 personal_id=ident.get("personal_id", ""),
                                 contact=ident.get("contact", ""),
                                 confidential=report.confidential))
    source = sources.source_receive(
        actor=actor, unit=report.unit, kind=Kind.DENUNCIATION, channel=Channel.PORTAL,
        summary=summary or report.get_crime_type_display(), content=report.description,
        reporter=reporter, received_at=report.created_at, occurred_at=report.occurred_at,
        commune=report.commune, address=report.place, lat=report.lat, lon=report.lon,
        client_token=f"portal-{report.pk}")
    report.status, report.source, report.handled_by = ReportStatus.CONVERTED, source, actor
    report.save(update_fields=["status", "source", "handled_by"])
    audit_record(actor=actor, action="portal.convert", obj=report, from_state=ReportStatus.NEW,
                 to_state=report.status, changes={"source": [None, source.pk]})
    return source


@transaction.atomic
def portal_forward(*, actor, report: PortalReport, to_unit: Unit, reason: str) -> PortalReport:
    report = _lock(report)
    _require(actor, report)
    _need_new(report, _("forward it to another unit"))
    if to_unit.kind != Unit.Kind.COMMUNE_POLICE and to_unit.kind != Unit.Kind.INVESTIGATION_BODY:
        raise DomainError("invalid", _("Reports are forwarded only to a commune police or an "
                                       "investigation body."))
    previous = report.unit
    report.unit = to_unit
    report.status_reason = reason.strip()
    report.save(update_fields=["unit", "status_reason"])
    audit_record(actor=actor, action="portal.forward", obj=report, from_state=report.status,
                 to_state=report.status, changes={"unit": [previous.pk, to_unit.pk]}, note=reason)
    return report


@transaction.atomic
def portal_merge(*, actor, report: PortalReport, source: Source, reason: str = "") -> PortalReport:
    report = _lock(report)
    _require(actor, report)
    _need_new(report, _("merge it"))
    report.status, report.source, report.handled_by = ReportStatus.MERGED, source, actor
    report.status_reason = reason.strip()
    report.save(update_fields=["status", "source", "handled_by", "status_reason"])
    audit_record(actor=actor, action="portal.merge", obj=report, from_state=ReportStatus.NEW,
                 to_state=report.status, changes={"source": [None, source.pk]}, note=reason)
    return report


@transaction.atomic
def portal_close(*, actor, report: PortalReport, abuse: bool, reason: str) -> PortalReport:
    report = _lock(report)
    _require(actor, report)
    _need_new(report, _("close it"))
    if not reason.strip():
        raise DomainError("invalid", _("Give the reason (the reporter will see it)."),
                          details={"reason": [_("Required.")]})
    report.status = ReportStatus.CLOSED_ABUSE if abuse else ReportStatus.CLOSED_NOT_CRIME
    report.status_reason, report.handled_by = reason.strip(), actor
    report.save(update_fields=["status", "status_reason", "handled_by"])
    audit_record(actor=actor, action="portal.close", obj=report, from_state=ReportStatus.NEW,
                 to_state=report.status, note=reason)
    return report


@transaction.atomic
def portal_reply(*, actor, report: PortalReport, text: str) -> PortalMessage:
    report = _lock(report)
    allowed = user_has_perm_in_unit(actor, "portal.triage_portal", report.unit) or (
        report.source is not None and report.source.assignee_id == actor.pk)
    if not allowed:
        raise PermissionRefused("forbidden", _("You do not handle this report."))
    if not text.strip():
        raise DomainError("invalid", _("The message is empty."),
                          details={"text": [_("Write the message.")]})
    message = PortalMessage.objects.create(report=report, sender=PortalMessage.Sender.OFFICER,
                                           officer=actor, text=text.strip())
    audit_record(actor=actor, action="portal.reply", obj=report, from_state=report.status,
                 to_state=report.status)
    return message


def portal_identity(*, actor, report: PortalReport) -> dict:
    if report.anonymous:
        return {}
    if not user_has_perm_in_unit(actor, "portal.triage_portal", report.unit):
        raise PermissionRefused("forbidden", _("You may not see who the reporter is."))
    with transaction.atomic():
        access_record(actor=actor, obj=report, fields="reporter_identity",
                      purpose="portal triage")
    return _identity(report)


def verify_identities(*, limit: int = 100, commit: bool = False) -> dict[str, int]:
    """Check pending identified reporters against the population database adapter."""
    from pctp.portal.population import population_adapter

    adapter = population_adapter()
    counts: dict[str, int] = {}
    for report in PortalReport.objects.filter(identity_check=IdentityCheck.PENDING)[:limit]:
        ident = _identity(report)
        result = adapter.verify(ident.get("personal_id", ""), ident.get("name", ""))
        counts[result.status] = counts.get(result.status, 0) + 1
        if commit:
            with transaction.atomic():
                PortalReport.objects.filter(pk=report.pk).update(identity_check=result.status)
                audit_record(actor=None, action="portal.identity_check", obj=report,
                             to_state=result.status)
    return counts


# ----------------------------------------------------------------------------- warnings

def normalise_indicator(kind: str, value: str) -> str:
    value = value.strip()
    if kind == FraudIndicator.Kind.PHONE:
        digits = "".join(ch for ch in value if ch.isdigit())
        return "0" + digits[2:] if digits.startswith("84") else digits
    if kind == FraudIndicator.Kind.BANK_ACCOUNT:
        return "".join(ch for ch in value if ch.isalnum()).upper()
    value = value.lower()
    for prefix in ("https://", "http://", "www."):
        value = value.removeprefix(prefix)
    return value.rstrip("/")


@transaction.atomic
def indicator_confirm(*, actor, source: Source, kind: str, value: str) -> FraudIndicator:
    """An officer handling a fraud source enters a phone, account or address it names. A new
    one waits for another officer's verification (`indicator_verify`) before citizens see
    it; one already verified only gains the source."""
    if kind not in FraudIndicator.Kind.values:
        raise DomainError("invalid", _("Invalid kind of sign."), details={"kind": ["?"]})
    if not (user_has_perm_in_unit(actor, "sources.verify_source", source.holder)
            or user_has_perm_in_unit(actor, "sources.classify_source", source.holder)):
        raise PermissionRefused("forbidden", _("You do not handle this crime source."))
    normal = normalise_indicator(kind, value)
    if len(normal) < 6:
        raise DomainError("invalid", _("The value is too short."),
                          details={"value": [_("Check it again.")]})
    indicator, _created = FraudIndicator.objects.get_or_create(
        kind=kind, value=normal,
        defaults={"confirmed_by": actor, "last_seen": timezone.localdate(source.received_at)})
    indicator.sources.add(source)
    seen = timezone.localdate(source.received_at)
    if seen > indicator.last_seen:
        indicator.last_seen = seen
        indicator.save(update_fields=["last_seen"])
    audit_record(actor=actor, action="portal.indicator_confirm", obj=indicator,
                 changes={"source": [None, source.pk]})
    return indicator


def _may_verify(actor, indicator: FraudIndicator) -> bool:
    return any(user_has_perm_in_unit(actor, perm, source.holder)
               for source in indicator.sources.select_related("holder")
               for perm in ("sources.verify_source", "sources.classify_source"))


@transaction.atomic
def indicator_verify(*, actor, indicator: FraudIndicator, note: str) -> FraudIndicator:
    """A second officer, who did not enter it, checks the indicator against its sources and
    records why it is a fraudster's: only then is it shown in the public lookup."""
    indicator = FraudIndicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.verified_at is not None:
        raise InvalidTransition("already_verified", _("This sign has already been verified."))
    if indicator.confirmed_by_id == actor.pk:
        raise PermissionRefused("four_eyes", _("Whoever entered a sign cannot verify it: "
                                               "another officer must check it."))
    if not _may_verify(actor, indicator):
        raise PermissionRefused("forbidden", _("You handle no crime source naming this sign."))
    if len(note.strip()) < 10:
        raise DomainError("note_required", _("State the grounds of the verification (at least "
                                             "10 characters)."),
                          details={"note": [_("State the grounds of the verification.")]})
    indicator.verified_by, indicator.verified_at = actor, timezone.now()
    indicator.verification_note = note.strip()[:2000]
    indicator.save(update_fields=["verified_by", "verified_at", "verification_note"])
    audit_record(actor=actor, action="portal.indicator_verify", obj=indicator,
                 changes={"verified": [False, True]}, note=indicator.verification_note[:300])
    return indicator
