"""The plans app's background work: the daily reminders."""

from __future__ import annotations

from django_tasks import task

from pctp.core.tasks import retried


@task()
def send_reminders(attempt: int = 1) -> dict:
    """Open the unit reports whose period has begun and send the reminders owed; never the
    same reminder twice (what `pctp send-reminders --commit` does)."""
    from pctp.plans.services import reminders_send

    with retried(send_reminders, attempt=attempt):
        run = reminders_send(today=None, commit=True)
        return {"reports_opened": run.reports_opened, "sent": run.sent}
