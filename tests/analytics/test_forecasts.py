"""Stored forecasts: queued on a page or by the API, computed by `pctp analytics forecast`,
stored with their cells and the accuracy of the method on the last 12 months."""

import math
import random

import pytest
from django.core.management import ManagementUtility

from pctp.analytics import services as s
from pctp.analytics.models import Forecast
from pctp.core.models import AuditEvent
from tests.analytics.conftest import days_ago
from tests.personas import api_client, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotspot_year(communes, place_source, bulk_sources):
    """A year of sources: 160 within 80 m of a planted hotspot near commune A's point,
    one every ~2 days, and 120 spread over 3 km around commune B's point."""
    rng = random.Random(7)
    a, b = communes["a"], communes["b"]
    hot = (a.lat + 0.01, a.lon + 0.01)
    rows = []
    for i in range(160):
        d = 0.0008 * math.sqrt(rng.random())
        angle = rng.uniform(0, 2 * math.pi)
        rows.append(place_source(days_ago(2 + i * 2.2), hot[0] + d * math.cos(angle),
                                 hot[1] + d * math.sin(angle)))
    for i in range(120):
        d = 0.027 * math.sqrt(rng.random())
        angle = rng.uniform(0, 2 * math.pi)
        rows.append(place_source(days_ago(1 + i * 3), b.lat + d * math.cos(angle),
                                 b.lon + d * math.sin(angle), commune=b))
    # a transferred copy is the same event registered twice: not counted
    rows.append(place_source(days_ago(3), hot[0], hot[1], status="transferred"))
    bulk_sources(rows)
    return hot


def test_the_forecast_job_stores_cells_accuracy_and_reaches_100(analyst, hotspot_year,
                                                                  monkeypatch):
    seen = []
    original = s.forecast_with_accuracy

    def spy(*args, progress, **kwargs):
        def record(fraction):
            progress(fraction)
            seen.append(Forecast.objects.values_list("progress", flat=True).get())
        return original(*args, progress=record, **kwargs)

    monkeypatch.setattr(s, "forecast_with_accuracy", spy)
    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                method="kde", cell_size_m=500)
    assert forecast.status == "queued" and forecast.progress == 0
    done = s.forecast_run_pending()
    forecast.refresh_from_db()
    assert [f.pk for f in done] == [forecast.pk]
    assert forecast.status == "done" and forecast.progress == 100, forecast.error
    # progress was visible in the row while it ran, and only went up
    assert len(seen) > 10 and seen == sorted(seen) and 0 < seen[len(seen) // 2] < 100
    assert forecast.n_events == 280                    # the transferred copy is left out
    # the top cell holds the planted hotspot
    top = forecast.cells[0]
    assert top["rank"] == 1 and top["coverage"] == 0.01
    lat, lon = hotspot_year
    assert abs(top["lat"] - lat) * 111_000 < 500 and abs(top["lon"] - lon) * 109_000 < 500
    assert forecast.grid["cell_size_m"] == 500 and forecast.grid["n_cells"] > 10_000
    # accuracy: weekly windows over the last 12 months once 8 weeks of history exist
    acc = forecast.accuracy
    assert set(acc["coverage"]) == {"0.01", "0.02", "0.05", "0.1"}
    assert 40 <= acc["n_windows"] <= 52 and acc["n_events"] > 0
    assert acc["coverage"]["0.01"]["hit_rate_mean"] > 0.4    # the hotspot is found
    assert acc["coverage"]["0.01"]["pai_mean"] > 40
    assert forecast.seconds is not None
    actions = list(AuditEvent.objects.filter(object_type="analytics.forecast",
                                             object_id=str(forecast.pk))
                   .values_list("action", flat=True).order_by("id"))
    assert actions == ["forecast_queue", "forecast_start", "forecast_done"]


def test_queueing_twice_gives_the_same_job_and_a_finished_one_is_not_rerun(analyst,
                                                                           hotspot_year):
    first = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="month",
                             method="naive")
    again = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="month",
                             method="naive")
    assert again.pk == first.pk
    assert len(s.forecast_run_pending()) == 1
    assert s.forecast_run_pending() == []             # nothing queued: idempotent


def test_the_command_is_dry_without_commit_and_computes_with_it(analyst, hotspot_year, capsys):
    client = api_client(analyst)
    r = client.post("/api/v1/analytics/forecasts/", {"horizon": "week", "method": "naive",
                                                     "cell_size_m": 1000}, format="json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    ManagementUtility(["pctp", "analytics", "forecast"]).execute()
    assert "dry run" in capsys.readouterr().out
    assert Forecast.objects.get(pk=pk).status == "queued"
    ManagementUtility(["pctp", "analytics", "forecast", "--commit"]).execute()
    assert "1 forecast(s) computed" in capsys.readouterr().out
    detail = client.get(f"/api/v1/analytics/forecasts/{pk}/").json()
    assert detail["status"] == "done" and detail["progress"] == 100
    assert detail["cells"] and detail["accuracy"]["n_windows"] > 0


def test_a_failing_job_is_recorded_as_failed(analyst, hotspot_year, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("no memory")

    monkeypatch.setattr(s, "forecast_with_accuracy", boom)
    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week")
    s.forecast_run_pending()
    forecast.refresh_from_db()
    assert forecast.status == "failed" and "no memory" in forecast.error


def test_the_forecast_page_shows_the_current_forecast_with_its_accuracy(analyst, hotspot_year):
    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                method="kde", cell_size_m=1000)
    s.forecast_run_pending()
    forecast.refresh_from_db()
    page = login(analyst).get("/analytics/forecasts/")
    assert page.status_code == 200
    week = page.context["current"][0]
    assert week["forecast"].pk == forecast.pk
    assert [r["coverage"] for r in week["accuracy"]] == ["1%", "2%", "5%", "10%"]
    assert week["accuracy"][0]["pai"] == forecast.accuracy["coverage"]["0.01"]["pai_mean"]
    assert page.context["current"][1]["forecast"] is None   # no monthly forecast yet
    assert b"plotly-figure" in page.content and b"/vendor/plotly.min.js" in page.content
    assert "'unsafe-inline'" in page["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    assert "unsafe-inline" not in page["Content-Security-Policy"].split("script-src")[1].split(
        ";")[0]
    detail = login(analyst).get(f"/analytics/forecasts/{forecast.pk}/")
    assert detail.status_code == 200 and detail.context["top"][0]["rank"] == 1


def test_the_queue_button_queues_and_the_progress_endpoint_answers(analyst, hotspot_year):
    client = login(analyst)
    r = client.post("/analytics/forecasts/queue/", {"horizon": "month", "method": "sepp",
                                                    "group": "", "cell": 1000})
    forecast = Forecast.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/analytics/forecasts/{forecast.pk}/"
    page = client.get(r["Location"])
    assert b"pctp/progress.js" in page.content and b"data-progress-url" in page.content
    assert client.get(f"/analytics/forecasts/{forecast.pk}/progress.json").json() == {
        "id": forecast.pk, "status": "queued", "progress": 0}
