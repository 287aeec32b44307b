"""Partial indexes for the queues, found with the 1,000,000-source benchmark (docs/benchmarks.md).

The queues order by (due_date, id) and look only at open sources (about 1 % of the rows after a
few years). With only the plain due_date index, PostgreSQL walked it from 2018 onwards to find the
first 50 open ones: the "overdue" page took 3.6 to 6 s and the leader's "unit" page 4.6 s. Indexes
restricted to the open rows (a few hundred kB each) give the queues their order directly:

- open_due: every open source by limit date: the overdue, due-soon and unit queues;
- mine_due: an investigator's open and suspended sources by limit date: "my sources";
- holder_open_due: a unit's open sources by limit date: the unit queue, once the selector passes
  the unit ids as values rather than a subquery (see the recommendation in docs/benchmarks.md).

Built CONCURRENTLY on PostgreSQL (the migration is not atomic), so a live register keeps
accepting sources meanwhile; a build that was interrupted leaves an invalid index, which is
dropped and rebuilt. SQLite gets the same partial indexes.
"""

from django.db import migrations

OPEN = "('received', 'classified', 'verifying')"
OPEN_OR_SUSPENDED = "('received', 'classified', 'verifying', 'suspended')"
INDEXES = [
    ("sources_source_open_due", "(due_date, id)", OPEN),
    ("sources_source_mine_due", "(assignee_id, due_date, id)", OPEN_OR_SUSPENDED),
    ("sources_source_holder_open_due", "(holder_id, due_date, id)", OPEN),
]


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, columns, statuses in INDEXES:
        if postgres:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                               "WHERE c.relname = %s AND NOT i.indisvalid", [name])
                if cursor.fetchone():
                    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}", params=None)
        concurrently = "CONCURRENTLY " if postgres else ""
        schema_editor.execute(
            f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON sources_source {columns} "
            f"WHERE status IN {statuses}", params=None)


def backwards(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, _columns, _statuses in INDEXES:
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("sources", "0003_source_handled_at")]
    operations = [migrations.RunPython(forwards, backwards)]
