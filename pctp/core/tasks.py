"""Background work on django-tasks (Django 6's django.tasks, backported): helpers shared by
the apps' tasks. A task takes ids, re-reads its rows, claims its work atomically, calls the
same services as the pages and commands, and is idempotent (ARCHITECTURE.md habit 6).

Retries: a task that fails with an error the next attempt may not meet (a lost database
connection, a lock that timed out) is enqueued again after a pause, up to `MAX_ATTEMPTS`;
each attempt is its own row with its state, return value or traceback, readable by an
administrator (Quản trị › Task results). A domain refusal is not retried.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
RETRY_AFTER = timedelta(minutes=2)


@contextmanager
def retried(task_obj, *args, attempt: int, **kwargs):
    """Run the body; on a database error, enqueue the task again (later) and re-raise, so
    that this attempt is recorded as failed with its traceback."""
    try:
        yield
    except DatabaseError:
        if attempt < MAX_ATTEMPTS and settings.PCTP_TASKS_BACKEND == "database":
            log.warning("%s: attempt %s failed; attempt %s in %s", task_obj.name, attempt,
                        attempt + 1, RETRY_AFTER * attempt)
            task_obj.using(run_after=timezone.now() + RETRY_AFTER * attempt).enqueue(
                *args, attempt=attempt + 1, **kwargs)
        raise


def enqueue_on_commit(task_obj, *args, **kwargs) -> None:
    """Enqueue once the current transaction commits (a worker must see the rows)."""
    transaction.on_commit(lambda: task_obj.enqueue(*args, **kwargs))


@task()
def probe(token: str) -> dict:
    """A worker check (`pctp workers-check`): answers which worker ran it. Each probe is one
    row of the queue, so many probes show how the workers share the queue and that none is
    run twice."""
    import os
    import socket

    return {"token": token, "worker": f"{socket.gethostname()}:{os.getpid()}"}
