"""Spreadsheet cells that stay what they are. openpyxl stores any text that starts with
"=" as a formula, so a report's content or a register cell typed "=HYPERLINK(…)" would run
in the reader's Excel (formula injection). Every .xlsx PCTP writes goes through these."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def _risky(value) -> bool:
    return isinstance(value, str) and value.startswith("=")


def safe_row(sheet, values) -> list:
    """The values for `sheet.append` of a write-only sheet, text kept as text."""
    out = []
    for value in values:
        if _risky(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(value)
    return out


def append_safe(sheet, values) -> None:
    """`sheet.append(values)` on an ordinary sheet, text kept as text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if _risky(cell.value):
            cell.data_type = "s"


def text_cell(cell) -> None:
    """A WriteOnlyCell built by the caller: its text kept as text."""
    if _risky(cell.value):
        cell.data_type = "s"


def table_sheet(book, title: str, headers: list[str], rows, *, above=()) -> int:
    """Add to a write-only workbook a sheet holding a table: `above`, lines of text over it
    (a title, the period), then bold headers, dates as dates (dd/mm/yyyy), numbers as
    numbers, the header row frozen, filters, text kept as text. Returns its rows."""
    sheet = book.create_sheet(title[:31])
    above = list(above)
    top = len(above) + 1  # the header's row
    sheet.freeze_panes = f"A{top + 1}"
    for i, name in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(name) + 6))
    for line in above:
        cell = WriteOnlyCell(sheet, value=line)
        text_cell(cell)
        sheet.append([cell])
    head = []
    for name in headers:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        head.append(cell)
    sheet.append(head)
    n = 0
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            text_cell(cell)
            if isinstance(value, datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, date):
                cell.number_format = "dd/mm/yyyy"
            cells.append(cell)
        sheet.append(cells)
        n += 1
    sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{top + n}"
    return n


def table_xlsx(title: str, headers: list[str], rows) -> tuple[bytes, int]:
    """A table with bold headers, dates as dates (dd/mm/yyyy), a frozen header row, filters
    and text kept as text; (the file, the number of rows)."""
    book = Workbook(write_only=True)
    n = table_sheet(book, title, headers, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), n
