"""The application's database role cannot rewrite the journals (issue 16, finding 10):
TRUNCATE, UPDATE and DELETE of the audit journal and the access log, disabling or dropping
their triggers, all succeeded as the application's own role. Run as a role that owns
nothing, they are refused; appending and reading still work."""

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'")]

ROLE = "pctp_app_probe"


@pytest.fixture
def app_connection():
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {ROLE}" if _exists() else "SELECT 1")
        cursor.execute(f"DROP ROLE IF EXISTS {ROLE}")
        cursor.execute(f"CREATE ROLE {ROLE} LOGIN")
    call_command("grant-app-role", ROLE, "--commit")
    s = connection.settings_dict
    conn = psycopg.connect(dbname=s["NAME"], user=ROLE, host=s["HOST"] or "127.0.0.1",
                           port=s["PORT"] or 5432, autocommit=True)
    yield conn
    conn.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {ROLE}")
        cursor.execute(f"DROP ROLE {ROLE}")


def _exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        return cursor.fetchone() is not None


ATTACKS = [
    "TRUNCATE core_accesslog",
    "TRUNCATE core_auditevent",
    "UPDATE core_auditevent SET note = 'rewritten'",
    "DELETE FROM core_auditevent",
    "DELETE FROM core_accesslog",
    "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only",
    "DROP TRIGGER core_auditevent_append_only ON core_auditevent",
    "ALTER TABLE core_accesslog DISABLE TRIGGER ALL",
]


def test_the_application_role_cannot_rewrite_the_journals_but_works(app_connection):
    refused = []
    for attack in ATTACKS:
        try:
            app_connection.execute(attack)
        except psycopg.errors.InsufficientPrivilege:
            refused.append(attack)
    assert refused == ATTACKS
    app_connection.execute(
        "INSERT INTO core_auditevent (at, action, object_type, object_id, object_repr, "
        "from_state, to_state, changes, note) VALUES (now(), 'probe', 'x', '1', 'x', '', '', "
        "'{}', '')")
    assert app_connection.execute("SELECT count(*) FROM core_auditevent WHERE action = 'probe'"
                                  ).fetchone()[0] == 1
    # The ordinary tables: read, write, delete.
    app_connection.execute("INSERT INTO django_session (session_key, session_data, expire_date) "
                           "VALUES ('probe', 'x', now())")
    app_connection.execute("DELETE FROM django_session WHERE session_key = 'probe'")
