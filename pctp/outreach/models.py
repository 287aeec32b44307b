"""Outreach (issue 22): campaigns with their reach and measured effect, and the register of
false information about crime or the province's crime-prevention work, refuted in public
bulletins with their correction history. Other apps are read through their selectors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Channel(models.TextChoices):
    PORTAL = "portal", _("citizens' portal")
    SOCIAL = "social", _("Zalo or Facebook page")
    LOUDSPEAKER = "loudspeaker", _("commune loudspeaker")
    SCHOOL = "school", _("school session")
    POSTER = "poster", _("posters and leaflets")
    MEETING = "meeting", _("residents' meeting")
    PRESS = "press", _("press, radio and television")


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("residents")
    STUDENTS = "students", _("pupils and students")
    ELDERLY = "elderly", _("the elderly")
    WORKERS = "workers", _("workers and migrants")
    BUSINESSES = "businesses", _("shops and businesses")
    OFFICIALS = "officials", _("officials and civil servants")


class Campaign(models.Model):
    """One outreach campaign: what it is about, whom and where it targets, through which
    channels, when, who answers for it and at what cost, and its reach as reported."""

    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=300,
                             help_text=_("e.g. a fraud method, drugs in schools, motorbike theft"))
    description = models.TextField(_("description"), blank=True)
    crime_groups = models.JSONField(_("crime groups targeted"), default=list, blank=True)
    offences = models.ManyToManyField("law.Offence", verbose_name=_("offences targeted"),
                                      blank=True, related_name="+")
    tip_types = models.JSONField(_("portal report types it asks for"), default=list, blank=True)
    communes = models.ManyToManyField("units.Commune", verbose_name=_("communes targeted"),
                                      related_name="+")
    audiences = models.JSONField(_("audiences"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("responsible unit"),
                             on_delete=models.PROTECT, related_name="+")
    budget = models.PositiveBigIntegerField(_("budget (VND)"), null=True, blank=True)
    # The portal's warnings published for the campaign (shown with it on the public page).
    warnings = models.ManyToManyField("portal.Bulletin", verbose_name=_("portal warnings"),
                                      blank=True, related_name="campaigns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outreach campaign")
        verbose_name_plural = _("outreach campaigns")
        ordering = ["-starts_on", "-id"]
        permissions = [  # i18n: data (the names are stored in the database)
            ("view_outreach", "See outreach campaigns and the register of false information"),
            ("manage_campaign", "Plan outreach campaigns and report their reach"),
            ("manage_claim", "Keep the register of false information and publish refutations"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F(
            "starts_on")), name="campaign_ends_after_it_starts")]

    def __str__(self) -> str:
        return self.title


class ReachEntry(models.Model):
    """Reach as a unit reported it: views of a post, participants in a session."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reach")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    on = models.DateField(_("date"))
    views = models.PositiveIntegerField(_("views"), default=0)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reach reported")
        verbose_name_plural = _("reach reported")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.on:%d/%m/%Y}"


class Material(models.Model):
    """A file of the campaign: a leaflet, a poster, a video script."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(upload_to="outreach/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("campaign material")
        verbose_name_plural = _("campaign materials")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Platform(models.TextChoices):
    FACEBOOK = "facebook", _("Facebook")
    ZALO = "zalo", _("Zalo")
    TIKTOK = "tiktok", _("TikTok")
    YOUTUBE = "youtube", _("YouTube")
    WEBSITE = "website", _("website or forum")
    PRESS = "press", _("newspaper")
    OTHER = "other", _("other")


class ClaimStatus(models.TextChoices):
    REPORTED = "reported", _("reported by a citizen")
    SEEN = "seen", _("seen")
    VERIFIED = "verified", _("verified false")
    REFUTED = "refuted", _("refuted")
    CLOSED = "closed", pgettext_lazy("claim", "closed")
    DISMISSED = "dismissed", _("dismissed: not false information")


class FalseClaim(models.Model):
    """A piece of false information about crime or about the province's crime-prevention
    work: where it appeared, what it claims, the facts, and its refutation. A citizen's
    report of a post enters as "reported"; the register takes it from there."""

    status = models.CharField(_("status"), max_length=12, choices=ClaimStatus.choices,
                              default=ClaimStatus.SEEN, db_index=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    seen_on = models.DateField(_("seen on"))
    reach = models.PositiveIntegerField(_("reach (views, shares)"), null=True, blank=True)
    claim = models.TextField(_("what it claims"))
    facts = models.TextField(_("the facts"), blank=True)
    # The records the facts rest on: [[object_type, id], ...]; the public sees how many of
    # each kind, never which.
    evidence = models.JSONField(_("records it rests on"), default=list, blank=True)
    unit = models.ForeignKey("units.Unit", verbose_name=_("responsible unit"),
                             on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="claims")
    from_citizen = models.BooleanField(_("reported by a citizen"), default=False)
    citizen_note = models.TextField(_("the citizen's note"), blank=True)
    # How many citizens reported the same post (the same link, or the same words) while it
    # was open: one entry, counted, instead of one per citizen.
    flags = models.PositiveIntegerField(_("citizens' reports"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("false information")
        verbose_name_plural = _("register of false information")
        ordering = ["-seen_on", "-id"]

    def __str__(self) -> str:
        # Never the claim's words: a citizen's text may name people, and this is what the
        # journal keeps of the entry.
        return f"#{self.pk} {self.get_platform_display()} {self.seen_on:%d/%m/%Y}"


class Refutation(models.Model):
    """The bulletin "Thông tin sai sự thật" refuting one claim on the portal, in Vietnamese.
    Its text is corrected only through a revision, which keeps what it said before."""

    claim = models.OneToOneField(FalseClaim, on_delete=models.PROTECT, related_name="refutation")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # What the post claimed, as the officer words it for the public: never a citizen's
    # text as sent, which may name people (QA of issue 22, M4).
    claim_wording = models.TextField(_("what was claimed, as published"), blank=True)
    published_at = models.DateTimeField(_("published at"), db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    updated_at = models.DateTimeField(_("last corrected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refutation")
        verbose_name_plural = _("refutations")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class RefutationRevision(models.Model):
    """A correction of a published refutation: the text before, why, when and by whom."""

    refutation = models.ForeignKey(Refutation, on_delete=models.CASCADE,
                                   related_name="revisions")
    title_before = models.CharField(max_length=200)
    body_before = models.TextField()
    claim_wording_before = models.TextField(blank=True)
    reason = models.CharField(_("why it was corrected"), max_length=300)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.refutation_id} {self.at:%d/%m/%Y}"
