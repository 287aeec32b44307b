"""`pctp rollup …`: the national roll-up (issue 23, docs/operations.md).

On a province:
  pctp rollup publish [--months 24]             write what changed into the roll-up tables
  pctp rollup publication [--commit]            the publication the nation subscribes to
  pctp rollup export --out FILE                 the rows, signed (PCTP_ROLLUP_SIGNING_KEY)
On the nation:
  pctp rollup subscribe --province 80 --conninfo 'host=… dbname=… user=…' [--commit]
  pctp rollup import FILE                       a province's signed export
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from pctp.core.errors import DomainError
from pctp.national import services as s


class Command(BaseCommand):
    help = "The national roll-up: publish, replicate, export and import (issue 23)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("publish")
        p.add_argument("--months", type=int, default=24)
        p = sub.add_parser("publication")
        p.add_argument("--commit", action="store_true")
        p = sub.add_parser("subscribe")
        p.add_argument("--province", required=True)
        p.add_argument("--conninfo", required=True)
        p.add_argument("--commit", action="store_true")
        p = sub.add_parser("export")
        p.add_argument("--out", required=True)
        p = sub.add_parser("import")
        p.add_argument("file")

    def handle(self, *args, **o):
        try:
            getattr(self, "_" + o["action"])(o)
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None

    def _publish(self, o):
        done = s.publish(months=o["months"])
        self.stdout.write(json.dumps(done, ensure_ascii=False))

    def _postgres(self) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Logical replication needs PostgreSQL.", returncode=2)

    def _sql(self, statements: list[str], commit: bool) -> None:
        for statement in statements:
            self.stdout.write(statement.split(" CONNECTION ")[0] + ";")
        if not commit:
            self.stdout.write("Dry run: nothing created. Add --commit to do it.")
            return
        try:
            with connection.cursor() as cursor:  # outside a transaction (CREATE SUBSCRIPTION)
                for statement in statements:
                    cursor.execute(statement)
        except DatabaseError as exc:
            raise CommandError(f"PostgreSQL refused it: {str(exc).strip()}",
                               returncode=2) from None

    def _publication(self, o):
        self._postgres()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_publication WHERE pubname = %s", [s.PUBLICATION])
            if cursor.fetchone():
                self.stdout.write(f"publication {s.PUBLICATION} exists")
                return
        self._sql(s.publication_sql(), o["commit"])

    def _subscribe(self, o):
        statement = s.subscription_sql(o["province"], o["conninfo"])  # checks the code first
        self._postgres()
        self._sql([statement], o["commit"])

    def _export(self, o):
        document = json.dumps(s.export(), ensure_ascii=False)
        try:
            Path(o["out"]).write_text(document, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {o['out']}: {exc.strerror}", returncode=2) from None
        self.stdout.write(f"written {o['out']}")

    def _import(self, o):
        try:
            document = json.loads(Path(o["file"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {o['file']}: {exc}", returncode=2) from None
        done = s.import_export(document, keys=settings.PCTP_ROLLUP_PROVINCE_KEYS)
        self.stdout.write(json.dumps(done, ensure_ascii=False))
