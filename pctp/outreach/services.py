"""Outreach campaigns and the register of false information (issue 22): every change goes
through here, checked against the user's unit and permission, and leaves a journal row."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.audit import audit_record
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.law.models import CrimeGroup, Offence
from pctp.outreach.models import (
    Audience,
    Campaign,
    Channel,
    ClaimStatus,
    FalseClaim,
    Material,
    Platform,
    ReachEntry,
    Refutation,
    RefutationRevision,
)
from pctp.units.selectors import user_has_perm_in_unit

FORBIDDEN = _("You may not change this: it belongs to another unit.")
# Dates before this are typing errors (the province's records begin later); campaigns are
# planned at most this many years ahead.
EARLIEST = date(2000, 1, 1)
PLAN_YEARS_AHEAD = 5
MAX_COUNT = 1_000_000_000  # views, participants, reach: more is a typing error
CRIME_GROUPS = tuple(CrimeGroup.values)


def _require(actor, perm: str, unit) -> None:
    if actor is None or not actor.has_perm(perm):  # a role that only sees outreach
        raise PermissionRefused("forbidden", _("You may not do this."))
    if unit is None or not user_has_perm_in_unit(actor, perm, unit):
        raise PermissionRefused("forbidden", str(FORBIDDEN))


def _choices(values, allowed, field: str, errors: dict) -> list[str]:
    values = list(dict.fromkeys(v for v in (values or []) if v))
    wrong = [v for v in values if v not in allowed]
    if wrong:
        errors[field] = [_("Not a valid choice: %(v)s.") % {"v": ", ".join(wrong)}]
    return values


# ----------------------------------------------------------------------------- campaigns

def _campaign_errors(d: dict) -> tuple[dict, dict]:
    from pctp.units.models import Commune

    errors: dict[str, list[str]] = {}
    clean = {}
    for field, message in (("title", _("A title is required.")),
                           ("theme", _("Say what the campaign is about."))):
        clean[field] = (d.get(field) or "").strip()
        if not clean[field]:
            errors[field] = [message]
    clean["description"] = (d.get("description") or "").strip()
    start, end = d.get("starts_on"), d.get("ends_on")
    if not isinstance(start, date) or not isinstance(end, date):
        errors["starts_on"] = [_("Give the first and last day.")]
    elif start < EARLIEST or end > date(timezone.localdate().year + PLAN_YEARS_AHEAD, 12, 31):
        errors["starts_on"] = [_("A campaign runs between %(first)s and %(years)s years from "
                                 "now.") % {"first": f"{EARLIEST:%d/%m/%Y}",
                                            "years": PLAN_YEARS_AHEAD}]
    elif end < start:
        errors["ends_on"] = [_("The campaign ends on or after the day it starts.")]
    clean["starts_on"], clean["ends_on"] = start, end
    budget = d.get("budget")
    if budget is not None and (not isinstance(budget, int) or budget < 0):
        errors["budget"] = [_("An amount cannot be negative.")]
    clean["budget"] = budget
    clean["crime_groups"] = _choices(d.get("crime_groups"), CRIME_GROUPS, "crime_groups",
                                     errors)
    clean["audiences"] = _choices(d.get("audiences"), Audience.values, "audiences", errors)
    clean["channels"] = _choices(d.get("channels"), Channel.values, "channels", errors)
    from pctp.portal.selectors import tip_type_choices

    clean["tip_types"] = _choices(d.get("tip_types"), [k for k, _v in tip_type_choices()],
                                  "tip_types", errors)
    unit = d.get("unit")
    communes = list(d.get("communes") or [])
    if not communes:
        errors["communes"] = [_("Choose the communes the campaign targets.")]
    elif unit is not None:
        allowed = set(Commune.objects.filter(province_id=unit.province_id)
                      .values_list("pk", flat=True))
        if any(c.pk not in allowed for c in communes):
            errors["communes"] = [_("A commune of another province.")]
    clean["communes"] = communes
    clean["warnings"] = list(d.get("warnings") or [])
    articles = [str(a).strip() for a in (d.get("articles") or []) if str(a).strip()]
    offences = list(Offence.objects.filter(article__in=articles, is_offence=True))
    missing = sorted(set(articles) - {o.article for o in offences})
    if missing:
        errors["articles"] = [_("No offence at Art. %(a)s PC.") % {"a": ", ".join(missing)}]
    clean["offences"] = offences
    return clean, errors


def _apply(campaign: Campaign, clean: dict) -> None:
    for field in ("title", "theme", "description", "starts_on", "ends_on", "budget",
                  "crime_groups", "audiences", "channels", "tip_types"):
        setattr(campaign, field, clean[field])


def _snapshot(campaign: Campaign) -> dict:
    """Everything an edit may change, as the journal keeps it (what the effect counts
    included: crime groups, offences, tip types)."""
    return {"title": campaign.title, "theme": campaign.theme,
            "description": campaign.description, "starts_on": campaign.starts_on.isoformat(),
            "ends_on": campaign.ends_on.isoformat(), "budget": campaign.budget,
            "communes": sorted(campaign.communes.values_list("code", flat=True)),
            "crime_groups": sorted(campaign.crime_groups),
            "offences": sorted(campaign.offences.values_list("article", flat=True)),
            "tip_types": sorted(campaign.tip_types), "audiences": sorted(campaign.audiences),
            "warnings": sorted(campaign.warnings.values_list("pk", flat=True)),
            "channels": sorted(campaign.channels)}


@transaction.atomic
def campaign_create(*, actor, unit, **data) -> Campaign:
    """Plan a campaign for ``unit`` (the unit that answers for it)."""
    _require(actor, "outreach.manage_campaign", unit)
    clean, errors = _campaign_errors({**data, "unit": unit})
    if errors:
        raise DomainError("invalid", _("The campaign is not valid yet."), details=errors)
    campaign = Campaign(unit=unit, created_by=actor)
    _apply(campaign, clean)
    campaign.save()
    campaign.communes.set(clean["communes"])
    campaign.offences.set(clean["offences"])
    campaign.warnings.set(clean["warnings"])
    audit_record(actor=actor, action="outreach.campaign_create", obj=campaign,
                 changes={k: [None, v] for k, v in _snapshot(campaign).items()})
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **data) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require(actor, "outreach.manage_campaign", campaign.unit)
    clean, errors = _campaign_errors({**data, "unit": campaign.unit})
    if errors:
        raise DomainError("invalid", _("The campaign is not valid yet."), details=errors)
    before = _snapshot(campaign)
    _apply(campaign, clean)
    campaign.save()
    campaign.communes.set(clean["communes"])
    campaign.offences.set(clean["offences"])
    campaign.warnings.set(clean["warnings"])
    after = _snapshot(campaign)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:  # saving the form unchanged is no event
        audit_record(actor=actor, action="outreach.campaign_update", obj=campaign,
                     changes=changes)
    return campaign


@transaction.atomic
def reach_add(*, actor, campaign: Campaign, channel: str, on: date, views: int = 0,
              participants: int = 0, note: str = "") -> ReachEntry:
    """Reach as reported: views of a post, participants of a session."""
    _require(actor, "outreach.manage_campaign", campaign.unit)
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = [_("Choose a channel.")]
    if not isinstance(on, date) or on > timezone.localdate():
        errors["on"] = [_("A date cannot be in the future.")]
    elif on < campaign.starts_on:
        errors["on"] = [_("Not before the campaign starts (%(d)s).")
                        % {"d": f"{campaign.starts_on:%d/%m/%Y}"}]
    if not isinstance(views, int) or not isinstance(participants, int) or views < 0 \
            or participants < 0:
        errors["views"] = [_("A count cannot be negative.")]
    elif views > MAX_COUNT or participants > MAX_COUNT:
        errors["views"] = [_("At most %(n)s.") % {"n": f"{MAX_COUNT:,}".replace(",", ".")}]
    elif views == 0 and participants == 0:
        errors["views"] = [_("Give the views or the participants.")]
    if errors:
        raise DomainError("invalid", _("The reach is not valid."), details=errors)
    row = ReachEntry.objects.create(campaign=campaign, channel=channel, on=on, views=views,
                                    participants=participants, note=note.strip()[:300],
                                    entered_by=actor)
    audit_record(actor=actor, action="outreach.reach_add", obj=campaign,
                 changes={"channel": [None, channel], "on": [None, on.isoformat()],
                          "views": [None, views], "participants": [None, participants]})
    return row


@transaction.atomic
def material_add(*, actor, campaign: Campaign, uploaded) -> Material:
    """Attach a leaflet, a poster or a script (checked and stripped of metadata like every
    upload)."""
    from pctp.core.uploads import check_upload, strip_metadata

    _require(actor, "outreach.manage_campaign", campaign.unit)
    content_type = check_upload(uploaded)
    clean = strip_metadata(uploaded, content_type)
    row = Material.objects.create(campaign=campaign, file=clean, name=uploaded.name[:200],
                                  content_type=content_type, size=clean.size,
                                  uploaded_by=actor)
    audit_record(actor=actor, action="outreach.material_add", obj=campaign,
                 changes={"material": [None, row.name]})
    return row


# ----------------------------------------------------------------------------- false claims

STEPS = {  # action -> (states it may start from, state after)
    "accept": ({ClaimStatus.REPORTED}, ClaimStatus.SEEN),
    "verify": ({ClaimStatus.SEEN}, ClaimStatus.VERIFIED),
    "refute": ({ClaimStatus.VERIFIED}, ClaimStatus.REFUTED),
    "close": ({ClaimStatus.REFUTED}, ClaimStatus.CLOSED),
    "dismiss": ({ClaimStatus.REPORTED, ClaimStatus.SEEN}, ClaimStatus.DISMISSED),
}


def claim_actions(claim: FalseClaim) -> list[str]:
    return [a for a, (states, _target) in STEPS.items() if claim.status in states]


def _claim_errors(d: dict) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    clean = {"url": (d.get("url") or "").strip(), "claim": (d.get("claim") or "").strip(),
             "facts": (d.get("facts") or "").strip(), "platform": d.get("platform") or "",
             "seen_on": d.get("seen_on"), "reach": d.get("reach")}
    if clean["url"] and not clean["url"].lower().startswith(("http://", "https://")):
        errors["url"] = [_("A link starts with http:// or https://.")]
    if len(clean["url"]) > 500:
        errors["url"] = [_("At most %(n)s characters.") % {"n": 500}]
    if len(clean["claim"]) < 10:
        errors["claim"] = [_("Say what the post claims (at least 10 characters).")]
    elif len(clean["claim"]) > 5000:
        errors["claim"] = [_("At most %(n)s characters.") % {"n": 5000}]
    if clean["platform"] not in Platform.values:
        errors["platform"] = [_("Choose where it appeared.")]
    seen = clean["seen_on"]
    if not isinstance(seen, date):
        errors["seen_on"] = [_("Give the day it was seen.")]
    elif seen > timezone.localdate():
        errors["seen_on"] = [_("A date cannot be in the future.")]
    elif seen < EARLIEST:
        errors["seen_on"] = [_("Not before %(d)s.") % {"d": f"{EARLIEST:%d/%m/%Y}"}]
    if clean["reach"] is not None and (not isinstance(clean["reach"], int)
                                       or clean["reach"] < 0):
        errors["reach"] = [_("A count cannot be negative.")]
    elif clean["reach"] is not None and clean["reach"] > MAX_COUNT:
        errors["reach"] = [_("At most %(n)s.") % {"n": f"{MAX_COUNT:,}".replace(",", ".")}]
    return clean, errors


SOURCE_PREFIXES = ("nguồn tin ", "nguon tin ", "source ", "nt:", "nt ")  # i18n: data
CASE_PREFIXES = ("vụ án ", "vu an ", "case ", "va:", "va ")  # i18n: data


def evidence_from_codes(actor, text: str) -> list[list]:
    """Register numbers of sources or cases (comma or line separated) as evidence
    references; each must name a record the user may see. A source and a case of one body
    may share a number: then the officer says which, "nguồn tin 12/2026/CQCSĐT" or
    "vụ án 12/2026/CQCSĐT"."""
    from pctp.cases.selectors import case_by_register_code
    from pctp.sources.selectors import source_by_register_code

    out, unknown, ambiguous = [], [], []
    for item in [c.strip() for c in text.replace("\n", ",").split(",") if c.strip()]:
        lowered = item.lower()
        kind, code = "", item
        for prefixes, name in ((SOURCE_PREFIXES, "source"), (CASE_PREFIXES, "case")):
            prefix = next((p for p in prefixes if lowered.startswith(p)), None)
            if prefix:
                kind, code = name, item[len(prefix):].strip()
        source = source_by_register_code(actor, code) if kind in ("", "source") else None
        case = case_by_register_code(actor, code) if kind in ("", "case") else None
        if source and case:
            ambiguous.append(code)
        elif source:
            out.append(["sources.source", source.pk])
        elif case:
            out.append(["cases.case", case.pk])
        else:
            unknown.append(item)
    errors = []
    if unknown:
        errors.append(_("No source or case you may see has the number %(c)s.")
                      % {"c": ", ".join(unknown)})
    for code in ambiguous:
        errors.append(_("%(c)s is the number of both a crime source and a case: write "
                        "«source %(c)s» or «case %(c)s».") % {"c": code})
    if errors:
        raise DomainError("invalid", " ".join(errors), details={"evidence": errors})
    return out


def _evidence(actor, refs) -> list[list]:
    """Records the facts rest on, each one the user may see (a source or a case)."""
    from pctp.cases.selectors import case_scope
    from pctp.sources.selectors import source_scope

    out, errors = [], []
    for kind, pk in refs or []:
        scope = {"sources.source": source_scope, "cases.case": case_scope}.get(kind)
        if scope is None or not scope(actor).filter(pk=pk).exists():
            errors.append(f"{kind}:{pk}")
        else:
            out.append([kind, int(pk)])
    if errors:
        raise DomainError("invalid", _("A record you cannot see, or that does not exist."),
                          details={"evidence": [", ".join(errors)]})
    return out


@transaction.atomic
def claim_create(*, actor, unit, evidence=(), campaign: Campaign | None = None,
                 **data) -> FalseClaim:
    """Enter a piece of false information seen (status "seen")."""
    _require(actor, "outreach.manage_claim", unit)
    clean, errors = _claim_errors(data)
    if errors:
        raise DomainError("invalid", _("The entry is not valid yet."), details=errors)
    claim = FalseClaim.objects.create(unit=unit, campaign=campaign, created_by=actor,
                                      evidence=_evidence(actor, evidence), **clean)
    audit_record(actor=actor, action="outreach.claim_create", obj=claim, to_state=claim.status,
                 changes={"platform": [None, claim.platform],
                          "seen_on": [None, claim.seen_on.isoformat()]})
    return claim


def _step(actor, claim: FalseClaim, action: str) -> tuple[FalseClaim, str]:
    claim = FalseClaim.objects.select_for_update().get(pk=claim.pk)
    states, target = STEPS[action]
    if claim.status not in states:
        raise InvalidTransition("invalid_state", _("Cannot do this while the entry is «%(s)s».")
                                % {"s": claim.get_status_display()})
    unit = claim.unit
    if unit is None:  # a citizen's report: the province's register keepers triage it
        from pctp.outreach.selectors import keeps_inbox

        if not keeps_inbox(actor):
            raise PermissionRefused("forbidden", str(FORBIDDEN))
    else:
        _require(actor, "outreach.manage_claim", unit)
    return claim, target


@transaction.atomic
def claim_accept(*, actor, claim: FalseClaim, unit) -> FalseClaim:
    """A citizen's report taken into the register, with the unit that answers for it."""
    claim, target = _step(actor, claim, "accept")
    _require(actor, "outreach.manage_claim", unit)
    before = claim.status
    claim.status, claim.unit = target, unit
    claim.save()
    audit_record(actor=actor, action="outreach.claim_accept", obj=claim, from_state=before,
                 to_state=claim.status, changes={"unit": [None, unit.code]})
    return claim


@transaction.atomic
def claim_verify(*, actor, claim: FalseClaim, facts: str, evidence=()) -> FalseClaim:
    """Verified false: the facts, and the records they rest on."""
    claim, target = _step(actor, claim, "verify")
    facts = facts.strip()
    if len(facts) < 10:
        raise DomainError("invalid", _("State the facts (at least 10 characters)."),
                          details={"facts": [_("State the facts (at least 10 characters).")]})
    before = claim.status
    claim.status, claim.facts = target, facts
    if evidence:
        claim.evidence = _evidence(actor, evidence)
    claim.save()
    audit_record(actor=actor, action="outreach.claim_verify", obj=claim, from_state=before,
                 to_state=claim.status, changes={"evidence": [None, len(claim.evidence)]})
    return claim


def _check_text(title: str, body: str, wording: str) -> dict:
    errors = {}
    if len(title.strip()) < 10:
        errors["title"] = [_("A title of at least %(n)s characters.") % {"n": 10}]
    if len(title) > 200:
        errors["title"] = [_("At most %(n)s characters.") % {"n": 200}]
    if len(body.strip()) < 30:
        errors["body"] = [_("Write the refutation (at least 30 characters).")]
    elif len(body) > 20000:
        errors["body"] = [_("At most %(n)s characters.") % {"n": "20.000"}]
    if len(wording.strip()) < 10:
        errors["claim_wording"] = [_("Say what the post claimed, in words that name no one "
                                     "(at least 10 characters).")]
    elif len(wording) > 1000:
        errors["claim_wording"] = [_("At most %(n)s characters.") % {"n": 1000}]
    return errors


@transaction.atomic
def claim_refute(*, actor, claim: FalseClaim, title: str, body: str,
                 claim_wording: str = "") -> Refutation:
    """Publish the refutation on the portal ("Thông tin sai sự thật"), with the claim as the
    officer words it for the public. An entry the officer wrote may be published in its own
    words (the default); a citizen's report never is: it may name people."""
    claim, target = _step(actor, claim, "refute")
    if not claim_wording.strip() and not claim.from_citizen:
        claim_wording = claim.claim
    errors = _check_text(title, body, claim_wording)
    if errors:
        raise DomainError("invalid", _("The refutation is not valid yet."), details=errors)
    refutation = Refutation.objects.create(claim=claim, title=title.strip(), body=body.strip(),
                                           claim_wording=claim_wording.strip(),
                                           published_at=timezone.now(), author=actor)
    before = claim.status
    claim.status = target
    claim.save()
    audit_record(actor=actor, action="outreach.claim_refute", obj=claim, from_state=before,
                 to_state=claim.status, changes={"refutation": [None, refutation.title]})
    return refutation


@transaction.atomic
def refutation_correct(*, actor, refutation: Refutation, title: str, body: str,
                       reason: str, claim_wording: str | None = None) -> Refutation:
    """Correct a published refutation: the earlier text stays in its history, public."""
    refutation = Refutation.objects.select_for_update().get(pk=refutation.pk)
    _require(actor, "outreach.manage_claim", refutation.claim.unit)
    wording = refutation.claim_wording if claim_wording is None else claim_wording
    errors = _check_text(title, body, wording)
    if not reason.strip():
        errors["reason"] = [_("Say why it is corrected.")]
    if not errors and (title.strip(), body.strip(), wording.strip()) == (
            refutation.title, refutation.body, refutation.claim_wording):
        errors["body"] = [_("Nothing changed.")]
    if errors:
        raise DomainError("invalid", _("The correction is not valid yet."), details=errors)
    RefutationRevision.objects.create(refutation=refutation, title_before=refutation.title,
                                      body_before=refutation.body,
                                      claim_wording_before=refutation.claim_wording,
                                      reason=reason.strip()[:300], by=actor)
    refutation.title, refutation.body = title.strip(), body.strip()
    refutation.claim_wording = wording.strip()
    refutation.updated_at = timezone.now()
    refutation.save()
    audit_record(actor=actor, action="outreach.refutation_correct", obj=refutation.claim,
                 note=reason.strip()[:300])
    return refutation


@transaction.atomic
def claim_close(*, actor, claim: FalseClaim, note: str = "") -> FalseClaim:
    claim, target = _step(actor, claim, "close")
    before = claim.status
    claim.status = target
    claim.save()
    audit_record(actor=actor, action="outreach.claim_close", obj=claim, from_state=before,
                 to_state=claim.status, note=note[:1000])
    return claim


@transaction.atomic
def claim_dismiss(*, actor, claim: FalseClaim, note: str) -> FalseClaim:
    """Not false information (or not about crime): dismissed, with the reason."""
    claim, target = _step(actor, claim, "dismiss")
    if not note.strip():
        raise DomainError("invalid", _("Say why it is dismissed."),
                          details={"note": [_("Required.")]})
    before = claim.status
    claim.status = target
    claim.save()
    audit_record(actor=actor, action="outreach.claim_dismiss", obj=claim, from_state=before,
                 to_state=claim.status, note=note[:1000])
    return claim


# ----------------------------------------------------------------------------- citizens

@transaction.atomic
def citizen_flag(*, url: str, platform: str, seen_on: date | None, claim: str, note: str = "",
                 client_address: str | None = None) -> FalseClaim:
    """A citizen reports a post they think is false: it enters the register's inbox. Rate
    limited like the report form, by a keyed daily hash of the address (nothing of the
    citizen is kept: no name, no address)."""
    from pctp.portal.services import RateLimited, count_attempts, record_attempt

    key = "outreach-flag"
    if count_attempts(key, client_address, timedelta(hours=1)) >= \
            settings.PCTP_PORTAL_SUBMITS_PER_HOUR:
        raise RateLimited("rate_limited", _("You have sent many reports in a short time. "
                                            "Please try again later."))
    clean, errors = _claim_errors({"url": url, "platform": platform, "claim": claim,
                                   "seen_on": seen_on or timezone.localdate(), "reach": None})
    if len(note) > 2000:
        errors["note"] = [_("At most %(n)s characters.") % {"n": 2000}]
    if errors:
        raise DomainError("invalid", _("The report is not valid yet."), details=errors)
    record_attempt(key, client_address)
    same = _open_same_post(clean)
    if same is not None:  # another citizen's report of the same post: counted, not repeated
        FalseClaim.objects.filter(pk=same.pk).update(flags=F("flags") + 1)
        audit_record(actor=None, action="outreach.citizen_flag", obj=same,
                     changes={"flags": [same.flags, same.flags + 1]})
        same.refresh_from_db()
        return same
    row = FalseClaim.objects.create(status=ClaimStatus.REPORTED, from_citizen=True, flags=1,
                                    citizen_note=note.strip(), **clean)
    audit_record(actor=None, action="outreach.citizen_flag", obj=row, to_state=row.status,
                 changes={"platform": [None, row.platform]})
    return row


OPEN_STATES = (ClaimStatus.REPORTED, ClaimStatus.SEEN, ClaimStatus.VERIFIED)


def _open_same_post(clean: dict) -> FalseClaim | None:
    """An open entry of the same post: the same link, or (without one) the same words."""
    rows = FalseClaim.objects.select_for_update().filter(status__in=OPEN_STATES)
    if clean["url"]:
        return rows.filter(url=clean["url"]).order_by("pk").first()
    return rows.filter(url="", platform=clean["platform"], claim=clean["claim"]) \
        .order_by("pk").first()
