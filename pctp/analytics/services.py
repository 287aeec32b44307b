"""Writes of the analysis app: forecasts (queue, claim, compute), incident files, alerts."""

from __future__ import annotations

import gzip
import logging
import time
import traceback
from collections import Counter
from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.analytics import adapters, maps
from pctp.analytics.engine.events import EventFileError, days_to_datetime64
from pctp.analytics.engine.forecast import AUTO, forecast_with_accuracy
from pctp.analytics.engine.methods import METHOD_NAMES
from pctp.analytics.models import HORIZON_DAYS, EventUpload, Forecast, Horizon
from pctp.core.audit import audit_record
from pctp.core.errors import DomainError, PermissionRefused
from pctp.core.tasks import enqueue_on_commit
from pctp.law.models import CrimeGroup
from pctp.units.models import Membership, Unit
from pctp.units.selectors import user_has_perm_in_unit

log = logging.getLogger(__name__)

# A running forecast writes a heartbeat at each step (a backtest window, a few seconds; at
# least every HEARTBEAT_EVERY): one silent this long has lost its worker (killed, machine
# restarted) and is marked failed, so that the same forecast can be queued again.
STALE_AFTER = timedelta(minutes=15)
HEARTBEAT_EVERY = timedelta(seconds=30)
WORKER_LOST = "The job stopped without a result (worker ended)."


def default_cell_size() -> int:
    return int(getattr(settings, "PCTP_ANALYTICS_CELL_M", 750))


def default_method() -> str:
    return getattr(settings, "PCTP_ANALYTICS_METHOD", "sepp")


def province_unit() -> Unit:
    unit = (Unit.objects.filter(province__code=settings.PCTP_PROVINCE_CODE, parent__isnull=True)
            .order_by("pk").first())
    if unit is None:
        raise DomainError("not_found", _("There is no province-level unit yet."), status=404)
    return unit


def _require(actor, perm: str, unit: Unit) -> None:
    if actor is not None and not user_has_perm_in_unit(actor, perm, unit):
        raise PermissionRefused("forbidden", _("You may not run this analysis."))


# ----------------------------------------------------------------------------- forecasts

@transaction.atomic
def forecast_queue(*, actor, scope: Unit, horizon: str, method: str | None = None,
                   crime_group: str = "", cell_size_m: int | None = None,
                   starts_on: date | None = None) -> Forecast:
    """Queue a forecast (computed by `pctp analytics forecast`). An identical forecast
    already queued or running is returned instead of a second one; ``created_now`` on the
    returned row says which (the API answers 201 or 200). ``actor`` None: the scheduler."""
    _require(actor, "analytics.run_analysis", scope)
    method = method or default_method()
    cell_size_m = int(cell_size_m or default_cell_size())
    errors = {}
    if horizon not in Horizon.values:
        errors["horizon"] = [_("Choose next week or next month.")]
    if method not in (*METHOD_NAMES, AUTO):
        errors["method"] = [_("Choose one of: %(methods)s.")
                            % {"methods": ", ".join((*METHOD_NAMES, AUTO))}]
    if crime_group and crime_group not in CrimeGroup.values:
        errors["crime_group"] = [_("Invalid crime group.")]
    if not 100 <= cell_size_m <= 5000:
        errors["cell_size_m"] = [_("A cell is 100 to 5,000 m wide.")]
    if errors:
        raise DomainError("invalid", _("Invalid forecast parameters."), details=errors)
    starts_on = starts_on or timezone.localdate()
    forecast_fail_stale()  # a dead run must not stand in for the one asked for now
    same = Forecast.objects.filter(
        scope=scope, horizon=horizon, method=method, crime_group=crime_group,
        cell_size_m=cell_size_m, starts_on=starts_on,
        status__in=[Forecast.State.QUEUED, Forecast.State.RUNNING]).first()
    if same is not None:
        same.created_now = False  # the run already asked for: no second one
        return same
    forecast = Forecast.objects.create(
        scope=scope, horizon=horizon, method=method, crime_group=crime_group,
        cell_size_m=cell_size_m, starts_on=starts_on, created_by=actor,
        parameters={"horizon_days": HORIZON_DAYS[horizon], "test_days": 365,
                    "min_history_days": 56, "coverage_stored": 0.10,
                    "events": "sources+cases", "accuracy": "as known at the time, pooled"})
    audit_record(actor=actor, action="forecast_queue", obj=forecast, to_state="queued",
                 changes={"horizon": [None, horizon], "method": [None, method],
                          "crime_group": [None, crime_group],
                          "cell_size_m": [None, cell_size_m]})
    from pctp.analytics.tasks import compute_forecast

    enqueue_on_commit(compute_forecast, forecast.pk)  # a worker computes it
    forecast.created_now = True
    return forecast


def forecast_claim(pk: int | None = None) -> Forecast | None:
    """Take the given (or the oldest) queued forecast; the conditional update makes two
    workers that race for the same row agree on who got it."""
    queued = Forecast.objects.filter(status=Forecast.State.QUEUED)
    if pk is not None:
        queued = queued.filter(pk=pk)
    for pk in queued.order_by("created_at", "id").values_list("pk", flat=True)[:20]:
        taken = Forecast.objects.filter(pk=pk, status=Forecast.State.QUEUED).update(
            status=Forecast.State.RUNNING, started_at=timezone.now(),
            heartbeat_at=timezone.now(), progress=0)
        if taken:
            forecast = Forecast.objects.get(pk=pk)
            audit_record(actor=None, action="forecast_start", obj=forecast,
                         from_state="queued", to_state="running")
            return forecast
    return None


def forecast_fail_stale(now=None, pk: int | None = None) -> int:
    """Running forecasts whose worker died (no sign of progress for STALE_AFTER) become
    failed (all of them, or the one ``pk``). Run every 5 minutes by the scheduler, before a
    forecast is queued, and when a running forecast is looked at."""
    now = now or timezone.now()
    n = 0
    silent = (models.Q(heartbeat_at__lt=now - STALE_AFTER)
              | models.Q(heartbeat_at__isnull=True, started_at__lt=now - STALE_AFTER))
    running = Forecast.objects.filter(silent, status=Forecast.State.RUNNING)
    if pk is not None:
        running = running.filter(pk=pk)
    for forecast in running:
        with transaction.atomic():
            # Still silent and running when written: a heartbeat that arrived meanwhile wins.
            if not running.filter(pk=forecast.pk).update(
                    status=Forecast.State.FAILED, finished_at=now, error=WORKER_LOST):
                continue
            audit_record(actor=None, action="forecast_fail", obj=forecast,
                         from_state="running", to_state="failed", note="stale")
        n += 1
    return n


def forecast_settled(forecast: Forecast) -> Forecast:
    """The forecast as a user should see it: a run silent too long is failed now, not at the
    next sweep."""
    if forecast.status == Forecast.State.RUNNING and forecast_fail_stale(pk=forecast.pk):
        forecast.refresh_from_db()
    return forecast


def forecast_requeue(*, actor, forecast: Forecast) -> Forecast:
    """Queue again a forecast whose run was lost, with its own parameters (for today)."""
    return forecast_queue(actor=actor, scope=forecast.scope, horizon=forecast.horizon,
                          method=forecast.method, crime_group=forecast.crime_group,
                          cell_size_m=forecast.cell_size_m)


def forecast_compute(forecast: Forecast) -> Forecast:
    """Compute a claimed (running) forecast: backtest on the last 12 months, fit on all
    history before its start, store the top 10% cells and the accuracy."""
    started = time.perf_counter()
    last = [-1, time.monotonic()]

    def progress(fraction: float) -> None:
        pct = int(min(99, max(0, round(5 + 94 * fraction))))
        beat = time.monotonic() - last[1] >= HEARTBEAT_EVERY.total_seconds()
        if pct != last[0] or beat:
            last[0], last[1] = pct, time.monotonic()
            Forecast.objects.filter(pk=forecast.pk, status=Forecast.State.RUNNING).update(
                progress=pct, heartbeat_at=timezone.now())

    try:
        table = adapters.crime_events(unit=forecast.scope)
        progress(0.0)
        context = table.events
        target = table.filter(group=forecast.crime_group) if forecast.crime_group else table
        grid = maps.province_grid(table.events.crs, forecast.cell_size_m, table.events)
        result = forecast_with_accuracy(
            target.events, grid, forecast.method, forecast.horizon_days,
            forecast.starts_on,
            context=context if forecast.method in ("learned", "ensemble", AUTO) else None,
            test_days=forecast.parameters.get("test_days", 365),
            min_history_days=forecast.parameters.get("min_history_days", 56),
            progress=progress)
        if result["accuracy"] is not None:
            # Coverage counted over the province's land cells (or, without boundaries, the
            # box of its records): the study area of the PAI (decision A8).
            result["accuracy"]["study_area"] = (
                "province" if grid.n_cells < grid.nx * grid.ny else "bbox")
        cells = maps.top_cells(grid, result["scores"], result["order"],
                               coverage=forecast.parameters.get("coverage_stored", 0.10))
        for row, (code, name) in zip(cells, maps.commune_of(
                np.array([c["lat"] for c in cells]), np.array([c["lon"] for c in cells])),
                strict=True):
            row["commune"], row["commune_name"] = code, name
    except Exception as exc:  # noqa: BLE001 - a failed job is recorded, not lost
        log.exception("forecast %s failed", forecast.pk)
        with transaction.atomic():
            failed = Forecast.objects.filter(pk=forecast.pk, status=Forecast.State.RUNNING
                                             ).update(
                status=Forecast.State.FAILED, finished_at=timezone.now(),
                error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=3)}"[:4000])
            forecast.refresh_from_db()
            if failed:
                audit_record(actor=None, action="forecast_fail", obj=forecast,
                             from_state="running", to_state="failed", note=str(exc)[:300])
        return forecast
    with transaction.atomic():
        forecast = Forecast.objects.select_for_update().get(pk=forecast.pk)
        if forecast.status != Forecast.State.RUNNING:
            # Given up as lost (silent too long) while it ran: its replacement computes it.
            log.warning("forecast %s finished after it was marked %s; result dropped",
                        forecast.pk, forecast.status)
            return forecast
        forecast.status = Forecast.State.DONE
        forecast.progress = 100
        forecast.grid = maps.grid_description(grid)
        forecast.cells = cells
        forecast.accuracy = result["accuracy"]
        if result.get("choice") is not None:  # method "auto": what it chose and why
            forecast.parameters = {**forecast.parameters, "chosen": result["choice"]}
        forecast.n_events = result["n_train_events"]
        forecast.seconds = round(time.perf_counter() - started, 2)
        forecast.finished_at = timezone.now()
        forecast.save()
        audit_record(actor=None, action="forecast_done", obj=forecast, from_state="running",
                     to_state="done", changes={"cells": [None, len(cells)],
                                               "seconds": [None, forecast.seconds]})
    return forecast


def forecast_run_pending(*, limit: int | None = None, stdout=None) -> list[Forecast]:
    """Compute the queued forecasts here and now (the command line's `pctp analytics
    forecast --commit`, and a recovery after an outage); normally a worker computes each
    one from its task. Fails stale runs first."""
    forecast_fail_stale()
    done = []
    while limit is None or len(done) < limit:
        forecast = forecast_claim()
        if forecast is None:
            break
        if stdout is not None:
            stdout.write(f"forecast {forecast.pk}: {forecast.horizon} {forecast.method} …")
        forecast = forecast_compute(forecast)
        if stdout is not None:
            stdout.write(f"forecast {forecast.pk}: {forecast.status} in {forecast.seconds} s")
        done.append(forecast)
    return done


# ----------------------------------------------------------------------------- incident files

def _as_datetime(days: float):
    value = days_to_datetime64(days).item()
    return timezone.make_aware(value, timezone.get_current_timezone())


@transaction.atomic
def upload_create(*, actor, scope: Unit, name: str, data: bytes) -> EventUpload:
    """Validate and store an analyst's incident CSV. A bad file raises DomainError whose
    details name the row and the column; a good one is stored whole."""
    _require(actor, "analytics.run_analysis", scope)
    if not data:
        raise DomainError("invalid", _("The file is empty."), details={"file": [_("The file is empty.")]})
    try:
        events = adapters.read_csv_upload(data)
    except EventFileError as exc:
        details = {"row": exc.row, "column": exc.column, "message": str(exc)}
        raise DomainError("invalid_file", str(exc), details=details) from exc
    if len(events) == 0:
        raise DomainError("invalid_file", _("The file has no data rows."),
                          details={"row": None, "column": None})
    content = data if data[:2] == b"\x1f\x8b" else gzip.compress(data)
    types = Counter(str(t) for t in events.offence_type)
    upload = EventUpload.objects.create(
        name=name[:200] or "events.csv", scope=scope, content=content, n_rows=len(events),
        first_at=_as_datetime(float(events.days[0])),
        last_at=_as_datetime(float(events.days[-1])),
        offence_types=dict(types.most_common(200)), created_by=actor)
    audit_record(actor=actor, action="upload_events", obj=upload,
                 changes={"rows": [None, len(events)], "name": [None, upload.name]})
    return upload


# ----------------------------------------------------------------------------- alerts

ALERT_ROLES = ("statistics_analyst", "provincial_leader")


def alert_recipients(scope: Unit):
    from pctp.core.models import User

    members = Membership.objects.active().filter(
        unit__province_id=scope.province_id, role__code__in=ALERT_ROLES)
    return User.objects.filter(is_active=True, memberships__in=members).distinct()


def emerging_alerts_send(*, scope: Unit, rows: list[dict], month: str, link: str) -> int:
    """One notification per new or rising type, commune and month to every statistics
    analyst and provincial leader; sent once (the key names it)."""
    from pctp.core.models import Notification
    from pctp.core.notifications import notify_many

    users = list(alert_recipients(scope))
    notes = []
    for row in rows:
        if row["status"] not in ("new", "rising"):
            continue
        # A stored notification, read by users whose language is not known here.
        what = ("xuất hiện lần đầu" if row["status"] == "new"  # i18n: data
                else "tăng bất thường, có nguy cơ diễn biến phức tạp")
        text = (f"Tháng {month}: {row['label']} tại {row['commune_name'] or row['commune']} "  # i18n: data
                f"{what} ({row['observed']} vụ, kỳ vọng {row['expected']:.1f}).")
        key = f"analytics:emerging:{month}:{row['level']}:{row['key']}:{row['commune']}"
        notes += [(u, key, text, link) for u in users]
    before = Notification.objects.filter(key__startswith=f"analytics:emerging:{month}:").count()
    notify_many(notes)
    return Notification.objects.filter(
        key__startswith=f"analytics:emerging:{month}:").count() - before


def emerging_run(*, level: str = "offence", month=None, commit: bool = False) -> dict:
    """The monthly scan: classify each crime type in each commune and alert analysts and
    leaders to the new and rising ones (once per type, commune and month)."""
    from django.urls import reverse

    from pctp.analytics import selectors

    unit = province_unit()
    rows, month = selectors.emerging_table(unit=unit, level=level, month=month)
    label = selectors.month_label(month)
    alerts = [r for r in rows if r["status"] in ("new", "rising")]
    sent = 0
    if commit:
        sent = emerging_alerts_send(scope=unit, rows=alerts, month=label,
                                    link=reverse("analytics:emerging") + f"?level={level}")
    return {"month": label, "alerts": len(alerts), "pairs": len(rows), "sent": sent,
            "committed": commit}
