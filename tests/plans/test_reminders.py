"""`pctp send-reminders`: dry by default, idempotent with --commit, e-mails in the outbox.

Task deadline 30/06/2026, PCTP_REMINDER_DAYS = 3: reminded on 27/06 ("due soon"), once;
missed on 01/07 ("overdue"), once. A job that did not run on 27/06 reminds on 28/06.
"""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from pctp.core.models import Notification
from pctp.plans import services as s
from pctp.plans.models import UnitReport

pytestmark = pytest.mark.django_db


def run(day: str, *extra) -> str:
    out = StringIO()
    call_command("send-reminders", "--today", day, *extra, stdout=out)
    return out.getvalue()


def reminders(user=None):
    qs = Notification.objects.filter(key__startswith="remind:")
    return qs.filter(user=user) if user else qs


@pytest.fixture
def officer(edu):
    edu.email = "canbo.gddt@tayninh.gov.vn"
    edu.save()
    return edu


def test_a_dry_run_writes_and_sends_nothing(officer, task):
    out = run("2026-06-27")
    assert "canbo.gddt@tayninh.gov.vn" in out and "Dry run" in out
    assert reminders().count() == 0 and mail.outbox == []


def test_commit_sends_the_reminder_once_in_app_and_by_email(officer, task):
    out = run("2026-06-27", "--commit")
    assert "Reminders sent: 1" in out
    note = reminders(officer).get()
    assert note.link == f"/plans/tasks/{task.pk}/" and note.emailed_at is not None
    assert "30/06/2026" in note.text and "còn 3 ngày" in note.text
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["canbo.gddt@tayninh.gov.vn"] and task.title in email.subject
    assert f"/plans/tasks/{task.pk}/" in email.body
    assert "Reminders sent: 0" in run("2026-06-27", "--commit")
    assert "Reminders sent: 0" in run("2026-06-28", "--commit")
    assert len(mail.outbox) == 1 and reminders(officer).count() == 1


def test_too_early_there_is_nothing_to_remind(officer, task):
    assert "Reminders to send: 0" in run("2026-06-26")


def test_a_missed_deadline_is_reminded_the_day_after_once(officer, task):
    run("2026-07-01", "--commit")
    run("2026-07-02", "--commit")
    overdue = reminders(officer).get()
    assert overdue.key.endswith(":overdue:2026-06-30") and "quá hạn" in overdue.text
    assert len(mail.outbox) == 1


def test_a_task_reported_done_is_not_reminded(officer, task):
    s.task_submit(actor=officer, task=task, text="Đã xong")
    assert "Reminders to send: 0" in run("2026-07-01")


def test_the_number_of_days_is_a_setting(officer, task, settings):
    settings.PCTP_REMINDER_DAYS = 5
    assert "Reminders sent: 1" in run("2026-06-25", "--commit")


def test_the_daily_job_opens_the_reports_that_begin_then_reminds(officer, assign):
    task = assign(deadline=None, recurrence="monthly", first_report_due=date(2026, 1, 31),
                  coordinating_units=[], today=date(2026, 1, 10))
    assert UnitReport.objects.filter(task=task).count() == 1
    assert "Unit reports to open: 1" in run("2026-02-01")
    assert UnitReport.objects.filter(task=task).count() == 1
    out = run("2026-02-01", "--commit")
    assert "Unit reports opened: 1" in out
    assert UnitReport.objects.filter(task=task).count() == 2
    # The January report was missed on 31/01: reminded as overdue on 01/02.
    assert reminders(officer).get().key.startswith("remind:unitreport:")
    assert "Unit reports opened: 0" in run("2026-02-01", "--commit")


def test_a_bad_date_is_refused():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("31/01/2026")


def test_an_enqueued_job_is_not_given_a_day_it_would_ignore(db):
    """A worker runs the job for its own day: `--enqueue --today X` used to drop X silently."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today runs the job here"):
        call_command("send-reminders", "--enqueue", "--today", "2026-03-01")
    assert not Notification.objects.exists()
