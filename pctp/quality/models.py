"""The quality indicators are counted from the cases; this (empty) table only carries their
permission, until the red flags and their reviews have tables of their own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Quality(models.Model):
    class Meta:
        default_permissions = ()
        permissions = [("view_quality", "See the quality of investigation, prosecution and "
                                        "trial, and its alerts")]

    def __str__(self) -> str:
        return "quality"


class Flag(models.Model):
    """A red flag a rule raised (issue 21): what it concerns, its evidence, and its review,
    from open to closed as justified or referred. Seen by the procuracy, the inspectorate
    and the auditor only."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_REVIEW = "in_review", _("under review")
        JUSTIFIED = "justified", _("closed: justified")
        REFERRED = "referred", _("closed: referred for action")

    rule = models.CharField(_("rule"), max_length=40, db_index=True)
    key = models.CharField(max_length=200, unique=True)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit concerned"))
    procuracy = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                  null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    evidence = models.JSONField(_("evidence"), default=list)  # [[object_type, id], …]
    facts = models.JSONField(_("figures"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewer"))
    conclusion = models.TextField(_("conclusion"), blank=True)
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("red flag")
        verbose_name_plural = _("red flags")
        ordering = ["-raised_at", "-id"]
        permissions = [("review_flag", "See and review the red flags")]

    def __str__(self) -> str:
        return f"{self.rule} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_REVIEW)


class FlagNote(models.Model):
    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("note"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.flag_id}"
