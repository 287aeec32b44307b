"""Extension requests, once for every limit (issue 18): a crime source's resolution limit
(sources.ExtensionRequest), a case's stage limit (cases.Extension) and a custody or
detention (cases.MeasureExtension) share their fields here and one request/decide flow.

What differs stays with each service: which limit, who may ask and who may grant (by the
law in force on the day), until when, and what a late decision counts (issues 15 and 16).
The flow only does what is the same everywhere: one pending request at a time, a reason,
the pending request found or 409, a request decided once, the decision written.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pctp.core.errors import DomainError, InvalidTransition


class ExtensionRequestBase(models.Model):
    """The fields every extension request has; each concrete model adds its record (the
    source, the case, the measure), its own dates and its own constraint of one pending."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting the procuracy")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    number = models.PositiveSmallIntegerField(_("extension number"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decision_note = models.TextField(_("reasons of the procuracy"), blank=True)
    granted_level = models.CharField(_("granted by (level)"), max_length=12, blank=True)
    # Decided after the limit had expired: recorded only as a late decision; the days in
    # between count as past the limit.
    late = models.BooleanField(_("decided after the limit expired"), default=False)
    gap_days = models.PositiveSmallIntegerField(_("days past the limit"), default=0)

    class Meta:
        abstract = True


def in_time_to_ask(request_by: date | None, on: date) -> bool:
    """Whether an extension may still be asked on `on`: by `request_by`, the law's last day
    to ask before the limit (5 days for a source, CPC Art. 147; 10 for an investigation or a
    custody or detention, Arts. 172, 174). Services refuse after it; pages do not offer it."""
    return request_by is None or on <= request_by


def pending_request(rows: QuerySet) -> ExtensionRequestBase:
    """The pending request among a record's requests (``source.extension_requests``,
    ``case.extensions``, ``measure.extension_rows``), or 409 for the page and the API."""
    row = rows.filter(state="pending").first()
    if row is None:
        raise DomainError("no_request", gettext("No extension request is pending."), status=409)
    return row


def extension_request(rows: QuerySet, *, actor, reason: str, number: int,
                      **fields) -> ExtensionRequestBase:
    """Ask for an extension, after the service's own checks of the limit: refused while
    another waits, and without a reason. ``rows`` is the record's related manager."""
    if rows.filter(state="pending").exists():
        raise InvalidTransition("request_pending",
                                gettext("An extension request is already awaiting the procuracy."))
    if not (reason or "").strip():
        raise DomainError("invalid", gettext("Give the reason for the extension request."),
                          details={"reason": [gettext("Required.")]})
    return rows.create(number=number, requested_by=actor, reason=reason.strip(), **fields)


def lock_pending(request: ExtensionRequestBase) -> ExtensionRequestBase:
    """The request locked for its decision (before its record: always in that order); a
    request is decided once."""
    row = type(request).objects.select_for_update().get(pk=request.pk)
    if row.state != "pending":
        raise InvalidTransition("already_decided",
                                gettext("This extension request has already been decided."))
    return row


def extension_decided(request: ExtensionRequestBase, *, actor, approve: bool, note: str,
                      grant, **fields) -> ExtensionRequestBase:
    """Write the decision on the request (not saved: the service saves it with its
    record): approved or refused, by whom, why, at which level (``grant``, from
    pctp.units.authority.check_grant) and the higher procuracy's document if any."""
    request.state = request.State.APPROVED if approve else request.State.REFUSED
    request.decided_by = actor
    request.decision_note = note.strip()
    request.granted_level = grant.level
    if hasattr(request, "authority_document"):
        request.authority_document = grant.document
    for name, value in fields.items():
        setattr(request, name, value)
    return request
