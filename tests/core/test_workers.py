"""Background work on several hosts (issue 23), on PostgreSQL: two and four `pctp db_worker`
processes take tasks from one queue and none is run twice; two schedulers started at the same
moment enqueue each periodic firing once; `pctp workers-check` reports what it saw."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.core.test_durability import _database_url
from tests.pgcluster import POSTGRES_ONLY

pytestmark = [pytest.mark.django_db(transaction=True),
              POSTGRES_ONLY]

PCTP = Path(sys.executable).parent / "pctp"
ROOT = Path(__file__).resolve().parents[2]
PROBES = 200


def _env(tmp_path, **extra) -> dict:
    return {**os.environ, "DATABASE_URL": _database_url(), "PCTP_ENV": "test",
            "PCTP_TASKS_BACKEND": "database", "PCTP_VAR_DIR": str(tmp_path / "var"),
            "PCTP_LOG_LEVEL": "WARNING", **extra}


def _stop(procs) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


@pytest.mark.parametrize("workers", [2, 4])
def test_several_workers_share_one_queue_and_run_each_task_once(tmp_path, workers):
    from django_tasks_db.models import DBTaskResult

    env = _env(tmp_path)
    procs = [subprocess.Popen(
        [str(PCTP), "db_worker", "--queue-name", "*", "--interval", "0.1",
         "--no-startup-delay", "--worker-id", f"w{i}"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for i in range(workers)]
    try:
        check = subprocess.run([str(PCTP), "workers-check", "--probes", str(PROBES),
                                "--timeout", "180"], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=240)
    finally:
        _stop(procs)
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"{PROBES} of {PROBES} probes run" in check.stdout
    rows = list(DBTaskResult.objects.filter(task_path__endswith=".probe"))
    assert len(rows) == PROBES and {r.status for r in rows} == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in rows)  # each claimed by one worker, once
    assert Counter(r.return_value["token"] for r in rows).most_common(1)[0][1] == 1
    took_part = Counter(r.worker_ids[0] for r in rows)
    assert set(took_part) <= {f"w{i}" for i in range(workers)}
    assert len(took_part) >= 2, took_part  # the queue was shared, not drained by one


def test_two_schedulers_at_the_same_moment_enqueue_each_firing_once(tmp_path):
    from django_tasks_db.models import DBTaskResult

    from pctp.core.models import ScheduledRun

    env = _env(tmp_path, PCTP_BEAT_JOBS="liberty_alerts,verify_identities")
    moments = ["2026-12-07T06:02", "2026-12-07T07:03", "2026-12-07T07:11", "2026-12-07T09:00"]
    for moment in moments:
        procs = [subprocess.Popen([str(PCTP), "beat", "--once", "--now", moment], cwd=ROOT,
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, start_new_session=True) for _ in range(2)]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
    runs = Counter((r.job, f"{r.due_at:%H:%M}") for r in ScheduledRun.objects.all())
    # alerts hourly: 06:00, 07:00, 09:00; identities every 5 minutes: 06:00, 07:00, 07:10, 09:00
    assert runs == Counter({("liberty_alerts", "23:00"): 1, ("liberty_alerts", "00:00"): 1,
                            ("liberty_alerts", "02:00"): 1, ("verify_identities", "23:00"): 1,
                            ("verify_identities", "00:00"): 1,
                            ("verify_identities", "00:10"): 1,
                            ("verify_identities", "02:00"): 1})
    assert DBTaskResult.objects.count() == 7
    assert {r.task_id for r in ScheduledRun.objects.all()} == {
        str(i) for i in DBTaskResult.objects.values_list("id", flat=True)}
    time.sleep(0)  # nothing else runs them: a worker would take them next
