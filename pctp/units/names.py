"""How a unit is named in an official document: the place of its date line and its part
of a document symbol (Decree 30/2020). Used by the sources' notices and the reports."""

from __future__ import annotations

import re

from pctp.units.models import Unit


def place_name(unit: Unit) -> str:
    """The place in the date line: the province's name without "Tỉnh"/"Thành phố"."""
    return re.sub(  # i18n: data (a parsed name)
        r"^\s*(tỉnh|thành phố)\s+", "", unit.province.name, flags=re.IGNORECASE).strip()


def unit_symbol(unit: Unit) -> str:
    """The issuing body's part of a document symbol: "CQCSĐT" → "CSĐT",
    "Công an tỉnh" → "CAT", a commune police without a short name → "CAX"/"CAP"."""
    short = unit.short_name.strip()
    first = short.split()[0] if short else ""
    if len(first) >= 2 and first == first.upper() and first.isalpha():
        short = first  # "UBND tỉnh" -> "UBND"
    if short and short == short.upper():
        short = short.replace(" ", "")
        return short[2:] if short.startswith("CQ") and len(short) > 4 else short
    if not short and unit.kind == Unit.Kind.COMMUNE_POLICE:
        name = unit.name.lower()
        return ("CAP" if "phường" in name  # i18n: data (a parsed name, a document symbol)
                else "CAĐK" if "đặc khu" in name else "CAX")
    words = (short or unit.name).split()
    return "".join(w[0] for w in words if w[0].isalpha()).upper()
