"""The import of a register file: upload, choose the sheet, the header row and the
columns, check every row without writing (the dry run), then write it in batches, one
transaction each, resumable from the last batch written."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import secrets
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from pctp.core.audit import audit_record
from pctp.core.errors import DomainError, PermissionRefused
from pctp.core.permissions import has_perm_in_unit, memberships
from pctp.core.xlsx import append_safe
from pctp.imports import readers
from pctp.imports import values as v
from pctp.imports.kinds import (
    KINDS,
    Problem,
    find_header_row,
    get_kind,
    header_labels,
    match_headers,
)
from pctp.imports.models import ImportIssue, ImportJob, ImportMapping

log = logging.getLogger(__name__)
MAX_BYTES = 512 * 1024 * 1024
PREVIEW_ROWS = 30


def _kind(key: str):
    try:
        return get_kind(key)
    except KeyError:
        raise DomainError("unknown_kind", _("PCTP cannot import “%(k)s”; it can import: "
                                            "%(kinds)s.") % {"k": key, "kinds": ", ".join(KINDS)}
                          ) from None


def may_import(user, kind_key: str) -> bool:
    """Whether the user holds the kind's import permission in a unit that keeps that
    register (a department head holds the unit leader's role, not a police register)."""
    kind = _kind(kind_key)
    if user.is_superuser:
        return True
    if not user.has_perm(kind.permission):
        return False
    units = kind.member_units
    if units is None:
        return True
    return any(m.unit.kind in units and has_perm_in_unit(user, kind.permission, m.unit)
               for m in memberships(user))


def may_use(user) -> bool:
    """Whether the user may import any register (the navigation shows "Nhập sổ")."""
    return any(may_import(user, k) for k in KINDS)


def _require(user, kind_key: str) -> None:
    """`user` None: the operator's command line (who holds the database anyway)."""
    _kind(kind_key)
    if user is not None and not may_import(user, kind_key):
        raise PermissionRefused("forbidden", _("You may not import this register."))


def file_digest(path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def job_create(*, actor, kind: str, name: str, data: bytes | None = None,
               path: Path | None = None, encoding: str = "auto") -> ImportJob:
    """Store the file and read its sheets and header: the first step of the wizard and of
    `pctp import`. A file already imported in full is recognised by its content."""
    _require(actor, kind)
    if encoding not in ("auto", "utf-8", "utf-16", "cp1258", "tcvn3"):
        raise DomainError("invalid", _("Unknown text encoding “%(e)s”.") % {"e": encoding})
    size = len(data) if data is not None else Path(path).stat().st_size
    if not size:
        raise DomainError("invalid", _("The file is empty."))
    if size > MAX_BYTES:
        raise DomainError("too_large", _("The file is larger than 512 MB; split it by year."))
    digest = hashlib.sha256(data).hexdigest() if data is not None else file_digest(path)
    job = ImportJob(kind=kind, name=Path(name).name[:200] or "register", sha256=digest,
                    size=size, encoding=encoding, created_by=actor)
    # Each upload its own name (never another import's path, even for the same content).
    stored = f"{digest[:16]}-{secrets.token_hex(4)}{Path(name).suffix.lower()[:8]}"
    if data is not None:
        job.file.save(stored, ContentFile(data), save=False)
    else:  # the command's file: copied in chunks, never read whole
        with Path(path).open("rb") as fh:
            job.file.save(stored, File(fh), save=False)
    try:
        book = readers.open_book(job.file.path, encoding)
    except readers.UnreadableFile as exc:
        job.file.delete(save=False)
        raise DomainError("unreadable", str(exc)) from None
    job.encoding = book.encoding
    k = _kind(kind)
    # The sheet that reads most like the register (a workbook often opens on a cover
    # sheet or a summary), its header row and its columns.
    best = None
    for sheet in book.sheets[:20]:
        rows = readers.preview(book, sheet, PREVIEW_ROWS)
        header = find_header_row(rows, k.fields, merged=book.kind != readers.CSV)
        columns = match_headers(header_labels(rows, header), k.fields)
        if best is None or len(columns) > len(best[2]):
            best = (sheet, header, columns, rows)
    job.sheet, job.header_row, job.columns, rows = best
    if len(rows) < PREVIEW_ROWS and not any(
            not v.blank(c) for row in rows[job.header_row:] for c in row):
        # The whole sheet is in the preview and nothing is under its header.
        job.file.delete(save=False)
        if not any(not v.blank(c) for row in rows for c in row):
            raise DomainError("empty", _("The file has no rows of data: it is blank."))
        raise DomainError("empty", _("The file has no rows of data: nothing under the column "
                                     "names (row %(n)s).") % {"n": job.header_row})
    job.save()
    audit_record(actor=actor, action="import.upload", obj=job, to_state=job.state,
                 changes={"file": [None, job.name], "kind": [None, kind],
                          "sha256": [None, digest]})
    return job


def book_of(job: ImportJob) -> readers.Book:
    return readers.open_book(job.file.path, job.encoding)


def file_missing(job: ImportJob) -> bool:
    return not job.file or not job.file.storage.exists(job.file.name)


def job_delete_file(*, actor, job: ImportJob) -> ImportJob:
    """Delete the uploaded file once the import is checked (it holds what the register
    holds); the report keeps its reasons."""
    _own(actor, job)
    if job.busy:
        raise DomainError("locked", _("This import is running; delete its file when it ends."))
    if job.file and not file_missing(job):
        job.file.delete(save=False)
        audit_record(actor=actor, action="import.delete_file", obj=job, to_state=job.state,
                     changes={"file": [job.name, None]})
    # The path is forgotten too: a later upload of the same file may be stored under it.
    ImportJob.objects.filter(pk=job.pk).update(file="")
    job.file.name = None
    return job


def preview_of(job: ImportJob) -> tuple[list[str], list[list], list[str]]:
    """The sheets, the first rows of the chosen sheet and its column names."""
    if file_missing(job):
        raise DomainError("file_deleted", _("The file of this import has been deleted: "
                                            "upload it again."))
    book = book_of(job)
    rows = readers.preview(book, job.sheet, PREVIEW_ROWS)
    return book.sheets, rows, header_labels(rows, job.header_row)


def job_pick_sheet(*, actor, job: ImportJob, sheet: str) -> ImportJob:
    """Another sheet of the workbook: its header row and columns found again."""
    _own(actor, job)
    if job.busy or job.state == ImportJob.State.DONE:
        raise DomainError("locked", _("This import has started; upload the file again to "
                                      "change its columns."))
    book = book_of(job)
    if sheet not in book.sheets:
        raise DomainError("invalid", _("The file has no sheet named “%(s)s”.") % {"s": sheet})
    k = _kind(job.kind)
    rows = readers.preview(book, sheet, PREVIEW_ROWS)
    job.sheet = sheet
    job.header_row = find_header_row(rows, k.fields, merged=book.kind != readers.CSV)
    job.columns = match_headers(header_labels(rows, job.header_row), k.fields)
    job.state = ImportJob.State.UPLOADED
    job.save()
    return job


def job_configure(*, actor, job: ImportJob, sheet: str, header_row: int,
                  columns: dict[str, int] | None = None, mapping: ImportMapping | None = None,
                  save_as: str = "") -> ImportJob:
    """Choose the sheet, the header row and the columns (or a saved mapping, matched by
    header names); optionally save the columns under a name for the next file."""
    _own(actor, job)
    if job.state in (ImportJob.State.QUEUED, ImportJob.State.RUNNING, ImportJob.State.DONE):
        raise DomainError("locked", _("This import has started; upload the file again to "
                                      "change its columns."))
    k = _kind(job.kind)
    book = book_of(job)
    if sheet not in book.sheets:
        raise DomainError("invalid", _("The file has no sheet named “%(s)s”.") % {"s": sheet})
    rows = readers.preview(book, sheet, max(PREVIEW_ROWS, header_row + 1))
    if not 1 <= header_row <= len(rows):
        raise DomainError("invalid", _("The header row must be between 1 and %(n)s.")
                          % {"n": len(rows)})
    labels = header_labels(rows, header_row)
    if mapping is not None:
        wanted = {v.words(h): i for i, h in enumerate(labels) if h}
        lacking = [h for h in mapping.columns.values() if v.words(h) not in wanted]
        if lacking:
            raise DomainError("invalid", _("This sheet has no column named %(names)s, which "
                                           "the mapping “%(m)s” uses: check the header row or "
                                           "choose the columns below.")
                              % {"names": ", ".join(f"“{h}”" for h in lacking),
                                 "m": mapping.name})
        columns = {f: wanted[v.words(h)] for f, h in mapping.columns.items()}
    elif columns is None:
        columns = match_headers(labels, k.fields)
    known = {f.key for f in k.fields}
    columns = {f: int(i) for f, i in columns.items() if f in known and 0 <= int(i) < len(labels)}
    missing = [str(f.label) for f in k.fields if f.required and f.key not in columns]
    if missing:
        raise DomainError("invalid", _("Choose the column of: %(fields)s.")
                          % {"fields": ", ".join(missing)})
    if len(set(columns.values())) != len(columns):
        raise DomainError("invalid", _("One column is chosen for two fields."))
    job.sheet, job.header_row, job.columns = sheet, header_row, columns
    job.state = ImportJob.State.UPLOADED
    if save_as.strip():
        taken = ImportMapping.objects.filter(kind=job.kind, name=save_as.strip()[:100]).first()
        if taken is not None and taken.created_by_id != getattr(actor, "pk", None):
            raise DomainError("taken", _("Another user saved a mapping named “%(m)s”: choose "
                                         "another name.") % {"m": taken.name})
        named, _new = ImportMapping.objects.update_or_create(
            kind=job.kind, name=save_as.strip()[:100],
            defaults={"columns": {f: labels[i] for f, i in columns.items()},
                      "header_row": header_row, "created_by": actor})
        job.mapping = named
        audit_record(actor=actor, action="import.mapping_save", obj=named,
                     changes={"columns": [None, named.columns]})
    elif mapping is not None:
        job.mapping = mapping
    job.save()
    audit_record(actor=actor, action="import.configure", obj=job, to_state=job.state,
                 changes={"sheet": [None, sheet], "header_row": [None, header_row],
                          "columns": [None, columns]})
    return job


def _own(actor, job: ImportJob) -> None:
    if actor is None:
        return
    if not (actor.is_superuser or job.created_by_id == actor.pk):
        raise PermissionRefused("forbidden", _("This import belongs to another user."))


def _data_rows(job: ImportJob, start: int = 0) -> Iterator[tuple[int, dict, list]]:
    """(row number, cells by field, whole row) for each non-blank row after the header,
    from row `start` on."""
    book = book_of(job)
    first = max(job.header_row + 1, start)
    for n, row in enumerate(book.rows(job.sheet), start=1):
        if n < first:
            continue
        cells = {f: (row[i] if i < len(row) else None) for f, i in job.columns.items()}
        if all(v.blank(c) for c in cells.values()):
            continue
        yield n, cells, row


def _issues(job: ImportJob, n: int, problems, k, cells) -> list[ImportIssue]:
    labels = {f.key: str(f.label) for f in k.fields}
    personal = {f.key for f in k.fields if f.personal}
    # A person's name or ID number is never copied into the report (it is in the user's
    # own file). In a register of people a shifted column can put a name where a year
    # should be: there any cell that reads like a name or an ID number is hidden too.
    hidden = [v.text(cells.get(f)) for f in personal]
    if k.personal_data:
        hidden += [v.text(c) for c in cells.values() if v.looks_personal(v.text(c))]
    hidden = sorted({h for h in hidden if len(h) >= 3}, key=len, reverse=True)
    out = []
    for p in problems:
        value = v.text(cells.get(p.field))
        if p.field in personal or value in hidden:
            value = ""
        reason = p.reason
        for text in hidden:
            reason = reason.replace(text, "…")
        out.append(ImportIssue(job=job, row=n, column=labels.get(p.field, p.field)[:120],
                               value=value[:300], reason=reason[:400]))
    return out


def _refused(job: ImportJob, k, rows) -> list[ImportIssue]:
    """The rows a record app refused when writing: (row, reason) or (row, reason, field)."""
    labels = {f.key: str(f.label) for f in k.fields}
    return [ImportIssue(job=job, row=n, reason=reason[:400],
                        column=labels.get(field[0], "")[:120] if field else "")
            for n, reason, *field in rows]


def _check(k, ctx, n, cells):
    try:
        return k.check(ctx, n, cells), []
    except ExceptionGroup as group:
        return None, [p for p in group.exceptions if isinstance(p, Problem)]


def job_check(*, actor, job: ImportJob, progress: Callable[[int], None] | None = None
              ) -> ImportJob:
    """The dry run: every row read and checked, then each batch written and rolled back,
    so that conflicts with the records already in PCTP (a number used, a record worked on
    since) are found too. Nothing stays but the report. One transaction per batch: the
    progress shows as it goes, and SQLite's write lock is held for a batch, not the run."""
    _own(actor, job)
    k = _kind(job.kind)
    ctx = k.prepare(actor)
    clocks = k.clocks()
    origin = {"file": job.name, "sheet": job.sheet, "job": job.pk}
    size = k.batch_size
    ImportIssue.objects.filter(job=job).delete()
    total = refused = 0
    batch: list = []
    issues: list[ImportIssue] = []

    def flush():
        nonlocal refused, batch, issues
        with transaction.atomic():
            if batch:
                point = transaction.savepoint()
                _counts, rows = k.write(actor, batch, origin, clocks)
                transaction.savepoint_rollback(point)
                issues += _refused(job, k, rows)
            ImportIssue.objects.bulk_create(issues)
            refused += len({i.row for i in issues})
            ImportJob.objects.filter(pk=job.pk).update(checked=total, updated_at=timezone.now())
        batch, issues = [], []
        if progress:
            progress(total)

    for n, cells, _row in _data_rows(job):
        total += 1
        record, problems = _check(k, ctx, n, cells)
        if record is None:
            issues += _issues(job, n, problems, k, cells)
        else:
            batch.append(record)
        if len(batch) >= min(size, 2000) or len(issues) >= 2000:
            flush()
    flush()
    job.refresh_from_db()
    job.total, job.refused, job.checked = total, refused, total
    job.good = total - refused
    job.state = ImportJob.State.CHECKED
    job.save()
    return job


def _count_rows(job: ImportJob) -> int:
    return sum(1 for _ in _data_rows(job))


def job_run(*, actor, job: ImportJob, batch_size: int | None = None,
            progress: Callable[[ImportJob], None] | None = None) -> ImportJob:
    """Write the file, batch by batch, each batch in its own transaction with the job's
    position; run again after a crash, it goes on from the last batch written. A refused
    row is reported and never stops the good ones."""
    _own(actor, job)
    k = _kind(job.kind)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.state == ImportJob.State.DONE:
            return job
        if job.state == ImportJob.State.RUNNING and _active(job) and not _mine(job):
            raise DomainError("busy", _("This import is running elsewhere (a worker or "
                                        "another command); wait for it to end."))
        job.state, job.runner = ImportJob.State.RUNNING, RUNNER
        job.save(update_fields=["state", "runner", "updated_at"])
    _RUNNING.add(job.pk)
    if not job.total:  # never checked: count the rows first, for the progress bar
        job.total = _count_rows(job)
    resuming = job.next_row > 0
    start = job.next_row or job.header_row + 1
    job.state = ImportJob.State.RUNNING
    job.error = ""
    with transaction.atomic():
        if not resuming:
            job.issues.all().delete()
            job.created = job.updated = job.unchanged = job.refused = 0
        else:  # a batch that did not commit left nothing; its issues are written again
            job.issues.filter(row__gte=start).delete()
        job.save()
    ctx = k.prepare(actor)
    if resuming:  # the duplicate check must know the rows already written
        for n, cells, _row in _data_rows(job):
            if n >= start:
                break
            _check(k, ctx, n, cells)
    clocks = k.clocks()
    origin = {"file": job.name, "sheet": job.sheet, "job": job.pk}
    size = batch_size or k.batch_size
    batch: list = []
    issues: list[ImportIssue] = []
    last = start - 1
    try:
        for n, cells, _row in _data_rows(job, start):
            record, problems = _check(k, ctx, n, cells)
            if record is None:
                issues += _issues(job, n, problems, k, cells)
            else:
                batch.append(record)
            last = n
            if len(batch) >= size:
                _commit(actor, job, k, batch, issues, origin, clocks, last)
                batch, issues = [], []
                if progress:
                    progress(job)
        _commit(actor, job, k, batch, issues, origin, clocks, last, done=True)
    except Exception as exc:
        job.refresh_from_db()
        job.state = ImportJob.State.FAILED
        job.error = f"{type(exc).__name__}: {str(exc)[:500]}"
        job.save(update_fields=["state", "error", "updated_at"])
        log.exception("import %s stopped at row %s", job.pk, job.next_row)
        raise
    finally:
        _RUNNING.discard(job.pk)
    if progress:
        progress(job)
    return job


_RUNNING: set[int] = set()  # the jobs this process is writing
RUNNER = f"{socket.gethostname()}:{os.getpid()}"


def _mine(job: ImportJob) -> bool:
    return job.pk in _RUNNING


def _active(job: ImportJob) -> bool:
    """Whether a live process is writing the job: on this host, its process still runs;
    on another, it moved in the last ten minutes."""
    host, _sep, pid = job.runner.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return not job.stalled


def running_job(*, kind: str, sha256: str) -> ImportJob | None:
    """An import of this file that a worker or a command is writing now."""
    for job in ImportJob.objects.filter(kind=kind, sha256=sha256, state__in=[
            ImportJob.State.QUEUED, ImportJob.State.RUNNING, ImportJob.State.CHECKING]):
        if job.state == ImportJob.State.RUNNING and not _active(job):
            continue
        if not job.stalled:
            return job
    return None


def _commit(actor, job, k, batch, issues, origin, clocks, last, done=False):
    with transaction.atomic():
        counts, refused = k.write(actor, batch, origin, clocks) if batch else ({}, [])
        issues = issues + _refused(job, k, refused)
        ImportIssue.objects.bulk_create(issues)
        job.created += counts.get("created", 0)
        job.updated += counts.get("updated", 0)
        job.unchanged += counts.get("unchanged", 0)
        job.refused += len({i.row for i in issues})
        job.next_row = last + 1
        if done:
            job.state = ImportJob.State.DONE
        job.save()
        if done:
            audit_record(actor=actor, action="import.commit", obj=job, to_state=job.state,
                         changes={"created": [None, job.created], "updated": [None, job.updated],
                                  "unchanged": [None, job.unchanged],
                                  "refused": [None, job.refused]})


def job_queue(*, actor, job: ImportJob, what: str) -> ImportJob:
    """Leave the dry run ("check") or the writing ("run") to a background worker (the
    page's way; the command runs them itself)."""
    _own(actor, job)
    if file_missing(job):
        raise DomainError("file_deleted", _("The file of this import has been deleted: "
                                            "upload it again."))
    if (job.busy and not job.stalled) or job.state == ImportJob.State.DONE:
        raise DomainError("locked", _("This import is already running or done."))
    if job.stalled and job.state == ImportJob.State.CHECKING:
        what = "check"  # a dry run whose worker died is a dry run again
    if what == "run" and job.state in (ImportJob.State.UPLOADED, ImportJob.State.CHECKING):
        raise DomainError("not_checked", _("Check the file (dry run) before importing it."))
    from pctp.imports.tasks import run_import

    if what == "check":
        job.state, job.checked = ImportJob.State.CHECKING, 0
        job.total = _count_rows(job) if job.size < 20 * 1024 * 1024 else 0
    else:
        job.state = ImportJob.State.QUEUED
    job.save()
    audit_record(actor=actor, action=f"import.{what}", obj=job, to_state=job.state)
    transaction.on_commit(lambda: run_import.enqueue(job.pk, what))
    return job


def job_step(job: ImportJob, what: str) -> ImportJob:
    """A worker's part: the dry run or the writing of a queued job, as its uploader."""
    actor = job.created_by
    if what == "check":
        def seen(n):
            ImportJob.objects.filter(pk=job.pk).update(checked=n)
        return job_check(actor=actor, job=job, progress=seen)
    return job_run(actor=actor, job=job)


def rejected_xlsx(job: ImportJob) -> bytes:
    """The refused rows as they were in the file, with the reasons in a first column, to
    correct and import again (the same columns, so the same mapping applies)."""
    by_row: dict[int, list[str]] = {}
    for issue in job.issues.order_by("row", "id"):
        by_row.setdefault(issue.row, []).append(
            f"{issue.column}: {issue.reason}" if issue.column else issue.reason)
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = _("Refused rows")[:31]
    header = None
    k = _kind(job.kind)
    # A person's name and ID number are left out (they are in the user's own file).
    hidden = {job.columns[f.key] for f in k.fields if f.personal and f.key in job.columns}
    try:
        data = readers.open_book(job.file.path, job.encoding).rows(job.sheet)
    except (FileNotFoundError, ValueError, readers.UnreadableFile):
        data = []  # the file was deleted after the import: the reasons alone
    for n, row in enumerate(data, start=1):
        if n == job.header_row:
            header = row
            append_safe(sheet, [_("Row"), _("Problems"), *[v.text(c) for c in row]])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            continue
        if n in by_row:
            # A register of people: no cell at all (a shifted column puts a name anywhere).
            cells = [] if k.personal_data else ["" if i in hidden else c
                                                 for i, c in enumerate(row)]
            append_safe(sheet, [n, "; ".join(by_row.pop(n)), *cells])
            sheet.cell(row=sheet.max_row, column=2).fill = PatternFill(
                "solid", fgColor="FFF2CC")
            for cell in sheet[sheet.max_row][2:]:
                if hasattr(cell.value, "year"):
                    cell.number_format = "dd/mm/yyyy"
    if header is None:
        sheet.append([_("Row"), _("Problems")])
    for n in sorted(by_row):  # rows no longer in a readable file
        append_safe(sheet, [n, "; ".join(by_row[n])])
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def unfinished_job(*, actor, kind: str, sha256: str) -> ImportJob | None:
    """The user's earlier import of the same file that did not finish (to resume it)."""
    owner = {"created_by": actor} if actor is not None else {"created_by__isnull": True}
    return (ImportJob.objects.filter(kind=kind, sha256=sha256, next_row__gt=0, **owner)
            .exclude(state=ImportJob.State.DONE).order_by("-pk").first())


__all__ = ["job_check", "job_configure", "job_create", "job_queue", "job_run",
           "job_delete_file", "job_pick_sheet", "job_step", "running_job", "rejected_xlsx", "unfinished_job"]
