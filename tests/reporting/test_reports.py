"""Periodic reports (issue 20) over the KPI tests' hand-counted province: the .docx in the
Decree 30 layout with every figure the dashboard's, the .xlsx annex with the records behind
each target, a revision after closing, who may generate and read, the command."""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from openpyxl import load_workbook

from pctp.cases import services as cs
from pctp.cases.models import Case
from pctp.core.errors import DomainError, PermissionRefused
from pctp.core.models import AuditEvent
from pctp.reporting import services as s
from pctp.reporting.models import Report
from tests.kpi.conftest import TODAY
from tests.personas import api_client, login, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_office(settings):
    """LibreOffice is the job of one test; the others generate the .docx and .xlsx only."""
    settings.PCTP_REPORT_PDF = False


@pytest.fixture
def analyst(make_user):
    return make_user("statistics_analyst", "P80-CA", name="Cán bộ thống kê")


@pytest.fixture
def leader(make_user):
    return make_user("provincial_leader", "P80-UBND", name="Lãnh đạo tỉnh")


def _generate(actor, **kw) -> Report:
    report = s.report_request(actor=actor, **{"kind": "plan", "period": "2026", **kw})
    s.report_generate(report)
    report.refresh_from_db()
    return report


def _text(data: bytes) -> tuple[Document, str, list[list[str]]]:
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    return doc, text, rows


@time_machine.travel(TODAY, tick=False)
def test_the_plan_report_is_a_decree_30_document_with_the_dashboards_figures(plan, analyst):
    report = _generate(analyst, number="15/BC-UBND", signer_name="Nguyễn Văn Tỉnh")
    assert report.state == "done" and report.closed is False
    data = report.docx.read()
    assert hashlib.sha256(data).hexdigest() == report.docx_sha256
    doc, text, rows = _text(data)
    header = rows[0]
    assert "ỦY BAN NHÂN DÂN TỈNH TÂY NINH" in header[0] and "Số: 15/BC-UBND" in header[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
    assert "Tây Ninh, ngày 20 tháng 11 năm 2026" in header[1]
    assert "BÁO CÁO" in text and "Kế hoạch số 120/KH-UBND" in text
    # The figures counted by hand in tests/kpi/conftest.py, year 2026.
    assert ("T2. Tiếp nhận, phân loại nguồn tin đúng hạn đạt 75,0% (3/4: phân loại trong 24 "
            "giờ trên nguồn tin tiếp nhận)") in text
    assert "T4. Tỷ lệ điều tra, khám phá án đạt 66,7% (2/3" in text
    assert "T1. Tội phạm về trật tự xã hội so với cùng kỳ: giảm 25,0% (3 so với 4 vụ cùng kỳ)" in text
    assert "T6. Thu hồi tài sản trong vụ án tham nhũng đạt 50,0% (500.000.000 đ/1.000.000.000 đ" in text
    table = {r[0].split(".")[0]: r for r in rows if r and r[0][:2] in ("T1", "T2", "T4", "T6")
             and len(r) == 7}
    assert table["T2"][1:3] == ["75,0%", "3/4"]
    assert table["T6"][2] == "500,0 tr.đ/1.000,0 tr.đ"
    # The layout: Times New Roman, A4, page numbers in the header, recipients and signer.
    assert doc.styles["Normal"].font.name == "Times New Roman"
    assert round(doc.sections[0].page_width.mm) == 210
    assert "PAGE" in doc.sections[0].header._element.xml
    footer = rows[-1]
    assert "Nơi nhận:" in footer[0] and "Nguyễn Văn Tỉnh" in footer[1]
    # The figures stored with the report are the dashboard's, number for number.
    api = api_client(analyst).get(f"/api/v1/kpi/dashboard/?plan={plan.pk}&period=2026").json()
    dashboard = {t["target"]: (t["numerator"], t["denominator"], t["value"], t["status"])
                 for t in api["targets"]}
    printed = {f["code"]: (f["numerator"], f["denominator"], f["value"], f["status"])
               for f in report.figures}
    assert printed == dashboard
    assert AuditEvent.objects.filter(action="report.generate", object_id=str(report.pk)).exists()


@time_machine.travel(TODAY, tick=False)
def test_the_annex_lists_each_targets_records_typed_frozen_and_filtered(plan, analyst,
                                                                         kpi_records):
    report = _generate(analyst)
    book = load_workbook(io.BytesIO(report.xlsx.read()))
    assert book.sheetnames[:3] == ["Chỉ tiêu", "Theo đơn vị", "Theo xã, phường"]
    t2 = book["T2 hồ sơ"]
    header_row = next(r for r in t2.iter_rows(min_row=1, max_row=8)
                      if r[0].value == "Số thụ lý")[0].row
    assert t2.freeze_panes == f"A{header_row + 1}"
    assert t2.auto_filter.ref.startswith(f"A{header_row}")
    rows = list(t2.iter_rows(min_row=header_row + 1, values_only=True))
    assert len(rows) == 4 and [r[-1] for r in rows].count("Có") == 3
    assert isinstance(rows[0][1], datetime)  # received at: a date, not text
    # T6 counts recoveries over cases: two lists, the recoveries' amounts as numbers.
    recovered = book["T6 tử số"]
    amounts = [r[2] for r in recovered.iter_rows(min_row=1, values_only=True)
               if isinstance(r[2], int)]
    assert sorted(amounts) == [200_000_000, 300_000_000]
    summary = {r[0]: r for r in book["Chỉ tiêu"].iter_rows(values_only=True) if r[0]}
    assert summary["T2"][2:5] == (3, 4, 75.0)


def test_a_closed_period_regenerated_shows_the_revision_and_the_archive_is_unchanged(
        plan, analyst, kpi_records, make_user, units):
    """Q2 2026 T4 is 0/1 when closed (C2 not detected); C2 detected on 25/11: the new
    version keeps 0/1 and states the revision 1/1; version 1's file is as it was."""
    with time_machine.travel(TODAY, tick=False):
        assert api_client(analyst).post(
            f"/api/v1/kpi/close/?plan={plan.pk}&period=2026-Q2").status_code == 201
        first = _generate(analyst, period="2026-Q2")
    assert first.closed and not first.revised
    first_bytes = first.docx.read()
    investigator = make_user("investigator", units["body"])
    with time_machine.travel(date(2026, 11, 25), tick=False):
        cs.case_detect(actor=investigator, case=Case.objects.get(pk=kpi_records["C2"].pk),
                       on=date(2026, 11, 25), method="investigation")
        second = _generate(analyst, period="2026-Q2")
    assert (second.version, second.closed, second.revised) == (2, True, True)
    t4 = next(f for f in second.figures if f["code"] == "T4")
    assert (t4["numerator"], t4["denominator"]) == (0, 1)
    assert (t4["revised_numerator"], t4["revised_denominator"]) == (1, 1)
    _doc, text, _rows = _text(second.docx.read())
    assert "Sau khi chốt số liệu, hồ sơ có điều chỉnh: 100,0% (1/1); báo cáo giữ số đã chốt." in text
    first.refresh_from_db()
    assert first.docx.read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.docx_sha256
    _doc, old_text, _rows = _text(first_bytes)
    assert "điều chỉnh" not in old_text


@time_machine.travel(TODAY, tick=False)
def test_who_may_generate_and_read_which_report(plan, analyst, leader, make_user, units,
                                                communes):
    commune_chief = make_user("unit_leader", communes["police_a"])
    with pytest.raises(PermissionRefused):
        s.report_request(actor=commune_chief, kind="plan", period="2026")
    with pytest.raises(PermissionRefused):
        s.report_request(actor=commune_chief, kind="unit", period="2026", unit="P80-CA-CSDT")
    own = _generate(commune_chief, kind="unit", unit=communes["police_a"].code)
    assert own.issuer == communes["police_a"] and own.scope_key.startswith("unit:")
    province = _generate(leader)
    assert set(s.reports_for(commune_chief)) == {own}
    assert set(s.reports_for(leader)) == {own, province}
    chief = login_verified(commune_chief)
    assert chief.get(f"/periodic-reports/{province.pk}/").status_code == 404
    assert chief.get(f"/periodic-reports/{province.pk}/docx/").status_code == 404
    assert chief.get(f"/periodic-reports/{own.pk}/docx/").status_code == 200
    judge = make_user("court_officer", units["court"])
    assert login_verified(judge).get("/periodic-reports/").status_code == 403
    with pytest.raises(DomainError, match="weekly"):
        s.report_request(actor=leader, kind="weekly", period="2026")
    with pytest.raises(DomainError):
        s.report_request(actor=leader, kind="plan", period="2026-Q9")
    # Only the head of the issuing body records the signature.
    with pytest.raises(PermissionRefused):
        s.report_sign(actor=analyst, report=province)
    s.report_sign(actor=leader, report=province)
    with pytest.raises(DomainError, match="đã được ký"):
        s.report_sign(actor=leader, report=province)


@time_machine.travel(TODAY, tick=False)
def test_the_page_generates_shows_progress_and_serves_the_files(
        plan, leader, django_capture_on_commit_callbacks):
    client = login_verified(leader)
    page = client.get("/periodic-reports/")
    assert page.status_code == 200 and "Tạo báo cáo" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the worker's job (immediate)
        response = client.post("/periodic-reports/", {"kind": "plan", "period": "2026-Q3",
                                             "number": "", "signer_name": "",
                                             "next_steps": ""})
    assert response.status_code == 302
    report = Report.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert report.docx_sha256 in detail and "LibreOffice" not in detail
    assert client.get(f"/periodic-reports/{report.pk}/progress/").json()["status"] == "done"
    docx = client.get(f"/periodic-reports/{report.pk}/docx/")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("document")
    assert client.get(f"/periodic-reports/{report.pk}/pdf/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/periodic-reports/{report.pk}/again/")
    assert Report.objects.get(pk=int(again["Location"].strip("/").split("/")[-1])).version == 2
    bad = client.post("/periodic-reports/", {"kind": "plan", "period": "1900"})
    assert bad.status_code == 400
    template = client.get("/periodic-reports/template/plan.docx")
    assert template.status_code == 200 and b"word/document.xml" in template.content
    assert login(leader).get("/periodic-reports/").status_code in (302, 403)  # no second factor


@time_machine.travel(TODAY, tick=False)
def test_the_command_writes_the_same_files(plan, tmp_path, capsys, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    out_dir = tmp_path / "out"
    call_command("report", "generate", "--type", "plan", "--period", "2026", "--out",
                 str(out_dir))
    out = capsys.readouterr().out
    report = Report.objects.get()
    files = sorted(p.name for p in out_dir.iterdir())
    assert files == ["bao-cao-plan-province-2026-v1.docx",
                     "phu-luc-bao-cao-plan-province-2026-v1.xlsx"]
    assert (out_dir / files[0]).read_bytes() == report.docx.read()
    assert report.docx_sha256 in out
    with pytest.raises(CommandError):
        call_command("report", "generate", "--type", "plan", "--period", "2026-Q9",
                     "--out", str(out_dir))


@time_machine.travel(TODAY, tick=False)
def test_without_libreoffice_the_report_is_whole_and_says_why_there_is_no_pdf(
        plan, analyst, settings, monkeypatch):
    settings.PCTP_REPORT_PDF = True
    monkeypatch.setattr("pctp.reporting.pdf.office", lambda: None)
    report = _generate(analyst)
    assert report.state == "done" and report.docx and report.xlsx and not report.pdf
    assert "LibreOffice" in report.pdf_note


@time_machine.travel(TODAY, tick=False)
def test_with_libreoffice_the_pdf_is_stored_with_its_hash(plan, analyst, settings):
    from pctp.reporting.pdf import office

    if office() is None:
        pytest.skip("LibreOffice is not installed here (docs/operations.md)")
    settings.PCTP_REPORT_PDF = True
    report = _generate(analyst)
    data = report.pdf.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == report.pdf_sha256


@time_machine.travel(TODAY, tick=False)
def test_the_province_report_lists_the_units_reports_not_submitted(plan, analyst, communes):
    """Three units' reports for Q1-Q3: one accepted, one submitted, one overdue and one
    returned; the report says 2/4 sent, 1 accepted, and lists the other two."""
    from django.utils import timezone

    from pctp.plans.models import Task, UnitReport
    from pctp.units.models import Unit

    task = Task.objects.create(plan=plan, number=1, title="Báo cáo nguyên nhân, điều kiện",
                               content="x", lead_unit=Unit.objects.get(code="P80-SO-GDDT"),
                               deadline=date(2026, 12, 31))
    made = {}
    for code, status, accepted in [("P80-SO-GDDT", "submitted", True),
                                   ("P80-SO-YTE", "submitted", False),
                                   ("P80-SO-TP", "open", False),
                                   ("P80-SO-XD", "returned", False)]:
        made[code] = UnitReport.objects.create(
            task=task, unit=Unit.objects.get(code=code), kind="progress", status=status,
            period_start=date(2026, 1, 1), period_end=date(2026, 9, 30),
            due_date=date(2026, 10, 5), accepted_at=timezone.now() if accepted else None)
    report = _generate(analyst)
    _doc, text, rows = _text(report.docx.read())
    assert ("Các đơn vị đã gửi 2/4 báo cáo định kỳ của kỳ, trong đó 1 báo cáo đã được tiếp "
            "nhận; còn 2 báo cáo chưa gửi hoặc bị trả lại để bổ sung (Bảng 4).") in text
    missing = {r[0]: r[4] for r in rows if len(r) == 5 and r[3] == "05/10/2026"}
    assert missing == {"Sở Tư pháp": "Quá hạn, chưa gửi", "Sở Xây dựng": "Bị trả lại"}
    unit_report = _generate(analyst, kind="unit", unit="P80-CA-CSDT")
    assert "Bảng 4" not in _text(unit_report.docx.read())[1]


@time_machine.travel(TODAY, tick=False)
def test_a_province_edits_its_template_and_a_typo_is_refused(plan, analyst, settings,
                                                            tmp_path, capsys):
    """The province downloads the template, rewords a heading, installs it: the report uses
    it. A field misspelt is refused by name, on the page and by the command."""
    from pctp.reporting import documents
    from pctp.reporting.types import TYPES

    settings.PCTP_REPORT_TEMPLATE_DIR = tmp_path
    doc = Document(io.BytesIO(documents.default_template(TYPES["plan"])))
    heading = next(p for p in doc.paragraphs if p.text.startswith("IV. ĐÁNH GIÁ CHUNG"))
    heading.runs[0].text = "IV. ĐÁNH GIÁ, NHẬN XÉT CHUNG CỦA UBND TỈNH"
    doc.save(tmp_path / "plan.docx")
    call_command("report", "check-template", str(tmp_path / "plan.docx"))
    report = _generate(analyst)
    _doc, text, _rows = _text(report.docx.read())
    assert "IV. ĐÁNH GIÁ, NHẬN XÉT CHUNG CỦA UBND TỈNH" in text
    assert "3/10 chỉ tiêu đạt" in text or "chỉ tiêu đạt" in text
    overview = next(p for p in doc.paragraphs if p.text == "{{ overview }}")
    overview.runs[0].text = "{{ overveiw }}"
    doc.save(tmp_path / "plan.docx")
    with pytest.raises(CommandError, match="overveiw"):
        call_command("report", "check-template", str(tmp_path / "plan.docx"))
    request = s.report_request(actor=analyst, kind="plan", period="2026")
    with pytest.raises(documents.TemplateError):
        s.report_generate(request)
    request.refresh_from_db()
    assert request.state == "failed" and "overveiw" in request.template_error
    page = login_verified(analyst).get(f"/periodic-reports/{request.pk}/").content.decode()
    assert "overveiw" in page


def test_no_reporters_or_accused_identity_in_any_file(plan, analyst, kpi_records, make_user,
                                                      units):
    """A reporter and an accused named in records the figures count: neither name nor ID
    number appears in the .docx or any cell of the annex."""
    from pctp.cases.services import ChargeInput, Person, accused_add
    from pctp.sources.services import Reporter, source_receive

    leader = make_user("unit_leader", units["body"], is_head=True)
    with time_machine.travel(datetime(2026, 11, 10, 9, 0), tick=False):
        source_receive(actor=leader, unit=units["body"], kind="denunciation",
                       channel="in_person", summary="Mất xe", content="Bị mất xe máy.",
                       reporter=Reporter(type="person", name="Đinh Thị Người Báo",
                                         personal_id="079301004321"))
        accused_add(actor=leader, case=Case.objects.get(pk=kpi_records["C1"].pk),
                    person=Person(name="Võ Văn Bị Can", sex="male",
                                  personal_id="079090001234"),
                    charges=[ChargeInput("173", 1)], charged_on=date(2026, 11, 10))
    with time_machine.travel(TODAY, tick=False):
        report = _generate(analyst)
    _doc, text, rows = _text(report.docx.read())
    book = load_workbook(io.BytesIO(report.xlsx.read()))
    cells = " ".join(str(c) for ws in book.worksheets for r in ws.iter_rows(values_only=True)
                     for c in r if c is not None)
    everything = " ".join([text, " ".join(" ".join(r) for r in rows), cells])
    assert "Mất xe" in cells  # the new source is listed (T2), without its reporter
    for secret in ("Người Báo", "079301004321", "Bị Can", "079090001234"):
        assert secret not in everything


def _template_with(tmp_path, text: str):
    from pctp.reporting import documents
    from pctp.reporting.types import TYPES

    doc = Document(io.BytesIO(documents.default_template(TYPES["plan"])))
    doc.add_paragraph(text)
    path = tmp_path / "plan.docx"
    doc.save(path)
    return path


@time_machine.travel(TODAY, tick=False)
def test_qa_a_template_cannot_reach_the_server(plan, analyst, settings, tmp_path):
    """QA of issue 20, finding 1: a field that walks to Python's internals is refused by the
    check and, rendered anyway, reaches nothing (a sandboxed template)."""
    from pctp.reporting import documents

    marker = tmp_path / "pwned"
    path = _template_with(tmp_path, "{{ cycler.__init__.__globals__.os.popen('touch "
                                    f"{marker}').read() }}}}")
    with pytest.raises(CommandError):
        call_command("report", "check-template", str(path))
    with pytest.raises(documents.TemplateError):
        documents.check_template(path.read_bytes())
    images = {"chart_targets": (b"", 1), "chart_months": (b"", 1)}
    with pytest.raises(Exception):  # noqa: B017 - the sandbox's SecurityError
        documents.render(path.read_bytes(), {"targets": []}, images)
    assert not marker.exists()
    for text in ("{{ targets.__class__ }}", "{{ overview|attr('__class__') }}",
                 "{{ range(10) }}", "{% for x in targets %}{{ x.pk }}{% endfor %}"):
        with pytest.raises(documents.TemplateError):
            documents.check_template(_template_with(tmp_path, text).read_bytes())


@time_machine.travel(TODAY, tick=False)
def test_qa_a_report_made_by_the_command_line_shows_on_the_pages(plan, leader, tmp_path):
    """QA of issue 20, finding 2: a report generated without --user has no author; the list
    and its page show "—" (they answered 500)."""
    call_command("report", "generate", "--type", "plan", "--period", "2026", "--out",
                 str(tmp_path))
    report = Report.objects.get()
    assert report.created_by is None
    client = login_verified(leader)
    assert client.get("/periodic-reports/").status_code == 200
    assert client.get(f"/periodic-reports/{report.pk}/").status_code == 200


@time_machine.travel(TODAY, tick=False)
def test_qa_a_report_whose_worker_died_or_failed_can_be_generated_again(plan, leader):
    """QA of issue 20, findings 3-4: a report stuck for ten minutes, or failed, offers
    "Tạo lại" (the failed page told to regenerate but had no button)."""
    from datetime import timedelta

    from django.utils import timezone

    report = s.report_request(actor=leader, kind="plan", period="2026")
    Report.objects.filter(pk=report.pk).update(
        state="running", progress=65, updated_at=timezone.now() - timedelta(minutes=11))
    client = login_verified(leader)
    page = client.get(f"/periodic-reports/{report.pk}/").content.decode()
    assert f"/periodic-reports/{report.pk}/again/" in page and "progress-box" not in page
    Report.objects.filter(pk=report.pk).update(state="failed", error="OSError: disk full")
    page = client.get(f"/periodic-reports/{report.pk}/").content.decode()
    assert f"/periodic-reports/{report.pk}/again/" in page
    assert "disk full" not in page  # the reason goes to the log, not the page
    assert not Report.objects.get(pk=report.pk).docx  # nothing half-written


@time_machine.travel(TODAY, tick=False)
def test_qa_only_the_issuing_units_head_signs(plan, leader, make_user, units, communes):
    """QA of issue 20, finding 5: a leader of a unit above, the province's leader on a
    unit's report, and the administrator may not record another's signature."""
    from pctp.core.models import User

    unit_report = _generate(leader, kind="unit", unit="P80-CA-CSDT")
    head = make_user("unit_leader", "P80-CA-CSDT", is_head=True)
    deputy = make_user("unit_leader", "P80-CA-CSDT")
    police_chief = make_user("unit_leader", "P80-CA", is_head=True)
    admin = User.objects.create_superuser("reports.admin", password="x" * 12)
    for who in (leader, deputy, police_chief, admin):
        assert not s.may_sign(who, unit_report)
        with pytest.raises(PermissionRefused):
            s.report_sign(actor=who, report=unit_report)
    s.report_sign(actor=head, report=unit_report)
    province = _generate(leader)
    assert s.may_sign(leader, province) and not s.may_sign(head, province)


@time_machine.travel(TODAY, tick=False)
def test_qa_a_report_with_nothing_to_count_says_so(plan, leader, communes):
    """QA of issue 20, finding 6: a unit holding no records gets no empty chart and no
    "keep up the targets met" when none was; its signer's title is the one given."""
    report = s.report_request(actor=leader, kind="unit", period="2026",
                              unit=communes["police_b"].code, signer_title="TRƯỞNG CÔNG AN")
    s.report_generate(report)
    report.refresh_from_db()
    doc, text, rows = _text(report.docx.read())
    assert "Duy trì kết quả" not in text
    assert "Chưa đủ số liệu để đánh giá các chỉ tiêu trong kỳ" in text
    assert "Biểu đồ 2" not in text and "Biểu đồ 1" not in text
    assert "TRƯỞNG CÔNG AN" in rows[-1][1]


@time_machine.travel(TODAY, tick=False)
def test_qa_small_changes_codes_and_the_commands_checks(plan, leader, tmp_path, kpi_records):
    from pctp.reporting import drafting as d
    from pctp.reporting.figures import Printed

    p = Printed(code="T7", name="Truy tố đúng hạn", numerator_label="a", denominator_label="b",
                kind="rate", money=False, comparator=">", threshold=90.0, value=95.56,
                numerator=1, denominator=1, status="met", previous_value=95.58, change=-0.02,
                measured="x", closed=False)
    assert "không đổi so với cùng kỳ" in d.paragraph(p)
    report = _generate(leader)
    book = load_workbook(io.BytesIO(report.xlsx.read()))
    cells = {c for ws in book.worksheets if ws.title.startswith(("T7", "T8"))
             for r in ws.iter_rows(values_only=True) for c in r}
    assert "indict" not in cells and "judgment" not in cells
    with pytest.raises(CommandError, match="không chọn đơn vị"):
        call_command("report", "generate", "--type", "plan", "--unit", "P80-CA-CSDT",
                     "--period", "2026", "--out", str(tmp_path))
    with pytest.raises(CommandError):
        call_command("report", "generate", "--type", "plan", "--period", "2099", "--out",
                     str(tmp_path))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    before = Report.objects.count()
    with pytest.raises(CommandError):
        call_command("report", "generate", "--type", "plan", "--period", "2026", "--out",
                     str(blocker / "sub"))
    assert Report.objects.count() == before  # refused before anything was generated


def test_qa2_a_loop_filter_or_a_field_in_the_properties_is_refused(tmp_path):
    """Second QA of issue 20, finding 1: the check missed a loop's `if` filter (one hung the
    worker) and the document's properties."""
    from pctp.reporting import documents
    from pctp.reporting.types import TYPES

    looped = _template_with(tmp_path, "{% for t in targets if 9**9**9 %}{{ t.code }}"
                                      "{% endfor %}")
    with pytest.raises(documents.TemplateError):
        documents.check_template(looped.read_bytes())
    doc = Document(io.BytesIO(documents.default_template(TYPES["plan"])))
    doc.core_properties.title = "{{ overveiw }}"
    path = tmp_path / "props.docx"
    doc.save(path)
    with pytest.raises(documents.TemplateError):
        documents.check_template(path.read_bytes())


@time_machine.travel(TODAY, tick=False)
def test_qa2_stalled_reports_read_as_stopped_and_regenerate_once(plan, leader):
    from datetime import timedelta

    from django.utils import timezone

    report = s.report_request(actor=leader, kind="plan", period="2026", number="")
    assert report.number.startswith("      /BC-")
    client = login_verified(leader)
    Report.objects.filter(pk=report.pk).update(
        state="running", updated_at=timezone.now() - timedelta(minutes=3))
    assert client.post(f"/periodic-reports/{report.pk}/again/").status_code == 302
    assert Report.objects.count() == 1  # still running: no second version
    Report.objects.filter(pk=report.pk).update(
        state="running", updated_at=timezone.now() - timedelta(minutes=11))
    assert client.get(f"/periodic-reports/{report.pk}/progress/").json()["status"] == "stalled"
    assert "dừng giữa chừng" in client.get("/periodic-reports/").content.decode()
    client.post(f"/periodic-reports/{report.pk}/again/")
    again = Report.objects.exclude(pk=report.pk).get()
    assert again.number == report.number  # the clerk's blank space kept


def test_qa2_no_minus_zero():
    from pctp.reporting import drafting as d

    assert d.number(-0.01) == "0,0" and d.percent(-0.04) == "0,0%"
