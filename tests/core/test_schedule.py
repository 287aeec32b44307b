"""The periodic jobs' scheduler (issue 23): `pctp beat` enqueues each job when its cron
schedule falls due, once per firing however many schedulers run, and on its return only the
latest firing it missed, within the catch-up window. Times are the province's (UTC+7)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from pctp.core import schedule
from pctp.core.models import ScheduledRun

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                        "QUEUES": ["default", "forecasts", "imports", "reports"]}}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=HCM)


@pytest.fixture
def database_tasks(settings):
    settings.PCTP_TASKS_BACKEND = "database"
    settings.TASKS = DB_TASKS
    settings.PCTP_BEAT_JOBS = ["reminders", "areas_watch", "liberty_alerts"]
    settings.PCTP_BEAT_CATCH_UP_HOURS = 6


def job(name):
    return next(j for j in schedule.JOBS if j.name == name)


def test_the_latest_firing_is_read_in_the_province_time():
    # 06:15 daily, at 06:15:00 sharp and a minute before
    assert job("reminders").latest_due(at(2026, 12, 7, 6, 15)) == at(2026, 12, 7, 6, 15)
    assert job("reminders").latest_due(at(2026, 12, 7, 6, 14)) == at(2026, 12, 6, 6, 15)
    # 06:15 in Ho Chi Minh City is 23:15 UTC the day before
    utc = datetime(2026, 12, 6, 23, 20, tzinfo=ZoneInfo("UTC"))
    assert job("reminders").latest_due(utc) == at(2026, 12, 7, 6, 15)
    # the 2nd of the month at 06:30; Mondays 00:30 (7 Dec 2026 is a Monday)
    assert job("areas_watch").latest_due(at(2026, 12, 7, 9)) == at(2026, 12, 2, 6, 30)
    assert job("forecasts").latest_due(at(2026, 12, 6, 23)) == at(2026, 11, 30, 0, 30)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when done
def test_each_firing_is_enqueued_once_and_a_missed_one_only_within_the_window(database_tasks,
                                                                             reference_data):
    from django_tasks_db.models import DBTaskResult

    fired = schedule.tick(at(2026, 12, 7, 6, 20), scheduler="a")
    # reminders (06:15) and the hourly alerts (06:00) are due; the areas watch (2 Dec) is
    # older than the six-hour window
    assert sorted((f.job, f.due_at) for f in fired) == [
        ("liberty_alerts", at(2026, 12, 7, 6)), ("reminders", at(2026, 12, 7, 6, 15))]
    assert schedule.tick(at(2026, 12, 7, 6, 40), scheduler="b") == []  # same firings
    tasks = DBTaskResult.objects.order_by("task_path")
    assert [t.task_path.rsplit(".", 1)[1] for t in tasks] == ["send_liberty_alerts",
                                                            "send_reminders"]
    assert {r.task_id for r in ScheduledRun.objects.all()} == {str(t.id) for t in tasks}
    # Down from 06:40 to 11:05: the alerts missed 07:00 to 11:00; only 11:00 is enqueued
    fired = schedule.tick(at(2026, 12, 7, 11, 5), scheduler="a")
    assert [(f.job, f.due_at) for f in fired] == [("liberty_alerts", at(2026, 12, 7, 11))]
    # A worker runs what was enqueued
    call_command("db_worker", "--batch", "--queue-name", "*", "--interval", "0")
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.django_db
def test_a_firing_another_scheduler_enqueued_first_is_skipped(database_tasks):
    from django_tasks_db.models import DBTaskResult

    ScheduledRun.objects.create(job="reminders", due_at=at(2026, 12, 7, 6, 15), scheduler="b")
    fired = schedule.tick(at(2026, 12, 7, 6, 16), scheduler="a")
    assert [f.job for f in fired] == ["liberty_alerts"]
    assert DBTaskResult.objects.count() == 1


def test_unknown_jobs_and_bad_options_are_refused(settings, capsys):
    settings.PCTP_BEAT_JOBS = ["reminders", "no_such_job"]
    with pytest.raises(ImproperlyConfigured, match="no_such_job"):
        schedule.jobs()
    settings.PCTP_BEAT_JOBS = []
    with pytest.raises(CommandError, match="--interval"):
        call_command("beat", "--interval", "0")
    with pytest.raises(CommandError, match="--now goes with --once"):
        call_command("beat", "--now", "2026-12-07T06:15")
    with pytest.raises(CommandError, match="YYYY-MM-DDTHH:MM"):
        call_command("beat", "--once", "--now", "yesterday")


def test_the_list_shows_every_job_with_its_schedule(capsys):
    call_command("beat", "--list")
    out = capsys.readouterr().out
    for j in schedule.JOBS:
        assert j.name in out and j.cron in out
