"""Crime sources (nguồn tin về tội phạm): denunciations, crime reports and recommendations
to prosecute, from receipt to decision (CPC Arts. 144–149, TTLT 01/2017, TT 28/2020)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pctp.core.extensions import ExtensionRequestBase
from pctp.law.models import CrimeGroup, Offence, OffenceClause, Severity
from pctp.units.models import Commune, Unit


class Kind(models.TextChoices):
    DENUNCIATION = "denunciation", _("denunciation")
    CRIME_REPORT = "crime_report", _("crime report")
    RECOMMENDATION = "recommendation", _("recommendation to prosecute")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("telephone")
    POST = "post", _("post")
    HOTLINE_113 = "hotline_113", _("113 line")
    PORTAL = "portal", _("online portal")
    VNEID = "vneid", _("VNeID")
    MEDIA = "media", _("media")
    TRANSFER = "transfer", _("transfer from another body")
    REGISTER = "register", _("imported from an earlier register")


class ReporterType(models.TextChoices):
    PERSON = "person", _("a person")
    AGENCY = "agency", _("an agency or organisation")
    ANONYMOUS = "anonymous", _("anonymous")


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    CLASSIFIED = "classified", _("classified")
    VERIFYING = "verifying", _("being verified")
    SUSPENDED = "suspended", _("suspended")
    INITIATED = "initiated", _("case initiated")
    DECLINED = "declined", _("not initiated")
    TRANSFERRED = "transferred", _("transferred")
    MERGED = "merged", _("merged")


OPEN_STATUSES = (Status.RECEIVED, Status.CLASSIFIED, Status.VERIFYING)
RESOLVED_STATUSES = (Status.INITIATED, Status.DECLINED)
CLOSED_STATUSES = (Status.INITIATED, Status.DECLINED, Status.TRANSFERRED, Status.MERGED)


class Outcome(models.TextChoices):
    INITIATE = "initiate", _("initiate a case")
    DECLINE = "decline", _("do not initiate")
    SUSPEND = "suspend", _("suspend")


class DeclineGround(models.TextChoices):
    """CPC Art. 157: grounds for not initiating a criminal case."""

    NO_CRIME = "no_crime", _("no criminal act occurred (Art. 157.1)")
    NOT_A_CRIME = "not_a_crime", _("the act does not constitute a crime (Art. 157.2)")
    UNDER_AGE = "under_age", _("the actor is under the age of criminal responsibility (Art. 157.3)")
    ALREADY_JUDGED = "already_judged", _("already judged or terminated (Art. 157.4)")
    TIME_BARRED = "time_barred", _("statute of limitations expired (Art. 157.5)")
    AMNESTY = "amnesty", _("amnesty (Art. 157.6)")
    DECEASED = "deceased", _("the actor has died (Art. 157.7)")
    NO_COMPLAINT = "no_complaint", _("the victim did not request prosecution (Art. 155)")


class SuspendGround(models.TextChoices):
    """CPC Art. 148(1): the only lawful grounds to suspend resolving a source."""

    EXPERT_EXAMINATION = "expert_examination", _(
        "awaiting expert examination, valuation or foreign judicial assistance")
    DOCUMENTS = "documents", _("awaiting decisive documents or objects")
    FORCE_MAJEURE = "force_majeure", _("force majeure (disaster, epidemic)")


class Source(models.Model):
    # Register: numbering per receiving unit and year (sổ tiếp nhận).
    unit = models.ForeignKey(Unit, verbose_name=_("receiving unit"), on_delete=models.PROTECT,
                             related_name="registered_sources")
    register_year = models.PositiveSmallIntegerField(_("register year"))
    register_number = models.PositiveIntegerField(_("register number"))
    holder = models.ForeignKey(Unit, verbose_name=_("unit handling it"), on_delete=models.PROTECT,
                               related_name="held_sources")
    procuracy = models.ForeignKey(Unit, verbose_name=_("supervising procuracy"),
                                  on_delete=models.PROTECT, related_name="supervised_sources",
                                  null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.RECEIVED, db_index=True)

    received_at = models.DateTimeField(_("received at"))
    # When the body that classifies received it (differs when a commune passed it on).
    holder_received_at = models.DateTimeField(_("received by the handling unit at"))
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT,
                                related_name="sources", null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    content = models.TextField(_("content"))
    search_text = models.TextField(editable=False, default="")

    reporter_type = models.CharField(_("reporter"), max_length=10, choices=ReporterType.choices)
    # The identity (name, personal ID, contact, agency) is encrypted at rest; see services.
    reporter_identity = models.BinaryField(null=True, blank=True, editable=False)
    reporter_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    confidential = models.BooleanField(_("reporter asked for confidentiality"), default=False)

    offence = models.ForeignKey(Offence, verbose_name=_("offence"), on_delete=models.PROTECT,
                                null=True, blank=True, related_name="sources")
    clause = models.ForeignKey(OffenceClause, verbose_name=_("clause"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="sources")
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices,
                                blank=True)
    crime_group = models.CharField(_("crime group"), max_length=20, choices=CrimeGroup.choices,
                                   blank=True, db_index=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    # First classification, transfer or merge: the moment target T2 measures.
    handled_at = models.DateTimeField(_("first handled at"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("passed to the investigation body at"), null=True,
                                        blank=True)

    # Commune police pass a source on within 24 hours (48 for remote communes).
    forward_due = models.DateTimeField(_("to pass on by"), null=True, blank=True)
    # Receipt notice to the procuracy and the reporter: 3 working days (TTLT 01/2017).
    notice_due = models.DateField(_("receipt notice due"), null=True, blank=True)
    transfer_target = models.ForeignKey(Unit, verbose_name=_("transferred to unit"),
                                        on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="incoming_transfers")

    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("investigator"),
                                 on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="assigned_sources")
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    # When the assignee first opened the source after it was given to them: until then it
    # is marked new in their lists and on their home page (issue 17).
    assignee_seen_at = models.DateTimeField(_("opened by the investigator at"), null=True,
                                            blank=True)

    # The resolution clock (Art. 147–149): which rule, from when, how many extensions.
    clock_rule = models.CharField(max_length=40, default="source.resolve")
    clock_start = models.DateField(_("clock started"))
    extensions = models.PositiveSmallIntegerField(_("extensions granted"), default=0)
    due_date = models.DateField(_("resolution due"), db_index=True)
    # Days the source ran past its limit before a late extension covered them.
    late_days = models.PositiveSmallIntegerField(_("days past the limit"), default=0)

    procuracy_notified_at = models.DateTimeField(_("procuracy notified at"), null=True, blank=True)
    reporter_notified_at = models.DateTimeField(_("reporter notified at"), null=True, blank=True)

    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decline_ground = models.CharField(_("ground for not initiating"), max_length=20,
                                      choices=DeclineGround.choices, blank=True)
    suspend_ground = models.CharField(_("ground for suspension"), max_length=20,
                                      choices=SuspendGround.choices, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    decision_note = models.TextField(_("reasons"), blank=True)

    transferred_to = models.OneToOneField("self", verbose_name=_("transferred to"),
                                          on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="transferred_from")
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="merged_sources")

    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                    editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("crime source")
        verbose_name_plural = _("crime sources")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "register_year", "register_number"],
                                    name="one_register_number_per_unit_year"),
        ]
        indexes = [
            models.Index(fields=["holder", "status", "due_date"]),
            models.Index(fields=["assignee", "status", "due_date"]),
            models.Index(fields=["procuracy", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            # The KPI counts read these alone (index-only scans): T3 (decided in a period or
            # still undecided) and T2 (received in a period, handled within 24 hours).
            models.Index(fields=["decided_at"], name="sources_kpi_decided",
                         include=["received_at", "status", "holder", "commune"]),
            models.Index(fields=["received_at"], name="sources_kpi_received",
                         include=["handled_at", "holder_received_at", "holder", "commune"]),
            models.Index(fields=["received_at"]),
            models.Index(fields=["commune", "received_at"]),
        ]
        permissions = [
            ("receive_source", "Receive a crime source into the register"),
            ("import_source", "Import crime sources from a register file"),
            ("classify_source", "Classify a crime source, pass it on or transfer it"),
            ("transfer_source", "Transfer a crime source to the competent body"),
            ("assign_source", "Assign a crime source to an investigator"),
            ("verify_source", "Record verification of a crime source"),
            ("decide_source", "Decide a crime source: initiate, decline or suspend"),
            ("request_extension", "Request an extension of the resolution limit"),
            ("extend_deadline", "Grant the first extension (head of the investigation body)"),
            ("approve_extension", "Approve or refuse an extension (procuracy)"),
            ("supervise_source", "Supervise crime sources (procuracy)"),
            ("view_reporter_identity", "See a reporter's identity"),
        ]

    def __str__(self) -> str:
        return f"{self.register_code} {self.summary}"

    @property
    def register_code(self) -> str:
        return f"{self.register_number}/{self.register_year}/{self.unit.short_name or self.unit.code}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ExtensionRequest(ExtensionRequestBase):
    """The second extension of a source's resolution limit, asked of the procuracy
    (CPC Art. 147(2)); the fields and the flow in common are pctp.core.extensions'."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="extension_requests")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["source"], condition=models.Q(state="pending"),
                                    name="one_pending_extension_per_source"),
        ]

    def __str__(self) -> str:
        return _("Extension %(n)s — %(record)s") % {"n": self.number, "record": self.source}


class VerificationNote(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("note"))
    procuracy_request = models.BooleanField(_("request from the procuracy"), default=False)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y} {self.text[:40]}"


class Attachment(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="sources/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
