"""A register written back in the layout its import reads (issue 19: "so a province can
round-trip"): the kind's own header names, dates as dates, a frozen header row, filters."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pctp.core.xlsx import text_cell


def table_xlsx(title: str, headers: list[str], rows) -> tuple[bytes, int]:
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


def headers_of(kind) -> list[str]:
    """Each field's first header name as written (with its diacritics)."""
    return [f.header for f in kind.fields]
