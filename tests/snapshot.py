"""The session's database as django_db_setup left it, kept to put back after a flush
(issue 18: tests that run fast).

A transactional test (``django_db(transaction=True)``, the browser tests among them) empties
every table when it ends, and the next one used to load the reference data and seed the
demo province's unit tree again through the services: 2-3 s on SQLite, 5-6 s on
PostgreSQL, each time. `take()` copies every table's rows once, after the session's seeding;
`restore()` empties the tables and writes those rows back in one transaction (COPY on
PostgreSQL, INSERT on SQLite), well under a second: the same rows, with the same ids, as
every non-transactional test sees.
"""

from __future__ import annotations

import io

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

_rows: dict[str, tuple[list[str], object]] = {}
_tables: list[str] = []


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def take() -> None:
    """Copy every table's rows (the tables Django's flush empties)."""
    _rows.clear()
    _tables[:] = connection.introspection.django_table_names(only_existing=True,
                                                              include_views=False)
    with connection.cursor() as cursor:
        for table in _tables:
            if connection.vendor == "postgresql":
                data = io.BytesIO()
                with cursor.cursor.copy(f"COPY {_quote(table)} TO STDOUT") as copy:
                    for block in copy:
                        data.write(block)
                if data.tell():
                    _rows[table] = ([], data.getvalue())
            else:
                cursor.execute(f"SELECT * FROM {_quote(table)}")
                rows = cursor.fetchall()
                if rows:
                    _rows[table] = ([d[0] for d in cursor.description], rows)


def restore() -> None:
    """Empty every table and write the rows `take()` copied back, ids included."""
    assert _tables, "tests.snapshot.take() runs in django_db_setup"
    with transaction.atomic():
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), _tables, allow_cascade=True))
        with connection.cursor() as cursor:
            for table, (columns, rows) in _rows.items():
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {_quote(table)} FROM STDIN") as copy:
                        copy.write(rows)
                else:
                    names = ", ".join(_quote(c) for c in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {_quote(table)} ({names}) VALUES ({marks})", rows)
            if connection.vendor == "postgresql":  # sequences past the ids written back
                from django.apps import apps

                for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(sql)
    # The flush's post_migrate made content types again, with other ids, and cached them.
    ContentType.objects.clear_cache()
