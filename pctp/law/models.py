"""Penal Code offences, their clauses and severity, crime groups, and announced days off."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctp.law import severity as sev


class Severity(models.TextChoices):
    LESS_SERIOUS = sev.LESS_SERIOUS, _("less serious")
    SERIOUS = sev.SERIOUS, _("serious")
    VERY_SERIOUS = sev.VERY_SERIOUS, _("very serious")
    ESPECIALLY_SERIOUS = sev.ESPECIALLY_SERIOUS, _("especially serious")


class CrimeGroup(models.TextChoices):
    SOCIAL_ORDER = "social_order", _("social order")
    ECONOMIC = "economic", _("economic")
    CORRUPTION = "corruption", _("corruption and position")
    DRUGS = "drugs", _("drugs")
    ENVIRONMENT = "environment", _("environment and food safety")
    HIGH_TECH = "high_tech", _("high-tech")
    NATIONAL_SECURITY = "national_security", _("national security")
    OTHER = "other", _("other (military duties, war crimes)")


class Offence(models.Model):
    """An article of the special part of the Penal Code 2015 (amended 2017)."""

    article = models.CharField(_("article"), max_length=6, unique=True)
    number = models.PositiveIntegerField(_("number"), db_index=True)
    suffix = models.CharField(max_length=2, blank=True)
    title = models.CharField(_("title"), max_length=300)
    chapter = models.CharField(_("chapter"), max_length=8)
    chapter_title = models.CharField(_("chapter title"), max_length=300)
    section = models.CharField(_("section"), max_length=300, blank=True)
    is_offence = models.BooleanField(_("defines an offence"), default=True)
    repealed = models.BooleanField(_("repealed"), default=False)
    verified = models.BooleanField(_("checked against the official text"), default=True)
    note = models.TextField(_("note"), blank=True)
    # An article added by a later law is an offence only for acts from this day (PC Art. 7).
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    added_by = models.CharField(_("added by"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("offence (article)")
        verbose_name_plural = _("offences (articles)")
        ordering = ["number", "suffix"]

    def __str__(self) -> str:
        return _("Art. %(article)s. %(title)s") % {"article": self.article, "title": self.title}

    def in_force_on(self, on) -> bool:
        """Whether the article defined an offence on that day (no retroactivity, PC Art. 7)."""
        return not self.repealed and (self.in_force_from is None or on >= self.in_force_from)

    def group_on(self, on=None) -> OffenceGroup | None:
        on = on or timezone.localdate()
        return (self.groups.filter(effective_from__lte=on)
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
                .order_by("-effective_from").first())


class OffenceClause(models.Model):
    class Penalty(models.TextChoices):
        FINE = "fine", _("fine")
        NON_CUSTODIAL = "non_custodial", _("non-custodial reform")
        PRISON = "prison", _("prison")
        LIFE = "life", _("life imprisonment")
        DEATH = "death", _("death")

    offence = models.ForeignKey(Offence, on_delete=models.CASCADE, related_name="clauses")
    clause = models.PositiveSmallIntegerField(_("clause"))
    max_penalty = models.CharField(_("top of the bracket"), max_length=16, choices=Penalty.choices)
    max_years = models.DecimalField(_("maximum years"), max_digits=4, decimal_places=1,
                                    null=True, blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    preparation = models.BooleanField(_("preparation clause"), default=False)

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["offence__number", "offence__suffix", "clause"]
        constraints = [models.UniqueConstraint(fields=["offence", "clause"],
                                               name="one_row_per_clause")]

    def __str__(self) -> str:
        return _("clause %(clause)s of Art. %(article)s") % {"clause": self.clause,
                                                             "article": self.offence.article}

    def version_on(self, on) -> OffenceClauseVersion | None:
        """The bracket of this clause in force on a day (None before the article existed)."""
        for version in self.versions.all():  # prefetch-friendly; few rows per clause
            if version.in_force(on):
                return version
        return None


class OffenceClauseVersion(models.Model):
    """One dated version of a clause's bracket: the Code as amended in 2017, then each later
    amending law (Law 86/2025/QH15 removed the death penalty from eight clauses)."""

    clause = models.ForeignKey(OffenceClause, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    max_penalty = models.CharField(_("top of the bracket"), max_length=16,
                                   choices=OffenceClause.Penalty.choices)
    max_years = models.DecimalField(_("maximum years"), max_digits=4, decimal_places=1,
                                    null=True, blank=True)
    severity = models.CharField(_("severity"), max_length=20, choices=Severity.choices)
    law = models.CharField(_("law"), max_length=40)

    class Meta:
        verbose_name = _("version of a clause")
        verbose_name_plural = _("versions of clauses")
        ordering = ["clause", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["clause", "effective_from"],
                                               name="one_clause_version_per_date")]

    def __str__(self) -> str:
        return f"{self.clause} ({self.law}, {self.effective_from:%d/%m/%Y})"

    def in_force(self, on) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class OffenceGroup(models.Model):
    """Which crime group an article counts in, from a date. Editable reference data:
    no official article-to-group list exists (DOMAIN.md §2), so the mapping in force is
    shown next to every group-based figure."""

    offence = models.ForeignKey(Offence, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField(_("crime group"), max_length=20, choices=CrimeGroup.choices)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("crime group of an offence")
        verbose_name_plural = _("crime groups of offences")
        ordering = ["offence__number", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["offence", "effective_from"],
                                               name="one_group_per_offence_and_date")]

    def __str__(self) -> str:
        return _("Art. %(article)s → %(group)s (%(since)s)") % {
            "article": self.offence.article, "group": self.group, "since": self.effective_from}


class DayOff(models.Model):
    """A day the government announces as off (or as a compensating working day),
    beyond the public holidays the `holidays` package knows."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off")
        WORKING_DAY = "working_day", _("working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DAY_OFF)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("announced day off or working day")
        verbose_name_plural = _("announced days off and working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"
