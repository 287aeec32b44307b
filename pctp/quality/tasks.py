"""The quality app's background work: the daily sweep of the red-flag rules."""

from __future__ import annotations

from django_tasks import task

from pctp.core.tasks import retried


@task()
def sweep_flags(attempt: int = 1) -> dict:
    """Run every red-flag rule and raise a flag for each finding not raised before (what
    `pctp flags-sweep --commit` does)."""
    from pctp.quality.services import flags_sweep

    with retried(sweep_flags, attempt=attempt):
        result = flags_sweep(today=None, commit=True)
        return {code: counts["new"] for code, counts in result.items()}
