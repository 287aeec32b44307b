"""Plans (kế hoạch), the tasks they assign to departments, agencies and localities
(nhiệm vụ), the periodic reports those tasks ask of each unit (báo cáo định kỳ), and the
in-app notifications that remind people of them.

Plan is kept general: the plan's targets and indicators (issue 8) attach to it later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctp.units.models import Unit


class TargetCode(models.TextChoices):
    """The plan's ten targets (MISSION.md); a task may serve one of them."""

    T1 = "T1", _("T1 — social-order crimes down at least 5%")
    T2 = "T2", _("T2 — crime sources received and handled: 100%")
    T3 = "T3", _("T3 — crime sources resolved: over 90%")
    T4 = "T4", _("T4 — detection rate: over 75%")
    T5 = "T5", _("T5 — detection of very and especially serious crimes: over 90%")
    T6 = "T6", _("T6 — corrupt assets recovered: at least 60%")
    T7 = "T7", _("T7 — prosecuted on time: over 90%")
    T8 = "T8", _("T8 — cases tried by the courts: over 88%")
    T9 = "T9", _("T9 — key areas transformed: at least 60%")
    T10 = "T10", _("T10 — transformed areas not relapsing: 85%")


class ReportKind(models.TextChoices):
    """The report forms: results of the task, or the review of the causes and conditions
    that give rise to crime in the unit's remit (findings, measures, results)."""

    PROGRESS = "progress", _("results of the task")
    CAUSES_CONDITIONS = "causes_conditions", _("review of the causes and conditions of crime")


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_FORCE = "in_force", _("in force")
        CLOSED = "closed", _("closed")

    number = models.CharField(_("number"), max_length=60)
    title = models.CharField(_("title"), max_length=500)
    issuing_unit = models.ForeignKey(Unit, verbose_name=_("issuing unit"),
                                     on_delete=models.PROTECT, related_name="issued_plans")
    # The body that follows the plan for the issuer (the Steering Committee, BCĐ 138).
    steering_unit = models.ForeignKey(Unit, verbose_name=_("steering body"),
                                      on_delete=models.PROTECT, related_name="steered_plans",
                                      null=True, blank=True)
    issued_on = models.DateField(_("issued on"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.IN_FORCE, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["issuing_unit", "number"],
                                    name="one_plan_number_per_issuer"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="plan_period_in_order"),
        ]
        permissions = [
            ("manage_plan", "Record, issue and close plans"),
            ("assign_task", "Assign, reschedule and cancel the tasks of a plan"),
            ("accept_task", "Accept or return the tasks and reports of a plan"),
            ("report_task", "Report on a task and submit the unit's periodic reports"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"


class Task(models.Model):
    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        IN_PROGRESS = "in_progress", _("in progress")
        SUBMITTED = "submitted", _("done, awaiting acceptance")
        RETURNED = "returned", _("returned")
        ACCEPTED = "accepted", _("accepted")
        CANCELLED = "cancelled", _("cancelled")

    class Recurrence(models.TextChoices):
        MONTHLY = "monthly", _("monthly")
        QUARTERLY = "quarterly", _("quarterly")
        SIX_MONTHLY = "six_monthly", _("six-monthly")
        YEARLY = "yearly", _("yearly")

    class Priority(models.TextChoices):
        HIGH = "high", _("high")
        NORMAL = "normal", _("normal")
        LOW = "low", _("low")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT,
                             related_name="tasks")
    number = models.PositiveSmallIntegerField(_("number in the plan"))
    title = models.CharField(_("title"), max_length=300)
    content = models.TextField(_("content"))
    lead_unit = models.ForeignKey(Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT,
                                  related_name="led_tasks")
    coordinating_units = models.ManyToManyField(Unit, verbose_name=_("coordinating units"),
                                                blank=True, related_name="coordinated_tasks")
    expected_result = models.TextField(_("expected result"), blank=True)
    # Either a deadline, or a recurrence of reports (the constraint below).
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    recurrence = models.CharField(_("recurrence"), max_length=12, choices=Recurrence.choices,
                                  blank=True)
    first_report_due = models.DateField(_("first report due"), null=True, blank=True)
    recurrence_until = models.DateField(_("reports until"), null=True, blank=True)
    report_kind = models.CharField(_("report form"), max_length=20, blank=True,
                                   choices=ReportKind.choices)
    target_code = models.CharField(_("target served"), max_length=3, choices=TargetCode.choices,
                                   blank=True)
    plan_item = models.CharField(_("other plan item served"), max_length=200, blank=True)
    priority = models.CharField(_("priority"), max_length=6, choices=Priority.choices,
                                default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.ASSIGNED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    submitted_at = models.DateTimeField(_("marked done at"), null=True, blank=True)
    # The local date of the last submission: what "on time" compares with the deadline.
    submitted_on = models.DateField(_("marked done on"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_task_number_per_plan"),
            models.CheckConstraint(
                condition=(Q(deadline__isnull=False, recurrence="")
                           | (Q(deadline__isnull=True, first_report_due__isnull=False)
                              & ~Q(recurrence=""))),
                name="task_deadline_or_recurrence"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="task_progress_percent"),
        ]
        indexes = [
            models.Index(fields=["lead_unit", "status", "deadline"]),
            models.Index(fields=["plan", "status"]),
        ]

    def __str__(self) -> str:
        return f"NV{self.number:02d} {self.title}"

    @property
    def code(self) -> str:
        return f"NV{self.number:02d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_TASK_STATUSES

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return bool(self.deadline and self.is_open and self.deadline < today)

    @property
    def submitted_late(self) -> bool | None:
        if self.deadline is None or self.submitted_on is None:
            return None
        return self.submitted_on > self.deadline


OPEN_TASK_STATUSES = (Task.Status.ASSIGNED, Task.Status.IN_PROGRESS, Task.Status.RETURNED)
DONE_TASK_STATUSES = (Task.Status.SUBMITTED, Task.Status.ACCEPTED)


class TaskUpdate(models.Model):
    """A progress update by the lead unit, or a contribution by a coordinating unit."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress update")
        CONTRIBUTION = "contribution", _("contribution")
        SUBMISSION = "submission", _("report of completion")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("content"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    file = models.FileField(_("evidence"), upload_to="plans/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("task update")
        verbose_name_plural = _("task updates")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y} {self.text[:40]}"


class UnitReport(models.Model):
    """One unit's report for one period of a recurring task."""

    Kind = ReportKind

    class Status(models.TextChoices):
        OPEN = "open", _("awaiting the report")
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned for revision")

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.PROTECT,
                             related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="unit_reports")
    kind = models.CharField(_("report form"), max_length=20, choices=ReportKind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_date = models.DateField(_("due"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN, db_index=True)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    summary = models.TextField(_("results in the period"), blank=True)
    findings = models.TextField(_("causes and conditions found"), blank=True)
    measures = models.TextField(_("measures taken or proposed"), blank=True)
    results = models.TextField(_("results of the measures"), blank=True)
    difficulties = models.TextField(_("difficulties and proposals"), blank=True)
    file = models.FileField(_("evidence"), upload_to="plans/reports/%Y/%m/", blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    return_reason = models.TextField(_("reason for return"), blank=True)
    # Accepted by the plan's owner: the submitted report stands (issue 20); returned, it
    # goes back to the unit. A submitted report not yet accepted awaits the owner.
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("accepted by"))

    class Meta:
        verbose_name = _("unit report")
        verbose_name_plural = _("unit reports")
        ordering = ["-due_date", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "period_start"],
                                    name="one_report_per_unit_and_period"),
        ]
        indexes = [models.Index(fields=["unit", "status", "due_date"])]

    def __str__(self) -> str:
        from pctp.plans.periods import period_label

        return f"{self.task.code} · {self.unit.short_name or self.unit.name} · " \
               f"{period_label(self.period_start, self.period_end)}"

    @property
    def period_label(self) -> str:
        from pctp.plans.periods import period_label

        return period_label(self.period_start, self.period_end)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status != self.Status.SUBMITTED and self.due_date < today

    @property
    def submitted_late(self) -> bool | None:
        if self.submitted_on is None:
            return None
        return self.submitted_on > self.due_date
