"""pctp import KIND FILE: bring a register file in (issue 19). Without --commit it is a dry
run: every row is checked and each problem printed (row, column, value, reason); nothing is
written. Exit code 0 when every row is good, 2 when any row is refused."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pctp.core.errors import DomainError
from pctp.imports import services as s
from pctp.imports.kinds import KINDS
from pctp.imports.models import ImportJob, ImportMapping
from pctp.imports.text import ENCODINGS


class Command(BaseCommand):
    help = "Import a register (.xlsx, .xls, .ods or .csv): a dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--mapping", help="a column mapping saved on the import page")
        parser.add_argument("--sheet", help="the sheet (default: the first)")
        parser.add_argument("--header-row", type=int, help="the row of the column names "
                            "(default: found from the names)")
        parser.add_argument("--encoding", choices=ENCODINGS, default="auto")
        parser.add_argument("--user", help="the officer importing (default: the operator, "
                            "with the rights of the command line)")
        grp = parser.add_mutually_exclusive_group()
        grp.add_argument("--dry-run", action="store_true", help="check only (the default)")
        grp.add_argument("--commit", action="store_true", help="write the good rows")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--report", help="write the refused rows to this .xlsx")
        parser.add_argument("--max-problems", type=int, default=200,
                            help="problems printed (all are in --report)")

    def handle(self, *args, **o):
        path = Path(o["file"])
        if not path.is_file():
            raise CommandError(_("No file at %(p)s.") % {"p": path})
        actor = None
        if o["user"]:
            actor = get_user_model().objects.filter(username=o["user"]).first()
            if actor is None:
                raise CommandError(_("No user %(u)s.") % {"u": o["user"]})
        self._made = None
        job = None
        try:
            job = self._run(actor, path, o)
        finally:
            self._drop_copy(actor, job or self._made, o["commit"])
        if job.refused:
            sys.exit(2)

    def _run(self, actor, path, o):
        try:
            job = self._job(actor, path, o)
            if o["commit"]:
                job = s.job_run(actor=actor, job=job, batch_size=o["batch_size"],
                                progress=self._progress)
                self.stdout.write("")
                self.stdout.write(_("Written: %(c)s created, %(u)s updated, %(n)s unchanged, "
                                    "%(r)s refused (of %(t)s rows).")
                                  % {"c": job.created, "u": job.updated, "n": job.unchanged,
                                     "r": job.refused, "t": job.total})
            else:
                job = s.job_check(actor=actor, job=job)
                self.stdout.write(_("Dry run: %(g)s of %(t)s rows good, %(r)s refused; nothing "
                                    "written (add --commit).")
                                  % {"g": job.good, "t": job.total, "r": job.refused})
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        if not job.total:
            raise CommandError(_("The file has no rows of data: nothing under the column "
                                 "names (row %(n)s).") % {"n": job.header_row})
        self._problems(job, o["max_problems"])
        if o["report"] and job.refused:
            Path(o["report"]).write_bytes(s.rejected_xlsx(job))
            self.stdout.write(_("Refused rows written to %(p)s.") % {"p": o["report"]})
        return job

    @staticmethod
    def _drop_copy(actor, job, commit: bool) -> None:
        """The command's copy of the file is only for this run: deleted after a dry run,
        a finished commit or an early stop (a wrong mapping, Ctrl-C); kept only by a commit
        that stopped midway, to go on from its last batch. The report stays in PCTP."""
        if job is None:
            return
        job = ImportJob.objects.filter(pk=job.pk).first()
        if job is None:
            return
        if commit and job.next_row and job.state != ImportJob.State.DONE:
            return
        if job.busy:  # stopped in the middle of its own run: no other process holds it
            ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.UPLOADED)
            job.state = ImportJob.State.UPLOADED
        s.job_delete_file(actor=actor, job=job)

    def _job(self, actor, path, o):
        digest = s.file_digest(path)
        busy = s.running_job(kind=o["kind"], sha256=digest)
        if busy is not None:
            raise CommandError(_("Import %(id)s of this file is running (%(state)s); wait for "
                                 "it to end.") % {"id": busy.pk, "state": busy.get_state_display()})
        if o["commit"]:
            job = s.unfinished_job(actor=actor, kind=o["kind"], sha256=digest)
            if job is not None:
                self.stdout.write(_("Going on with import %(id)s from row %(row)s.")
                                  % {"id": job.pk, "row": job.next_row})
                return job
        job = self._made = s.job_create(actor=actor, kind=o["kind"], name=path.name,
                                        path=path, encoding=o["encoding"])
        mapping = None
        if o["mapping"]:
            mapping = ImportMapping.objects.filter(kind=o["kind"], name=o["mapping"]).first()
            if mapping is None:
                raise CommandError(_("No saved mapping named %(m)s.") % {"m": o["mapping"]})
        header = o["header_row"] or (mapping.header_row if mapping else job.header_row)
        job = s.job_configure(actor=actor, job=job, sheet=o["sheet"] or job.sheet,
                              header_row=header, mapping=mapping)
        self.stdout.write(_("Sheet “%(s)s”, header on row %(h)s, %(n)s columns recognised; "
                            "encoding %(e)s.") % {"s": job.sheet, "h": job.header_row,
                                                  "n": len(job.columns), "e": job.encoding})
        return job

    def _progress(self, job):
        if not self.stdout.isatty():
            return
        width = 30
        done = round(width * job.progress / 100)
        self.stdout.write(f"\r[{'#' * done}{'.' * (width - done)}] {job.progress:3d}%  "
                          f"{job.created + job.updated + job.unchanged}", ending="")
        self.stdout.flush()

    def _problems(self, job, limit):
        issues = list(job.issues.all()[:limit + 1])
        for issue in issues[:limit]:
            parts = [_("row %(n)s") % {"n": issue.row}]
            if issue.column:
                parts.append(issue.column)
            if issue.value:
                parts.append(f"“{issue.value}”")
            self.stdout.write(" · ".join(parts) + f": {issue.reason}")
        if len(issues) > limit:
            self.stdout.write(_("… and more: add --report FILE.xlsx to have them all."))
