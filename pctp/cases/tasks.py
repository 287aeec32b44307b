"""The cases app's background work: the alerts on custody and detention limits."""

from __future__ import annotations

from django_tasks import task

from pctp.core.tasks import retried


@task()
def send_liberty_alerts(attempt: int = 1) -> dict:
    """Alert the people who answer for every custody or detention near or past its limit,
    once per limit (what `pctp liberty-alerts --commit` does)."""
    from pctp.cases.alerts import alerts_send

    with retried(send_liberty_alerts, attempt=attempt):
        run = alerts_send(commit=True)
        return {"sent": run.sent}
