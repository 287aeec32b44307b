"""Read replicas (issue 23) on a real streaming replica: a primary and a replica taken with
pg_basebackup, each a PostgreSQL cluster of the test's own, the demo province migrated and
seeded on the primary, the application served against both. With the replica's replay
paused, a target's threshold changed on the primary shows where each read went:

- the KPI dashboard's API reads the replica (the old threshold), the plans' API the
  primary (the new one);
- an officer who has just written (signed in) reads the primary even on the dashboard;
- over the warning the dashboard page says how far behind it is;
- over the allowed lag the dashboard reads the primary again;
- nothing is ever written to the replica (it would refuse: it is read-only)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.core.test_durability import _free_port
from tests.pgcluster import CLUSTERS, Cluster, make_root

pytestmark = CLUSTERS

PCTP = Path(sys.executable).parent / "pctp"
ROOT = Path(__file__).resolve().parents[2]
MAX_LAG, WARN = 5, 1

USERS = """
from datetime import date
from rest_framework.authtoken.models import Token
from pctp.core.models import User
from pctp.units.models import Unit
from pctp.units.services import membership_grant
unit = Unit.objects.get(code="P80-CA-PV06")
for name in ("analyst_a", "analyst_b", "analyst_c"):
    user = User(username=name, full_name=name)
    user.set_password("Replica@2026x")
    user.save()
    membership_grant(actor=None, user=user, unit=unit, role_code="statistics_analyst",
                     valid_from=date(2025, 7, 1))
    print(name, Token.objects.create(user=user).key)
"""


@pytest.fixture(scope="module")
def clusters(tmp_path_factory):
    root = make_root(tmp_path_factory)
    primary = Cluster(root, "primary").init().start()
    replica = None
    try:
        primary.sql("CREATE DATABASE pctp")
        env = {**os.environ, "DATABASE_URL": primary.url("pctp"), "PCTP_ENV": "test",
               "PCTP_DEMO_SCALE": "0.02", "PCTP_VAR_DIR": str(tmp_path_factory.mktemp("var")),
               "PCTP_LOG_LEVEL": "WARNING", "PCTP_CACHE_URL": "db"}
        for command in (["migrate", "-v0"], ["seed-demo"], ["shell", "-c", USERS]):
            done = subprocess.run([str(PCTP), *command], env=env, cwd=ROOT, timeout=900,
                                  capture_output=True, text=True)
            assert done.returncode == 0, done.stderr[-3000:]
        tokens = dict(line.split() for line in done.stdout.splitlines()
                      if line.startswith("analyst_"))
        replica = Cluster(root, "replica").replica_of(primary).start()
        assert replica.sql("SELECT pg_is_in_recovery()") == "t"
        yield primary, replica, env, tokens
    finally:
        for cluster in (replica, primary):
            if cluster is not None:
                cluster.stop()


@pytest.fixture
def server(clusters, tmp_path):
    primary, replica, env, _tokens = clusters
    port = _free_port()
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [str(PCTP), "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"], cwd=ROOT,
        env={**env, "DATABASE_REPLICA_URL": replica.url("pctp"), "PCTP_DEBUG": "0",
             "PCTP_REPLICA_MAX_LAG_SECONDS": str(MAX_LAG),
             "PCTP_REPLICA_LAG_WARN_SECONDS": str(WARN),
             "PCTP_REPLICA_LAG_CHECK_SECONDS": "0"},
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(base + "/healthz", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    else:
        pytest.fail((tmp_path / "server.log").read_text())
    yield base
    proc.terminate()
    proc.wait(timeout=30)


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(base + "/accounts/login/", timeout=30, allow_redirects=False,
                          data={"username": username, "password": "Replica@2026x",
                                "csrfmiddlewaretoken": token},
                          headers={"Referer": base + "/accounts/login/"})
    assert answer.status_code == 302, answer.text[:500]
    return session


def _threshold(answer, code: str) -> float:
    assert answer.status_code == 200, answer.text[:500]
    data = answer.json()
    rows = data["targets"] if "targets" in data else data["results"][0]["targets"]
    return float(next(t["threshold"] for t in rows if t.get("code", t.get("target")) == code))


def test_heavy_reads_go_to_the_replica_and_come_back_when_it_lags(clusters, server):
    primary, replica, _env, tokens = clusters
    api = {"Authorization": f"Token {tokens['analyst_b']}"}
    dashboard = server + "/api/v1/kpi/dashboard/"
    code, old = primary.sql("SELECT code, threshold FROM plans_target ORDER BY id LIMIT 1",
                            db="pctp").split("|")
    assert _threshold(requests.get(dashboard, headers=api, timeout=60), code) == float(old)
    # C signs in now; by the time it reads, its sign-in is older than the allowed lag.
    reader = _login(server, "analyst_c")
    time.sleep(MAX_LAG + 0.5)
    # A commit, replayed, then the replay paused: the lag grows from about zero.
    primary.sql("CREATE TABLE IF NOT EXISTS probe (at timestamptz); "
                "INSERT INTO probe VALUES (now())")
    lsn = primary.sql("SELECT pg_current_wal_lsn()")
    deadline = time.monotonic() + 30
    while replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") != "t":
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)
    replica.sql("SELECT pg_wal_replay_pause()")
    try:
        primary.sql(f"UPDATE plans_target SET threshold = threshold + 1 WHERE code = '{code}'",
                    db="pctp")
        new = float(old) + 1
        # The dashboard reads the replica (the old threshold); the plans' API the primary.
        assert _threshold(requests.get(dashboard, headers=api, timeout=60), code) == float(old)
        assert _threshold(requests.get(server + "/api/v1/kpi/plans/", headers=api,
                                       timeout=60), code) == new
        # A user who has just written (signed in) reads the primary, dashboard included.
        writer = _login(server, "analyst_a")
        assert _threshold(writer.get(dashboard, timeout=60), code) == new
        # Past the warning, the page says how far behind it is.
        time.sleep(WARN + 0.5)
        page = reader.get(server + "/kpi/", timeout=60).text
        assert "chậm khoảng" in page, page[:2000]
        # Past the allowed lag, the primary again.
        time.sleep(MAX_LAG)
        assert _threshold(requests.get(dashboard, headers=api, timeout=60), code) == new
        assert "chậm khoảng" not in reader.get(server + "/kpi/", timeout=60).text
    finally:
        replica.sql("SELECT pg_wal_replay_resume()")
    # Cut off from the primary, a replica has replayed all it received and looks current:
    # it must not be read at all (QA of issue 23, H3).
    deadline = time.monotonic() + 30
    while _threshold(requests.get(dashboard, headers=api, timeout=60), code) != new:
        assert time.monotonic() < deadline, "the replica did not catch up after the pause"
        time.sleep(0.5)
    replica.sql("ALTER SYSTEM SET primary_conninfo = 'host=127.0.0.1 port=1'")
    replica.sql("SELECT pg_reload_conf()")
    deadline = time.monotonic() + 30
    while replica.sql("SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming'") \
            != "0":
        assert time.monotonic() < deadline, "the WAL receiver did not stop"
        time.sleep(0.3)
    primary.sql(f"UPDATE plans_target SET threshold = threshold + 1 WHERE code = '{code}'",
                db="pctp")
    assert _threshold(requests.get(dashboard, headers=api, timeout=60), code) == new + 1
    # Nothing was written to the replica: it is a hot standby and refuses writes.
    with pytest.raises(subprocess.CalledProcessError):
        replica.sql("CREATE TABLE nope (x int)", db="pctp")
