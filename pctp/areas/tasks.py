"""The key areas' background work: the monthly relapse watch."""

from __future__ import annotations

from django_tasks import task

from pctp.core.tasks import retried


@task()
def watch_areas(attempt: int = 1) -> dict:
    """Check each completed month of every transformed area's watch window once; flag and
    alert relapses (what `pctp areas-watch --commit` does)."""
    from pctp.areas.services import watch_run

    with retried(watch_areas, attempt=attempt):
        run = watch_run(today=None, commit=True)
        return {"areas": run.areas, "checks": len(run.checks), "relapsed": len(run.relapsed)}
