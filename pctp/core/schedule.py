"""The periodic jobs and their scheduler (issue 23): `pctp beat` enqueues each job on
django-tasks' queue when its cron schedule falls due; the workers (`pctp db_worker`, on any
host) run it. Cron is no longer needed, and may still be used instead (docs/operations.md).

Any number of schedulers may run, one per host so that the jobs go on when one host stops:
each firing is a row (`ScheduledRun`, unique per job and instant) inserted in the same
transaction as the task it enqueues, so a firing is enqueued once however many schedulers
see it. A scheduler that was stopped enqueues, on its return, only the latest firing each
job missed, and only within `PCTP_BEAT_CATCH_UP_HOURS` of it (the jobs work out for
themselves what is owed for their day: none needs each missed firing replayed).

Schedules are read in the province's time (TIME_ZONE, Asia/Ho_Chi_Minh); the cron
expressions are parsed by cronsim.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import import_module

from cronsim import CronSim, CronSimError
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    cron: str
    task: str  # "module:name" of a django-tasks task
    kwargs: dict = field(default_factory=dict)
    about: str = ""

    def latest_due(self, now: datetime) -> datetime:
        """The latest instant at or before `now` that the schedule names (province time)."""
        local = timezone.localtime(now).replace(microsecond=0) + timedelta(seconds=1)
        return next(CronSim(self.cron, local, reverse=True))

    def task_obj(self):
        module, name = self.task.split(":")
        return getattr(import_module(module), name)


# The jobs of docs/operations.md's former crontab, at the same times.
JOBS = (
    Job("liberty_alerts", "0 * * * *", "pctp.cases.tasks:send_liberty_alerts",
        about="custody and detention limits near or past their end (hourly)"),
    Job("verify_identities", "*/5 * * * *", "pctp.portal.tasks:verify_reporters",
        about="citizens' identities checked with the population register"),
    Job("flags_sweep", "0 5 * * *", "pctp.quality.tasks:sweep_flags",
        about="the red-flag rules"),
    Job("reminders", "15 6 * * *", "pctp.plans.tasks:send_reminders",
        about="unit reports opened and their reminders"),
    Job("forecasts", "30 0 * * 1", "pctp.analytics.tasks:queue_forecasts",
        kwargs={"horizons": "week,month"}, about="the province's weekly and monthly forecasts"),
    Job("forecasts_stale", "*/5 * * * *", "pctp.analytics.tasks:fail_stale_forecasts",
        about="forecast runs whose worker died marked failed"),
    Job("emerging", "0 7 1 * *", "pctp.analytics.tasks:scan_emerging",
        about="emerging crime types of the month past"),
    Job("areas_watch", "30 6 2 * *", "pctp.areas.tasks:watch_areas",
        about="relapse watch of the transformed key areas"),
    Job("rollup", "30 3 * * *", "pctp.national.tasks:publish_rollup",
        about="the counts and closed figures published to the nation"),
)


def jobs() -> tuple[Job, ...]:
    """The jobs this deployment schedules: all, or those named in PCTP_BEAT_JOBS."""
    wanted = settings.PCTP_BEAT_JOBS
    # The nation receives the roll-up and publishes none (decision 71).
    offered = tuple(j for j in JOBS if not (settings.PCTP_NATIONAL and j.name == "rollup"))
    if not wanted:
        return offered
    known = {job.name for job in JOBS}
    unknown = sorted(set(wanted) - known)
    if unknown:
        raise ImproperlyConfigured(f"PCTP_BEAT_JOBS names unknown jobs {unknown}; "
                                   f"known: {sorted(known)}")
    return tuple(job for job in offered if job.name in wanted)


def check(job: Job) -> None:
    try:
        CronSim(job.cron, timezone.localtime())
    except CronSimError as exc:
        raise ImproperlyConfigured(f"job {job.name}: bad schedule {job.cron!r}: {exc}") from None


def scheduler_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Fired:
    job: str
    due_at: datetime
    task_id: str


def tick(now: datetime | None = None, *, scheduler: str = "") -> list[Fired]:
    """Enqueue every job whose latest firing is due and not yet enqueued by any scheduler."""
    from pctp.core.models import ScheduledRun

    now = now or timezone.now()
    catch_up = timedelta(hours=settings.PCTP_BEAT_CATCH_UP_HOURS)
    fired = []
    for job in jobs():
        due = job.latest_due(now)
        if now - due > catch_up:
            continue
        if ScheduledRun.objects.filter(job=job.name, due_at=due).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, due_at=due,
                                                  scheduler=scheduler or scheduler_id())
                result = job.task_obj().enqueue(**job.kwargs)
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:  # another scheduler enqueued this firing first
            continue
        log.info("enqueued %s due %s as task %s", job.name, due.isoformat(), run.task_id)
        fired.append(Fired(job.name, due, run.task_id))
    return fired
