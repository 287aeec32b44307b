"""Findings of the QA of issue 19, each a test (tests/imports)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from pctp.core.errors import DomainError
from pctp.imports import services as s
from pctp.imports.models import ImportJob, ImportMapping
from pctp.sources.models import Channel, Source
from tests.imports.registers import GOOD, create, register_csv, register_xlsx
from tests.imports.test_cases_import import ROWS, register
from tests.personas import login_verified

pytestmark = pytest.mark.django_db





def test_1_only_police_and_investigation_units_keep_these_registers(analyst, make_user,
                                                                    tmp_path):
    rows = [(61, "05/03/2025", "Sở Giáo dục và Đào tạo", "Tố giác", "x", "", "", "", ""),
            (62, "05/03/2025", "Ủy ban nhân dân phường Tân Ninh", "Tố giác", "x", "", "", "",
             ""),
            (63, "05/03/2025", "Công an tỉnh Tây Ninh", "Tố giác", "x", "", "", "", ""),
            (64, "05/03/2025", "CQCSĐT", "Tố giác", "x", "", "", "", "")]
    job = s.job_run(actor=analyst, job=create(analyst, register_csv(tmp_path / "u.csv", rows)))
    assert (job.created, job.refused) == (1, 3)
    assert all("does not keep this register" in i.reason for i in job.issues.all())
    assert list(Source.objects.filter(channel=Channel.REGISTER)
                .values_list("unit__code", flat=True)) == ["P80-CA-CSDT"]
    # A department head holds the unit leader's role but no police unit: no imports page.
    head = make_user("unit_leader", "P80-SO-GDDT", is_head=True)
    assert login_verified(head).get("/imports/").status_code == 403


def test_2_the_dry_run_finds_the_conflicts_with_records_already_in_pctp(analyst, tmp_path,
                                                                        officer_a):
    from pctp.sources.services import Reporter, source_receive

    made = source_receive(actor=officer_a, unit=officer_a.memberships.first().unit,
                          kind="denunciation", channel="in_person", summary="Mất xe",
                          content="Mất xe", reporter=Reporter(type="anonymous"))
    rows = [(made.register_number, timezone.localdate().strftime("%d/%m/%Y"), made.unit.name,
             "Tố giác", "Trùng số", "", "", "", ""),
            (70, "05/03/2025", "CQCSĐT", "Tố giác", "Mới", "", "", "", "")]
    job = s.job_check(actor=analyst, job=create(analyst, register_csv(tmp_path / "c.csv",
                                                                        rows)))
    assert (job.good, job.refused) == (1, 1)
    assert "already used by a source received in PCTP" in job.issues.get().reason
    assert not Source.objects.filter(channel=Channel.REGISTER).exists()


def test_3_a_stalled_dry_run_restarts_as_a_dry_run(analyst, tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                  "QUEUES": ["default", "forecasts", "imports"]}}
    job = create(analyst, register_xlsx(tmp_path / "r.xlsx"))
    s.job_queue(actor=analyst, job=job, what="check")
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    job.refresh_from_db()
    job = s.job_queue(actor=analyst, job=job, what="run")
    assert job.state == ImportJob.State.CHECKING


def test_4_the_command_refuses_to_write_an_import_another_process_is_writing(analyst,
                                                                            tmp_path):
    from django.core.management import CommandError, call_command

    path = register_xlsx(tmp_path / "r.xlsx", GOOD)
    job = create(analyst, path)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, next_row=7,
                                               runner="elsewhere.example:1")
    with pytest.raises(CommandError, match="is running"):
        call_command("import", "sources", str(path), "--commit")
    with pytest.raises(DomainError, match="running elsewhere"):
        s.job_run(actor=analyst, job=job)
    # The same on this host with a process that has died: taken over at once.
    ImportJob.objects.filter(pk=job.pk).update(runner=f"{s.socket.gethostname()}:999999")
    assert s.job_run(actor=analyst, job=job).state == ImportJob.State.DONE


def test_5_a_saved_mapping_is_not_overwritten_by_another_user_nor_half_applied(analyst,
                                                                             make_user,
                                                                             tmp_path):
    job = create(analyst, register_xlsx(tmp_path / "r.xlsx"))
    s.job_configure(actor=analyst, job=job, sheet=job.sheet, header_row=job.header_row,
                    save_as="Mẫu CA tỉnh")
    chief = make_user("unit_leader", "P80-CA-CSDT", is_head=True)
    other = create(chief, register_xlsx(tmp_path / "o.xlsx"))
    with pytest.raises(DomainError, match="Another user saved"):
        s.job_configure(actor=chief, job=other, sheet=other.sheet, header_row=other.header_row,
                        save_as="Mẫu CA tỉnh")
    mapping = ImportMapping.objects.get(name="Mẫu CA tỉnh")
    assert mapping.created_by == analyst and len(mapping.columns) == 9
    short = tmp_path / "short.csv"
    short.write_text("Số thụ lý;Ngày tiếp nhận;Đơn vị thụ lý;Loại;Nội dung\n1;05/03/2025;CQCSĐT;"
                     "Tố giác;x\n", encoding="utf-8")
    third = create(analyst, short)
    with pytest.raises(DomainError, match="no column named"):
        s.job_configure(actor=analyst, job=third, sheet=third.sheet, header_row=1,
                        mapping=mapping)


def test_6_7_no_value_of_a_register_of_people_is_copied_into_the_report(analyst, tmp_path):
    rows = [list(r) for r in ROWS[:2]]
    rows[0][14], rows[0][13] = "079301009999", "Lê Thị Riêng Tư"  # shifted columns
    job = s.job_check(actor=analyst, job=create(analyst, register(tmp_path / "p.xlsx", rows),
                                                 kind="cases"))
    texts = " ".join(f"{i.value} {i.reason}" for i in job.issues.all())
    assert job.issues.exists()
    assert "079301009999" not in texts and "Riêng Tư" not in texts
    report = load_workbook(BytesIO(s.rejected_xlsx(job))).active
    cells = {str(c.value) for row in report.iter_rows() for c in row}
    assert "Nguyễn Văn An" not in cells  # the name column is left out
    assert "079301009999" not in cells and "Lê Thị Riêng Tư" not in cells  # shifted too


def test_8_a_small_semicolon_file_whose_headers_hold_commas(analyst, tmp_path):
    path = tmp_path / "sc.csv"
    path.write_text("Số thụ lý;Ngày tiếp nhận;Đơn vị thụ lý;Loại;Nội dung;Điều, khoản;"
                    "Xã, phường\n81;05/03/2025;CQCSĐT;Tố giác;Mất xe;Điều 173 khoản 1;"
                    "Xã Bến Lức\n", encoding="utf-8")
    job = create(analyst, path)
    assert job.columns == {"number": 0, "received": 1, "unit": 2, "kind": 3, "content": 4,
                           "article": 5, "commune": 6}


def test_9_a_unit_closed_keeps_no_later_rows_and_old_dates_are_refused(analyst, tmp_path):
    rows = [(91, "01/07/2025", "Công an thị trấn Thủ Thừa", "Tố giác", "x", "", "", "", ""),
            (92, "02/05/1890", "CQCSĐT", "Tố giác", "x", "", "", "", "")]
    job = s.job_check(actor=analyst, job=create(analyst, register_csv(tmp_path / "d.csv",
                                                                        rows)))
    reasons = dict(job.issues.values_list("row", "reason"))
    assert "closed on 30/06/2025" in reasons[2]
    assert "too early" in reasons[3]


def test_11_a_deleted_file_leaves_the_report_and_the_pages_working(analyst, tmp_path):
    job = s.job_check(actor=analyst, job=create(analyst, register_xlsx(tmp_path / "r.xlsx")))
    s.job_delete_file(actor=analyst, job=job)
    client = login_verified(analyst)
    assert client.get(f"/imports/{job.pk}/?step=columns").status_code == 200
    response = client.get(f"/imports/{job.pk}/refused-rows.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [11, 12, 13, 14]
    with pytest.raises(DomainError, match="deleted"):
        s.job_queue(actor=analyst, job=job, what="run")


def test_13_the_recovery_table_does_not_overwrite_the_case_registers_value(analyst, tmp_path):
    from openpyxl import Workbook

    from tests.imports.test_cases_import import BODY

    s.job_run(actor=analyst, job=create(analyst, register(tmp_path / "v.xlsx"), kind="cases"))
    book = Workbook()
    book.active.append(["Cơ quan điều tra", "Số thụ lý vụ án", "Năm", "Hình thức", "Số tiền",
                        "Ngày", "Tài sản", "Giá trị thiệt hại"])
    book.active.append([BODY, 1, 2024, "Kê biên", "1.000.000", "10/02/2024", "Xe", "120.000.000"])
    book.save(tmp_path / "t.xlsx")
    job = s.job_run(actor=analyst, job=create(analyst, tmp_path / "t.xlsx", kind="recoveries"))
    assert job.refused == 1 and "85.000.000 đ in PCTP" in job.issues.get().reason
