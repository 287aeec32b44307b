"""Spreadsheet cells that stay what they are. openpyxl stores any text that starts with
"=" as a formula, so a report's content or a register cell typed "=HYPERLINK(…)" would run
in the reader's Excel (formula injection). Every .xlsx PCTP writes goes through these."""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell


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
