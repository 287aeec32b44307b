"""The imports' background work: the dry run and the writing of a register file."""

from __future__ import annotations

from django_tasks import task

from pctp.core.tasks import retried


@task(queue_name="imports")
def run_import(job_id: int, what: str = "run", attempt: int = 1) -> dict:
    """Check ("check") or write ("run") one queued import. Run again (a retry, a second
    worker after a crash), the writing goes on from the last batch written."""
    from pctp.imports.models import ImportJob
    from pctp.imports.services import job_step

    with retried(run_import, job_id, what, attempt=attempt):
        job = ImportJob.objects.select_related("created_by").get(pk=job_id)
        if job.state not in (ImportJob.State.CHECKING, ImportJob.State.QUEUED,
                             ImportJob.State.RUNNING):
            return {"job": job_id, "skipped": job.state}
        job = job_step(job, what)
        return {"job": job_id, "state": job.state, "created": job.created,
                "updated": job.updated, "refused": job.refused}
