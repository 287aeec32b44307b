from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pctp.law.models import CrimeGroup
from pctp.units.models import Unit

METHOD_CHOICES = [
    ("naive", _("naive counts over the last 365 days")),
    ("naive_all", _("naive counts over all history")),
    ("kde", _("kernel density (time-decayed)")),
    ("promap", _("prospective hotspotting")),
    ("sepp", _("self-exciting point process")),
    ("learned", _("learned model (gradient boosting)")),
    ("ensemble", _("ensemble (learned + self-exciting)")),
    ("auto", _("automatic: the simplest of the best on the periods before the accuracy test")),
]


class Horizon(models.TextChoices):
    WEEK = "week", _("next week")
    MONTH = "month", _("next month")


HORIZON_DAYS = {Horizon.WEEK: 7, Horizon.MONTH: 30}


class Forecast(models.Model):
    """A forecast of where crime will occur in the next week or month, stored with the
    parameters it was made with and the accuracy of its method on the scope's own last
    12 months (strictly prospective backtest)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    scope = models.ForeignKey(Unit, verbose_name=_("scope"), on_delete=models.PROTECT,
                              related_name="+")
    horizon = models.CharField(_("horizon"), max_length=8, choices=Horizon.choices)
    method = models.CharField(_("method"), max_length=12, choices=METHOD_CHOICES)
    crime_group = models.CharField(_("crime group"), max_length=20, choices=CrimeGroup.choices,
                                   blank=True)
    cell_size_m = models.PositiveIntegerField(_("cell size (m)"))
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    starts_on = models.DateField(_("forecast from"))
    status = models.CharField(_("status"), max_length=8, choices=State.choices,
                              default=State.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    # The result: grid description and the highest-scoring cells (top 10% of the area).
    grid = models.JSONField(default=dict, blank=True)
    cells = models.JSONField(default=list, blank=True)
    # Backtest summary: per coverage PAI, hit rate, PEI*; windows, events, seconds.
    accuracy = models.JSONField(null=True, blank=True)
    n_events = models.PositiveIntegerField(_("events used"), default=0)
    seconds = models.FloatField(_("computing time (s)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # Written as the computation advances: a running forecast silent for STALE_AFTER has
    # lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["scope", "horizon", "status", "finished_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100),
                                   name="forecast_progress_at_most_100"),
        ]
        permissions = [
            ("view_analysis", "See hotspot maps, forecasts, emerging crime types and networks"),
            ("run_analysis", "Queue forecasts and load incident files for analysis"),
        ]

    def __str__(self) -> str:
        return f"{self.get_horizon_display()} {self.starts_on:%d/%m/%Y} ({self.method})"

    @property
    def horizon_days(self) -> int:
        return HORIZON_DAYS[self.horizon]


class EventUpload(models.Model):
    """An analyst's CSV of historical incidents (occurred_at, lat, lon, offence_type),
    validated row by row and stored whole (gzip) so that nothing in it is lost."""

    name = models.CharField(_("file name"), max_length=200)
    scope = models.ForeignKey(Unit, verbose_name=_("scope"), on_delete=models.PROTECT,
                              related_name="+")
    content = models.BinaryField(editable=False)
    n_rows = models.PositiveIntegerField(_("rows"))
    first_at = models.DateTimeField(_("first incident"), null=True, blank=True)
    last_at = models.DateTimeField(_("last incident"), null=True, blank=True)
    offence_types = models.JSONField(_("offence types"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident file")
        verbose_name_plural = _("incident files")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
