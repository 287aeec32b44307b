"""`pctp beat`: enqueue the periodic jobs when their schedule falls due (pctp/core/schedule.py);
the workers run them. Run one per host (systemd unit pctp-beat): each firing is enqueued once
however many run. `--once` checks once and exits (what a cron line or a test does);
`--list` shows the jobs, their schedules and their next firing."""

from __future__ import annotations

import signal
import time
from datetime import datetime

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
        if options["interval"] <= 0:
            raise CommandError("--interval must be more than 0 seconds", returncode=2)
        if options["now"] and not options["once"]:
            raise CommandError("--now goes with --once", returncode=2)
        for job in schedule.jobs():
            schedule.check(job)
        if options["list"]:
            now = timezone.now()
            for job in schedule.jobs():
                last = timezone.localtime(job.latest_due(now))
                self.stdout.write(f"{job.name:18} {job.cron:14} last due {last:%Y-%m-%d %H:%M}"
                                  f"  {job.about}")
            return
        now = parse_instant(options["now"]) if options["now"] else None
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
