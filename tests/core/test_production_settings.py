"""Production defaults a province gets without setting anything (issue 16, finding 16)."""

import base64
import json
import os
import subprocess
import sys

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
settings.ALLOWED_HOSTS = ["testserver"]
r = Client().get("/login/", secure=True)
print(json.dumps({"hsts": settings.SECURE_HSTS_SECONDS, "debug": settings.DEBUG,
                  "cookies": settings.SESSION_COOKIE_SECURE,
                  "header": r.headers.get("Strict-Transport-Security"),
                  "hash": __import__("django.contrib.auth.hashers", fromlist=["x"])
                  .make_password("Mật khẩu dài 2026").split("$")[0]}))
"""


def _probe(tmp_path, **extra) -> subprocess.Popen:
    """Start a production process (settings are read once, at start) that answers one request."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCTP_")}
    env.update(PCTP_ENV="production", PCTP_SECRET_KEY="x" * 50,
               PCTP_FIELD_KEYS="k1:" + base64.b64encode(b"\1" * 32).decode(),
               PCTP_ALLOWED_HOSTS="pctp.example", DJANGO_SETTINGS_MODULE="pctp.settings",
               DATABASE_URL=f"sqlite:///{tmp_path / ('-'.join(extra) or 'db')}.sqlite3",
               **extra)
    return subprocess.Popen([sys.executable, "-c", PROBE], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _answer(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_unless_turned_off(tmp_path):
    # The two processes run at once (each takes seconds to start Django and answer), each
    # on its own database file.
    default, off = _probe(tmp_path), _probe(tmp_path, PCTP_HSTS_SECONDS="0")
    got, got_off = _answer(default), _answer(off)
    assert (got["hsts"], got["debug"], got["cookies"]) == (31536000, False, True)
    assert got["header"] == "max-age=31536000"
    assert got["hash"] == "argon2"  # passwords in production: argon2 (tests use MD5)
    assert got_off["header"] is None
