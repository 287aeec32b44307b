"""Importing a register of crime sources (issue 19): the checks, the dry run, the commit,
idempotence, resumption after a crash, and the figures after import."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from pctp.core.models import AuditEvent
from pctp.imports import services as s
from pctp.imports.models import ImportJob
from pctp.sources.models import Channel, Source, Status
from pctp.units.models import Unit
from tests.imports.registers import GOOD, register_csv, register_xlsx

pytestmark = pytest.mark.django_db




@pytest.fixture
def register(tmp_path):
    return register_xlsx(tmp_path / "so-thu-ly-2025.xlsx")


def _create(user, path, **kw):
    return s.job_create(actor=user, kind="sources", name=path.name, data=path.read_bytes(), **kw)


def test_the_header_and_columns_are_found_under_a_title_block(analyst, register):
    job = _create(analyst, register)
    assert job.sheet == "Sổ thụ lý 2025"
    assert job.header_row in (4, 5)  # merged down over rows 4 and 5
    # Column B (index 1) is "Số thụ lý"; A is the running number "STT", never the register's.
    assert job.columns == {"number": 1, "received": 2, "unit": 3, "kind": 4, "content": 5,
                           "article": 6, "commune": 7, "outcome": 8, "decided": 9}


def test_the_dry_run_reports_every_bad_row_and_writes_nothing(analyst, register):
    job = s.job_check(actor=analyst, job=_create(analyst, register))
    assert (job.total, job.good, job.refused) == (8, 4, 4)
    assert not Source.objects.filter(channel=Channel.REGISTER).exists()
    issues = {(i.row, i.column): (i.value, i.reason) for i in job.issues.all()}
    # The file's rows: good 6-9, a blank row 10 (skipped, not refused), bad 11-14.
    assert issues[(11, "Day received")][1] == "31/02/2025 is not a day of the calendar."
    assert issues[(11, "Day received")][0] == "31/02/2025"
    assert issues[(12, "Unit handling it")][0] == "Công an huyện Không Có"
    assert "also on row 7" in issues[(13, "Register number")][1]
    assert issues[(14, "Kind (denunciation, crime report, recommendation)")][0] == "Đơn thư"
    assert "no offence at Art. 999" in issues[(14, "Article and clause")][1]
    assert {row for row, _c in issues} == {11, 12, 13, 14}


def test_the_report_is_in_vietnamese_for_a_vietnamese_user(analyst, register):
    from django.utils import translation

    with translation.override("vi"):
        job = s.job_check(actor=analyst, job=_create(analyst, register))
    reasons = [i.reason for i in job.issues.filter(row=11)]
    assert reasons == ["31/02/2025 không phải là một ngày có thật trong lịch."]


def test_commit_writes_the_good_rows_as_the_register_shows_them(analyst, register):
    job = s.job_run(actor=analyst, job=_create(analyst, register))
    assert (job.state, job.created, job.refused) == (ImportJob.State.DONE, 4, 4)
    body = Unit.objects.get(code="P80-CA-CSDT")
    first = Source.objects.get(unit=body, register_year=2025, register_number=1)
    assert first.status == Status.INITIATED
    assert first.offence.article == "173" and first.clause.clause == 1
    assert first.commune.name == "Xã Bến Lức"
    assert first.decided_at.date() == date(2025, 3, 20)
    assert first.channel == Channel.REGISTER and first.reporter_identity is None
    second = Source.objects.get(unit=body, register_number=2)
    assert second.status == Status.DECLINED
    assert second.decided_at.date() == date(2025, 3, 24)  # Excel serial 45740
    assert second.commune.name == "Phường Gò Dầu"
    # The old district police's row goes to today's successor; the old town to its commune.
    # It stays in the closed unit's register (its own numbering); today's unit holds it.
    third = Source.objects.get(unit__code="P80-CAH-BENLUC", register_number=3)
    assert third.holder == body
    assert third.received_at.date() == date(2025, 3, 6)  # Excel serial 45722
    assert third.commune.name == "Xã Bến Lức"
    assert third.status == Status.CLASSIFIED
    fourth = Source.objects.get(unit=body, register_number=4)
    assert fourth.status == Status.RECEIVED
    local = timezone.localtime(fourth.received_at)
    assert (local.date(), local.hour, local.minute) == (date(2025, 3, 7), 14, 30)
    # A register that gives the day only: 8:00 that day (the clock is never shortened).
    assert timezone.localtime(first.received_at).hour == 8


def test_an_imported_open_matter_has_its_clock_and_shows_overdue(analyst, register):
    s.job_run(actor=analyst, job=_create(analyst, register))
    third = Source.objects.get(unit__code="P80-CAH-BENLUC", register_number=3)
    # Received Thursday 6 March 2025: 20 days (CPC Art. 147(1)) end on 26 March 2025.
    assert third.clock_start == date(2025, 3, 6)
    assert third.due_date == date(2025, 3, 25) + timedelta(days=1)
    from pctp.sources.selectors import overdue_by_holder

    assert overdue_by_holder([third.holder_id], date(2026, 12, 6))[third.holder_id] >= 2


def test_each_record_carries_its_file_sheet_and_row_in_one_journal_entry(analyst, register):
    job = s.job_run(actor=analyst, job=_create(analyst, register))
    first = Source.objects.get(unit__code="P80-CA-CSDT", register_number=1)
    events = list(AuditEvent.objects.filter(object_type="sources.source", object_id=str(first.pk)))
    assert [e.action for e in events] == ["source.import"]
    assert events[0].changes["origin"][1] == {"file": "so-thu-ly-2025.xlsx",
                                             "sheet": "Sổ thụ lý 2025", "job": job.pk, "row": 6}
    assert events[0].actor == analyst


def test_the_same_file_twice_changes_nothing(analyst, register):
    s.job_run(actor=analyst, job=_create(analyst, register))
    rows = list(Source.objects.order_by("pk").values())
    journal = AuditEvent.objects.filter(object_type="sources.source").count()
    again = s.job_run(actor=analyst, job=_create(analyst, register))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert list(Source.objects.order_by("pk").values()) == rows
    assert AuditEvent.objects.filter(object_type="sources.source").count() == journal


def test_a_corrected_file_updates_only_what_changed(analyst, tmp_path):
    s.job_run(actor=analyst, job=_create(analyst, register_xlsx(tmp_path / "a.xlsx", GOOD)))
    fixed = list(GOOD)
    row = list(fixed[3])
    row[7], row[8] = "Không khởi tố", "28/03/2025"
    fixed[3] = tuple(row)
    job = s.job_run(actor=analyst, job=_create(analyst, register_xlsx(tmp_path / "b.xlsx", fixed)))
    assert (job.created, job.updated, job.unchanged) == (0, 1, 3)
    fourth = Source.objects.get(unit__code="P80-CA-CSDT", register_number=4)
    assert fourth.status == Status.DECLINED
    update = AuditEvent.objects.get(action="source.import_update", object_id=str(fourth.pk))
    assert update.changes["status"] == ["received", "declined"]
    assert update.changes["origin"][1]["file"] == "b.xlsx"


def test_a_source_worked_on_in_pctp_is_not_overwritten_by_the_register(analyst, register,
                                                                      make_user, tmp_path):
    s.job_run(actor=analyst, job=_create(analyst, register))
    fourth = Source.objects.get(unit__code="P80-CA-CSDT", register_number=4)
    from pctp.core.audit import audit_record

    audit_record(actor=analyst, action="source.note", obj=fourth, note="checked")
    fixed = list(GOOD)
    fixed[3] = (*fixed[3][:7], "Không khởi tố", "28/03/2025")
    job = s.job_run(actor=analyst, job=_create(analyst, register_xlsx(tmp_path / "c.xlsx", fixed)))
    assert job.refused == 1
    assert "worked on in PCTP" in job.issues.get().reason
    fourth.refresh_from_db()
    assert fourth.status == Status.RECEIVED


def test_a_crash_midway_resumes_from_the_last_batch_written(analyst, tmp_path, monkeypatch):
    rows = [(n, date(2025, 4, 1) + timedelta(days=n % 20), "CQCSĐT", "Tố giác",
             f"Nội dung số {n}", "", "", "", None) for n in range(1, 26)]
    path = register_xlsx(tmp_path / "big.xlsx", rows)
    job = _create(analyst, path)
    from pctp.imports import kinds

    real = kinds.SourcesKind.write
    calls = {"n": 0}

    def crash_on_third(self, *a, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("killed")
        return real(self, *a, **kw)

    monkeypatch.setattr(kinds.SourcesKind, "write", crash_on_third)
    with pytest.raises(OSError):
        s.job_run(actor=analyst, job=job, batch_size=10)
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert Source.objects.filter(channel=Channel.REGISTER).count() == 20  # two batches
    assert job.next_row == 6 + 20  # rows 6..25 written
    monkeypatch.setattr(kinds.SourcesKind, "write", real)
    done = s.job_run(actor=analyst, job=s.unfinished_job(actor=analyst, kind="sources",
                                                         sha256=job.sha256))
    assert done.state == ImportJob.State.DONE
    assert (done.created, done.refused) == (25, 0)
    numbers = sorted(Source.objects.filter(channel=Channel.REGISTER)
                     .values_list("register_number", flat=True))
    assert numbers == list(range(1, 26))


def test_the_figures_after_import_equal_a_hand_count_of_the_file(analyst, register):
    """T3 for March 2025 at the investigation body: of the 4 good rows, 2 resolved in March
    (rows 1 and 2: initiated on the 20th, not initiated on the 24th); 4 to resolve."""
    s.job_run(actor=analyst, job=_create(analyst, register))
    from pctp.sources.indicators import t3_resolution

    body = Unit.objects.get(code="P80-CA-CSDT")
    result = t3_resolution(Source.objects.filter(holder=body), date(2025, 3, 1),
                           date(2025, 3, 31))
    assert (result.numerator, result.denominator) == (2, 4)


def test_the_refused_rows_download_to_fix_and_import_again(analyst, register):
    job = s.job_check(actor=analyst, job=_create(analyst, register))
    book = load_workbook(BytesIO(s.rejected_xlsx(job)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Row", "Problems", "STT", "Số thụ lý")
    assert [r[0] for r in rows[1:]] == [11, 12, 13, 14]
    assert "31/02/2025" in rows[1][1]
    assert sheet.freeze_panes == "C2"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "utf-16", "cp1258", "tcvn3"])
def test_a_csv_in_any_office_encoding(analyst, tmp_path, encoding):
    rows = [(10, "05/03/2025", "CQCSĐT", "tố giác", "trộm cắp tài sản ở chợ đêm", "Điều 173 khoản 1",
             "xã bến lức", "", "")]
    path = register_csv(tmp_path / f"r-{encoding}.csv", rows, encoding=encoding)
    job = s.job_check(actor=analyst, job=_create(analyst, path))
    assert (job.good, job.refused) == (1, 0), list(job.issues.values_list("reason", flat=True))
    job = s.job_run(actor=analyst, job=job)
    source = Source.objects.get(register_number=10)
    assert source.content == "trộm cắp tài sản ở chợ đêm"


def test_the_command_dry_run_exit_codes_and_commit(analyst, register, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "sources", str(register))
    assert exit_.value.code == 2
    out = capsys.readouterr().out
    assert "row 11 · Day received · “31/02/2025”: 31/02/2025 is not a day of the calendar." in out
    assert not Source.objects.filter(channel=Channel.REGISTER).exists()
    good = register_xlsx(tmp_path / "good.xlsx", GOOD)
    call_command("import", "sources", str(good))  # exit 0: returns
    assert not Source.objects.filter(channel=Channel.REGISTER).exists()
    call_command("import", "sources", str(good), "--commit")
    assert Source.objects.filter(channel=Channel.REGISTER).count() == 4


def test_only_units_in_the_importers_scope(make_user, register, communes):
    clerk = make_user("unit_leader", communes["police_a"])
    job = s.job_check(actor=clerk, job=_create(clerk, register))
    assert job.good == 0
    assert "You may not import the register of" in job.issues.filter(row=6).first().reason


def test_without_the_permission_nothing_is_stored(make_user, register):
    investigator = make_user("investigator", "P80-CA-CSDT")
    from pctp.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        _create(investigator, register)
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("tcvn3", [False, True])
def test_an_xls_workbook_old_fonts_included(analyst, tmp_path, tcvn3):
    from tests.imports.registers import register_xls

    rows = [(21, date(2025, 5, 2), "CQCSĐT", "tin báo", "cướp giật điện thoại trên đường",
             "Điều 171 khoản 1", "phường gò dầu", "", "")]
    path = register_xls(tmp_path / "cu.xls", rows, tcvn3=tcvn3)
    job = _create(analyst, path)
    assert job.encoding == ("tcvn3" if tcvn3 else "utf-8")
    job = s.job_run(actor=analyst, job=job)
    assert (job.created, job.refused) == (1, 0), list(job.issues.values_list("reason", flat=True))
    source = Source.objects.get(register_number=21)
    assert source.content == "cướp giật điện thoại trên đường"
    assert source.received_at.date() == date(2025, 5, 2)
    assert source.commune.name == "Phường Gò Dầu"


def test_a_file_that_is_no_register_is_refused_with_the_reason(analyst, tmp_path):
    from pctp.core.errors import DomainError

    path = tmp_path / "anh.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    with pytest.raises(DomainError) as err:
        _create(analyst, path)
    assert "not a spreadsheet" in err.value.message
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DomainError):
        _create(analyst, empty)
    assert not ImportJob.objects.exists()


def test_names_that_differ_only_in_diacritics_are_told_apart_or_refused(analyst, tmp_path):
    """Tây Ninh has both Xã Tân Thạnh (27826) and Xã Tân Thành (25534): written with the
    diacritics each is found; without them the row is refused, never given to one by
    chance."""
    rows = [(31, "05/03/2025", "CA xã Tân Thạnh", "Tố giác", "Mất trộm gà", "", "Xã Tân Thạnh",
             "", ""),
            (32, "05/03/2025", "Công an xã Tân Thành", "Tố giác", "Mất trộm vịt", "",
             "Tân Thành", "", ""),
            (33, "05/03/2025", "cong an xa tan thanh", "Tố giác", "Mất trộm bò", "", "", "", ""),
            (34, "05/03/2025", "CQCSĐT", "Tố giác", "Mất trộm heo", "", "xa tan thanh", "", "")]
    job = s.job_run(actor=analyst, job=_create(analyst, register_csv(tmp_path / "t.csv", rows)))
    assert (job.created, job.refused) == (2, 2)
    first = Source.objects.get(register_number=31)
    assert (first.unit.code, first.commune.code) == ("P80-CAX-27826", "27826")
    second = Source.objects.get(register_number=32)
    assert (second.unit.code, second.commune.code) == ("P80-CAX-25534", "25534")
    reasons = dict(job.issues.values_list("row", "reason"))
    assert "could be" in reasons[4] and "P80-CAX-27826" in reasons[4]
    assert "could be" in reasons[5] and "25534" in reasons[5]


def test_t2_leaves_imported_sources_out_rather_than_count_them_late(analyst, register):
    """The register says when a source came in, not when it was classified: T2 (classified
    within 24 hours) neither counts the 4 imported sources as late nor as on time."""
    s.job_run(actor=analyst, job=_create(analyst, register))
    from pctp.sources.indicators import t2_received_classified

    body = Unit.objects.get(code="P80-CA-CSDT")
    result = t2_received_classified(Source.objects.filter(holder=body), date(2025, 3, 1),
                                    date(2025, 3, 31))
    assert (result.numerator, result.denominator) == (0, 0)
    assert "imported from an earlier register" in result.definition


def test_a_workbook_opening_on_a_cover_sheet_and_another_sheet_chosen(analyst, tmp_path):
    """The register is found on the sheet that reads like one; choosing another sheet on
    the page finds that sheet's header again."""
    from openpyxl import load_workbook

    path = register_xlsx(tmp_path / "so.xlsx", GOOD)
    book = load_workbook(path)
    cover = book.create_sheet("Bìa", 0)
    cover["A1"] = "SỔ THỤ LÝ — BÌA"
    other = book.create_sheet("Năm 2024")
    other.append(["Số TL", "Ngày nhận", "Đơn vị", "Loại tin", "Nội dung"])
    other.append([1, "02/01/2024", "CQCSĐT", "Tố giác", "Mất trộm"])
    book.save(path)
    job = _create(analyst, path)
    assert job.sheet == "Sổ thụ lý 2025" and job.columns["number"] == 1
    from tests.personas import login_verified

    client = login_verified(analyst)
    response = client.post(f"/imports/{job.pk}/columns/", {"sheet": "Năm 2024"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.sheet, job.header_row) == ("Năm 2024", 1)
    assert job.columns == {"number": 0, "received": 1, "unit": 2, "kind": 3, "content": 4}


def test_text_that_looks_like_a_formula_stays_text_in_every_download(analyst, tmp_path):
    """A register cell typed "=HYPERLINK(…)" (formula injection) is text in the refused-rows
    report and in the register export, never a formula the reader's Excel would run."""
    from pctp.imports.kinds import KINDS

    rows = [(41, "05/03/2025", "CQCSĐT", "Tố giác", '=HYPERLINK("http://x.example","bấm")',
             "", "", "", ""),
            (42, "31/02/2025", "CQCSĐT", "Tố giác", "=1+2", "", "", "", "")]
    job = s.job_run(actor=analyst, job=_create(analyst, register_csv(tmp_path / "f.csv", rows)))
    report = load_workbook(BytesIO(s.rejected_xlsx(job))).active
    cell = report.cell(row=2, column=7)
    assert (cell.value, cell.data_type) == ("=1+2", "s")
    leader = analyst
    export = load_workbook(BytesIO(KINDS["sources"].export(leader, 2025)[0])).active
    contents = [(r[4].value, r[4].data_type) for r in export.iter_rows(min_row=2)]
    assert ('=HYPERLINK("http://x.example","bấm")', "s") in contents


def test_the_named_headers_are_recognised_without_diacritics_and_in_any_case(analyst,
                                                                             tmp_path):
    path = tmp_path / "khong-dau.csv"
    path.write_text("SO THU LY;ngay tiep nhan;Don Vi Thu Ly;LOAI;noi dung;DIEU, KHOAN\n"
                    "51;05/03/2025;CQCSĐT;to giac;Mất trộm xe đạp;Dieu 173 khoan 1\n",
                    encoding="utf-8")
    job = _create(analyst, path)
    assert job.columns == {"number": 0, "received": 1, "unit": 2, "kind": 3, "content": 4,
                           "article": 5}
    job = s.job_run(actor=analyst, job=job)
    assert (job.created, job.refused) == (1, 0)
    source = Source.objects.get(register_number=51)
    assert (source.kind, source.offence.article, source.clause.clause) == (
        "denunciation", "173", 1)
