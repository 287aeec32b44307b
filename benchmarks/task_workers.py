"""Throughput of the background workers (issue 23): 10,000 tasks on one queue, taken by 1, 2
and 4 `pctp db_worker` processes at once, on PostgreSQL.

    nice -n 10 .venv/bin/python -m benchmarks.task_workers --out var/bench/task_workers.md

Its own database (`pctp_bench_tasks` beside DATABASE_URL's, or the default server's). For
each number of workers: the queue emptied, ``--jobs`` probe tasks enqueued (each answers
which worker ran it), the workers started with `--batch` (they exit when the queue is
empty), timed from their start to the last one's exit. Then every task must have run once:
all successful, each claimed by one worker.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import sources_queues as sq  # noqa: E402

PCTP = Path(sys.executable).parent / "pctp"


def _url() -> str:
    parts = urlsplit(sq.database_url())
    return urlunsplit(parts._replace(path="/pctp_bench_tasks"))


def run(args) -> dict:
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from pctp.core.tasks import probe

    env = {**os.environ, "DATABASE_URL": _url(), "PCTP_TASKS_BACKEND": "database",
           "PCTP_LOG_LEVEL": "WARNING"}
    results = {"jobs": args.jobs, "runs": []}
    for workers in args.workers:
        DBTaskResult.objects.all().delete()
        started = time.perf_counter()
        with transaction.atomic():
            for i in range(args.jobs):
                probe.enqueue(f"{workers}-{i}")
        enqueue_s = time.perf_counter() - started
        started = time.perf_counter()
        procs = [subprocess.Popen([str(PCTP), "db_worker", "--batch", "--queue-name", "*",
                                   "--interval", "0", "--no-startup-delay",
                                   "--worker-id", f"bench-{workers}-{n}"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for n in range(workers)]
        for proc in procs:
            proc.wait(timeout=3600)
        elapsed = time.perf_counter() - started
        rows = list(DBTaskResult.objects.values_list("status", "worker_ids"))
        done = sum(1 for status, _w in rows if status == "SUCCESSFUL")
        twice = sum(1 for _s, w in rows if len(w) != 1)
        shares = Counter(w[0] for _s, w in rows if w)
        results["runs"].append({
            "workers": workers, "seconds": round(elapsed, 1), "enqueue_s": round(enqueue_s, 1),
            "per_second": round(done / elapsed, 1), "successful": done, "claimed_twice": twice,
            "spread": sorted(shares.values(), reverse=True),
            "stdev_share": round(statistics.pstdev(shares.values()), 1) if shares else 0})
    return results


def markdown(results: dict, args) -> str:
    lines = [f"## Background workers: {results['jobs']:,} tasks on one queue (issue 23)", "",
             "Command: `nice -n 10 .venv/bin/python -m benchmarks.task_workers --out "
             "var/bench/task_workers.md` (its own database, `pctp_bench_tasks`). Probe tasks "
             "(each returns which worker ran it) enqueued in one transaction, then N "
             "`pctp db_worker --batch` processes started together and timed to the last "
             "one's exit (each starts Django: about a second of it is start-up).", "",
             "| workers | time | tasks/s | successful | run twice | tasks per worker |",
             "|---:|---:|---:|---:|---:|---|"]
    for r in results["runs"]:
        lines.append(f"| {r['workers']} | {r['seconds']} s | {r['per_second']} | "
                     f"{r['successful']:,} | {r['claimed_twice']} | "
                     f"{', '.join(f'{n:,}' for n in r['spread'])} |")
    base = results["runs"][0]["per_second"] if results["runs"] else 0
    lines += ["", "Speed-up over one worker: " + ", ".join(
        f"{r['workers']} workers ×{r['per_second'] / base:.2f}" for r in results["runs"][1:])
        + f". The machine has {os.cpu_count()} cores, shared by the database and the workers: "
        "each task is a claim (SELECT … FOR UPDATE SKIP LOCKED), a run and a result written, "
        "so past the cores the workers wait on one another's commits.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=10_000)
    parser.add_argument("--workers", type=lambda v: [int(x) for x in v.split(",")],
                        default=[1, 2, 4])
    parser.add_argument("--out", default=None)
    parser.add_argument("--json-out", default=None)
    args = parser.parse_args(argv)
    url = _url()
    sq.prepare_database(url)
    os.environ["PCTP_TASKS_BACKEND"] = "database"
    sq.setup_django(url)
    results = run(args)
    sq.write_outputs(markdown(results, args), results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
