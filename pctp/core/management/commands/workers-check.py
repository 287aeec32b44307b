"""`pctp workers-check [--probes N] [--timeout S]`: enqueue N probe tasks and wait for the
workers to run them; print how many workers took part, how the probes were shared, how long
they took, and any probe run twice or not at all. Exit 2 when a probe is missing or doubled,
or when no worker answered in time."""

from __future__ import annotations

import secrets
import time
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pctp.core.tasks import probe


class Command(BaseCommand):
    help = "Check that the background workers take tasks from the queue, each once."

    def add_arguments(self, parser):
        parser.add_argument("--probes", type=int, default=20)
        parser.add_argument("--timeout", type=float, default=60.0)

    def handle(self, *args, **options):
        if settings.PCTP_TASKS_BACKEND != "database":
            raise CommandError("Tasks run at once here (PCTP_TASKS_BACKEND=immediate): "
                               "there are no workers to check.", returncode=2)
        n = options["probes"]
        if not 1 <= n <= 100_000:
            raise CommandError("--probes must be 1 to 100000", returncode=2)
        if not 0 < options["timeout"] <= 3600:  # NaN fails this too
            raise CommandError("--timeout must be more than 0 and at most 3600 seconds",
                               returncode=2)
        from django_tasks_db.models import DBTaskResult

        run = secrets.token_hex(4)
        started = time.monotonic()
        ids = [str(probe.enqueue(f"{run}-{i}").id) for i in range(n)]
        deadline = started + options["timeout"]
        rows = DBTaskResult.objects.filter(id__in=ids)
        while time.monotonic() < deadline:
            if rows.filter(status__in=["READY", "RUNNING"]).count() == 0:
                break
            time.sleep(0.5)
        took = time.monotonic() - started
        done = list(rows.filter(status="SUCCESSFUL").values_list("return_value", "worker_ids"))
        tokens = Counter(r["token"] for r, _w in done)
        workers = Counter(r["worker"] for r, _w in done)
        twice = sum(1 for _r, w in done if len(w) > 1) + sum(1 for c in tokens.values() if c > 1)
        missing = n - len(tokens)
        self.stdout.write(f"{len(done)} of {n} probes run in {took:.1f} s by "
                          f"{len(workers)} worker(s):")
        for worker, count in workers.most_common():
            self.stdout.write(f"  {worker}: {count}")
        # Probes no worker took are taken off the queue: a worker started later has no use
        # for them.
        left = rows.filter(status="READY").delete()[0]
        if not done:
            raise CommandError(f"No worker answered in {options['timeout']:g} s: is "
                               "`pctp db_worker` running (systemctl status pctp-worker@1)?",
                               returncode=2)
        if twice or missing:
            raise CommandError(f"{missing} probe(s) not run ({left} taken off the queue), "
                               f"{twice} run twice", returncode=2)
