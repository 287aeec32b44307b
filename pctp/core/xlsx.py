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


def table_xlsx(title: str, headers: list[str], rows) -> tuple[bytes, int]:
    """A table with bold headers, dates as dates (dd/mm/yyyy), a frozen header row, filters
    and text kept as text; (the file, the number of rows)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for i, name in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(name) + 6))
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
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{n + 1}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), n
