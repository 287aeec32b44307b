"""An intake officer registers and classifies a source, the head assigns it, and the
investigator decides it — three people, three browsers."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from pctp.sources.models import Source
from tests.browser.conftest import shot, sign_in
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(reference_data, make_user):

    return {
        "intake": make_user("intake_officer", "P80-CA-CSDT", name="Võ Thanh Tâm"),
        "head": make_user("unit_leader", "P80-CA-CSDT", is_head=True, name="Ngô Đức Thắng"),
        "investigator": make_user("investigator", "P80-CA-CSDT", name="Bùi Quốc Hùng"),
    }


def test_register_classify_assign_and_decide_a_source(new_page, people):
    page = new_page()
    sign_in(page, people["intake"].username, PASSWORD)
    page.goto("/sources/new/")
    page.select_option("#id_unit", label="Cơ quan Cảnh sát điều tra Công an tỉnh")
    page.select_option("#id_kind", "denunciation")
    page.select_option("#id_channel", "in_person")
    page.fill("#id_summary", "Mất trộm xe máy trước cửa nhà")
    page.fill("#id_content", "Khoảng 22 giờ, chiếc xe Honda Vision để trước cửa nhà bị lấy mất.")
    page.select_option("#id_commune", label="Phường Tân Ninh")
    page.fill("#id_reporter_name", "Nguyễn Thị Hoa")
    page.fill("#id_reporter_personal_id", "072185001234")
    shot(page, "source-new")
    page.click("button.primary")
    page.wait_for_url("**/sources/*/")
    assert "Đã vào sổ tiếp nhận" in page.content()
    source = Source.objects.get()
    page.click("summary:has-text('Phân loại')")
    # Issue 17: the offence is found by words of its name, without diacritics, and picked.
    page.locator("form[action$='/classify/'] #id_article").press_sequentially("trom cap")
    page.click("ul.picker li:has-text('Điều 173 khoản 1 — Tội trộm cắp tài sản')")
    assert page.input_value("form[action$='/classify/'] #id_article") == "173"
    assert page.input_value("form[action$='/classify/'] #id_clause") == "1"
    page.click("form[action$='/classify/'] button.primary")
    page.wait_for_load_state()
    assert "Tội trộm cắp tài sản" in page.content()
    shot(page, "source-classified")

    head_page = new_page()
    device = TOTPDevice.objects.create(user=people["head"], name="app", confirmed=True)
    sign_in(head_page, people["head"].username, PASSWORD, totp_device=device)
    head_page.goto(f"/sources/{source.pk}/")
    head_page.click("summary:has-text('Phân công điều tra viên')")
    head_page.select_option("form[action$='/assign/'] #id_investigator",
                            label="Bùi Quốc Hùng — không có việc đang giải quyết")
    head_page.click("form[action$='/assign/'] button.primary")
    head_page.wait_for_load_state()
    assert "đang kiểm tra, xác minh" in head_page.content()

    inv_page = new_page()
    sign_in(inv_page, people["investigator"].username, PASSWORD)
    inv_page.goto("/sources/?queue=mine")
    inv_page.click(f"a[href='/sources/{source.pk}/']")
    inv_page.click("summary:has-text('Không khởi tố vụ án')")
    form = "form[action$='/decline/']"
    inv_page.select_option(f"{form} #id_ground", "not_a_crime")
    inv_page.fill(f"{form} #id_decision_number", "12/QĐ-CSĐT")
    inv_page.fill(f"{form} #id_note", "Tài sản đã được tìm thấy, do người nhà mượn.")
    inv_page.click(f"{form} button.primary")
    inv_page.wait_for_load_state()
    shot(inv_page, "source-declined")
    assert "không khởi tố" in inv_page.content()
    source.refresh_from_db()
    assert source.status == "declined" and source.assignee == people["investigator"]
