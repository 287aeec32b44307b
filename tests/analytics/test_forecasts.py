"""Stored forecasts: queued on a page or by the API, computed by `pctp analytics forecast`,
stored with their cells and the accuracy of the method on the last 12 months."""

import math
import random
from datetime import timedelta

import pytest
from django.core.management import ManagementUtility
from django.utils import timezone

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
            seen.append(Forecast.objects.values_list("progress", "heartbeat_at").get())
        return original(*args, progress=record, **kwargs)

    monkeypatch.setattr(s, "forecast_with_accuracy", spy)
    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                method="kde", cell_size_m=500)
    assert forecast.status == "queued" and forecast.progress == 0
    before = timezone.now()
    done = s.forecast_run_pending()
    forecast.refresh_from_db()
    assert [f.pk for f in done] == [forecast.pk]
    assert forecast.status == "done" and forecast.progress == 100, forecast.error
    # progress was visible in the row while it ran, and only went up; each step wrote the
    # heartbeat that tells a live run from one whose worker died
    pct = [p for p, _at in seen]
    beats = [at for _p, at in seen]
    assert len(pct) > 10 and pct == sorted(pct) and 0 < pct[len(pct) // 2] < 100
    assert all(at is not None and at >= before for at in beats) and beats == sorted(beats)
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
    one = forecast.accuracy["coverage"]["0.01"]
    assert week["accuracy"][0]["pai"] == one["pai_pooled"]  # pooled, as the literature does
    assert week["accuracy"][0]["pai_mean"] == one["pai_mean"]
    # what the page says in Vietnamese: the interval, the events, the km², the glossary
    text = page.content.decode()
    lo, hi = (f"{v:.1f}".replace(".", ",") for v in one["pai_ci"])
    assert f"({lo}–{hi})" in text
    assert f"{int(one['captured'])} / {int(one['events'])}" in text
    cells = one["cells"]  # cells of 1 km (1,000 m): as many km² as cells
    assert f"({cells} ô ≈ {cells} km²)" in text
    assert "Các con số này nghĩa là gì" in text and "như đã biết vào từng thời điểm" in text
    assert page.context["current"][1]["forecast"] is None   # no monthly forecast yet
    assert b"plotly-figure" in page.content and b"/vendor/plotly.min.js" in page.content
    assert "'unsafe-inline'" in page["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    assert "unsafe-inline" not in page["Content-Security-Policy"].split("script-src")[1].split(
        ";")[0]
    detail = login(analyst).get(f"/analytics/forecasts/{forecast.pk}/")
    assert detail.status_code == 200 and detail.context["top"][0]["rank"] == 1


def test_a_run_whose_worker_died_is_failed_and_the_forecast_can_be_queued_again(analyst):
    """A worker killed mid-run leaves the row running; once it has given no sign of progress
    for 15 minutes it is marked failed, and asking for the same forecast queues a new one
    (QA of issue 24: it used to hand back the dead row for two hours)."""
    scope = s.province_unit()
    dead = s.forecast_queue(actor=analyst, scope=scope, horizon="week", method="naive")
    assert s.forecast_claim(dead.pk).status == "running"
    # Alive (a sign of progress 14 minutes ago): asking again gives the same run.
    Forecast.objects.filter(pk=dead.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=14))
    assert s.forecast_queue(actor=analyst, scope=scope, horizon="week",
                            method="naive").pk == dead.pk
    # Silent for 16 minutes: failed, and a new forecast is queued.
    Forecast.objects.filter(pk=dead.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=16))
    again = s.forecast_queue(actor=analyst, scope=scope, horizon="week", method="naive")
    assert again.pk != dead.pk and again.status == "queued"
    dead.refresh_from_db()
    assert dead.status == "failed" and dead.finished_at is not None
    assert AuditEvent.objects.filter(action="forecast_fail", object_id=str(dead.pk),
                                     note="stale").exists()
    # Its page says so in Vietnamese, not with the technical message, and offers to queue it
    # again with its own parameters (here the run queued meanwhile is handed back).
    client = login(analyst)
    page = client.get(f"/analytics/forecasts/{dead.pk}/").content.decode()
    assert "tiến trình đang tính đã kết thúc" in page and "worker ended" not in page
    assert "Yêu cầu tính lại" in page
    r = client.post(f"/analytics/forecasts/{dead.pk}/requeue/", follow=True)
    assert "Dự báo này đã có trong hàng đợi hoặc đang được tính" in r.content.decode()
    assert r.redirect_chain[-1][0] == f"/analytics/forecasts/{again.pk}/"


def test_a_dead_run_shows_as_failed_when_looked_at_and_is_queued_again_as_it_was(
        analyst, leader, settings):
    """Nobody queues anything: the page, its progress endpoint and the API still say the
    run was lost once it has been silent 15 minutes, and the sweep the scheduler runs every
    5 minutes fails it too. Queued again, it keeps its own cell size, which the page's form
    does not offer (300 m, through the API)."""
    from pctp.analytics.tasks import fail_stale_forecasts
    from pctp.core import schedule
    from tests.personas import login_verified

    scope = s.province_unit()
    dead = s.forecast_queue(actor=analyst, scope=scope, horizon="week", method="naive",
                            cell_size_m=300)
    s.forecast_claim(dead.pk)
    Forecast.objects.filter(pk=dead.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=16))
    client = login(analyst)
    assert client.get(f"/analytics/forecasts/{dead.pk}/progress.json").json()["status"] == \
        "failed"
    assert api_client(analyst).get(f"/api/v1/analytics/forecasts/{dead.pk}/").json()[
        "status"] == "failed"
    r = client.post(f"/analytics/forecasts/{dead.pk}/requeue/")
    again = Forecast.objects.exclude(pk=dead.pk).get()
    assert r["Location"] == f"/analytics/forecasts/{again.pk}/"
    assert (again.status, again.method, again.cell_size_m, again.horizon) == (
        "queued", "naive", 300, "week")
    # A leader may look but not run forecasts: told who can, no button, and refused.
    looker = login_verified(leader)
    page = looker.get(f"/analytics/forecasts/{dead.pk}/").content.decode()
    assert "Cán bộ được quyền chạy dự báo có thể yêu cầu tính lại" in page
    assert "requeue" not in page
    assert looker.post(f"/analytics/forecasts/{dead.pk}/requeue/").status_code == 403
    # The scheduler's sweep, every 5 minutes.
    job = next(j for j in schedule.JOBS if j.name == "forecasts_stale")
    assert job.cron == "*/5 * * * *"
    s.forecast_claim(again.pk)
    Forecast.objects.filter(pk=again.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=16))
    assert fail_stale_forecasts.call() == {"failed": 1}
    assert Forecast.objects.get(pk=again.pk).status == "failed"


def test_a_run_given_up_as_lost_does_not_overwrite_its_failure_when_it_ends(analyst,
                                                                            hotspot_year):
    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                method="naive", cell_size_m=1000)
    running = s.forecast_claim(forecast.pk)
    Forecast.objects.filter(pk=forecast.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=20))
    assert s.forecast_fail_stale() == 1
    # The slow worker was alive after all and finishes now: the row stays failed (its
    # replacement, queued meanwhile, is the one that counts), with no cells.
    s.forecast_compute(running)
    forecast.refresh_from_db()
    assert forecast.status == "failed" and forecast.cells == [] and forecast.progress == 0


def test_the_api_says_whether_it_queued_a_new_forecast(analyst):
    api = api_client(analyst)
    first = api.post("/api/v1/analytics/forecasts/", {"horizon": "week", "method": "naive"},
                     format="json")
    second = api.post("/api/v1/analytics/forecasts/", {"horizon": "week", "method": "naive"},
                      format="json")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"] and Forecast.objects.count() == 1


def test_a_bad_queue_request_says_what_is_wrong(analyst):
    client = login(analyst)
    r = client.post("/analytics/forecasts/queue/", {"horizon": "year", "method": "sepp",
                                                    "group": "", "cell": 50}, follow=True)
    text = r.content.decode()
    assert "Chưa đưa dự báo vào hàng đợi. Thời hạn dự báo: Hãy chọn" in text
    assert "Thời hạn dự báo: Hãy chọn một lựa chọn hợp lệ. year không phải" in text
    assert "Kích thước ô: Hãy chọn một lựa chọn hợp lệ. 50 không phải" in text
    assert not Forecast.objects.exists()


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


def test_the_accuracy_does_not_use_records_entered_after_each_window(
        analyst, hotspot_year, place_source, bulk_sources, communes, monkeypatch):
    """Issue 24: 40 thefts of 13 months ago, all in one spot, were entered into the system
    today with their receipt back-dated. No past window could have known them: the accuracy
    is the same as without them; the forecast itself uses them."""
    from pctp.core.audit import audit_record

    def run():
        forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                    method="naive_all", cell_size_m=500)
        s.forecast_run_pending()
        forecast.refresh_from_db()
        assert forecast.status == "done", forecast.error
        return forecast

    before = run()
    b = communes["b"]
    late = bulk_sources([place_source(days_ago(400 + i / 10), b.lat + 0.02, b.lon + 0.02,
                                      commune=b) for i in range(40)])
    for source in late:  # entered today, with the receipt dated 13 months back
        audit_record(actor=analyst, action="source.receive", obj=source, to_state="verifying")
    Forecast.objects.all().delete()
    after = run()
    assert after.n_events == before.n_events + 40
    assert after.accuracy["late_excluded"] > 0
    for cov in ("0.01", "0.05"):
        for key in ("pai_pooled", "hit_rate_pooled", "captured", "events", "pai_mean"):
            assert after.accuracy["coverage"][cov][key] == before.accuracy["coverage"][cov][key]
    # With hindsight (receipt = occurrence) the early windows would have ranked them first.
    monkeypatch.setattr("pctp.analytics.adapters._entered", lambda *a: {})
    Forecast.objects.all().delete()
    hindsight = run()
    assert hindsight.accuracy["late_excluded"] == 0
    assert (hindsight.accuracy["coverage"]["0.01"]["pai_pooled"]
            != before.accuracy["coverage"]["0.01"]["pai_pooled"])


def test_too_few_events_say_not_enough_data(analyst, communes, place_source, bulk_sources):
    a = communes["a"]
    bulk_sources([place_source(days_ago(3 + i * 20), a.lat, a.lon) for i in range(20)])
    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                method="naive", cell_size_m=1000)
    s.forecast_run_pending()
    forecast.refresh_from_db()
    assert forecast.status == "done" and forecast.accuracy["n_events"] < 30
    text = login(analyst).get(f"/analytics/forecasts/{forecast.pk}/").content.decode()
    assert "Chưa đủ dữ liệu" in text and "cần ít nhất 30" in text
    assert "<table class=\"data accuracy-table\">" not in text


def test_an_automatic_forecast_says_what_it_chose_and_why(analyst, hotspot_year):
    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                method="auto", cell_size_m=1000)
    s.forecast_run_pending()
    forecast.refresh_from_db()
    assert forecast.status == "done", forecast.error
    chosen = forecast.parameters["chosen"]
    # A year of records: the test windows take it all, no half-year is left before them to
    # compare the methods on, so the simplest robust one is used; 280 events a year are too
    # few for the learned methods anyway.
    assert chosen["method"] == "naive_all" and chosen["start"] is None
    assert chosen["learned_considered"] is False
    assert forecast.accuracy["chosen"] == chosen
    page = login(analyst).get(f"/analytics/forecasts/{forecast.pk}/").content.decode()
    assert "Đã chọn đếm đơn giản trên toàn bộ lịch sử: chưa đủ dữ liệu lịch sử" in page
    assert "Không thử các phương pháp học máy" in page


def test_an_automatic_forecast_names_the_leader_it_did_not_take(analyst, hotspot_year):
    """The choice kept a simpler method whose lead was within the noise: the page names the
    leader, both scores and why (decision A9)."""
    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                method="auto", cell_size_m=1000)
    s.forecast_run_pending()
    forecast.refresh_from_db()
    chosen = {"method": "naive_all", "best": "kde", "n_windows": 26,
              "validation": {"naive_all": [11.91, 7.86], "kde": [12.16, 7.81]},
              "start": "2025-06-10T00:00:00", "end": "2025-12-09T00:00:00",
              "learned_considered": True}
    Forecast.objects.filter(pk=forecast.pk).update(
        parameters={**forecast.parameters, "chosen": chosen})
    page = login(analyst).get(f"/analytics/forecasts/{forecast.pk}/").content.decode()
    assert ("Đã chọn đếm đơn giản trên toàn bộ lịch sử: PAI ở mức 1% đạt 11,9 trên các kỳ "
            "từ 10/06/2025 đến 09/12/2025") in page
    assert "Dẫn đầu ở đó là mật độ hạt nhân (giảm dần theo thời gian) với 12,2" in page
    assert "giữ phương pháp đơn giản hơn" in page


def test_a_bad_method_is_refused_with_the_choices(analyst):
    r = api_client(analyst).post("/api/v1/analytics/forecasts/",
                                 {"horizon": "week", "method": "bogus"}, format="json")
    assert r.status_code == 400
    body = r.json()
    message = body["error"]["details"]["method"][0]
    assert message.startswith("“bogus” không phải là một phương pháp: chọn một trong naive, ")
    assert "naive_all" in message and "auto" in message
