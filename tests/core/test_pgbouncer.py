"""Connection pooling with pgbouncer in transaction mode (issue 23), on PostgreSQL: the
application served by gunicorn (two workers) through a pgbouncer of the test's own with a
pool of 4 server connections. Officers enter sources at once from 8 threads, the KPI
dashboard computes its targets on its thread pool, a list is read: every answer is right,
each source stored once, and pgbouncer never opened more than its 4 server connections
while serving more clients than that."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from pctp.sources.models import Source
from tests.core.test_app_processes import Gunicorn
from tests.core.test_durability import (
    _database_url,
    world,  # noqa: F401  (a fixture)
)
from tests.pgcluster import POSTGRES_ONLY, _as_postgres, free_port, make_root

pytestmark = [pytest.mark.django_db(transaction=True),
              POSTGRES_ONLY,
              pytest.mark.skipif(not shutil.which("pgbouncer")
                                 and not Path("/usr/sbin/pgbouncer").exists(),
                                 reason="pgbouncer is not installed (apt-get install pgbouncer)")]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POOL = 4


@pytest.fixture
def bouncer(tmp_path_factory):
    root = make_root(tmp_path_factory)
    port = free_port()
    db = urlparse(_database_url())
    name = db.path.lstrip("/")
    (root / "users.txt").write_text('"postgres" ""\n')
    (root / "pgbouncer.ini").write_text(f"""
[databases]
{name} = host={db.hostname} port={db.port or 5432} dbname={name}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir = {root}
auth_type = trust
auth_file = {root}/users.txt
admin_users = postgres
pool_mode = transaction
default_pool_size = {POOL}
max_client_conn = 200
logfile = {root}/pgbouncer.log
pidfile = {root}/pgbouncer.pid
""")
    for path in root.iterdir():
        shutil.chown(path, "postgres", "postgres")
    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    proc = subprocess.Popen([*_as_postgres(), binary, str(root / "pgbouncer.ini")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 20
    while subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(port), "-q"]).returncode:
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.2)
    yield port, name
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def _admin(port: int, command: str) -> list[list[str]]:
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                          "pgbouncer", "-XAtF", "|", "-c", command], check=True,
                         capture_output=True, text=True, timeout=30).stdout
    return [line.split("|") for line in out.splitlines() if line]


def test_the_application_runs_through_pgbouncer_in_transaction_mode(bouncer, world,  # noqa: F811
                                                                   tmp_path, cache_table):
    port, name = bouncer
    app = Gunicorn(tmp_path, "pgbouncer", PCTP_PGBOUNCER="true", PCTP_KPI_WORKERS="3",
                   PCTP_WEB_WORKERS="2", PCTP_WEB_THREADS="4",
                   DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/{name}")
    app.start()
    base = app.url("")
    try:
        run = secrets.token_hex(3)

        def receive(i):
            user, unit, commune = world["officers"][i % len(world["officers"])]
            answer = requests.post(base + "/api/v1/sources/", timeout=60, headers={
                "Authorization": f"Token {world['tokens'][user.pk]}"}, json={
                "unit": unit.code, "kind": "denunciation", "channel": "in_person",
                "summary": f"Trộm cắp qua pgbouncer {i} ({run})", "content": "Mất xe máy.",
                "commune": commune.code, "reporter_type": "anonymous",
                "client_token": f"{run}-{i}"})
            return answer.status_code

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(receive, range(40)))
        assert statuses == [201] * 40
        assert Source.objects.filter(summary__endswith=f"({run})").count() == 40
        officer = world["officers"][0][0]
        listed = requests.get(base + "/api/v1/sources/?limit=200", timeout=60, headers={
            "Authorization": f"Token {world['tokens'][officer.pk]}"})
        assert listed.status_code == 200 and listed.json()["count"] >= 40 // 3
        # The KPI dashboard: its targets on 3 threads, each its own connection to pgbouncer.
        from datetime import date

        from rest_framework.authtoken.models import Token

        from pctp.core.models import User
        from pctp.kpi.services import plan_targets_default
        from pctp.plans.models import Plan
        from pctp.units.models import Unit
        from pctp.units.services import membership_grant

        admin = User.objects.create_superuser("pgb.admin", password="x" * 12)
        plan = Plan.objects.create(number="1/KH", title="Kế hoạch", issuing_unit=Unit.objects.get(
            code="P80-UBND"), issued_on=date(2026, 1, 1), period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31), status="in_force")
        plan_targets_default(actor=admin, plan=plan)
        analyst = User.objects.create_user("pgb.analyst", password="x" * 12)
        membership_grant(actor=None, user=analyst, unit=Unit.objects.get(code="P80-CA"),
                         role_code="statistics_analyst", valid_from=date(2025, 7, 1))
        token = Token.objects.create(user=analyst).key
        dash = requests.get(base + "/api/v1/kpi/dashboard/",
                            headers={"Authorization": f"Token {token}"}, timeout=120)
        assert dash.status_code == 200, dash.text[:300]
        assert len(dash.json()["targets"]) == plan.targets.count() > 1
        # pgbouncer served all this on at most its pool of server connections.
        servers = [row for row in _admin(port, "SHOW SERVERS") if row[2] == name]
        assert 1 <= len(servers) <= POOL
        stats = {row[0]: row for row in _admin(port, "SHOW STATS")}
        assert int(stats[name][1]) > 40  # transactions through the pool
    finally:
        app.stop()
