"""The statistical annex (.xlsx): the targets, the figures by unit and by commune, then one
sheet per target with the records behind it (the drill-down's lists: no reporter or
accused named), Vietnamese headers, dates as dates, numbers as numbers, the header row
frozen and filtered."""

from __future__ import annotations

import io
import re
from datetime import datetime

from openpyxl import Workbook

from pctp.core.xlsx import table_sheet
from pctp.kpi import records as kpi_records
from pctp.reporting import drafting as d
from pctp.reporting.figures import Printed

STATUS = {"met": "Đạt", "at_risk": "Chưa đạt (sát ngưỡng)", "missed": "Không đạt",  # i18n: data
          "no_data": "Chưa đủ số liệu"}
_DAY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})(?: (\d{2}):(\d{2}))?$")


def _typed(value):
    """A drill-down cell ("05/03/2026 08:30") as a date or a number where it is one."""
    if isinstance(value, str):
        m = _DAY.match(value)
        if m:
            day, month, year, hour, minute = m.groups()
            moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
            return moment if hour else moment.date()
    return value


def annex_xlsx(*, title: list[str], figures: list[Printed], by_unit: list[dict],
               by_commune: list[dict], record_sets: dict[str, list[tuple[str, object, set]]]
               ) -> bytes:
    """`record_sets`: per target code, (heading, queryset, ids counted in the numerator or
    None) for each list of records."""
    book = Workbook(write_only=True)
    table_sheet(book, "Chỉ tiêu", [  # i18n: data
        "Mã", "Chỉ tiêu", "Tử số", "Mẫu số", "Kết quả (%)", "So sánh", "Chỉ tiêu đề ra (%)",
        "Đánh giá", "Cùng kỳ (%)", "Tăng, giảm (điểm %)", "Kỳ tính", "Số liệu đã chốt",
        "Điều chỉnh sau khi chốt (%)"],
        ([p.code, p.name, p.numerator, p.denominator, p.value, p.comparator, p.threshold,
          STATUS.get(p.status, p.status), p.previous_value, p.change, p.measured,
          "Có" if p.closed else "Không", p.revised_value if p.revised else None]  # i18n: data
         for p in figures), above=title)
    table_sheet(book, "Theo đơn vị", ["Mã chỉ tiêu", "Đơn vị", "Tử số", "Mẫu số",  # i18n: data
                                      "Kết quả (%)", "Đánh giá"],
                ([r["code"], r["unit"], r["numerator"], r["denominator"], r["value_number"],
                  STATUS.get(r["status_key"], r["status_key"])] for r in by_unit), above=title)
    table_sheet(book, "Theo xã, phường", ["Mã chỉ tiêu", "Xã, phường", "Tử số",  # i18n: data
                                          "Mẫu số", "Kết quả (%)"],
                ([r["code"], r["name"], r["numerator"], r["denominator"], r["value"]]
                 for r in by_commune), above=title)
    for p in figures:
        for heading, qs, counted in record_sets.get(p.code, []):
            cols = kpi_records.columns_for(qs)
            headers = [str(h) for h in cols.headers]
            if counted is not None:
                headers.append("Tính vào tử số")  # i18n: data
            rows = ([*(_typed(c) for c in cells),
                     *(["Có" if record_pk in counted else "Không"]  # i18n: data
                       if counted is not None else [])]
                    for record_pk, cells in _cells(qs, cols))
            table_sheet(book, f"{p.code} {heading}"[:31], headers, rows,
                        above=[*title, f"{p.code}. {p.name}: {heading}",
                               f"Kết quả: {d.percent(p.value)} ({p.numerator}/{p.denominator})"])  # i18n: data
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cells(qs, cols):
    for record in qs.select_related(*cols.related).iterator(chunk_size=2000):
        yield record.pk, cols.row(record)
