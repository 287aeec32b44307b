"""Demo data for analysis: this week's and this month's forecasts, computed on the demo
province's records, and the emerging-type alerts of the last complete month."""

from __future__ import annotations

import time

from django.urls import reverse
from django.utils import timezone

from pctp.analytics import selectors
from pctp.analytics import services as s
from pctp.analytics.models import Forecast, Horizon


def seed(*, password: str, stdout) -> dict:
    stdout.write("Computing the demo forecasts (next week, next month) and emerging types…")
    started = time.perf_counter()
    scope = s.province_unit()
    today = timezone.localdate()
    for horizon in (Horizon.WEEK, Horizon.MONTH):
        if not Forecast.objects.filter(scope=scope, horizon=horizon, starts_on=today,
                                       status=Forecast.State.DONE).exists():
            s.forecast_queue(actor=None, scope=scope, horizon=horizon)
    s.forecast_run_pending()
    rows, month = selectors.emerging_table(unit=scope, level="group")
    alerts = [r for r in rows if r["status"] in ("new", "rising")]
    sent = s.emerging_alerts_send(scope=scope, rows=alerts, month=selectors.month_label(month),
                                  link=reverse("analytics:emerging"))
    done = Forecast.objects.filter(status=Forecast.State.DONE).count()
    return {"forecasts": done, "emerging alerts": f"{len(alerts)} ({sent} new notifications)",
            "analysis seconds": round(time.perf_counter() - started, 1)}
