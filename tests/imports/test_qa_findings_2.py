"""Findings of the second QA of issue 19, each a test (tests/imports)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from pctp.imports import services as s
from pctp.imports.models import ImportJob
from pctp.sources.models import Channel, Source
from tests.imports.registers import GOOD, create, register_csv, register_xlsx, stored_files
from tests.imports.test_cases_import import ROWS, register
from tests.personas import login_verified

pytestmark = pytest.mark.django_db




def test_1_a_row_dated_before_its_unit_existed_is_refused(analyst, tmp_path):
    # A province that enters its units' founding days: Công an xã Bến Lức set up with the
    # reform of 1 July 2025 (the town's police kept the register before).
    from pctp.units.models import Unit

    Unit.objects.filter(code="P80-CAX-27991").update(valid_from=date(2025, 7, 1))
    rows = [(101, "30/06/2025", "Công an xã Bến Lức", "Tố giác", "x", "", "", "", ""),
            (102, "01/07/2025", "Công an xã Bến Lức", "Tố giác", "x", "", "", "", ""),
            (103, "15/03/2024", "CQCSĐT", "Tố giác", "x", "", "", "", "")]
    job = s.job_check(actor=analyst, job=create(analyst, register_csv(tmp_path / "f.csv", rows)))
    reasons = dict(job.issues.values_list("row", "reason"))
    assert list(reasons) == [2]
    assert "was set up on 01/07/2025" in reasons[2]
    assert (job.good, job.refused) == (2, 1)


def test_2_the_command_keeps_no_copy_of_the_file_after_a_dry_run_or_a_commit(
        analyst, tmp_path, settings, capsys):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    good = register_xlsx(tmp_path / "good.xlsx", GOOD)
    call_command("import", "sources", str(good))
    assert stored_files(settings) == []
    call_command("import", "sources", str(good), "--commit")
    assert stored_files(settings) == []
    assert Source.objects.filter(channel=Channel.REGISTER).count() == 4
    # The report of refused rows still comes from the file itself, before the copy goes.
    bad = register_xlsx(tmp_path / "bad.xlsx")
    with pytest.raises(SystemExit):
        call_command("import", "sources", str(bad), "--report", str(tmp_path / "r.xlsx"))
    assert stored_files(settings) == []
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "r.xlsx").active.iter_rows(values_only=True))
    assert rows[1][3] == 5  # the refused row's own cells, read before the copy was deleted
    job = ImportJob.objects.order_by("-pk").first()
    assert (job.issues.count(), job.refused) == (5, 4)  # the report stays


def test_3_changing_the_columns_of_an_import_whose_file_was_deleted(analyst, tmp_path):
    job = s.job_check(actor=analyst, job=create(analyst, register_xlsx(tmp_path / "r.xlsx")))
    s.job_delete_file(actor=analyst, job=job)
    client = login_verified(analyst)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "?step=columns" not in page
    response = client.post(f"/imports/{job.pk}/columns/", {"sheet": job.sheet,
                                                          "header_row": job.header_row},
                           follow=True)
    assert response.status_code == 200
    assert "Tệp của lần nhập này đã bị xóa" in response.content.decode()


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", "Số thụ lý;Ngày tiếp nhận;Đơn vị thụ lý;"
                                     "Loại;Nội dung\n".encode(),
                                     "Số thụ lý;Ngày tiếp nhận;Đơn vị thụ lý;Loại;Nội dung\n"
                                     ";;;;\n\n".encode("utf-8-sig")])
def test_4_a_file_without_data_rows_is_refused_at_upload(analyst, tmp_path, content):
    from pctp.core.errors import DomainError

    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(DomainError, match="no rows of data"):
        create(analyst, path)
    assert not ImportJob.objects.exists()


def test_5_a_register_of_people_hides_the_people_not_the_units_numbers_and_dates(analyst,
                                                                                 tmp_path):
    rows = [list(r) for r in ROWS[:1]]
    rows[0][4] = "Công an huyện Không Có"  # an unknown body: the reason names it
    rows[0][13] = "Lê Thị Riêng Tư"  # a name shifted into the year of birth
    rows[0][15] = "07930100999"  # an ID number one digit short
    job = s.job_check(actor=analyst, job=create(analyst, register(tmp_path / "p.xlsx", rows),
                                                 kind="cases"))
    issues = list(job.issues.all())
    texts = " ".join(f"{i.value} {i.reason}" for i in issues)
    assert "Công an huyện Không Có" in texts
    assert "Riêng Tư" not in texts and "07930100999" not in texts


def test_5_a_conflict_found_when_writing_names_its_column(analyst, make_user, tmp_path):
    from pctp.core.audit import audit_record

    s.job_run(actor=analyst, job=create(analyst, register_xlsx(tmp_path / "a.xlsx", GOOD)))
    fourth = Source.objects.get(unit__code="P80-CA-CSDT", register_number=4)
    audit_record(actor=analyst, action="source.note", obj=fourth, note="checked")
    fixed = list(GOOD)
    fixed[3] = (*fixed[3][:7], "Không khởi tố", "28/03/2025")
    job = s.job_check(actor=analyst, job=create(analyst, register_xlsx(tmp_path / "b.xlsx",
                                                                        fixed)))
    assert job.issues.get().column == "Register number"


def test_5_the_page_counts_problems_and_rows_apart(analyst, tmp_path):
    rows = [(111, "31/02/2025", "Công an huyện Không Có", "Tố giác", "x", "", "", "", "")]
    job = s.job_check(actor=analyst, job=create(analyst, register_csv(tmp_path / "t.csv", rows)))
    assert (job.issues.count(), job.refused) == (2, 1)
    page = login_verified(analyst).get(f"/imports/{job.pk}/").content.decode()
    assert "2 lỗi trong 1 dòng" in page


def test_6_the_register_exported_imports_back_unchanged_pctp_sources_included(make_user,
                                                                              tmp_path):
    from pctp.imports.kinds import KINDS
    from pctp.sources.services import Reporter, source_receive
    from pctp.units.models import Unit

    leader = make_user("unit_leader", "P80-CA-CSDT")
    s.job_run(actor=leader, job=create(leader, register_xlsx(tmp_path / "a.xlsx", GOOD)))
    source_receive(actor=leader, unit=Unit.objects.get(code="P80-CA-CSDT"), kind="denunciation",
                   channel="in_person", summary="Mất xe", content="Bị mất xe máy ở chợ.",
                   reporter=Reporter(type="person", name="Nguyễn Văn An"))
    data, n = KINDS["sources"].export(leader, None)
    assert n == 5
    job = s.job_run(actor=leader, job=s.job_create(actor=leader, kind="sources",
                                                   name="xuat.xlsx", data=data))
    assert (job.created, job.updated, job.unchanged, job.refused) == (0, 0, 5, 0), \
        list(job.issues.values_list("reason", flat=True))


def test_6_a_pctp_source_the_register_contradicts_is_still_refused(make_user, tmp_path):
    from openpyxl import load_workbook

    from pctp.imports.kinds import KINDS
    from pctp.sources.services import Reporter, source_receive
    from pctp.units.models import Unit

    leader = make_user("unit_leader", "P80-CA-CSDT")
    source_receive(actor=leader, unit=Unit.objects.get(code="P80-CA-CSDT"), kind="denunciation",
                   channel="in_person", summary="Mất xe", content="Bị mất xe máy ở chợ.",
                   reporter=Reporter(type="person", name="Nguyễn Văn An"))
    from io import BytesIO

    book = load_workbook(BytesIO(KINDS["sources"].export(leader, None)[0]))
    book.active.cell(row=2, column=5, value="Nội dung khác")
    path = tmp_path / "sua.xlsx"
    book.save(path)
    job = s.job_run(actor=leader, job=create(leader, path))
    assert job.refused == 1
    assert "received in PCTP" in job.issues.get().reason
    assert Source.objects.get().content == "Bị mất xe máy ở chợ."


def test_1_the_demo_units_were_in_service_before_the_demo_records_begin(db):
    """The demo's records begin in 2024 at today's units: none of them has a founding day
    after its first record (the former units closed on 30/06/2025 carry the old names)."""
    from pctp.units.models import Unit

    assert not Unit.objects.filter(valid_from__gt=date(2024, 1, 1)).exists()
    assert Unit.objects.get(code="P80-CATT-BENLUC").valid_to == date(2025, 6, 30)
