"""`pctp backup-verify DUMP [--keep]`: restore a pg_dump (custom format) into a scratch
database beside the configured one and check it: the restore completes, every migration of
this code is recorded in it, the journal is there with its newest entry, and the row counts
of the main tables are printed beside the live ones. The scratch database is dropped unless
--keep. Exit 2 on any failure: an unverified backup is not a backup."""

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
        with psycopg.connect(_url(settings_dict, "postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        try:
            done = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                                   "--dbname", _url(settings_dict, scratch), str(dump)],
                                  capture_output=True, text=True, timeout=6 * 3600)
            if done.returncode:
                raise CommandError(f"pg_restore failed: {done.stderr[-2000:]}", returncode=2)
            self._check(_url(settings_dict, scratch))
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
            with connection.cursor() as live:
                for table in TABLES:
                    count = restored.execute(
                        sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                    ).fetchone()[0]
                    live.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608
                    self.stdout.write(f"{table}: {count} in the backup, {live.fetchone()[0]} now")
