"""A register written back in the layout its import reads (issue 19: "so a province can
round-trip"): the kind's own header names, dates as dates, a frozen header row, filters."""

from __future__ import annotations

from pctp.core.xlsx import table_xlsx

__all__ = ["headers_of", "table_xlsx"]


def headers_of(kind) -> list[str]:
    """Each field's first header name as written (with its diacritics)."""
    return [f.header for f in kind.fields]
