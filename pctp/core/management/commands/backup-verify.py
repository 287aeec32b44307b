"""`pctp backup-verify DUMP [--keep]`: restore a pg_dump (custom format) into a scratch
database beside the configured one and check it: the restore completes, every migration of
this code is recorded in it, the journal is there with its newest entry, and the main tables
hold at least 90 % of the rows the live ones hold (they only grow after the dump). The
scratch database is dropped unless --keep. Exit 2 on any failure: an unverified backup is
not a backup. Run it as the owner (it creates a database), never as the application's role."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from psycopg import sql

MIN_SHARE = 0.9  # a table of the backup with fewer rows than this share of the live one fails
TABLES = ("core_user", "core_auditevent", "units_unit", "sources_source", "cases_case",
          "cases_accused", "plans_plan", "plans_kpisnapshot")


def _url(d: dict, name: str) -> str:
    auth = quote(d["USER"] or "", safe="")
    if d.get("PASSWORD"):
        auth += ":" + quote(d["PASSWORD"], safe="")
    return (f"postgresql://{auth}{'@' if auth else ''}{d['HOST'] or '127.0.0.1'}:"
            f"{d['PORT'] or 5432}/{name}")


class Command(BaseCommand):
    help = "Restore a backup into a scratch database and check it (docs/operations.md)."

    def add_arguments(self, parser):
        parser.add_argument("dump")
        parser.add_argument("--keep", action="store_true", help="keep the scratch database")

    def handle(self, *args, **o):
        if connection.vendor != "postgresql":
            raise CommandError("Backups are of PostgreSQL.", returncode=2)
        dump = Path(o["dump"])
        if not dump.is_file():
            raise CommandError(f"No such file: {dump}", returncode=2)
        settings_dict = connection.settings_dict
        scratch = f"pctp_restore_check_{int(time.time())}"
        try:
            with psycopg.connect(_url(settings_dict, "postgres"), autocommit=True) as admin:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        except psycopg.Error as exc:
            raise CommandError(
                f"Cannot create the scratch database {scratch}: {str(exc).strip()}. Run the "
                "backup as the owner (or a role with CREATEDB), not as the application's "
                "role: docs/operations.md, Backups.", returncode=2) from None
        try:
            done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                                   "--dbname", _url(settings_dict, scratch), str(dump)],
                                  capture_output=True, text=True, timeout=6 * 3600)
            if done.returncode:
                raise CommandError(f"pg_restore failed: {done.stderr[-2000:]}", returncode=2)
            try:
                self._check(_url(settings_dict, scratch))
            except psycopg.Error as exc:
                raise CommandError(f"The restored copy cannot be read: {str(exc).strip()}",
                                   returncode=2) from None
        finally:
            if not o["keep"]:
                # A new connection: a restore of hours may outlive an idle one.
                with psycopg.connect(_url(settings_dict, "postgres"), autocommit=True) as admin:
                    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(
                        sql.Identifier(scratch)))
        self.stdout.write(f"restore verified ({scratch}{' kept' if o['keep'] else ' dropped'})")

    def _check(self, url: str) -> None:
        from django.apps import apps

        ours = {c.label for c in apps.get_app_configs() if c.name.startswith("pctp.")}
        wanted = {(app, name) for app, name in MigrationLoader(None).disk_migrations
                  if app in ours}
        with psycopg.connect(url) as restored:
            applied = set(restored.execute("SELECT app, name FROM django_migrations").fetchall())
            missing = sorted(wanted - applied)
            if missing:
                raise CommandError(f"{len(missing)} migrations not in the backup, e.g. "
                                   f"{missing[:3]}", returncode=2)
            newest = restored.execute("SELECT max(at) FROM core_auditevent").fetchone()[0]
            self.stdout.write(f"journal: newest entry {newest}")
            short = []
            with connection.cursor() as live:
                for table in TABLES:
                    count = restored.execute(
                        sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                    ).fetchone()[0]
                    live.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                    now = live.fetchone()[0]
                    self.stdout.write(f"{table}: {count} in the backup, {now} now")
                    # The live tables only grow after the dump (records are not deleted):
                    # a backup much smaller than them lacks data.
                    if count < now * MIN_SHARE:
                        short.append(f"{table} ({count} of {now})")
            if short:
                raise CommandError("The backup lacks rows: " + ", ".join(short), returncode=2)
