"""Importing a register of criminal cases with their accused (issue 19): one row per
accused, the case's columns repeated or merged down; identities sealed; figures after."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from openpyxl import Workbook

from pctp.cases.models import Accused, Case, Charge, Origin, Status
from pctp.core.models import AuditEvent
from pctp.imports import services as s
from pctp.units.models import Unit

pytestmark = pytest.mark.django_db

HEADERS = ["STT", "Số thụ lý", "Ngày khởi tố", "Số QĐ khởi tố", "Cơ quan điều tra", "Tóm tắt",
           "Tội danh", "Xã, phường", "Ngày xảy ra", "Giai đoạn", "Ngày kết thúc",
           "Giá trị thiệt hại", "Họ tên bị can", "Năm sinh", "Giới tính", "Số CCCD", "Hình phạt"]
BODY = "Cơ quan Cảnh sát điều tra Công an tỉnh"
ROWS = [
    # case 1: two accused, judged; the case's cells merged down over its two rows
    [1, 1, "05/02/2024", "01/QĐ-KTVA", BODY, "Trộm cắp xe máy tại chợ Bến Lức",
     "Điều 173 khoản 2", "Xã Bến Lức", "01/02/2024", "Đã xét xử", "20/08/2024", "85.000.000",
     "Nguyễn Văn An", 1990, "Nam", "", "3 năm tù"],
    [2, None, None, None, None, None, None, None, None, None, None, None,
     "Trần Thị Bình", 1995, "Nữ", "", "2 năm tù cho hưởng án treo"],
    # case 2: no accused yet, still under investigation (an old one: overdue)
    [3, 2, "10/03/2024", "02/QĐ-KTVA", BODY, "Cướp giật điện thoại", "Điều 171 khoản 1",
     "Phường Gò Dầu", "09/03/2024", "Đang điều tra", None, None, None, None, None, None, None],
    # case 3: terminated, one accused with a personal ID number
    [4, 3, "15/04/2024", "03/QĐ-KTVA", BODY, "Cố ý gây thương tích", "Điều 134 khoản 1",
     "", "14/04/2024", "Đình chỉ", "30/06/2024", None, "Lê Văn Cường", "", "", "079092001234", ""],
    # refused: a stage PCTP does not take over as it stands; an unknown sex
    [5, 4, "20/04/2024", "04/QĐ-KTVA", BODY, "Lừa đảo", "Điều 174 khoản 1", "", "",
     "Truy tố", "01/07/2024", None, None, None, None, None, None],
    [6, 5, "21/04/2024", "05/QĐ-KTVA", BODY, "Đánh bạc", "Điều 321 khoản 1", "", "",
     "", "", None, "Phạm Văn Dũng", 1980, "Không rõ", None, None],
]


def register(path, rows=ROWS):
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ thụ lý vụ án 2024"
    sheet["A1"] = "SỔ THỤ LÝ VỤ ÁN HÌNH SỰ NĂM 2024"
    for c, name in enumerate(HEADERS, start=1):
        sheet.cell(row=3, column=c, value=name)
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    for c in range(2, 13):  # case 1's cells merged over its two rows, as registers do
        sheet.merge_cells(start_row=4, start_column=c, end_row=5, end_column=c)
    book.save(path)
    return path




def _job(user, path):
    return s.job_create(actor=user, kind="cases", name=path.name, data=path.read_bytes())


def test_the_dry_run_finds_the_columns_and_reports_the_bad_rows(analyst, tmp_path):
    job = s.job_check(actor=analyst, job=_job(analyst, register(tmp_path / "vu-an.xlsx")))
    assert job.header_row == 3
    assert {"number", "initiated", "body", "summary", "article", "accused_name",
            "accused_id", "value_lost"} <= set(job.columns)
    assert (job.total, job.good, job.refused) == (6, 4, 2)
    reasons = {(i.row, i.column): i.reason for i in job.issues.all()}
    assert "PCTP takes over cases under investigation" in reasons[(8, "Stage (investigating, suspended, terminated, judged)")]
    assert "is not one of the values of the sex" in reasons[(9, "Accused: sex")]
    assert not Case.objects.filter(origin=Origin.REGISTER).exists()


def test_commit_makes_cases_accused_and_charges(analyst, tmp_path):
    job = s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "vu-an.xlsx")))
    assert (job.created, job.refused) == (4, 2)
    body = Unit.objects.get(code="P80-CA-CSDT")
    first = Case.objects.get(investigation_body=body, register_year=2024, register_number=1)
    assert first.status == Status.JUDGED and first.judgment_on == date(2024, 8, 20)
    assert first.value_lost == 85_000_000  # "85.000.000" is eighty-five million đồng
    assert first.lead_offence.article == "173" and first.lead_clause.clause == 2
    assert first.commune.name == "Xã Bến Lức"
    people = list(first.accused.order_by("position"))
    assert [(a.position, a.sex, a.birth_year, a.is_lead) for a in people] == [
        (1, "male", 1990, True), (2, "female", 1995, False)]
    assert people[1].sentence == "2 năm tù cho hưởng án treo"
    assert Charge.objects.filter(case=first, accused__isnull=False).count() == 2
    assert first.detected_on == date(2024, 2, 5)  # accused prosecuted: detected
    # The identity is sealed: neither name nor number is stored in clear.
    assert b"Nguy" not in bytes(people[0].identity)
    third = Case.objects.get(investigation_body=body, register_number=3)
    accused = third.accused.get()
    assert (accused.sex, accused.birth_year) == ("male", 1992)  # from the ID number
    assert third.status == Status.TERMINATED and third.closed_on == date(2024, 6, 30)


def test_an_open_investigation_has_its_limit_and_shows_overdue(analyst, tmp_path):
    s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "vu-an.xlsx")))
    second = Case.objects.get(investigation_body__code="P80-CA-CSDT", register_number=2)
    assert second.status == Status.INVESTIGATING
    # Art. 171(1), a serious crime: 3 months from 10/03/2024 (CPC Art. 172(1)) end on the
    # same day number three months later, 10/06/2024 (a Monday: no rollover).
    assert second.clock_rule == "investigation"
    assert second.due_date == date(2024, 6, 10)
    assert second.detected_on is None


def test_the_same_register_twice_changes_nothing_and_one_journal_entry_per_case(analyst,
                                                                                tmp_path):
    path = register(tmp_path / "vu-an.xlsx")
    s.job_run(actor=analyst, job=_job(analyst, path))
    entries = AuditEvent.objects.filter(object_type="cases.case")
    assert set(entries.values_list("action", flat=True)) == {"case.import"}
    assert entries.count() == 3
    origin = entries.get(object_id=str(Case.objects.get(register_number=1).pk)).changes["origin"][1]
    assert (origin["file"], origin["row"]) == ("vu-an.xlsx", 4)
    again = s.job_run(actor=analyst, job=_job(analyst, path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert AuditEvent.objects.filter(object_type="cases.case").count() == 3
    assert Accused.objects.filter(case__origin=Origin.REGISTER).count() == 3


def test_personal_identities_never_reach_the_problem_report(analyst, tmp_path):
    rows = [[1, 9, "05/02/2024", "9/QĐ", BODY, "Trộm cắp", "Điều 173 khoản 1", "", "", "", "",
             None, "Hoàng Văn Em", "", "Nam", "079092001", ""]]
    job = s.job_check(actor=analyst, job=_job(analyst, register(tmp_path / "x.xlsx", rows)))
    issue = job.issues.get()
    assert issue.column == "Accused: personal ID number"
    assert issue.value == "" and "12 digits" in issue.reason


def test_t1_after_import_counts_the_imported_cases(analyst, tmp_path):
    """Cases that occurred in February–April 2024: 3 imported (rows 1, 2 and 3 of the
    register; the refused ones are not), each in the social-order group (Arts. 173, 171,
    134)."""
    s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "vu-an.xlsx")))
    from pctp.cases.indicators import t1_social_order
    from pctp.cases.models import Case as C

    result = t1_social_order(C.objects.all(), date(2024, 2, 1), date(2024, 4, 30),
                             as_of=date(2026, 12, 1))
    assert result.numerator == 3


def test_a_corrected_register_updates_the_case_and_stops_its_clock(analyst, tmp_path):
    s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "a.xlsx")))
    rows = [list(r) for r in ROWS]
    rows[2][9], rows[2][10] = "Tạm đình chỉ", "01/09/2024"
    job = s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "b.xlsx", rows)))
    assert (job.created, job.updated, job.unchanged) == (0, 1, 3)
    second = Case.objects.get(investigation_body__code="P80-CA-CSDT", register_number=2)
    assert (second.status, second.status_since, second.due_date) == (
        Status.SUSPENDED, date(2024, 9, 1), None)
    update = AuditEvent.objects.get(action="case.import_update", object_id=str(second.pk))
    assert update.changes["status"] == ["investigating", "suspended"]


def test_a_case_worked_on_in_pctp_is_not_overwritten(analyst, tmp_path):
    s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "a.xlsx")))
    second = Case.objects.get(investigation_body__code="P80-CA-CSDT", register_number=2)
    from pctp.core.audit import audit_record

    audit_record(actor=analyst, action="case.assign", obj=second)
    rows = [list(r) for r in ROWS]
    rows[2][9], rows[2][10] = "Tạm đình chỉ", "01/09/2024"
    job = s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "b.xlsx", rows)))
    assert "worked on in PCTP" in job.issues.get(row=6).reason
    second.refresh_from_db()
    assert second.status == Status.INVESTIGATING


BOOK = ["Cơ quan điều tra", "Số thụ lý vụ án", "Năm", "Bị can số", "Họ tên bị can",
        "Biện pháp", "Số lệnh", "Ngày bắt đầu", "Ngày trả tự do"]


def book(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(BOOK)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_detention_book_onto_the_imported_cases(analyst, tmp_path):
    """Case 1 of 2024: An (no. 1) held in custody from 08:30 on 05/02/2024, then detained
    from 08/02/2024 until released on 20/03/2024; Bình (by name) detained from 10/02/2024,
    still held on the book. A row for a case not in PCTP is refused."""
    s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "vu-an.xlsx")))
    rows = [[BODY, 1, 2024, 1, None, "Tạm giữ", "01/LTG", "08:30 05/02/2024", "08/02/2024"],
            [BODY, 1, 2024, 1, None, "Tạm giam", "02/LTG", "08/02/2024", "20/03/2024"],
            [BODY, 1, 2024, None, "Trần Thị Bình", "tạm giam để điều tra", "03/LTG",
             "10/02/2024", None],
            [BODY, 99, 2024, 1, None, "Tạm giam", "04/LTG", "10/02/2024", None]]
    job = s.job_run(actor=analyst, job=s.job_create(
        actor=analyst, kind="measures", name="so-tam-giam.xlsx",
        data=book(tmp_path / "so-tam-giam.xlsx", rows).read_bytes()))
    assert (job.created, job.refused) == (3, 1)
    assert "import the case register first" in job.issues.get().reason
    case = Case.objects.get(investigation_body__code="P80-CA-CSDT", register_number=1)
    custody, detention = case.measures.filter(accused__position=1).order_by("start_on")
    assert custody.kind == "custody"
    assert timezone.localtime(custody.start_at).strftime("%d/%m/%Y %H:%M") == "05/02/2024 08:30"
    assert custody.released_on == date(2024, 2, 8)
    # Detention for investigation of a serious crime (Art. 173 cl. 2): 3 months = 90 days
    # with 08/02/2024 as day 1 end on 07/05/2024 (DOMAIN.md §4); the 3 days in custody
    # (05/02 to 08/02) come off: 04/05/2024. Released on 20/03, in time.
    assert (detention.deducted_days, detention.due_date, detention.late_days) == (
        3, date(2024, 5, 4), 0)
    held = case.measures.get(accused__position=2)
    assert held.released_on is None and held.kind == "detention.investigation"
    # Still held on the book long past the limit: flagged red like any other.
    assert held.alert(timezone.now()) == "critical"
    again = s.job_run(actor=analyst, job=s.job_create(
        actor=analyst, kind="measures", name="so-tam-giam.xlsx",
        data=(tmp_path / "so-tam-giam.xlsx").read_bytes()))
    assert (again.created, again.unchanged) == (0, 3)


def test_the_command_line_imports_a_book_only_with_an_officer(tmp_path, analyst):
    s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "vu-an.xlsx")))
    rows = [[BODY, 1, 2024, 1, None, "Tạm giam", "02/LTG", "08/02/2024", "20/03/2024"]]
    job = s.job_run(actor=None, job=s.job_create(
        actor=None, kind="measures", name="b.xlsx", data=book(tmp_path / "b.xlsx", rows).read_bytes()))
    assert job.created == 0 and "--user" in job.issues.get().reason


def test_an_asset_recovery_table_feeds_t6(analyst, tmp_path):
    """Case 1 of 2024 (value lost 85.000.000 đ): 30.000.000 đ seized on 10/02/2024 and
    15.500.000 đ returned voluntarily on 01/03/2024; a line with "85.5" as the amount is
    refused (a dot followed by other than three digits could be read two ways)."""
    s.job_run(actor=analyst, job=_job(analyst, register(tmp_path / "vu-an.xlsx")))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Cơ quan điều tra", "Số thụ lý vụ án", "Năm", "Hình thức", "Số tiền", "Ngày",
                  "Tài sản"])
    sheet.append([BODY, 1, 2024, "Kê biên", "30.000.000", "10/02/2024", "Xe ô tô"])
    sheet.append([BODY, 1, 2024, "Tự nguyện nộp lại", "15.500.000 đ", "01/03/2024", "Tiền mặt"])
    sheet.append([BODY, 1, 2024, "Kê biên", "85.5", "02/03/2024", "Nhà đất"])
    workbook.save(tmp_path / "thu-hoi.xlsx")
    job = s.job_run(actor=analyst, job=s.job_create(
        actor=analyst, kind="recoveries", name="thu-hoi.xlsx",
        data=(tmp_path / "thu-hoi.xlsx").read_bytes()))
    assert (job.created, job.refused) == (2, 1)
    assert job.issues.get().column == "Amount (VND)"
    case = Case.objects.get(investigation_body__code="P80-CA-CSDT", register_number=1)
    assert sorted(case.recoveries.values_list("kind", "amount")) == [
        ("returned", 15_500_000), ("seized", 30_000_000)]
    from pctp.cases.indicators import t6_recovery

    # T6 counts corruption cases; the ledger arithmetic is the same for this theft case.
    result = t6_recovery(Case.objects.filter(pk=case.pk), date(2024, 1, 1), date(2024, 12, 31),
                         as_of=timezone.localdate(), groups=(case.crime_group,))
    assert (result.numerator, result.denominator) == (45_500_000, 85_000_000)


def test_the_exported_registers_import_back_unchanged(analyst, make_user, tmp_path):
    """Round trip: the case register, the detention book and the recovery table, exported
    in the import's own layout, import again with no change; names only for who may see
    them, each shown identity in the access log."""
    from pctp.core.models import AccessLog
    from pctp.imports.kinds import KINDS

    leader = make_user("unit_leader", "P80-CA-CSDT")
    s.job_run(actor=leader, job=_job(leader, register(tmp_path / "vu-an.xlsx")))
    data, n = KINDS["cases"].export(leader, 2024)
    assert n == 4  # case 1's two accused, case 2 without one, case 3's accused
    assert AccessLog.objects.filter(purpose="register export").count() == 3
    path = tmp_path / "xuat.xlsx"
    path.write_bytes(data)
    again = s.job_run(actor=leader, job=s.job_create(actor=leader, kind="cases",
                                                     name="xuat.xlsx", data=data))
    assert (again.created, again.updated, again.unchanged, again.refused) == (0, 0, 4, 0)
    # The analyst may not see identities: the export carries no names.
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(KINDS["cases"].export(analyst, 2024)[0])).active
                .iter_rows(values_only=True))
    assert all(not r[12] for r in rows[1:])
    assert AccessLog.objects.filter(purpose="register export").count() == 3
