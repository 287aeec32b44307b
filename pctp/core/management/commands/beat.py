"""`pctp beat`: enqueue the periodic jobs when their schedule falls due (pctp/core/schedule.py);
the workers run them. Run one per host (systemd unit pctp-beat): each firing is enqueued once
however many run. `--once` checks once and exits (what a cron line or a test does);
`--list` shows the jobs, their schedules and the latest instant each fell due. `--now` (with
--once, within the last 7 days) enqueues the firing of that instant: the job still runs for
the day it runs on."""

from __future__ import annotations

import math
import signal
import time
from datetime import datetime, timedelta

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from pctp.core import schedule
from pctp.core.jobs import parse_instant


class Command(BaseCommand):
    help = "Enqueue the periodic jobs when they fall due (docs/operations.md)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=float, default=20.0,
                            help="seconds between checks (default 20)")
        parser.add_argument("--now", help="YYYY-MM-DDTHH:MM: check as if it were then "
                                          "(with --once: replay a missed firing)")
        parser.add_argument("--list", action="store_true", help="the jobs and their schedules")

    def handle(self, *args, **options):
        if not math.isfinite(options["interval"]) or not 0 < options["interval"] <= 3600:
            raise CommandError("--interval must be more than 0 and at most 3600 seconds",
                               returncode=2)
        if options["now"] and not options["once"]:
            raise CommandError("--now goes with --once", returncode=2)
        now = parse_instant(options["now"]) if options["now"] else None
        if now is not None and not (timezone.now() - timedelta(days=7) <= now
                                    <= timezone.now() + timedelta(minutes=1)):
            # A firing in the future would be recorded as done and hold back nothing, but
            # it is never what an operator means; a week back is as far as a replay goes.
            raise CommandError("--now must be within the last 7 days, not in the future",
                               returncode=2)
        try:
            jobs = schedule.jobs()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc), returncode=2) from None
        for job in jobs:
            schedule.check(job)
        if options["list"]:
            now = timezone.now()
            for job in schedule.jobs():
                last = timezone.localtime(job.latest_due(now))
                self.stdout.write(f"{job.name:18} {job.cron:14} last due {last:%Y-%m-%d %H:%M}"
                                  f"  {job.about}")
            return
        if options["once"]:
            self._tick(now)
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
        self.stdout.write(f"scheduler {schedule.scheduler_id()}: "
                          f"{len(schedule.jobs())} jobs, a check every {options['interval']:g} s")
        while not stopping:
            try:
                self._tick(None)
            except DatabaseError as exc:  # the database restarting: try again next time
                self.stderr.write(f"check failed, retried in {options['interval']:g} s: "
                                  f"{type(exc).__name__}")
            close_old_connections()
            deadline = time.monotonic() + options["interval"]
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, options["interval"]))

    def _tick(self, now: datetime | None) -> None:
        for fired in schedule.tick(now):
            self.stdout.write(f"enqueued {fired.job} due "
                              f"{timezone.localtime(fired.due_at):%Y-%m-%d %H:%M} "
                              f"as task {fired.task_id}")
