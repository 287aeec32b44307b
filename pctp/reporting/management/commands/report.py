"""pctp report generate --type TYPE --period P [--unit CODE] [--plan ID] --out DIR: the same
report the page generates (its .docx, its .xlsx annex and, with LibreOffice, its PDF),
stored as a new version and copied into DIR."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pctp.core.errors import DomainError
from pctp.reporting import services as s
from pctp.reporting.types import TYPES


class Command(BaseCommand):
    help = "Generate a periodic report (.docx, .xlsx annex, PDF) from the records."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="generate a report")
        gen.add_argument("--type", required=True, choices=sorted(TYPES), dest="kind")
        gen.add_argument("--period", required=True,
                         help="2026, 2026-Q3, 2026-H1, tk:2026-05 (statistical month), "
                              "ta:2026 (court year), ytd:2026")
        gen.add_argument("--unit", help="the unit's code (a unit's report)")
        gen.add_argument("--plan", help="the plan's id (default: the current plan)")
        gen.add_argument("--out", required=True, help="the directory to copy the files to")
        gen.add_argument("--number", default="", help="number and symbol, e.g. 125/BC-UBND")
        gen.add_argument("--signer", default="", help="the signer's name")
        gen.add_argument("--signer-title", default="", dest="signer_title",
                         help="the signer's title (default: the type's usual one)")
        gen.add_argument("--user", help="the officer generating it (default: the operator)")
        check = sub.add_parser("check-template", help="check an edited .docx template")
        check.add_argument("file")

    def handle(self, *args, **o):
        if o["action"] == "check-template":
            return self._check(Path(o["file"]))
        return self._generate(o)

    def _check(self, path: Path) -> None:
        from pctp.reporting.documents import TemplateError, check_template

        if not path.is_file():
            raise CommandError(_("No file at %(p)s.") % {"p": path})
        try:
            check_template(path.read_bytes())
        except TemplateError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("The template is good: every field it names is filled."))

    def _generate(self, o) -> None:
        out = Path(o["out"])
        try:  # before anything is generated: a report is a version that cannot be taken back
            out.mkdir(parents=True, exist_ok=True)
        except OSError:
            raise CommandError(_("%(p)s is not a directory PCTP can write to.")
                               % {"p": out}) from None
        actor = None
        if o["user"]:
            actor = get_user_model().objects.filter(username=o["user"]).first()
            if actor is None:
                raise CommandError(_("No user %(u)s.") % {"u": o["user"]})
        try:
            report = s.report_request(actor=actor, kind=o["kind"], period=o["period"],
                                      unit=o["unit"], plan=o["plan"], number=o["number"],
                                      signer_name=o["signer"],
                                      signer_title=o["signer_title"])
            report = s.report_generate(report)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        report.refresh_from_db()
        for field in ("docx", "xlsx", "pdf"):
            stored = getattr(report, field)
            if stored:
                target = out / Path(stored.name).name
                with stored.open("rb") as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
                self.stdout.write(f"{target}  sha256 {getattr(report, f'{field}_sha256')}")
        if not report.pdf:
            self.stdout.write(_("No PDF: %(why)s") % {"why": report.pdf_note})
        if report.closed:
            self.stdout.write(_("Report %(id)s, version %(v)s, from the closed figures.")
                              % {"id": report.pk, "v": report.version})
        else:
            self.stdout.write(_("Report %(id)s, version %(v)s, provisional: the period is "
                                "not closed.") % {"id": report.pk, "v": report.version})
