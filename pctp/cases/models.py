"""Criminal cases (vụ án hình sự) from initiation through investigation, prosecution and
trial (CPC Arts. 143–343), with the accused, their charges, custody and detention, asset
recovery in corruption and economic cases, and criminal groups."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pctp.core.deadlines import alert_level, end_of_day
from pctp.core.extensions import ExtensionRequestBase
from pctp.law.models import CrimeGroup, Offence, OffenceClause, Severity
from pctp.units.models import Commune, Unit


class Status(models.TextChoices):
    INVESTIGATING = "investigating", _("under investigation")
    SUSPENDED = "suspended", _("investigation suspended")
    SENT_TO_PROCURACY = "sent_to_procuracy", _("sent to the procuracy")
    AT_PROCURACY = "at_procuracy", _("at the procuracy")
    PROSECUTION_SUSPENDED = "prosecution_suspended", _("suspended by the procuracy")
    SENT_TO_COURT = "sent_to_court", _("indicted, sent to the court")
    AT_COURT = "at_court", _("accepted by the court")
    COMMITTED = "committed", _("committed for trial")
    TRIAL_OPEN = "trial_open", _("trial opened")
    JUDGED = "judged", _("judgment delivered")
    RETURNED = "returned", _("returned for supplementary investigation")
    TERMINATED = "terminated", _("terminated")


INVESTIGATION_STATES = (Status.INVESTIGATING, Status.SUSPENDED)
PROCURACY_STATES = (Status.AT_PROCURACY, Status.PROSECUTION_SUSPENDED)
COURT_STATES = (Status.AT_COURT, Status.COMMITTED, Status.TRIAL_OPEN)
# A file in transit: sent by one agency, not yet received by the next.
IN_TRANSIT_STATES = (Status.SENT_TO_PROCURACY, Status.SENT_TO_COURT, Status.RETURNED)
CLOSED_STATES = (Status.JUDGED, Status.TERMINATED)


class Origin(models.TextChoices):
    SOURCE = "source", _("from a crime source (denunciation, report, recommendation)")
    IN_FLAGRANTE = "in_flagrante", _("offender caught in the act (Art. 111)")
    DIRECT = "direct", _("detected directly by the investigation body (Art. 143.4)")
    SURRENDER = "surrender", _("the offender surrendered (Art. 143.5)")
    REGISTER = "register", _("imported from an earlier register")


class DetectionMethod(models.TextChoices):
    CAUGHT_IN_ACT = "caught_in_act", _("caught in the act")
    SURRENDER = "surrender", _("surrender or confession")
    REPORTED = "reported", _("named by the victim or a witness")
    INVESTIGATION = "investigation", _("investigative and operational measures")
    FORENSIC = "forensic", _("forensic examination")
    ELECTRONIC = "electronic", _("cameras and electronic data")
    OTHER = "other", _("other")


class SuspendGround(models.TextChoices):
    """CPC Art. 229(1) (investigation) and Art. 247(1) (prosecution)."""

    ILLNESS = "illness", _("the accused is seriously ill or mentally ill (certified)")
    ABSCONDED = "absconded", _("the accused has absconded or their whereabouts are unknown")
    OFFENDER_UNKNOWN = "offender_unknown", _(
        "the limit expired and the offender has not been identified")
    EXPERT_EXAMINATION = "expert_examination", _(
        "awaiting expert examination, valuation or foreign judicial assistance")
    FORCE_MAJEURE = "force_majeure", _("force majeure (disaster, epidemic)")


class TerminateGround(models.TextChoices):
    """CPC Arts. 155, 157, 230 and 248: why a case ends without trial."""

    NO_COMPLAINT = "no_complaint", _("the victim withdrew the request for prosecution (Art. 155)")
    NO_CRIME = "no_crime", _("no criminal act occurred (Art. 157.1)")
    NOT_A_CRIME = "not_a_crime", _("the act does not constitute a crime (Art. 157.2)")
    UNDER_AGE = "under_age", _("under the age of criminal responsibility (Art. 157.3)")
    TIME_BARRED = "time_barred", _("statute of limitations expired (Art. 157.5)")
    AMNESTY = "amnesty", _("amnesty (Art. 157.6)")
    DECEASED = "deceased", _("the accused has died (Art. 157.7)")
    EXEMPTED = "exempted", _("exempted from criminal responsibility (PC Art. 29)")
    LIMIT_EXPIRED = "limit_expired", _(
        "the investigation limit expired without proof against the accused (Art. 230)")


class Case(models.Model):
    # Register: numbering per investigation body and year.
    investigation_body = models.ForeignKey(Unit, verbose_name=_("investigation body"),
                                           on_delete=models.PROTECT,
                                           related_name="investigated_cases")
    register_year = models.PositiveSmallIntegerField(_("register year"))
    register_number = models.PositiveIntegerField(_("register number"))
    procuracy = models.ForeignKey(Unit, verbose_name=_("supervising procuracy"),
                                  on_delete=models.PROTECT, related_name="supervised_cases")
    court = models.ForeignKey(Unit, verbose_name=_("court"), on_delete=models.PROTECT,
                              related_name="tried_cases", null=True, blank=True)
    investigator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("investigator"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="investigated_cases")
    # When the investigator first opened the case after it was given to them: until then it
    # is marked new on their home page and in their queue (issue 17).
    investigator_seen_at = models.DateTimeField(_("opened by the investigator at"), null=True,
                                                blank=True)
    source = models.OneToOneField("sources.Source", verbose_name=_("crime source"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="case")
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices)

    decision_number = models.CharField(_("decision to initiate"), max_length=60)
    initiated_on = models.DateField(_("initiated on"), db_index=True)
    summary = models.CharField(_("summary"), max_length=300)
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    # The day the case counts as having occurred (T4): the offence's day, else initiation.
    occurred_on = models.DateField(_("occurred on"), db_index=True)
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT,
                                related_name="cases", null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)

    # The GSO rule over every charge of the case (DOMAIN.md §1).
    lead_offence = models.ForeignKey(Offence, verbose_name=_("lead charge"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    lead_clause = models.ForeignKey(OffenceClause, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices,
                                blank=True, db_index=True)
    crime_group = models.CharField(_("crime group"), max_length=20, choices=CrimeGroup.choices,
                                   blank=True, db_index=True)

    status = models.CharField(_("stage"), max_length=24, choices=Status.choices,
                              default=Status.INVESTIGATING, db_index=True)
    status_since = models.DateField(_("in this stage since"))

    # The running clock of the stage (from pctp.law): which rule, from when, extensions.
    clock_rule = models.CharField(max_length=60, blank=True)
    clock_start = models.DateField(null=True, blank=True)
    clock_extensions = models.PositiveSmallIntegerField(default=0)
    force_majeure = models.BooleanField(default=False)
    due_date = models.DateField(_("stage due"), null=True, blank=True, db_index=True)
    # Days a stage ran past its limit before a late extension covered them (never lawful).
    late_days = models.PositiveSmallIntegerField(_("days past a limit"), default=0)

    procuracy_returns = models.PositiveSmallIntegerField(_("returns by the procuracy"), default=0)
    judge_returns = models.PositiveSmallIntegerField(_("returns by the presiding judge"),
                                                     default=0)
    panel_returns = models.PositiveSmallIntegerField(_("returns by the trial panel"), default=0)
    returned_by = models.CharField(max_length=12, blank=True)  # procuracy | court

    # Detection (khám phá): the offender identified.
    detected_on = models.DateField(_("detected on"), null=True, blank=True, db_index=True)
    detection_method = models.CharField(_("how the offender was identified"), max_length=20,
                                        choices=DetectionMethod.choices, blank=True)
    detection_note = models.TextField(_("detection note"), blank=True)

    suspend_ground = models.CharField(_("ground for suspension"), max_length=24,
                                      choices=SuspendGround.choices, blank=True)
    terminate_ground = models.CharField(_("ground for termination"), max_length=24,
                                        choices=TerminateGround.choices, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    trial_on = models.DateField(_("trial scheduled on"), null=True, blank=True)
    judgment_number = models.CharField(_("judgment"), max_length=60, blank=True)
    judgment_on = models.DateField(_("judgment delivered on"), null=True, blank=True)
    judgment_summary = models.TextField(_("judgment summary"), blank=True)

    # Corruption and economic cases (T6): VND, never negative.
    value_lost = models.PositiveBigIntegerField(_("value appropriated or lost (VND)"),
                                                null=True, blank=True)
    recovery_ordered = models.PositiveBigIntegerField(
        _("to be recovered under the judgment (VND)"), null=True, blank=True)

    client_token = models.CharField(max_length=64, unique=True, null=True, blank=True,
                                    editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        ordering = ["-initiated_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["investigation_body", "register_year",
                                            "register_number"],
                                    name="one_case_number_per_body_year"),
            models.CheckConstraint(condition=Q(procuracy_returns__lte=2),
                                   name="procuracy_returns_at_most_twice"),
        ]
        indexes = [
            # "Overdue" and "due soon" over the cases not yet judged: a judged case keeps its
            # last limit, and walking 330,000 judged rows to find 200 open ones took 0.4–0.9 s
            # on the home page (issue 17); this index holds only the open ones (2 ms).
            models.Index(fields=["due_date"], condition=~Q(status="judged"),
                         name="case_open_due_date"),
            models.Index(fields=["investigation_body", "status", "due_date"]),
            models.Index(fields=["procuracy", "status", "due_date"]),
            models.Index(fields=["court", "status", "due_date"]),
            models.Index(fields=["investigator", "status"]),
            models.Index(fields=["crime_group", "initiated_on"]),
            # The KPI counts (T1, T4, T5) read these alone (index-only scans).
            models.Index(fields=["occurred_on"], name="cases_kpi_occurred",
                         include=["initiated_on", "detected_on", "terminate_ground",
                                  "crime_group", "investigation_body", "commune"]),
            models.Index(fields=["initiated_on"], name="cases_kpi_initiated",
                         include=["severity", "detected_on", "terminate_ground",
                                  "investigation_body", "commune"]),
        ]
        permissions = [  # i18n: data (the names are stored in the database)
            ("investigate", "Investigate cases: initiate, charge, detain, conclude (CQĐT)"),
            ("investigate_commune", "Initiate and investigate less serious and serious cases "
                                    "of the commune (commune police chief, Law 99/2025)"),
            ("assign_case", "Assign an investigator to a case (head of the investigation body)"),
            ("prosecute", "Receive files, grant extensions, indict, return (procuracy)"),
            ("try_case", "Accept, bring to trial, try and return cases (court)"),
            ("view_accused_identity", "See the identity of the accused"),
            ("import_case", "Import criminal cases from a register file"),
            ("manage_group", "Keep the register of criminal groups"),
        ]

    def __str__(self) -> str:
        return f"{self.register_code} {self.summary}"

    @property
    def register_code(self) -> str:
        body = self.investigation_body
        return f"{self.register_number}/{self.register_year}/{body.short_name or body.code}"

    @property
    def detected(self) -> bool:
        return self.detected_on is not None


class Referral(models.Model):
    """A handover of the file between agencies: sent by one, received by the other, then
    decided within the receiver's limit. Both sides see it (targets T7 and T8 count these)."""

    class Kind(models.TextChoices):
        CONCLUSION = "conclusion", _("investigation conclusion recommending prosecution")
        INDICTMENT = "indictment", _("indictment")
        RETURN_BY_PROCURACY = "return_by_procuracy", _(
            "returned by the procuracy for supplementary investigation")
        RETURN_BY_COURT = "return_by_court", _(
            "returned by the court for supplementary investigation")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    from_unit = models.ForeignKey(Unit, verbose_name=_("from"), on_delete=models.PROTECT,
                                  related_name="+")
    to_unit = models.ForeignKey(Unit, verbose_name=_("to"), on_delete=models.PROTECT,
                                related_name="+")
    document_number = models.CharField(_("document number"), max_length=60)
    note = models.TextField(_("note"), blank=True)
    sent_on = models.DateField(_("sent on"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    received_on = models.DateField(_("received on"), null=True, blank=True, db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    # The receiver's limit to decide (with the extensions granted) and the outcome.
    due_date = models.DateField(_("to decide by"), null=True, blank=True)
    closed_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("handover of the file")
        verbose_name_plural = _("handovers of the file")
        ordering = ["sent_on", "id"]
        indexes = [models.Index(fields=["kind", "received_on"]),
                   # T8 counts the handovers still open or closed since a period's start
                   # from this index alone, T7 and T8 the ones received from the next.
                   models.Index(fields=["kind", "closed_on"], name="cases_kpi_referral_closed",
                                include=["received_on", "outcome", "case"]),
                   models.Index(fields=["kind", "received_on"], name="cases_kpi_referral",
                                include=["closed_on", "due_date", "outcome", "case"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_number}"

    @property
    def on_time(self) -> bool | None:
        if self.closed_on is None or self.due_date is None:
            return None
        return self.closed_on <= self.due_date


class DatedExtension(ExtensionRequestBase):
    """An extension of a case's limit: dated by its decisions (the paper comes first:
    ``entered_at`` is when it was entered), with the limit before and after and the
    number of a higher procuracy's decision recorded by the supervising one."""

    requested_on = models.DateField(_("requested on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    due_before = models.DateField(null=True, blank=True)
    due_after = models.DateField(null=True, blank=True)
    authority_document = models.CharField(_("decision of the higher procuracy"),
                                          max_length=60, blank=True)
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)

    class Meta:
        abstract = True


class Extension(DatedExtension):
    """An extension of a case's stage clock: requested by the investigation body and
    granted by the procuracy (Art. 172), or granted by the agency that holds the file
    (Art. 240 procuracy, Art. 277 court president)."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting the procuracy")
        APPROVED = "approved", _("granted")
        REFUSED = "refused", _("refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    rule = models.CharField(max_length=60)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING, db_index=True)
    decision_note = models.TextField(_("reasons of the decision"), blank=True)

    class Meta:
        verbose_name = _("extension of a case limit")
        verbose_name_plural = _("extensions of case limits")
        ordering = ["requested_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(state="pending"),
                                    name="one_pending_extension_per_case"),
        ]

    def __str__(self) -> str:
        return _("Extension %(n)s — %(record)s") % {"n": self.number, "record": self.case}


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Verdict(models.TextChoices):
    """What the court found for one defendant (CPC Arts. 326, 355-357)."""

    CONVICTED = "convicted", _("convicted")
    EXEMPTED = "exempted", _("convicted, exempted from criminal responsibility or penalty")
    ACQUITTED = "acquitted", _("declared not guilty")


class Accused(models.Model):
    """A person prosecuted in a case (bị can; bị cáo once the court has accepted the case).

    The identity (name, personal ID number, birth date, residence) is encrypted with the
    row's id bound in; `person_index` is a keyed hash that finds the same person in other
    cases without decrypting anything."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="accused")
    position = models.PositiveSmallIntegerField(_("number in the case"))
    identity = models.BinaryField(editable=False, null=True)
    person_index = models.CharField(max_length=32, db_index=True, editable=False)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    is_lead = models.BooleanField(_("lead accused"), default=False)
    charged_on = models.DateField(_("prosecuted on"))
    sentence = models.CharField(_("sentence"), max_length=300, blank=True)
    # The court's finding, first instance or on appeal, and the day of it.
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices, blank=True)
    verdict_on = models.DateField(_("verdict delivered on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("accused")
        verbose_name_plural = _("accused")
        ordering = ["case", "position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="one_position_per_case"),
            models.UniqueConstraint(fields=["case"], condition=Q(is_lead=True),
                                    name="one_lead_accused_per_case"),
        ]

    def __str__(self) -> str:
        return _("Accused no. %(n)s — %(case)s") % {"n": self.position,
                                                    "case": self.case.register_code}


class Charge(models.Model):
    """A charge: article and clause of the Penal Code. Without an accused it is a charge
    of the decision to initiate the case (the offender may still be unknown)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charges")
    accused = models.ForeignKey(Accused, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="charges")
    offence = models.ForeignKey(Offence, verbose_name=_("article"), on_delete=models.PROTECT,
                                related_name="case_charges")
    clause = models.ForeignKey(OffenceClause, verbose_name=_("clause"), on_delete=models.PROTECT,
                               related_name="case_charges")
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "accused", "clause"],
                                    name="one_charge_per_clause"),
        ]

    def __str__(self) -> str:
        return _("clause %(clause)s of Art. %(article)s") % {"clause": self.clause.clause,
                                                             "article": self.offence.article}


class Measure(models.Model):
    """Custody or detention of an accused (CPC Arts. 118, 173, 174(4), 241, 278, 329): order,
    start, the limit from pctp.law, extensions and release.

    Custody runs from the hour the person was received (``start_at``); detention from its
    first day, day 1. ``due_at`` is the instant the limit expires (24:00 of ``due_date``
    for detention), so a person held one hour past it is already past it. Days already
    served in the same stage, and custody before detention, come off (``deducted_days``,
    TTLT 04/2018 Art. 17). ``late_days`` counts the days held after a limit expired and
    before a late decision covered them: unlawful detention, flagged, never hidden."""

    class Kind(models.TextChoices):
        CUSTODY = "custody", _("custody")
        DETENTION_INVESTIGATION = "detention.investigation", _("detention for investigation")
        DETENTION_RESUMED = "detention.resumed", _("detention in a resumed investigation")
        DETENTION_SUPPLEMENTARY_PROCURACY = "detention.supplementary.procuracy", _(
            "detention in a supplementary investigation (returned by the procuracy)")
        DETENTION_SUPPLEMENTARY_COURT = "detention.supplementary.court", _(
            "detention in a supplementary investigation (returned by the court)")
        DETENTION_PROSECUTION = "detention.prosecution", _("detention for prosecution")
        DETENTION_TRIAL = "detention.trial", _("detention for trial")
        DETENTION_JUDGMENT = "detention.judgment", _("detention after the judgment")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    accused = models.ForeignKey(Accused, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("measure"), max_length=40, choices=Kind.choices)
    order_number = models.CharField(_("order"), max_length=60)
    ordered_by_unit = models.ForeignKey(Unit, verbose_name=_("ordered by"),
                                        on_delete=models.PROTECT, related_name="+")
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    start_on = models.DateField(_("start"))
    start_at = models.DateTimeField(_("received at"), null=True, blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices,
                                blank=True)
    extensions = models.PositiveSmallIntegerField(_("extensions granted"), default=0)
    # Days served before that come off this limit: custody before detention, an earlier
    # order of the same stage (TTLT 04/2018 Art. 17; DOMAIN.md §4).
    deducted_days = models.PositiveSmallIntegerField(_("days already served, deducted"),
                                                     default=0)
    due_date = models.DateField(_("legal limit"), db_index=True)
    due_at = models.DateTimeField(_("limit expires at"), null=True, blank=True, db_index=True)
    late_days = models.PositiveSmallIntegerField(_("days held past the limit"), default=0)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_note = models.TextField(_("release note"), blank=True)

    class Meta:
        verbose_name = _("custody or detention")
        verbose_name_plural = _("custody and detention")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["released_on", "due_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(released_on__isnull=True)
                                   | Q(released_on__gte=models.F("start_on")),
                                   name="release_not_before_start"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order_number}"

    @property
    def active(self) -> bool:
        return self.released_on is None

    @property
    def is_custody(self) -> bool:
        return self.kind == self.Kind.CUSTODY

    def expires_at(self):
        """The instant the limit expires (24:00 of the last day for old rows)."""
        return self.due_at if self.due_at is not None else end_of_day(self.due_date)

    def days_left(self, today: date) -> int:
        return (self.due_date - today).days

    def hours_past(self, now) -> float:
        """Hours held past the limit at ``now`` (0 when within it)."""
        return max(0.0, (now - self.expires_at()).total_seconds() / 3600)

    def alert(self, now) -> str:
        """'critical' once the limit has expired (to the hour: one hour past it is red);
        '3_days' and '10_days' as it approaches (10 days is also when a detention
        extension must be requested, Art. 173(2)). ``now`` is an aware datetime; a date
        is read as the start of that day."""
        if not self.active:
            return ""
        return alert_level(self.expires_at(), now)


class MeasureExtension(DatedExtension):
    """An extension of custody or detention: the request's instant counts (custody is
    counted in hours, Art. 118(2)); a late one's days count as held past the limit."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="extension_rows")
    requested_at = models.DateTimeField(_("requested at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("extension of custody or detention")
        verbose_name_plural = _("extensions of custody or detention")
        ordering = ["requested_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["measure"], condition=Q(state="pending"),
                                    name="one_pending_extension_per_measure"),
        ]

    def __str__(self) -> str:
        return _("Extension %(n)s — %(record)s") % {"n": self.number, "record": self.measure}


class Appeal(models.Model):
    """An appeal by a party (kháng cáo, CPC Art. 331) or a protest by the procuracy (kháng
    nghị, Art. 336) against a first-instance judgment, and the appellate court's decision on
    it (Arts. 355-359). The quality page counts the judgments amended or annulled, and why."""

    class Kind(models.TextChoices):
        APPEAL = "appeal", _("appeal by a party (Art. 331)")
        PROTEST = "protest", _("protest by the procuracy (Art. 336)")

    class Appellant(models.TextChoices):
        DEFENDANT = "defendant", _("the defendant or their defence counsel")
        VICTIM = "victim", _("the victim or their representative")
        CIVIL = "civil", _("a civil plaintiff, civil defendant or person with related interests")
        PROCURACY = "procuracy", _("the procuracy of the same level")
        HIGHER_PROCURACY = "higher_procuracy", _("the procuracy of the higher level")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("judgment upheld (Art. 355(1)(a))")
        AMENDED = "amended", _("judgment amended (Art. 357)")
        ANNULLED_RETRIAL = "annulled_retrial", _(
            "judgment annulled for a new investigation or trial (Art. 358)")
        ANNULLED_TERMINATED = "annulled_terminated", _(
            "judgment annulled and the case terminated (Art. 359)")
        WITHDRAWN = "withdrawn", _("appeal withdrawn, appellate trial ended (Art. 348)")

    class Reason(models.TextChoices):
        CHARGE = "charge", _("the charge: offence or clause")
        SENTENCE = "sentence", _("the sentence")
        PROCEDURE = "procedure", _("a serious breach of procedure")
        EVIDENCE = "evidence", _("facts not established, evidence incomplete")
        NO_CRIME = "no_crime", _("no crime: the defendant is not guilty")
        CIVIL = "civil", _("the civil part or the handling of assets")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appeals")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    appellant = models.CharField(_("appellant"), max_length=20, choices=Appellant.choices)
    accused = models.ForeignKey(Accused, verbose_name=_("defendant concerned"),
                                on_delete=models.PROTECT, null=True, blank=True,
                                related_name="appeals")
    document_number = models.CharField(_("document number"), max_length=60)
    # The judgment appealed (a retrial's judgment is appealed afresh).
    judgment_number = models.CharField(_("judgment appealed"), max_length=60, default="")
    judgment_on = models.DateField(_("judgment delivered on"), null=True)
    filed_on = models.DateField(_("filed on"))
    grounds = models.TextField(_("what is appealed, and why"))
    late_reason = models.TextField(_("why it was filed late (Art. 335)"), blank=True)
    due_date = models.DateField(_("to decide by"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(_("decided on"), null=True, blank=True, db_index=True)
    decision_number = models.CharField(_("appellate judgment or decision"), max_length=60,
                                       blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    reason = models.CharField(_("why the judgment was changed"), max_length=12,
                              choices=Reason.choices, blank=True)
    decision_note = models.TextField(_("the appellate court's reasons"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("appeal or protest")
        verbose_name_plural = _("appeals and protests")
        ordering = ["filed_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome="") | Q(decided_on__isnull=False),
                                   name="appeal_outcome_has_a_day"),
            models.CheckConstraint(condition=Q(reason="") | Q(outcome__in=[
                "amended", "annulled_retrial", "annulled_terminated"]),
                name="appeal_reason_only_when_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_number}"

    @property
    def changed(self) -> bool:
        return self.outcome in CHANGED_ON_APPEAL


CHANGED_ON_APPEAL = (Appeal.Outcome.AMENDED, Appeal.Outcome.ANNULLED_RETRIAL,
                     Appeal.Outcome.ANNULLED_TERMINATED)


class Recovery(models.Model):
    """One entry of the asset-recovery ledger of a case, in VND."""

    class Kind(models.TextChoices):
        SEIZED = "seized", _("seized (distrained)")
        FROZEN = "frozen", _("frozen")
        RETURNED = "returned", _("voluntarily returned")
        ENFORCED = "enforced", _("recovered at enforcement")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recoveries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"))
    on = models.DateField(_("date"), db_index=True)
    stage = models.CharField(_("stage"), max_length=24, choices=Status.choices)
    description = models.CharField(_("assets"), max_length=300)
    # An enforcement that realises assets seized or frozen earlier: those no longer count
    # separately, so nothing is counted twice.
    realises = models.OneToOneField("self", verbose_name=_("realises"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="realised_by")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("asset recovery entry")
        verbose_name_plural = _("asset recovery ledger")
        ordering = ["on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0),
                                              name="recovery_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:,} đ".replace(",", ".")  # i18n: data (đ)


class CriminalGroup(models.Model):
    class Status(models.TextChoices):
        MONITORED = "monitored", _("monitored")
        ACTIVE = "active", _("active")
        DISMANTLED = "dismantled", _("dismantled")

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("managing unit"), on_delete=models.PROTECT,
                             related_name="criminal_groups")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.MONITORED, db_index=True)
    dangerous = models.BooleanField(_("dangerous"), default=False)
    note = models.TextField(_("modus operandi and notes"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("criminal group")
        verbose_name_plural = _("criminal groups")
        ordering = ["-dangerous", "name"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A person in a group, identified by the blind index of their identity; `accused` is
    the record they were added from (their identity is read from it, and logged)."""

    group = models.ForeignKey(CriminalGroup, on_delete=models.CASCADE, related_name="members")
    person_index = models.CharField(max_length=32, db_index=True)
    accused = models.ForeignKey(Accused, on_delete=models.PROTECT, related_name="+")
    is_leader = models.BooleanField(_("leader"), default=False)
    added_on = models.DateField(_("added on"))

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["-is_leader", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "person_index"],
                                               name="one_membership_per_person_and_group")]

    def __str__(self) -> str:
        return f"{self.group} — {self.accused}"
