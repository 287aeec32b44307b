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


def _probe(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCTP_")}
    env.update(PCTP_ENV="production", PCTP_SECRET_KEY="x" * 50,
               PCTP_FIELD_KEYS="k1:" + base64.b64encode(b"\1" * 32).decode(),
               PCTP_ALLOWED_HOSTS="pctp.example", DJANGO_SETTINGS_MODULE="pctp.settings",
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", **extra)
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_unless_turned_off(tmp_path):
    got = _probe(tmp_path)
    assert (got["hsts"], got["debug"], got["cookies"]) == (31536000, False, True)
    assert got["header"] == "max-age=31536000"
    assert got["hash"] == "argon2"  # passwords in production: argon2 (tests use MD5)
    assert _probe(tmp_path, PCTP_HSTS_SECONDS="0")["header"] is None
