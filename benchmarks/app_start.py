"""The first requests of a freshly started app process (issue 23), with and without the
warm-up of deploy/gunicorn.conf.py.

    nice -n 10 .venv/bin/python -m benchmarks.app_start --out var/bench/app_start.md

A small demo province in its own SQLite file (var/bench/app_start.sqlite3, seeded once at
scale 0.05). gunicorn is started with one worker, ``--runs`` times with the warm-up and as
many without (PCTP_WARMUP=false); each time, once the worker answers /healthz, the first
request of each of these pages is timed: the sign-in page, the citizens' portal, and, with
a signed-in officer's session, the queue of crime sources and the API's list of sources.
Then a second request of the same page, for comparison.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import sources_queues as sq  # noqa: E402

BIN = Path(sys.executable).parent
DB = ROOT / "var" / "bench" / "app_start.sqlite3"
# In this order: the first is the first request the new worker serves.
PAGES = [("sources queue (the first request)", "/sources/", True),
         ("sign-in page", "/accounts/login/", False), ("citizens' portal", "/cong-dan/", False),
         ("API: sources", "/api/v1/sources/", True)]


def _env(port: int, warm: bool) -> dict:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{DB}", "PCTP_VAR_DIR": str(DB.parent),
            "PCTP_DEBUG": "false", "PCTP_BIND": f"127.0.0.1:{port}", "PCTP_WEB_WORKERS": "1",
            "PCTP_WARMUP": "true" if warm else "false", "PCTP_LOG_LEVEL": "WARNING",
            "PCTP_DEMO_SCALE": "0.05"}


def ensure_demo() -> str:
    """The demo database, and a session cookie of an intake officer (no second factor)."""
    env = _env(0, True)
    DB.parent.mkdir(parents=True, exist_ok=True)
    if not DB.exists():
        for command in (["migrate", "-v0"], ["seed-demo"]):
            subprocess.run([str(BIN / "pctp"), *command], env=env, cwd=ROOT, check=True,
                           capture_output=True)
    out = subprocess.run([str(BIN / "pctp"), "shell", "-c", """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from pctp.core.models import User
u = User.objects.get(username="tiepnhan1")
s = SessionStore()
s[SESSION_KEY] = str(u.pk)
s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
s[HASH_SESSION_KEY] = u.get_session_auth_hash()
s.create()
print(s.session_key)
"""], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def one_start(warm: bool, session: str) -> dict:
    port = free_port()
    marker = DB.parent / f"ready-{port}"
    marker.unlink(missing_ok=True)
    proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py")],
                            env={**_env(port, warm), "PCTP_READY_FILE": str(marker)}, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    try:
        # Ready when the worker says so (after its warm-up, if any): no request before.
        while not marker.exists():
            time.sleep(0.02)
            if time.perf_counter() - started > 120:
                raise RuntimeError("gunicorn did not start")
        ready = time.perf_counter() - started
        marker.unlink(missing_ok=True)
        out = {"ready_s": ready}
        cookies = {"sessionid": session}
        for label, path, signed in PAGES:
            times = []
            for _ in range(2):
                t = time.perf_counter()
                answer = requests.get(base + path, cookies=cookies if signed else None,
                                      timeout=60, allow_redirects=False)
                times.append((time.perf_counter() - t) * 1000)
                assert answer.status_code == 200, (path, answer.status_code)
            out[label] = times
        return out
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args) -> dict:
    session = ensure_demo()
    results = {}
    for warm in (False, True):
        starts = [one_start(warm, session) for _ in range(args.runs)]
        results["warm" if warm else "cold"] = {
            "ready_s": round(statistics.median(s["ready_s"] for s in starts), 2),
            **{label: {"first_ms": round(statistics.median(s[label][0] for s in starts)),
                       "second_ms": round(statistics.median(s[label][1] for s in starts))}
               for label, _p, _s in PAGES}}
    return results


def markdown(results: dict, args) -> str:
    lines = ["## First requests of a new app process (issue 23)", "",
             "Command: `nice -n 10 .venv/bin/python -m benchmarks.app_start --out "
             "var/bench/app_start.md`: gunicorn with deploy/gunicorn.conf.py and one worker on "
             f"a small demo (SQLite), started {args.runs} times each way; medians. "
             "\"Ready\" is from the start of gunicorn to the worker's signal that it takes "
             "connections (after the warm-up, when there is one); no request is made before.",
             "",
             "| page | first request, no warm-up | first request, warmed | second request |",
             "|---|---:|---:|---:|"]
    for label, _p, _s in PAGES:
        lines.append(f"| {label} | {results['cold'][label]['first_ms']} ms | "
                     f"{results['warm'][label]['first_ms']} ms | "
                     f"{results['warm'][label]['second_ms']} ms |")
    lines += ["", f"Ready to answer: {results['cold']['ready_s']} s without the warm-up, "
              f"{results['warm']['ready_s']} s with it (the warm-up's time is spent before the "
              "worker takes traffic, not by the first officer).", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=None)
    parser.add_argument("--json-out", default=None)
    args = parser.parse_args(argv)
    results = run(args)
    sq.write_outputs(markdown(results, args), results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
