"""A statistics analyst queues a forecast, watches its progress while the background job
computes it, and reads the map with the method's measured accuracy beside it — in Debian's
chromium, under the strict CSP (no inline script, Plotly served locally)."""

import math
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from pctp.analytics.models import Forecast
from tests.browser.conftest import shot, sign_in
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analyst_with_records(reference_data, make_user):
    from pctp.sources.models import Source
    from pctp.units.models import Commune, Unit

    analyst = make_user("statistics_analyst", "P80", name="Lê Minh Thống")
    commune = Commune.objects.get(name="Phường Tân Ninh")
    body = Unit.objects.get(code="P80-CA-CSDT")
    vks = Unit.objects.get(kind="regional_procuracy", communes=commune)
    rng = random.Random(3)
    now = timezone.now()
    rows = []
    for i in range(200):
        when = now - timedelta(days=1 + i * 1.8)
        d = 0.01 * math.sqrt(rng.random())
        a = rng.uniform(0, 2 * math.pi)
        rows.append(Source(
            unit=body, holder=body, procuracy=vks, register_year=when.year,
            register_number=i + 1, kind="crime_report", channel="in_person",
            received_at=when, holder_received_at=when, occurred_at=when, summary=f"Tin {i}",
            content="-", reporter_type="person", clock_start=when.date(),
            due_date=when.date(), commune=commune, lat=commune.lat + d * math.cos(a),
            lon=commune.lon + d * math.sin(a), crime_group="social_order",
            status="verifying"))
    Source.objects.bulk_create(rows)
    return analyst


def test_an_analyst_queues_a_forecast_and_sees_it_with_its_accuracy(new_page,
                                                                   analyst_with_records,
                                                                   settings):
    # The task is kept for a worker (the dummy backend stores it without running it), so
    # that the page shows the queued forecast before the "worker" computes it below.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "forecasts"]}}
    page = new_page()
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, analyst_with_records.username, PASSWORD)
    page.goto("/analytics/forecasts/")
    form = page.locator("form[action$='/queue/']")
    form.locator("select[name=horizon]").select_option("week")
    form.locator("select[name=method]").select_option("kde")
    form.locator("select[name=cell]").select_option("2000")
    form.locator("button.primary").click()
    page.wait_for_url("**/analytics/forecasts/*/")
    forecast = Forecast.objects.get()
    assert page.locator("progress").count() == 1
    shot(page, "analytics-forecast-queued")
    # a worker computes it meanwhile (what the forecast's task does)
    from pctp.analytics.tasks import compute_forecast

    compute_forecast.call(Forecast.objects.get().pk)
    # the page polls the progress and reloads itself when the job is done
    page.wait_for_selector("#forecast-map .main-svg", timeout=30_000)
    assert page.locator("progress").count() == 0
    accuracy = page.locator(".accuracy").inner_text()
    pai_1 = forecast.__class__.objects.get().accuracy["coverage"]["0.01"]["pai_mean"]
    assert f"{pai_1:.1f}".replace(".", ",") in accuracy            # Vietnamese decimals
    shot(page, "analytics-forecast-done")
    # the forecasts page shows it as next week's, with the same accuracy beside the map
    page.goto("/analytics/forecasts/")
    page.wait_for_selector("#map-week .main-svg")
    assert f"{pai_1:.1f}".replace(".", ",") in page.locator(".accuracy").first.inner_text()
    page.goto("/analytics/")
    page.wait_for_selector("#hotspot-map .main-svg")
    shot(page, "analytics-hotspots")
    assert problems == []
