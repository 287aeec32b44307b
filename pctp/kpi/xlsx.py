"""The dashboard and each drill-down list as .xlsx, with Vietnamese headers (the active
language's), the period, the scope and the definitions written above the table."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from pctp.core.xlsx import append_safe, safe_row
from pctp.kpi import registry as kpi
from pctp.kpi.records import columns_for, rows


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _title(ws, lines: list[str]) -> None:
    for i, line in enumerate(lines):
        append_safe(ws, [line])
        if i == 0:
            ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    ws.append([])


def dashboard_xlsx(req, figures: list) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Targets")[:31]
    _title(ws, [f"{req.plan.number} — {req.plan.title}",
                f"{_('Period')}: {req.period.label}",
                f"{_('Scope')}: {req.scope.label}",
                _("Computed on: %(moment)s") % {
                    "moment": f"{timezone.localtime():%d/%m/%Y %H:%M}"}])
    headers = [_("Target"), _("Indicator"), _("Value"), _("Numerator"), _("Denominator"),
               _("Comparator"), _("Threshold"), _("Status"), _("Same period last year"),
               _("Change (points)"), _("Measured over"), _("Closed value"), _("Definition")]
    ws.append(headers)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for f in figures:
        snap = f.snapshot
        ws.append([f.target.code, str(f.indicator.name), f.value, f.result.numerator,
                   f.result.denominator, f.target.comparator, float(f.target.threshold),
                   str(kpi.STATUS_LABELS[f.status]), f.previous_value, f.change,
                   f.measured.label,
                   float(snap.value) if snap is not None and snap.value is not None else None,
                   f.definition])
        ws.cell(row=ws.max_row, column=13).alignment = Alignment(wrap_text=True)
    for col, width in zip("ABCDEFGHIJKLM", (8, 44, 10, 14, 14, 10, 10, 16, 14, 12, 34, 12, 90),
                          strict=True):
        ws.column_dimensions[col].width = width
    return _save(wb)


def records_xlsx(target, req, part: str, previous: bool, qs) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet((_("Numerator") if part == "numerator" else _("Denominator"))[:31])
    indicator = kpi.get(target.indicator)
    measured = kpi.measured_period(target, req.period)
    if previous:
        measured = measured.previous_year()
    label = indicator.numerator_label if part == "numerator" else indicator.denominator_label
    ws.append([f"{target.code} — {indicator.name}: {label}"])
    ws.append([f"{_('Period')}: {measured.label}"])
    ws.append([f"{_('Scope')}: {req.scope.label}"])
    ws.append([])
    cols = columns_for(qs)
    ws.append([str(h) for h in cols.headers] + [_("Link")])
    for url, cells in rows(qs):
        ws.append(safe_row(ws, [*cells, url]))
    return _save(wb)
