"""Reading a register file, row by row, whatever made it: .xlsx, .xls and .ods through
python-calamine (one reader for the three, written in Rust), .csv through the standard
library after `text.decode` found its encoding. Rows come out as lists of cells (str,
int, float, date, datetime or None); nothing is read before it is asked for beyond what
the format forces (a workbook sheet is loaded whole by calamine; a CSV is streamed)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from pctp.imports import text as t

XLSX, XLS, CSV = "xlsx", "xls", "csv"
CSV_SHEET = "CSV"


class UnreadableFile(ValueError):
    """The file is not a register PCTP can read; the message says why."""


def sniff(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return XLSX  # .xlsx and .ods are both zip files; calamine reads either
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return XLS
    if b"\x00" in head[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(_("This is not a spreadsheet or a text file (.xlsx, .xls, "
                               ".ods or .csv)."))
    return CSV


@dataclass
class Book:
    path: Path
    kind: str
    encoding: str  # the one used for CSV text, or "tcvn3" to convert workbook text
    sheets: list[str]

    def __post_init__(self):
        self._tops: dict[tuple[int, int], object] = {}

    def rows(self, sheet: str | None = None) -> Iterator[list]:
        """Every row of a sheet, numbered from 1 by the caller (row i is the i-th yielded)."""
        if self.kind == CSV:
            yield from _csv_rows(self.path, self.encoding)
            return
        book = CalamineWorkbook.from_path(str(self.path))
        name = sheet or self.sheets[0]
        if name not in book.sheet_names:
            raise UnreadableFile(_("The file has no sheet named “%(s)s”.") % {"s": name})
        convert = self.encoding == "tcvn3"
        data = book.get_sheet_by_name(name)
        left = (data.start or (0, 0))[1]  # rows come from the first; columns from `left`
        # Merged cells hold their value in the top-left cell only; a register merges the
        # unit or the date down many rows and its headers across columns: fill them all.
        merged = sorted(data.merged_cell_ranges or [])
        for r, row in enumerate(data.iter_rows()):
            cells = [None] * left + [_cell(v, convert) for v in row]
            for (r0, c0), (r1, c1) in merged:
                if not r0 <= r <= r1:
                    continue
                if r == r0:
                    self._tops[(r0, c0)] = cells[c0] if c0 < len(cells) else None
                value = self._tops.get((r0, c0))
                if len(cells) <= c1:
                    cells.extend([None] * (c1 + 1 - len(cells)))
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        cells[c] = value
            yield cells



def _cell(value, convert: bool):
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
        return t.tcvn3_to_unicode(value) if convert else t.nfc(value)
    return value


_CODECS = {"utf-8": "utf-8-sig", "utf-16": "utf-16", "cp1258": "cp1258", "tcvn3": "latin-1"}


def _csv_rows(path: Path, encoding: str) -> Iterator[list]:
    """Streamed: a file of a million rows is never held whole in memory."""
    codec = _CODECS.get(encoding, encoding)
    convert = encoding == "tcvn3"
    with path.open(encoding=codec, newline="") as fh:
        sample = fh.read(20_000)
        fh.seek(0)
        dialect = _dialect(sample)
        lines = (t.tcvn3_to_unicode(line) for line in fh) if convert else fh
        try:
            for row in csv.reader(lines, dialect):
                yield [(t.nfc(v.strip()) or None) for v in row]
        except UnicodeDecodeError:
            raise UnreadableFile(_("The file cannot be read as text in the encoding "
                                   "%(e)s: choose another encoding.") % {"e": encoding}) from None


def _dialect(sample: str):
    """The separator that splits the first lines into the most columns, the same number
    on each (csv.Sniffer guesses "," for a small ";" file whose headers hold commas, such
    as "Điều, khoản")."""
    lines = sample.splitlines()[:20]
    if len(sample) >= 20_000 and len(lines) > 1:
        lines = lines[:-1]  # the last may be cut short
    best, best_score = None, (0, 0)
    for sep in (";", ",", "\t", "|"):
        counts = [len(row) for row in csv.reader(lines, delimiter=sep)] if lines else []
        if not counts or max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common), common)  # rows that agree, then columns
        if score > best_score:
            best, best_score = sep, score
    dialect = csv.excel()
    dialect.delimiter = best or ","
    return dialect


def open_book(path: Path | str, encoding: str = "auto") -> Book:
    """The file's kind, sheets and text encoding. For a CSV "auto" is resolved here from
    its first 256 KB (a later byte that does not fit stops the reading with the reason);
    for a workbook "auto" becomes "tcvn3" when its
    first rows read as Vietnamese only after conversion (an .xls typed in .VnTime)."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(8192)
    if not head:
        raise UnreadableFile(_("The file is empty."))
    kind = sniff(head)
    if kind == CSV:
        with path.open("rb") as fh:
            sample = fh.read(256 * 1024)
        if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
            sample = sample[:len(sample) & ~1]  # whole UTF-16 code units
        elif len(sample) == 256 * 1024 and b"\n" in sample:  # whole lines only
            sample = sample[:sample.rindex(b"\n") + 1]
        try:
            _text, used = t.decode(sample, encoding)
        except (UnicodeDecodeError, ValueError):
            raise UnreadableFile(_("The file cannot be read as text in the encoding "
                                   "%(e)s: choose another encoding.") % {"e": encoding}) from None
        return Book(path, kind, used, [CSV_SHEET])
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception:  # noqa: BLE001 (calamine raises its own types per damage)
        raise UnreadableFile(_("The workbook cannot be opened: it is damaged, protected by a "
                               "password, or not an Excel or OpenDocument file.")) from None
    sheets = [s for s in book.sheet_names]
    if not sheets:
        raise UnreadableFile(_("The workbook has no sheet."))
    if encoding == "auto":
        encoding = _workbook_encoding(Book(path, kind, "utf-8", sheets), sheets[0])
    return Book(path, kind, encoding, sheets)


def _workbook_encoding(book: Book, sheet: str) -> str:
    cells = [c for row in preview(book, sheet, 30) for c in row if isinstance(c, str)]
    sample = " ".join(cells)
    if t.vietnamese_score(sample) < 0.6 <= t.vietnamese_score(t.tcvn3_to_unicode(sample)):
        return "tcvn3"
    return "utf-8"


def preview(book: Book, sheet: str | None, n: int = 15) -> list[list]:
    """The first n rows. For .xlsx they are streamed by openpyxl's read-only reader: a
    workbook of a million rows is not loaded to show thirty (calamine loads a whole sheet)."""
    out = []
    if book.kind == XLSX and book.path.suffix.lower() != ".ods":
        try:
            return _xlsx_preview(book, sheet, n)
        except Exception:  # noqa: BLE001 (not an .xlsx openpyxl reads: calamine below)
            out = []
    for row in book.rows(sheet):
        out.append(row)
        if len(out) >= n:
            break
    return out


def _xlsx_preview(book: Book, sheet: str | None, n: int) -> list[list]:
    from openpyxl import load_workbook

    workbook = load_workbook(book.path, read_only=True, data_only=True)
    try:
        data = workbook[sheet or book.sheets[0]]
        convert = book.encoding == "tcvn3"
        return [[_cell(c, convert) for c in row]
                for row in data.iter_rows(max_row=n, values_only=True)]
    finally:
        workbook.close()
