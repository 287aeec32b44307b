"""Receipt record and receipt notice as Decree 30/2020 .docx files (DOMAIN.md §3, §9, §10).

Received Monday 02/03/2026 09:00 by the provincial investigation body: register code
1/2026/CQCSĐT, resolution limit 20 days → 22/03/2026 (see test_workflow.py).
"""

import zipfile
from datetime import date
from io import BytesIO

import pytest
import time_machine
from docx import Document

from pctp.core.docx import MOTTO, NATIONAL_TITLE, date_line, official_document
from pctp.core.errors import DomainError
from pctp.core.models import AccessLog
from pctp.sources import services as s
from pctp.sources.documents import (
    CONFIDENTIAL_LINE,
    receipt_notice_docx,
    receipt_record_docx,
)
from pctp.sources.services import Reporter
from tests.sources.conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 2, 9, 0)
SECRET = {"name": "Trần Thị Bình", "personal_id": "079192001235", "contact": "0987654321",
          "agency": ""}


def secret_reporter() -> Reporter:
    return Reporter(type="person", name=SECRET["name"], personal_id=SECRET["personal_id"],
                    contact=SECRET["contact"], confidential=True)


def open_docx(data: bytes):
    return Document(BytesIO(data))


def _table_texts(table):
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                yield p.text
            for inner in cell.tables:
                yield from _table_texts(inner)


def texts(doc) -> list[str]:
    """Every paragraph and table-cell text of the body, the headers and the footers."""
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        out += list(_table_texts(table))
    for section in doc.sections:
        for part in (section.header, section.first_page_header, section.footer,
                     section.first_page_footer):
            out += [p.text for p in part.paragraphs]
            for table in part.tables:
                out += list(_table_texts(table))
    return out


def full_text(data: bytes) -> str:
    return "\n".join(texts(open_docx(data)))


def raw_parts(data: bytes) -> str:
    """All XML parts of the package (document, headers, core properties, …)."""
    with zipfile.ZipFile(BytesIO(data)) as z:
        return "\n".join(z.read(name).decode("utf-8") for name in z.namelist()
                         if name.endswith((".xml", ".rels")))


def assert_absent(data: bytes, *needles: str) -> None:
    all_texts = texts(open_docx(data))
    raw = raw_parts(data)
    for needle in needles:
        assert not [t for t in all_texts if needle in t], needle
        assert needle not in raw, needle


# ----------------------------------------------------------------------------- layout

def test_date_line_pads_days_below_10_and_months_1_and_2_only():
    assert date_line("Tây Ninh", date(2026, 1, 5)) == "Tây Ninh, ngày 05 tháng 01 năm 2026"
    assert date_line("Tây Ninh", date(2026, 2, 28)) == "Tây Ninh, ngày 28 tháng 02 năm 2026"
    assert date_line("Tây Ninh", date(2026, 3, 2)) == "Tây Ninh, ngày 02 tháng 3 năm 2026"
    assert date_line("Tây Ninh", date(2026, 12, 25)) == "Tây Ninh, ngày 25 tháng 12 năm 2026"


def test_official_document_layout():
    data = official_document(
        issuer="Cơ quan Cảnh sát điều tra Công an tỉnh", issuer_parent="Công an tỉnh Tây Ninh",
        number="7/BC-CSĐT", place="Tây Ninh", on=date(2026, 1, 5), doc_type="Báo cáo",
        summary="Kết quả tiếp nhận nguồn tin", paragraphs=["Đoạn một.", "Đoạn hai."],
        recipients=["Viện kiểm sát nhân dân tỉnh", "Lưu: VT"], signer_title="Thủ trưởng",
        signer_name="Ngô Đức Thắng", signer_authority="KT. Thủ trưởng")
    doc = open_docx(data)
    section = doc.sections[0]
    assert section.page_width < section.page_height  # portrait
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [20, 20, 30, 15]
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt in (13, 14)

    header_left, header_right = doc.tables[0].rows[0].cells
    assert [p.text for p in header_left.paragraphs if p.text] == [
        "CÔNG AN TỈNH TÂY NINH", "CƠ QUAN CẢNH SÁT ĐIỀU TRA CÔNG AN TỈNH", "Số: 7/BC-CSĐT"]
    right = [p for p in header_right.paragraphs if p.text]
    assert [p.text for p in right] == [NATIONAL_TITLE, MOTTO, "Tây Ninh, ngày 05 tháng 01 năm 2026"]
    assert all(r.bold for p in right[:2] for r in p.runs)
    assert all(r.italic for r in right[2].runs)
    assert "<w:tblBorders>" in doc.tables[0]._tbl.xml and 'w:val="nil"' in doc.tables[0]._tbl.xml

    body = [p.text for p in doc.paragraphs if p.text]
    assert body[:2] == ["BÁO CÁO", "Kết quả tiếp nhận nguồn tin"]
    bottom_left, bottom_right = doc.tables[1].rows[0].cells
    assert [p.text for p in bottom_left.paragraphs if p.text] == [
        "Nơi nhận:", "- Viện kiểm sát nhân dân tỉnh;", "- Lưu: VT."]
    assert [p.text for p in bottom_right.paragraphs if p.text] == [
        "KT. THỦ TRƯỞNG", "THỦ TRƯỞNG", "Ngô Đức Thắng"]

    # Page numbers from page 2: a PAGE field in the default header, the first page blank.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()


# ----------------------------------------------------------------------------- notices

@time_machine.travel(NOW, tick=False)
def test_notice_to_procuracy_for_an_identified_reporter(intake_body, head, receive, body):
    source = receive(intake_body, unit=body)
    identity = s.source_reporter_identity(actor=intake_body, source=source, purpose="notice")
    assert AccessLog.objects.filter(object_id=str(source.pk)).count() == 1
    data = receipt_notice_docx(source, recipient="procuracy", identity=identity)
    doc = open_docx(data)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin,
                                  section.left_margin, section.right_margin)] == [20, 20, 30, 15]
    text = full_text(data)
    for expected in (NATIONAL_TITLE, MOTTO, "THÔNG BÁO", "Về việc tiếp nhận nguồn tin về tội phạm",
                     "Số: 1/TB-CSĐT", "Tây Ninh, ngày 02 tháng 3 năm 2026",
                     "CƠ QUAN CẢNH SÁT ĐIỀU TRA CÔNG AN TỈNH", "CÔNG AN TỈNH TÂY NINH",
                     "1/2026/CQCSĐT", "02/03/2026", "22/03/2026", "Điều 147",
                     "tố giác về tội phạm", "Mất trộm xe máy tại chợ",
                     f"Kính gửi: {source.procuracy.name}", "Nguyễn Văn An",
                     "THỦ TRƯỞNG", "Head CSDT", "Nơi nhận:"):
        assert expected in text, expected
    assert "079092001234" not in text  # the procuracy gets the name, not the ID number


@time_machine.travel(NOW, tick=False)
def test_confidential_reporter_never_reaches_the_procuracy(intake_body, receive, body):
    source = receive(intake_body, unit=body, reporter=secret_reporter())
    assert source.confidential
    # Even when a caller wrongly passes the decrypted identity, none of it is printed.
    for identity in (dict(SECRET), None):
        data = receipt_notice_docx(source, recipient="procuracy", identity=identity)
        assert_absent(data, SECRET["name"], SECRET["personal_id"], SECRET["contact"])
        text = full_text(data)
        assert "1/2026/CQCSĐT" in text and "22/03/2026" in text
        assert "đề nghị giữ bí mật" in text


@time_machine.travel(NOW, tick=False)
def test_notice_to_the_reporter(intake_body, receive, body):
    source = receive(intake_body, unit=body)
    identity = s.source_reporter_identity(actor=intake_body, source=source)
    text = full_text(receipt_notice_docx(source, recipient="reporter", identity=identity))
    assert "Kính gửi: Nguyễn Văn An (liên hệ: 0912345678)" in text
    assert "Ngày 02/03/2026" in text and "22/03/2026" in text and "Điều 56" in text
    assert f"- {source.procuracy.name} (để kiểm sát);" in text

    secret = receive(intake_body, unit=body, reporter=secret_reporter())
    export = receipt_notice_docx(secret, recipient="reporter", identity=None)
    assert_absent(export, SECRET["name"], SECRET["personal_id"], SECRET["contact"])
    assert "Kính gửi: Người tố giác, báo tin (nguồn tin số 2/2026/CQCSĐT)" in full_text(export)


@time_machine.travel(NOW, tick=False)
def test_notice_refusals(intake_body, receive, body):
    anonymous = receive(intake_body, unit=body, reporter=Reporter(type="anonymous"))
    with pytest.raises(DomainError):
        receipt_notice_docx(anonymous, recipient="reporter", identity=None)
    with pytest.raises(DomainError):
        receipt_notice_docx(anonymous, recipient="court", identity=None)
    assert "nặc danh" in full_text(receipt_notice_docx(anonymous, recipient="procuracy",
                                                       identity=None))


@time_machine.travel(NOW, tick=False)
def test_notice_after_a_commune_passed_the_source_on(officer_a, intake_body, receive, body):
    source = receive(officer_a)
    s.source_forward(actor=officer_a, source=source)
    source.refresh_from_db()
    text = full_text(receipt_notice_docx(source, recipient="procuracy", identity=None,
                                         on=date(2026, 3, 4)))
    # The register number is the commune's: the body's notice leaves its own number blank.
    assert "/TB-CSĐT" in text and "Số: 1/TB-CSĐT" not in text
    assert "Tây Ninh, ngày 04 tháng 3 năm 2026" in text
    assert f"được chuyển đến {body.name}" in text
    assert source.register_code in text


# ----------------------------------------------------------------------------- receipt record

@time_machine.travel(NOW, tick=False)
def test_receipt_record_in_person(intake_body, receive, body):
    intake_body.position = "Cán bộ tiếp nhận"
    intake_body.save()
    source = receive(intake_body, unit=body)
    identity = s.source_reporter_identity(actor=intake_body, source=source)
    data = receipt_record_docx(source, actor=intake_body, identity=identity)
    doc = open_docx(data)
    assert round(doc.sections[0].left_margin.mm) == 30
    text = full_text(data)
    for expected in (NATIONAL_TITLE, MOTTO, "BIÊN BẢN", "Tiếp nhận nguồn tin về tội phạm",
                     "Số: 1/BB-CSĐT", "Tây Ninh, ngày 02 tháng 3 năm 2026",
                     "Hồi 09 giờ 00 phút, ngày 02/03/2026",
                     "Người tiếp nhận: Intake CSDT, chức vụ: Cán bộ tiếp nhận",
                     "họ và tên: Nguyễn Văn An", "079092001234",
                     "Bị mất xe máy Honda Wave màu đỏ", "1/2026/CQCSĐT",
                     "NGƯỜI TỐ GIÁC, BÁO TIN", "NGƯỜI TIẾP NHẬN", "Biên bản lập xong"):
        assert expected in text, expected


@time_machine.travel(NOW, tick=False)
def test_receipt_record_export_copy_for_a_confidential_reporter(intake_body, receive, body):
    source = receive(intake_body, unit=body, reporter=secret_reporter())
    data = receipt_record_docx(source, actor=intake_body, identity=None)
    assert_absent(data, SECRET["name"], SECRET["personal_id"], SECRET["contact"])
    assert CONFIDENTIAL_LINE in full_text(data)


@time_machine.travel(NOW, tick=False)
def test_receipt_record_anonymous_and_not_in_person(intake_body, receive, body):
    anonymous = receive(intake_body, unit=body, reporter=Reporter(type="anonymous"))
    text = full_text(receipt_record_docx(anonymous, actor=intake_body, identity=None))
    assert "Người tố giác, báo tin: nặc danh." in text
    assert "NGƯỜI TỐ GIÁC, BÁO TIN" not in text
    by_phone = receive(intake_body, unit=body, channel="phone")
    with pytest.raises(DomainError):
        receipt_record_docx(by_phone, actor=intake_body, identity=None)
