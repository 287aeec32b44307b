"""Two officers writing at once on the embedded SQLite demo (issue 16, finding 4): "Mở vụ án"
answered 500 "database is locked". With the connection options of settings.py (WAL, a
busy timeout, write transactions that take the lock when they begin) the second writer
waits for the first instead of failing. Each thread opens its own connection to a file
database, exactly as two requests of the demo server do."""

import threading
import time

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper


def connection_to(path):
    options = dict(settings.DATABASES["default"].get("OPTIONS", {}))
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # The options this test checks are the SQLite ones settings.py sets for the demo.
        options = {"timeout": 20, "transaction_mode": "IMMEDIATE",
                   "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    wrapper = DatabaseWrapper({"NAME": str(path), "ENGINE": "django.db.backends.sqlite3",
                               "OPTIONS": options, "TIME_ZONE": None, "CONN_MAX_AGE": 0,
                               "CONN_HEALTH_CHECKS": False, "AUTOCOMMIT": True,
                               "ATOMIC_REQUESTS": False, "USER": "", "PASSWORD": "",
                               "HOST": "", "PORT": "", "TEST": {}}, alias="writer")
    return wrapper


@pytest.fixture(autouse=True)
def _own_databases(django_db_blocker):
    with django_db_blocker.unblock():  # these connections are the test's own files
        yield


def test_the_demo_database_runs_in_wal_mode_with_immediate_writes(tmp_path):
    conn = connection_to(tmp_path / "demo.sqlite3")
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    conn.close()


def test_two_writers_at_once_both_succeed(tmp_path):
    path = tmp_path / "demo.sqlite3"
    setup = connection_to(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE register (n INTEGER PRIMARY KEY, note TEXT)")
    setup.close()
    errors, done = [], []

    def open_case(name):
        conn = connection_to(path)
        try:
            with conn.cursor() as cursor:
                with _atomic(conn):
                    # Read the last number, then write the next: what numbering a new case does.
                    cursor.execute("SELECT COALESCE(MAX(n), 0) FROM register")
                    last = cursor.fetchone()[0]
                    time.sleep(0.3)  # the other writer arrives meanwhile
                    cursor.execute("INSERT INTO register (n, note) VALUES (%s, %s)",
                                   [last + 1, name])
            done.append(name)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure
            errors.append(repr(exc))
        finally:
            conn.close()

    threads = [threading.Thread(target=open_case, args=(f"officer {i}",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(done) == ["officer 1", "officer 2"]
    check = connection_to(path)
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM register ORDER BY n")
        assert [r[0] for r in cursor.fetchall()] == [1, 2]  # no number given twice
    check.close()


class _atomic:
    """What Django's atomic() does on SQLite: BEGIN in the connection's transaction mode,
    then COMMIT or ROLLBACK."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.ensure_connection()
        self.conn._start_transaction_under_autocommit()

    def __exit__(self, kind, value, tb):
        self.conn.cursor().execute("COMMIT" if kind is None else "ROLLBACK")


@pytest.mark.django_db
def test_a_server_error_is_a_plain_page_in_vietnamese_and_json_under_the_api(rf):
    from pctp.core.views_errors import server_error

    page = server_error(rf.get("/cases/1/"))
    assert page.status_code == 500 and "Hệ thống gặp lỗi" in page.content.decode()
    api = server_error(rf.get("/api/v1/cases/1/"))
    assert api.status_code == 500
    import json

    assert json.loads(api.content)["error"]["code"] == "server_error"


@pytest.mark.django_db
def test_a_case_outside_the_court_officers_area_is_a_plain_404(make_user, settings):
    """Issue 16, finding 7: Django's debug 404 listed the site's URL patterns."""
    from tests.personas import login

    settings.DEBUG = False
    judge = make_user("court_officer", "P80-TAND-KV1")
    for path in ("/cases/999999/", "/api/v1/cases/999999/", "/no-such-page/"):
        response = login(judge).get(path)
        body = response.content.decode()
        assert response.status_code == 404, path
        assert "URLconf" not in body and "Traceback" not in body
        assert ("Không tìm thấy" in body) or ('"error"' in body)


def test_make_demo_serves_with_debug_off():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    demo = makefile.split("\ndemo:")[1].split("\n\n")[0]
    assert "PCTP_DEBUG=false" in demo
