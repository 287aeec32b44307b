"""The plan's targets and their closed figures (moved from the plans app in issue 18; the
tables keep their names). The indicator registry that computes them is pctp.kpi.registry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pctp.plans.models import Plan, TargetCode


class Target(models.Model):
    """One target of a plan (chỉ tiêu): an indicator from the registry (pctp.kpi.registry),
    how it is compared with its threshold, and the period type it is measured over."""

    class Comparator(models.TextChoices):
        GTE = ">=", _("at least")
        GT = ">", _("more than")
        LTE = "<=", _("at most")
        LT = "<", _("less than")

    class PeriodType(models.TextChoices):
        SELECTED = "selected", _("the period chosen on the dashboard")
        COURT_YEAR = "court_year", _("the court year (1/10–30/9) for yearly figures")
        YEAR = "year", _("the calendar year for yearly figures")
        STAT_YEAR = "stat_year", _("the statistical year (15/12–14/12) for yearly figures")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE,
                             related_name="targets")
    code = models.CharField(_("target"), max_length=3, choices=TargetCode.choices)
    indicator = models.CharField(_("indicator"), max_length=30)
    comparator = models.CharField(_("comparator"), max_length=2, choices=Comparator.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=7, decimal_places=2)
    period_type = models.CharField(_("measured over"), max_length=12,
                                   choices=PeriodType.choices, default=PeriodType.SELECTED)
    # Where DOMAIN.md leaves a formula open (e.g. T6's basis): the option chosen.
    options = models.JSONField(_("options"), default=dict, blank=True)
    wording = models.CharField(_("wording in the plan"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "plans_target"
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="one_target_code_per_plan"),
        ]
        permissions = [
            ("view_kpi", "See the plan's targets, the KPI dashboard and the records behind it"),
            ("close_kpi_period", "Close a period: freeze its figures as a snapshot"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.comparator} {self.threshold}"


class KpiSnapshot(models.Model):
    """The figures of a closed period (chốt số liệu), frozen: the value, both counts, the
    ids of the records behind them, and the breakdowns by unit and commune."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="snapshots")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="snapshots")
    period_key = models.CharField(_("period"), max_length=30)
    period_start = models.DateField()
    period_end = models.DateField()
    measured_start = models.DateField()
    measured_end = models.DateField()
    scope_key = models.CharField(max_length=40, default="province")
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField()
    value = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    status = models.CharField(max_length=12)
    numerator_model = models.CharField(max_length=40)
    denominator_model = models.CharField(max_length=40)
    numerator_ids = models.JSONField(default=list)
    denominator_ids = models.JSONField(default=list)
    # Counts and id sums of both sides (pctp.kpi.services.fingerprint): a cheap test of change.
    fingerprint = models.JSONField(default=list)
    breakdown = models.JSONField(default=dict)
    as_of = models.DateField(_("figures as known on"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    closed_at = models.DateTimeField(_("closed at"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        db_table = "plans_kpisnapshot"
        verbose_name = _("closed figure")
        verbose_name_plural = _("closed figures")
        constraints = [
            models.UniqueConstraint(fields=["target", "period_key", "scope_key"],
                                    name="one_snapshot_per_target_period_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.target.code} {self.period_key} {self.scope_key}"


class KpiRevision(models.Model):
    """A later change to the records behind a closed figure: shown beside the frozen
    value, never written over it."""

    snapshot = models.ForeignKey(KpiSnapshot, on_delete=models.CASCADE, related_name="revisions")
    detected_at = models.DateTimeField(_("detected at"))
    old_numerator = models.BigIntegerField()
    old_denominator = models.BigIntegerField()
    old_value = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    new_numerator = models.BigIntegerField()
    new_denominator = models.BigIntegerField()
    new_value = models.DecimalField(max_digits=9, decimal_places=2, null=True)
    # {"numerator": {"added": [...], "removed": [...]}, "denominator": {...}}
    changes = models.JSONField(default=dict)
    # [{"model": ..., "id": ..., "action": ..., "actor": ..., "at": ...}] from the journal.
    edits = models.JSONField(default=list)

    class Meta:
        db_table = "plans_kpirevision"
        verbose_name = _("revision of a closed figure")
        verbose_name_plural = _("revisions of closed figures")
        ordering = ["snapshot", "detected_at", "id"]

    def __str__(self) -> str:
        return f"{self.snapshot}: {self.old_value} → {self.new_value}"
