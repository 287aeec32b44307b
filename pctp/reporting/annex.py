"""The statistical annex (.xlsx): the targets, the figures by unit and by commune, then one
sheet per target with the records behind it (the drill-down's columns: no reporter or
accused named), Vietnamese headers, dates as dates, numbers as numbers, the header row
frozen and filtered. Written by XlsxWriter row by row (constant memory): a province's year
holds hundreds of thousands of records."""

from __future__ import annotations

import io
import tempfile
from datetime import date, datetime

import xlsxwriter

from pctp.kpi import records as kpi_records
from pctp.reporting import drafting as d
from pctp.reporting.figures import Printed

STATUS = {"met": "Đạt", "at_risk": "Chưa đạt (sát ngưỡng)", "missed": "Không đạt",  # i18n: data
          "no_data": "Chưa đủ số liệu"}


class _Book:
    def __init__(self, out):
        self.book = xlsxwriter.Workbook(out, {"constant_memory": True,
                                              "tmpdir": tempfile.gettempdir(),
                                              "strings_to_formulas": False,
                                              "strings_to_urls": False})
        self.bold = self.book.add_format({"bold": True})
        self.day = self.book.add_format({"num_format": "dd/mm/yyyy"})
        self.moment = self.book.add_format({"num_format": "dd/mm/yyyy hh:mm"})

    def sheet(self, title: str, headers: list[str], rows, *, above=()) -> int:
        """A sheet: lines of text above, bold headers, then the rows (text kept as text: a
        cell starting with "=" is never a formula), frozen under the header, filtered."""
        ws = self.book.add_worksheet(title[:31])
        r = 0
        for line in above:
            ws.write_string(r, 0, str(line))
            r += 1
        top = r
        for c, name in enumerate(headers):
            ws.write_string(r, c, str(name), self.bold)
            ws.set_column(c, c, max(12, min(40, len(str(name)) + 6)))
        ws.freeze_panes(top + 1, 0)
        n = 0
        for row in rows:
            r += 1
            n += 1
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    ws.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    ws.write_number(r, c, value)
                elif isinstance(value, datetime):
                    ws.write_datetime(r, c, value, self.moment)
                elif isinstance(value, date):
                    ws.write_datetime(r, c, datetime(value.year, value.month, value.day), self.day)
                else:
                    ws.write_string(r, c, str(value))
        ws.autofilter(top, 0, top + n, max(0, len(headers) - 1))
        return n

    def close(self):
        self.book.close()


def annex_xlsx(*, title: list[str], figures: list[Printed], by_unit: list[dict],
               by_commune: list[dict], record_sets: dict[str, list[tuple[str, object, set]]]
               ) -> bytes:
    """`record_sets`: per target code, (heading, queryset, ids counted in the numerator or
    None) for each list of records."""
    out = io.BytesIO()
    book = _Book(out)
    book.sheet("Chỉ tiêu", [  # i18n: data
        "Mã", "Chỉ tiêu", "Tử số", "Mẫu số", "Kết quả (%)", "So sánh", "Chỉ tiêu đề ra (%)",
        "Đánh giá", "Cùng kỳ (%)", "Tăng, giảm (điểm %)", "Kỳ tính", "Số liệu đã chốt",
        "Điều chỉnh sau khi chốt (%)"],
        ([p.code, p.name, p.numerator, p.denominator, p.value, p.comparator, p.threshold,
          STATUS.get(p.status, p.status), p.previous_value, p.change, p.measured,
          "Có" if p.closed else "Không", p.revised_value if p.revised else None]  # i18n: data
         for p in figures), above=title)
    book.sheet("Theo đơn vị", ["Mã chỉ tiêu", "Đơn vị", "Tử số", "Mẫu số",  # i18n: data
                               "Kết quả (%)", "Đánh giá"],
               ([r["code"], r["unit"], r["numerator"], r["denominator"], r["value_number"],
                 STATUS.get(r["status_key"], r["status_key"])] for r in by_unit), above=title)
    book.sheet("Theo xã, phường", ["Mã chỉ tiêu", "Xã, phường", "Tử số",  # i18n: data
                                   "Mẫu số", "Kết quả (%)"],
               ([r["code"], r["name"], r["numerator"], r["denominator"], r["value"]]
                for r in by_commune), above=title)
    for p in figures:
        for heading, qs, counted in record_sets.get(p.code, []):
            headers = [str(h) for h in kpi_records.columns_for(qs).headers]
            if counted is not None:
                headers.append("Tính vào tử số")  # i18n: data
            rows = ([*cells, *(["Có" if pk in counted else "Không"]  # i18n: data
                               if counted is not None else [])]
                    for pk, cells in kpi_records.typed_rows(qs))
            book.sheet(f"{p.code} {heading}"[:31], headers, rows,
                       above=[*title, f"{p.code}. {p.name}: {heading}",
                              f"Kết quả: {d.percent(p.value)} ({d.count(p, p.numerator)}/"  # i18n: data
                              f"{d.count(p, p.denominator)})"])
    book.close()
    return out.getvalue()
