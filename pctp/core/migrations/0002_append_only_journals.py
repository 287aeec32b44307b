"""On PostgreSQL, refuse UPDATE and DELETE of journal rows at the database itself."""

from django.db import migrations

TABLES = ["core_auditevent", "core_accesslog"]

FUNCTION = """
CREATE OR REPLACE FUNCTION pctp_refuse_journal_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'journal rows are append-only (%)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION pctp_refuse_journal_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS pctp_refuse_journal_change();")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
