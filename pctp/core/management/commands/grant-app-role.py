"""`pctp grant-app-role ROLE [--commit]`: let the application run as a PostgreSQL role that
owns nothing (issue 16, finding 10).

The migration role owns the tables and runs `pctp migrate` and this command; the running
application connects as ROLE, which may read and write the ordinary tables but only read
and append to the journals (audit events, access log): no UPDATE, DELETE or TRUNCATE on
them, and, owning no table, no ALTER TABLE … DISABLE TRIGGER and no DROP TRIGGER. Tables
that later migrations create get the same grants (default privileges of the owner).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

JOURNALS = ("core_auditevent", "core_accesslog")


def statements(role: str, owner: str) -> list:
    r = sql.Identifier(role)
    o = sql.Identifier(owner)
    out = [
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(connection.settings_dict["NAME"]), r),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(r),
        sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}")
        .format(r),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}").format(o, r),
        sql.SQL("ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public "
                "GRANT USAGE, SELECT ON SEQUENCES TO {}").format(o, r),
    ]
    for table in JOURNALS:
        out.append(sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {} FROM {}")
                   .format(sql.Identifier(table), r))
    return out


class Command(BaseCommand):
    help = ("Grant the application's PostgreSQL role what it needs and no more: read and "
            "write the tables, only read and append the journals. Run as the role that owns "
            "the tables (the one that runs migrate). Dry run unless --commit.")

    def add_arguments(self, parser):
        parser.add_argument("role")
        parser.add_argument("--commit", action="store_true")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Only on PostgreSQL (SQLite has no roles).", returncode=2)
        role = options["role"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            owner = cursor.fetchone()[0]
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"No role {role!r}: create it first (CREATE ROLE {role} "
                                   f"LOGIN PASSWORD '…')", returncode=2)
            if role == owner:
                raise CommandError("The application's role must not be the owner.",
                                   returncode=2)
            for statement in statements(role, owner):
                text = statement.as_string(cursor.connection)
                self.stdout.write(text + ";")
                if options["commit"]:
                    cursor.execute(statement)
        if not options["commit"]:
            self.stdout.write("Dry run: nothing granted. Add --commit to do it.")
