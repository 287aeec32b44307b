"""Registers as provinces keep them, built for the tests: a title block above the table,
a header merged over two rows, blank rows, dates typed three ways, old unit and commune
names, a duplicate and an impossible date."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

TITLE = ["CÔNG AN TỈNH TÂY NINH", "SỔ THỤ LÝ NGUỒN TIN VỀ TỘI PHẠM NĂM 2025"]
HEADERS = ["STT", "Số thụ lý", "Ngày tiếp nhận", "Đơn vị thụ lý", "Loại", "Nội dung",
           "Điều, khoản", "Xã, phường", "Kết quả giải quyết", "Ngày giải quyết"]

# (number, received, unit, kind, content, article, commune, result, decided)
GOOD = [
    (1, date(2025, 3, 5), "Cơ quan Cảnh sát điều tra Công an tỉnh", "Tố giác",
     "Ông A tố giác bị trộm xe máy tại nhà. Giá trị 25.000.000 đồng.", "Điều 173 khoản 1 BLHS",
     "Xã Bến Lức", "Khởi tố vụ án", "20/03/2025"),
    (2, "06/03/2025", "CQCSĐT", "tin bao", "Tin báo về vụ đánh nhau gây thương tích",
     "Điều 134 khoản 2", "Phường Gò Dầu", "Không khởi tố", 45740),  # 2025-03-24
    (3, 45722, "Công an huyện Bến Lức", "Kiến nghị khởi tố", "Kiến nghị khởi tố vụ lừa đảo",
     "174.1", "Thị trấn Bến Lức", "", None),  # 2025-03-06, still open (old unit, old town)
    (4, "07/03/2025 14:30", "P80-CA-CSDT", "TỐ GIÁC", "Tố giác lừa đảo qua mạng", "",
     "", "", None),
]
BAD = [
    (5, "31/02/2025", "CQCSĐT", "Tố giác", "Ngày không có thật", "Điều 173", "", "", None),
    (6, "08/03/2025", "Công an huyện Không Có", "Tố giác", "Đơn vị không có", "", "", "", None),
    (2, "09/03/2025", "CQCSĐT", "Tin báo", "Trùng số thụ lý 2", "", "", "", None),
    (7, "10/03/2025", "CQCSĐT", "Đơn thư", "Loại không có", "Điều 999", "", "", None),
]


def _moment(value):
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, datetime.min.time())
    return value


def register_xlsx(path: Path, rows=None) -> Path:
    """The header on rows 4-5 (its cells merged down), the title above, a blank row in the
    middle; the row numbers in the file: good rows 6-9, a blank 10, bad rows 11-14."""
    rows = rows if rows is not None else [*GOOD, None, *BAD]
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ thụ lý 2025"
    for i, line in enumerate(TITLE, start=1):
        sheet.cell(row=i, column=1, value=line)
        sheet.merge_cells(start_row=i, start_column=1, end_row=i, end_column=len(HEADERS))
    for c, name in enumerate(HEADERS, start=1):
        sheet.cell(row=4, column=c, value=name)
        sheet.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)
    r = 6
    for n, row in enumerate(rows, start=1):
        if row is not None:
            sheet.cell(row=r, column=1, value=n)
            for c, value in enumerate(row, start=2):
                sheet.cell(row=r, column=c, value=_moment(value) if value != "" else None)
        r += 1
    book.save(path)
    return path


def register_csv(path: Path, rows, encoding: str = "utf-8-sig", sep: str = ";") -> Path:
    lines = [sep.join(HEADERS[1:])]
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, date):
                value = f"{value:%d/%m/%Y}"
            cells.append("" if value is None else str(value))
        lines.append(sep.join(cells))
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes(encode(text, encoding))
    return path


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode(text: str, encoding: str) -> bytes:
    """Bytes as the old Vietnamese encodings write them: Windows-1258 keeps the tone marks
    apart from the letter; TCVN3 is one byte per (lower-case) letter."""
    if encoding == "cp1258":
        out = []
        for ch in text:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in _TONES))
            tones = "".join(p for p in parts if p in _TONES)
            out.append(base + tones)
        return "".join(out).encode("cp1258")
    if encoding == "tcvn3":
        from pctp.imports.text import _TCVN3

        back = {u: b for b, u in _TCVN3.items()}
        return "".join(back.get(ch, back.get(ch.lower(), ch)) for ch in text).encode("latin-1")
    return text.encode(encoding)


def register_xls(path: Path, rows, *, tcvn3: bool = False) -> Path:
    """An Excel 97-2003 workbook, as older offices still send; with `tcvn3`, its text typed
    in the .VnTime fonts (each TCVN3 byte stored as the Latin-1 character of that code)."""
    import xlwt

    def cell(value):
        if isinstance(value, str) and tcvn3:
            return encode(value, "tcvn3").decode("latin-1")
        return value

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("So thu ly")
    day = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for c, name in enumerate(HEADERS[1:]):
        sheet.write(0, c, cell(name))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(r, c, _moment(value), day)
            elif value not in (None, ""):
                sheet.write(r, c, cell(value))
    book.save(str(path))
    return path


def create(user, path: Path, kind: str = "sources"):
    """Upload a register file as the wizard does (the first step of an import)."""
    from pctp.imports import services

    return services.job_create(actor=user, kind=kind, name=path.name, data=path.read_bytes())


def stored_files(settings) -> list[Path]:
    """The uploads kept under MEDIA_ROOT/imports/."""
    root = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
