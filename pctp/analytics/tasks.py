"""The analysis app's background work: computing a queued forecast, the monthly scan of
emerging crime types."""

from __future__ import annotations

from django_tasks import task

from pctp.core.tasks import retried


@task(queue_name="forecasts")
def compute_forecast(forecast_id: int, attempt: int = 1) -> dict:
    """Claim one queued forecast (a second worker, or a second delivery, finds it taken
    and does nothing) and compute it; its progress is written to the row as it goes."""
    from pctp.analytics import services as s

    with retried(compute_forecast, forecast_id, attempt=attempt):
        forecast = s.forecast_claim(pk=forecast_id)
        if forecast is None:
            return {"forecast": forecast_id, "skipped": "not queued (taken or done)"}
        forecast = s.forecast_compute(forecast)
        return {"forecast": forecast_id, "status": forecast.status, "seconds": forecast.seconds}


@task()
def scan_emerging(level: str = "offence", month: str = "", attempt: int = 1) -> dict:
    """Classify last month's crime types per commune and alert (once per type, commune and
    month): what `pctp analytics emerging --commit` does."""
    from pctp.analytics.management.commands.analytics import emerging_run

    with retried(scan_emerging, level=level, month=month, attempt=attempt):
        return emerging_run(level=level, month=month or None, commit=True)


@task()
def queue_forecasts(horizons: str = "week,month", attempt: int = 1) -> dict:
    """Queue the province's forecasts for these horizons (a compute task each, on the
    forecasts queue): what `pctp analytics forecast --queue week,month --commit` does. A
    forecast already queued or running for the same day is not queued twice."""
    from pctp.analytics import services as s

    with retried(queue_forecasts, horizons=horizons, attempt=attempt):
        queued = [s.forecast_queue(actor=None, scope=s.province_unit(), horizon=h.strip()).pk
                  for h in horizons.split(",") if h.strip()]
        return {"forecasts": queued}


@task()
def fail_stale_forecasts(attempt: int = 1) -> dict:
    """Mark failed the running forecasts whose worker died (silent for 15 minutes), so their
    pages say so and they can be queued again."""
    from pctp.analytics import services as s

    with retried(fail_stale_forecasts, attempt=attempt):
        return {"failed": s.forecast_fail_stale()}
