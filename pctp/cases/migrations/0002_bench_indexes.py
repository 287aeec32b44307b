"""Indexes for the case queues and the detention register, found with the 500,000-case
benchmark (benchmarks/cases_pages.py, docs/benchmarks.md).

- cases_case_scope_status: (status, investigation_body_id, procuracy_id, court_id). Every
  case list counts its tabs within the user's scope (body, procuracy or court in their
  units); with the three scope columns beside the stage, the counts are index-only scans
  of a narrow index instead of visits to hundreds of thousands of table rows.
- cases_case_investigation_due: the "under investigation" queue (investigating or suspended)
  in its order (due_date, id): PostgreSQL otherwise walked the plain due_date index from
  2018 on past 330,000 judged cases (1.8 s for the head of the body), or sorted the 120,000
  rows of the queue.
- cases_case_open_due: the cases whose clock runs, outside judgment (the overdue and
  due-soon queues), by (due_date, id): the overdue queue otherwise read every judged case
  whose appeal window has passed.
- cases_case_unsolved: cases with no offender identified, not terminated, by initiation
  day: the "unsolved" tab and queue (about one case in five).
- cases_measure_active_due: people in custody or detention now, by limit date: the register
  (a few thousand rows of 650,000 measures) otherwise walked the due_date index over every
  released measure (1.2 s).

The case indexes carry the scope columns (INCLUDE on PostgreSQL) so that their counts need
no table visit. Built CONCURRENTLY on PostgreSQL (the migration is not atomic), as in
sources/0004; an interrupted build leaves an invalid index, which is dropped and rebuilt.
SQLite gets the same partial indexes without INCLUDE.
"""

from django.db import migrations

SCOPE = "investigation_body_id, procuracy_id, court_id"
INDEXES = [  # (name, table, key columns, included columns, condition)
    ("cases_case_scope_status", "cases_case", f"status, {SCOPE}", "", ""),
    ("cases_case_investigation_due", "cases_case", "due_date, id", SCOPE,
     "status IN ('investigating', 'suspended')"),
    ("cases_case_open_due", "cases_case", "due_date, id", SCOPE,
     "due_date IS NOT NULL AND status <> 'judged'"),
    ("cases_case_unsolved", "cases_case", "initiated_on, id", SCOPE,
     "detected_on IS NULL AND status <> 'terminated'"),
    ("cases_measure_active_due", "cases_measure", "due_date, id", "case_id",
     "released_on IS NULL"),
]


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, table, columns, include, condition in INDEXES:
        if postgres:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                               "WHERE c.relname = %s AND NOT i.indisvalid", [name])
                if cursor.fetchone():
                    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}", params=None)
        concurrently = "CONCURRENTLY " if postgres else ""
        including = f" INCLUDE ({include})" if include and postgres else ""
        where = f" WHERE {condition}" if condition else ""
        schema_editor.execute(
            f"CREATE INDEX {concurrently}IF NOT EXISTS {name} ON {table} ({columns})"
            f"{including}{where}", params=None)


def backwards(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    for name, *_rest in INDEXES:
        schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
