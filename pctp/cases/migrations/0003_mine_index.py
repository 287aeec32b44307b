"""An investigator's own queue ("assigned to me": investigating, suspended or returned) by
limit date, with the scope columns: found with the 500,000-case benchmark after 0002. The
page otherwise walked the plain due_date index past 333,000 other cases (2.5 s for an
investigator with 5,600 cases) and the count visited each of the investigator's rows.
Built CONCURRENTLY on PostgreSQL, as in 0002; SQLite gets it without INCLUDE."""

from django.db import migrations

NAME = "cases_case_mine_due"
COLUMNS = "investigator_id, due_date, id"
INCLUDE = "investigation_body_id, procuracy_id, court_id"
CONDITION = "status IN ('investigating', 'suspended', 'returned')"


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                           "WHERE c.relname = %s AND NOT i.indisvalid", [NAME])
            if cursor.fetchone():
                schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}", params=None)
    concurrently = "CONCURRENTLY " if postgres else ""
    including = f" INCLUDE ({INCLUDE})" if postgres else ""
    schema_editor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {NAME} ON cases_case "
                          f"({COLUMNS}){including} WHERE {CONDITION}", params=None)


def backwards(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {NAME}", params=None)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("cases", "0002_bench_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
