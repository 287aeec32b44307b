"""The roll-up's background work: publishing the province's figures each night."""

from __future__ import annotations

from django_tasks import task

from pctp.core.tasks import retried


@task()
def publish_rollup(attempt: int = 1) -> dict:
    """What `pctp rollup publish` does: the last 24 months' counts and the closed figures."""
    from pctp.national.services import publish

    with retried(publish_rollup, attempt=attempt):
        return publish()
