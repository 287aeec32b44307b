"""A citizen reports anonymously with a photo from a phone; an officer enters it as a
crime source and replies; the citizen reads the reply with code and passphrase."""


import pytest
from PIL import Image

from pctp.portal.models import PortalReport
from tests.browser.conftest import shot, sign_in
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(reference_data, make_user, monkeypatch):

    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    return make_user("intake_officer", "P80-CAX-25459", name="Võ Thanh Tâm")


def test_anonymous_phone_report_reply_and_follow_up(new_page, officer, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    photo = tmp_path / "hien-truong.jpg"
    Image.new("RGB", (64, 48), (120, 120, 120)).save(photo, format="JPEG")

    phone = new_page(width=390, height=844)
    phone.goto("/cong-dan/bao-tin/")
    phone.check("input[name=crime_type][value=theft]")
    phone.fill("#id_description", "Hai thanh niên giật điện thoại của học sinh trước cổng trường.")
    phone.select_option("#id_commune", label="Phường Tân Ninh")
    phone.set_input_files("#id_files", str(photo))
    phone.fill("#id_captcha_1", "PASSED")
    shot(phone, "portal-report-phone")
    phone.click("button.primary.big")
    phone.wait_for_url("**/cong-dan/da-gui/")
    code = phone.inner_text(".big-facts dd:nth-of-type(1) code")
    passphrase = phone.inner_text(".big-facts dd:nth-of-type(2) code")
    shot(phone, "portal-submitted-phone")
    report = PortalReport.objects.get()
    assert report.tracking_code == code and report.attachments.count() == 1

    desk = new_page()
    sign_in(desk, officer.username, PASSWORD)
    desk.goto("/cong-dan/xu-ly/")
    desk.click(f"text={code}")
    desk.click("form[action$='/convert/'] button.primary")
    desk.wait_for_url("**/sources/*/")
    desk.goto(f"/cong-dan/xu-ly/{report.pk}/")
    desk.fill("form[action$='/reply/'] textarea", "Cảm ơn bạn, xin cho biết đối tượng đi xe gì.")
    desk.click("form[action$='/reply/'] button.primary")
    desk.wait_for_load_state()

    phone.goto("/cong-dan/tra-cuu/")
    phone.fill("#id_tracking_code", code)
    phone.fill("#id_passphrase", "sai-mat-khau")
    phone.click("button.primary")
    assert "không đúng" in phone.content() and "đối tượng đi xe gì" not in phone.content()
    phone.fill("#id_tracking_code", code)
    phone.fill("#id_passphrase", passphrase)
    phone.click("button.primary")
    phone.wait_for_url("**/cong-dan/trao-doi/")
    shot(phone, "portal-conversation-phone")
    assert "xin cho biết đối tượng đi xe gì" in phone.content()
    assert "Đã tiếp nhận vào sổ" in phone.content()
