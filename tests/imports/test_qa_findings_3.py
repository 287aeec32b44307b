"""Findings of the third QA of issue 19 (/work/notes/qa19c.md), each a test."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from pctp.imports import services as s
from pctp.imports import values as v
from pctp.imports.models import ImportJob
from tests.imports.registers import GOOD, create, register_xlsx, stored_files
from tests.imports.test_cases_import import ROWS, register
from tests.personas import login_verified

pytestmark = pytest.mark.django_db




def test_1_deleting_an_old_imports_file_never_deletes_another_imports(analyst, make_user,
                                                                      tmp_path):
    path = register_xlsx(tmp_path / "r.xlsx", GOOD)
    first = s.job_check(actor=analyst, job=create(analyst, path))
    s.job_delete_file(actor=analyst, job=first)
    other = make_user("statistics_analyst", "P80-CA")
    second = s.job_check(actor=other, job=create(other, path))
    first = ImportJob.objects.get(pk=first.pk)
    assert s.file_missing(first)
    s.job_delete_file(actor=analyst, job=first)
    assert not s.file_missing(ImportJob.objects.get(pk=second.pk))


@pytest.mark.parametrize("text", ["nguyễn văn an", "Nguyễn T. Hoa", "Nguyễn Văn An 1990",
                                  "079-191-009-999", "LÊ THỊ RIÊNG TƯ", "Lê Thị Riêng Tư"])
def test_2_names_and_id_numbers_written_every_way_read_as_personal(text):
    assert v.looks_personal(text)


@pytest.mark.parametrize("text", ["Công an huyện Không Có", "12/03/2024", "Điều 173 khoản 1",
                                  "3 năm tù", "Đã xét xử", "Đang điều tra", "85.000.000",
                                  "01/QĐ-KTVA", "Kê biên"])
def test_2_units_dates_articles_and_stages_do_not(text):
    assert not v.looks_personal(text)


def test_2_a_lowercase_name_shifted_in_a_register_of_people_stays_out(analyst, tmp_path):
    rows = [list(r) for r in ROWS[:1]]
    rows[0][13] = "nguyễn thị riêng"  # a name, as a TCVN3 file reads, in the year of birth
    job = s.job_check(actor=analyst, job=create(analyst, register(tmp_path / "p.xlsx", rows),
                                                 kind="cases"))
    texts = " ".join(f"{i.value} {i.reason}" for i in job.issues.all())
    assert job.issues.exists() and "riêng" not in texts


def test_3_the_command_keeps_no_copy_when_it_stops_early(analyst, tmp_path, settings,
                                                         monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    good = register_xlsx(tmp_path / "good.xlsx", GOOD)
    with pytest.raises(CommandError):
        call_command("import", "sources", str(good), "--mapping", "Không có mẫu này")
    assert stored_files(settings) == []

    def interrupted(**_kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(s, "job_check", interrupted)
    with pytest.raises(KeyboardInterrupt):
        call_command("import", "sources", str(good))
    assert stored_files(settings) == []


def test_4_a_file_of_blank_rows_under_its_header_is_refused_by_the_command(analyst, tmp_path,
                                                                          settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    path = tmp_path / "blank.csv"
    path.write_text("Số thụ lý;Ngày tiếp nhận;Đơn vị thụ lý;Loại;Nội dung\n" + ";;;;\n" * 40,
                    encoding="utf-8")
    with pytest.raises(CommandError, match="no rows of data"):
        call_command("import", "sources", str(path), "--commit")
    assert stored_files(settings) == []


def test_5_blank_rows_under_the_header_are_not_the_header(analyst, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("Số thụ lý;Ngày tiếp nhận;Đơn vị thụ lý;Loại;Nội dung\n;;;;\n;;;;\n"
                    "1;05/03/2025;CQCSĐT;Tố giác;x\n", encoding="utf-8")
    assert create(analyst, path).header_row == 1


def test_6_an_unknown_investigation_body_names_its_column(analyst, tmp_path):
    rows = [list(r) for r in ROWS[2:3]]
    rows[0][4] = "Cơ quan CSĐT huyện Ma"
    job = s.job_check(actor=analyst, job=create(analyst, register(tmp_path / "b.xlsx", rows),
                                                 kind="cases"))
    issue = job.issues.get()
    assert issue.column == "Investigation body"
    assert issue.value == "Cơ quan CSĐT huyện Ma"


def test_7_a_source_whose_suspension_was_lifted_exports_and_imports_back_unchanged(
        make_user, tmp_path):
    from pctp.imports.kinds import KINDS
    from pctp.sources.models import Source
    from pctp.sources.services import Reporter, source_receive
    from pctp.units.models import Unit

    leader = make_user("unit_leader", "P80-CA-CSDT")
    source = source_receive(actor=leader, unit=Unit.objects.get(code="P80-CA-CSDT"),
                            kind="denunciation", channel="in_person", summary="Mất xe",
                            content="Bị mất xe máy ở chợ.",
                            reporter=Reporter(type="person", name="Nguyễn Văn An"))
    # Resumed after a suspension (CPC Art. 149): no outcome, the suspension's day kept.
    Source.objects.filter(pk=source.pk).update(suspended_at=timezone.now(), outcome="")
    data, _n = KINDS["sources"].export(leader, None)
    job = s.job_run(actor=leader, job=s.job_create(actor=leader, kind="sources",
                                                   name="x.xlsx", data=data))
    assert (job.unchanged, job.refused) == (1, 0), list(job.issues.values_list("reason",
                                                                                flat=True))


def test_8_an_upload_never_checked_can_have_its_file_deleted(analyst, tmp_path):
    job = create(analyst, register_xlsx(tmp_path / "r.xlsx", GOOD))
    page = login_verified(analyst).get(f"/imports/{job.pk}/").content.decode()
    assert f"/imports/{job.pk}/delete-file/" in page


def test_11_tests_keep_their_uploads_out_of_the_repository(settings):
    from django.conf import settings as live

    assert not str(live.MEDIA_ROOT).startswith(str(Path(__file__).resolve().parents[2]))
