"""The citizens' portal: online reports with a tracking code and passphrase, a two-way
anonymous conversation, crime-prevention bulletins and verified fraud indicators."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pctp.units.models import Commune, Unit


class CrimeType(models.TextChoices):
    """What a citizen can name in plain words; an officer classifies the offence later."""

    THEFT = "theft", _("theft, snatching, burglary")
    FRAUD = "fraud", _("fraud, online scams")
    VIOLENCE = "violence", _("assault, fighting, threats")
    DRUGS = "drugs", _("drugs")
    GAMBLING = "gambling", _("gambling, loan sharking")
    TRAFFICKING = "trafficking", _("human trafficking, child abuse")
    ENVIRONMENT = "environment", _("environment, food safety")
    CORRUPTION = "corruption", _("corruption, bribery")
    OTHER = "other", _("something else")


class ReportStatus(models.TextChoices):
    NEW = "new", _("received, awaiting review")
    CONVERTED = "converted", _("entered as a crime source")
    FORWARDED = "forwarded", _("forwarded to the competent unit")
    MERGED = "merged", _("joined to an existing matter")
    CLOSED_NOT_CRIME = "closed_not_crime", _("closed: not a crime")
    CLOSED_ABUSE = "closed_abuse", _("closed: abusive or false")


class IdentityCheck(models.TextChoices):
    NONE = "none", _("anonymous")
    PENDING = "pending", _("awaiting check")
    MATCHED = "matched", _("matches the population database")
    MISMATCH = "mismatch", _("does not match")
    UNAVAILABLE = "unavailable", _("check unavailable")


class PortalReport(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    passphrase_hash = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit reviewing it"), on_delete=models.PROTECT,
                             related_name="portal_reports")
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT,
                                related_name="portal_reports")
    occurred_at = models.DateTimeField(_("when it happened"), null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    crime_type = models.CharField(_("kind of crime"), max_length=20, choices=CrimeType.choices)
    description = models.TextField(_("what happened"))
    anonymous = models.BooleanField(_("anonymous"), default=True)
    identity = models.BinaryField(null=True, blank=True, editable=False)
    confidential = models.BooleanField(_("asked for confidentiality"), default=False)
    identity_check = models.CharField(max_length=12, choices=IdentityCheck.choices,
                                      default=IdentityCheck.NONE)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.NEW, db_index=True)
    status_reason = models.TextField(_("reason given to the reporter"), blank=True)
    source = models.ForeignKey("sources.Source", verbose_name=_("crime source"),
                               on_delete=models.PROTECT, null=True, blank=True,
                               related_name="portal_reports")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    # The submitter's idempotency key, scoped to their portal session (or, through the API,
    # to a daily keyed hash of the address) and hashed: no address, no session id.
    client_token = models.CharField(max_length=64, unique=True, editable=False)
    # What was submitted under that key, hashed: a retry must send the same report.
    client_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("portal report")
        verbose_name_plural = _("portal reports")
        ordering = ["-created_at"]
        permissions = [("triage_portal", "Review reports from the citizens' portal"),
                       ("publish_warnings", "Write bulletins and confirm fraud indicators")]

    def __str__(self) -> str:
        return f"{self.tracking_code} ({self.get_status_display()})"


class PortalMessage(models.Model):
    class Sender(models.TextChoices):
        REPORTER = "reporter", _("reporter")
        OFFICER = "officer", _("officer")

    report = models.ForeignKey(PortalReport, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=10, choices=Sender.choices)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.sender} {self.created_at:%d/%m/%Y}"


class PortalAttachment(models.Model):
    report = models.ForeignKey(PortalReport, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(PortalMessage, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="attachments")
    file = models.FileField(upload_to="portal/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Attempt(models.Model):
    """A counted event for rate limits (submissions per address, wrong passphrases per
    code and per address). The address is stored only as a keyed hash whose key changes
    every day and is then deleted (`AddressSalt`), and every row older than a day is deleted:
    after that nothing can tie a report to an address."""

    key = models.CharField(max_length=100, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key


class AddressSalt(models.Model):
    """The day's random key for hashing client addresses in rate limits. Deleted the next
    day, so that an address cannot be hashed again to find yesterday's rows."""

    day = models.DateField(unique=True)
    salt = models.BinaryField()

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class Bulletin(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="bulletins")

    class Meta:
        verbose_name = _("crime-prevention bulletin")
        verbose_name_plural = _("crime-prevention bulletins")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class FraudIndicator(models.Model):
    """A phone number, bank account or web address named by verified fraud sources."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("phone number")
        BANK_ACCOUNT = "bank_account", _("bank account")
        URL = "url", _("web address")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=200)
    sources = models.ManyToManyField("sources.Source", related_name="fraud_indicators")
    # Entered by one officer, shown to citizens only once another has verified it with a
    # note (issue 17: nobody publishes an unverified number alone).
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"),
                                    on_delete=models.PROTECT, related_name="+", null=True,
                                    blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, db_index=True)
    verification_note = models.TextField(_("verification note"), blank=True)
    last_seen = models.DateField(_("last seen"))

    class Meta:
        verbose_name = _("fraud indicator")
        verbose_name_plural = _("fraud indicators")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="one_indicator")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class RegistryPerson(models.Model):
    """The local stand-in for the National Population Database, used in the demo and tests."""

    personal_id = models.CharField(max_length=12, unique=True)
    full_name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.personal_id
