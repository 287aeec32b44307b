"""A register file brought in (ImportJob), the problems found in its rows (ImportIssue)
and the column mappings saved for the next file (ImportMapping)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportMapping(models.Model):
    """Which column of a register holds which field, saved under a name."""

    kind = models.CharField(_("kind of records"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(_("columns"), default=dict)  # field -> header as written
    header_row = models.PositiveIntegerField(_("header row"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"],
                                               name="one_mapping_name_per_kind")]

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    class State(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked (dry run)")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("stopped by an error")

    kind = models.CharField(_("kind of records"), max_length=20)
    name = models.CharField(_("file"), max_length=200)
    file = models.FileField(upload_to="imports/%Y/%m/")
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    encoding = models.CharField(_("text encoding"), max_length=20, default="auto")
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=0)
    columns = models.JSONField(_("columns"), default=dict)  # field -> column index (0-based)
    mapping = models.ForeignKey(ImportMapping, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.UPLOADED)
    checked = models.PositiveIntegerField(default=0)  # rows read so far by the dry run
    total = models.PositiveIntegerField(_("rows"), default=0)
    good = models.PositiveIntegerField(_("good rows"), default=0)
    refused = models.PositiveIntegerField(_("refused rows"), default=0)
    # The commit: rows after the header up to next_row - 1 are done (resumable from here).
    next_row = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    error = models.TextField(blank=True)
    runner = models.CharField(max_length=120, blank=True)  # host:pid writing it now
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def busy(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.QUEUED, self.State.RUNNING)

    @property
    def stalled(self) -> bool:
        """Busy, but untouched for 10 minutes: its worker died (a batch is written in
        seconds). It may be started again; it goes on from the last batch written."""
        from datetime import timedelta

        from django.utils import timezone

        return self.busy and self.updated_at < timezone.now() - timedelta(minutes=10)

    @property
    def progress(self) -> int:
        """Per cent of the rows done (committed batches), or checked by the dry run."""
        if self.state in (self.State.DONE, self.State.CHECKED):
            return 100
        if self.state == self.State.CHECKING:
            return min(99, round(100 * self.checked / self.total)) if self.total else 0
        if not self.total or not self.next_row:
            return 0
        return min(99, round(100 * (self.next_row - self.header_row - 1) / self.total))


class ImportIssue(models.Model):
    """A problem in one cell (or the whole row), found by the dry run or the commit."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("row"))
    column = models.CharField(_("column"), max_length=120, blank=True)
    value = models.CharField(_("value"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=400)

    class Meta:
        verbose_name = _("import problem")
        verbose_name_plural = _("import problems")
        ordering = ["row", "id"]
        indexes = [models.Index(fields=["job", "row"])]

    def __str__(self) -> str:
        return f"{self.row}: {self.reason}"
