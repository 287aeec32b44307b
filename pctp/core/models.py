"""Users and the two append-only journals: audit events and the personal-data access log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ARG002
        raise PermissionError("journal rows are append-only")

    def delete(self):
        raise PermissionError("journal rows are append-only")


class AppendOnlyModel(models.Model):
    """A row that can be written once and never changed or removed.

    The model refuses here; on PostgreSQL a trigger (migration 0002) refuses too, so
    not even a raw query from the application account can rewrite history.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("journal rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("journal rows are append-only")


class AuditEvent(AppendOnlyModel):
    """Who did what to which object, from which state to which, when, from where."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"),
                              on_delete=models.PROTECT, null=True, blank=True,
                              related_name="audit_events")
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    from_state = models.CharField(_("from"), max_length=80, blank=True)
    to_state = models.CharField(_("to"), max_length=80, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        permissions = [
            ("view_journal", "Browse the audit journal and the access log"),
            ("export_journal", "Export the audit journal and the access log"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class AccessLog(AppendOnlyModel):
    """Every view or export of sensitive personal data (Decree 13/2023, Law 91/2025)."""

    class Kind(models.TextChoices):
        VIEW = "view", _("view")
        EXPORT = "export", _("export")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"),
                              on_delete=models.PROTECT, null=True, blank=True,
                              related_name="access_logs")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    fields = models.CharField(_("fields"), max_length=300, blank=True)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.object_type}:{self.object_id}"


class Notification(models.Model):
    """An in-app message to one user. `key` names what it is about, so a reminder or an
    alert is never sent twice. Written by every app through pctp.core.notifications."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications")
    key = models.CharField(max_length=200)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        # The table and index keep the names they had in the plans app (moved in issue 18).
        db_table = "plans_notification"
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="plans_notif_user_id_6f4d55_idx")]

    def __str__(self) -> str:
        return self.text[:80]


class ScheduledRun(models.Model):
    """One firing of a periodic job (pctp/core/schedule.py): the job's name and the instant
    its schedule fell due. The pair is unique, so however many schedulers run (one per host,
    for when one stops), each firing is enqueued once: the scheduler that inserts the row
    enqueues the task in the same transaction; the others find the row and skip."""

    job = models.CharField(_("job"), max_length=60)
    due_at = models.DateTimeField(_("due at"))
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    enqueued_at = models.DateTimeField(_("enqueued at"), auto_now_add=True)
    scheduler = models.CharField(_("scheduler"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-due_at", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "due_at"],
                                               name="one_run_per_job_and_time")]

    def __str__(self) -> str:
        return f"{self.job} {self.due_at:%Y-%m-%d %H:%M}"
