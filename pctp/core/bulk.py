"""Writing many rows at once, for the demo and the register import: ids reserved up front
(so rows can point at one another and journal entries at their records), then the rows
sent with COPY on PostgreSQL and one multi-row INSERT per thousand on SQLite. Values go in
as the ORM stores them; no model's save() or signals run, so the caller writes what those
would (the journal entry, the search text)."""

from __future__ import annotations

import json

from django.db import connection


def reserve_ids(model, n: int) -> list[int]:
    """n primary keys no other row can take: from the sequence on PostgreSQL; on SQLite
    (one writer at a time) the ones after the highest ever used."""
    if n <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, n])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        last = cursor.fetchone()[0]
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            last = max(last, row[0] if row else 0)
    return list(range(last + 1, last + n + 1))


def insert_rows(model, objects: list, fields: list | None = None) -> None:
    """Write model instances (their primary keys set, or left to the database when `fields`
    leaves the key out) as they are."""
    if not objects:
        return
    fields = fields or list(model._meta.concrete_fields)
    ops = connection.ops
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        json_at = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        names = [f.attname for f in fields]
        connection.ensure_connection()
        with connection.connection.cursor() as cursor, cursor.copy(
                f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                row = [getattr(obj, name) for name in names]
                for i in json_at:
                    row[i] = Jsonb(row[i])
                copy.write_row(row)
        return
    adapt = {"DateTimeField": ops.adapt_datetimefield_value,
             "DateField": ops.adapt_datefield_value,
             "JSONField": lambda v: json.dumps(v, ensure_ascii=False)}
    adapters = [adapt.get(f.get_internal_type()) for f in fields]
    rows = []
    for obj in objects:
        row = []
        for field, adapter in zip(fields, adapters, strict=True):
            value = getattr(obj, field.attname)
            row.append(adapter(value) if adapter and value is not None else value)
        rows.append(row)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 1000):
            cursor.executemany(f"INSERT INTO {table} ({columns}) "  # noqa: S608
                               f"VALUES ({placeholders})", rows[i:i + 1000])
