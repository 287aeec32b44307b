"""Stateless app servers (issue 23), on PostgreSQL: two gunicorn servers started with the
repository's own configuration (deploy/gunicorn.conf.py) against one database, as two app
hosts behind a balancer. An officer signed in through one is signed in on the other; a
membership ended is refused by both at the next request; a lockout earned with failures
spread over both holds on both; the cache one process writes, another reads."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.utils import timezone
from rest_framework.authtoken.models import Token

from pctp.sources import services as s
from pctp.sources.services import Reporter
from pctp.units.models import Membership
from pctp.units.services import membership_end
from tests.conftest import PASSWORD
from tests.core.test_durability import _database_url, _free_port
from tests.pgcluster import POSTGRES_ONLY

pytestmark = [pytest.mark.django_db(transaction=True),
              POSTGRES_ONLY]

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


class Gunicorn:
    """`gunicorn -c deploy/gunicorn.conf.py` (one worker unless `env` says otherwise) on the
    test database, in its own process group; `env` overrides any setting."""

    def __init__(self, tmp_path: Path, name: str, **env: str):
        self.port = _free_port()
        self.log = tmp_path / f"gunicorn-{name}.log"
        self.env = {**os.environ, "DATABASE_URL": _database_url(), "PCTP_ENV": "test",
                    "PCTP_DEBUG": "0", "PCTP_VAR_DIR": str(tmp_path / "var"),
                    "PCTP_BIND": f"127.0.0.1:{self.port}", "PCTP_WEB_WORKERS": "1",
                    "PCTP_CACHE_URL": "db",
                    "PCTP_LOG_LEVEL": "warning", "PYTHONUNBUFFERED": "1", **env}
        self.proc: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self, timeout: float = 60) -> None:
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"gunicorn exited ({self.proc.returncode}):\n{self.log.read_text()}")
            try:
                if requests.get(self.url("/healthz"), timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer in {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture
def servers(tmp_path, cache_table):
    pair = [Gunicorn(tmp_path, "a"), Gunicorn(tmp_path, "b")]
    try:
        for server in pair:
            server.start()
        yield pair
    finally:
        for server in pair:
            server.stop()


def _login(session: requests.Session, server: Gunicorn, username: str, password: str):
    page = session.get(server.url("/accounts/login/"), timeout=20)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(server.url("/accounts/login/"), timeout=20, allow_redirects=False,
                        data={"username": username, "password": password,
                              "csrfmiddlewaretoken": token},
                        headers={"Referer": server.url("/accounts/login/")})


def test_a_session_a_revoked_membership_and_a_lockout_hold_on_every_app_process(
        reference_data, servers, make_user, communes):
    a, b = servers
    officer = make_user("intake_officer", communes["police_a"])
    source = s.source_receive(actor=officer, unit=communes["police_a"], kind="denunciation",
                              channel="in_person", summary="Trộm cắp xe máy tại chợ",
                              content="Bị mất xe máy khi đi chợ.", commune=communes["a"],
                              reporter=Reporter(type="anonymous"))
    api = {"Authorization": f"Token {Token.objects.create(user=officer).key}"}

    # Signed in through A, the same browser is signed in on B: the session is a row.
    browser = requests.Session()
    assert _login(browser, a, officer.username, PASSWORD).status_code == 302
    page = f"/sources/{source.pk}/"
    for server in (a, b):
        assert browser.get(server.url(page), timeout=20).status_code == 200, server.port
        assert requests.get(server.url(f"/api/v1/sources/{source.pk}/"), headers=api,
                            timeout=20).status_code == 200
    # The officer leaves the unit: both processes refuse at once, on the page and the API.
    membership = Membership.objects.get(user=officer)
    membership_end(actor=None, membership=membership, on=timezone.localdate())
    for server in (a, b):
        assert browser.get(server.url(page), timeout=20).status_code in (403, 404), server.port
        assert requests.get(server.url(f"/api/v1/sources/{source.pk}/"), headers=api,
                            timeout=20).status_code in (403, 404), server.port

    # Five failures, spread over both processes, lock the account on both.
    other = make_user("intake_officer", communes["police_a"])
    for i in range(5):
        answer = _login(requests.Session(), (a, b)[i % 2], other.username, "wrong password")
        # the form again with its error; the fifth failure (made on A) locks the account
        assert answer.status_code == (429 if i == 4 else 200), i
    for server in (a, b):
        answer = _login(requests.Session(), server, other.username, PASSWORD)
        assert answer.status_code != 302, f"{server.port} let a locked account in"
        assert "sessionid" not in answer.cookies


@pytest.mark.parametrize("cache_url", ["db", "redis://127.0.0.1:6379/15"])
def test_what_one_process_caches_another_reads(tmp_path, cache_url, cache_table):
    if cache_url.startswith("redis"):
        import redis

        try:
            redis.Redis.from_url(cache_url, socket_timeout=2).ping()
        except redis.RedisError:
            pytest.skip("no Redis on 127.0.0.1:6379")
    env = {**os.environ, "DATABASE_URL": _database_url(), "PCTP_ENV": "test",
           "PCTP_CACHE_URL": cache_url, "PCTP_VAR_DIR": str(tmp_path / "var")}
    key = f"shared-{os.getpid()}-{time.monotonic_ns()}"
    run = [str(BIN / "pctp"), "shell", "-c"]
    subprocess.run([*run, f"from django.core.cache import cache; cache.set({key!r}, 42, 60)"],
                   env=env, check=True, timeout=60, cwd=ROOT)
    read = subprocess.run(
        [*run, f"from django.core.cache import cache; print(cache.get({key!r}))"],
        env=env, check=True, timeout=60, cwd=ROOT, capture_output=True, text=True)
    assert read.stdout.strip().splitlines()[-1] == "42"
