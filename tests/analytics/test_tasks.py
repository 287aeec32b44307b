"""Forecasts are background tasks on django-tasks (issue 16): queued on a page, enqueued as a
task when the transaction commits, computed by a worker (`pctp db_worker`), each claimed
once even when delivered twice; the task's state and result are stored for the admin."""

import pytest
from django.core.management import call_command

from pctp.analytics import services as s
from pctp.analytics.models import Forecast
from tests.analytics.test_forecasts import hotspot_year  # noqa: F401, F811 - fixture

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                        "QUEUES": ["default", "forecasts"]}}


@pytest.fixture
def database_tasks(settings):
    settings.PCTP_TASKS_BACKEND = "database"
    settings.TASKS = DB_TASKS


@pytest.mark.django_db(transaction=True)
def test_a_queued_forecast_is_computed_by_a_worker_once(reference_data, database_tasks, analyst,
                                                       hotspot_year):  # noqa: F811
    from django_tasks_db.models import DBTaskResult

    from pctp.analytics.tasks import compute_forecast

    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                method="kde", cell_size_m=500)
    task_rows = DBTaskResult.objects.filter(task_path__endswith="compute_forecast")
    assert task_rows.count() == 1 and task_rows.get().status == "READY"
    assert Forecast.objects.get(pk=forecast.pk).status == "queued"
    compute_forecast.enqueue(forecast.pk)  # delivered twice
    call_command("db_worker", "--batch", "--queue-name", "*", "--interval", "0")
    forecast.refresh_from_db()
    assert (forecast.status, forecast.progress) == ("done", 100)
    results = sorted(str(r.return_value) for r in DBTaskResult.objects.all())
    assert [r.status for r in DBTaskResult.objects.all()] == ["SUCCESSFUL", "SUCCESSFUL"]
    assert sum("skipped" in r for r in results) == 1  # the second found it taken


@pytest.mark.django_db(transaction=True)
def test_the_periodic_jobs_are_tasks_a_worker_runs(reference_data, database_tasks, capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("send-reminders", "--enqueue")
    call_command("areas-watch", "--enqueue")
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    call_command("db_worker", "--batch", "--queue-name", "*", "--interval", "0")
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
