"""A provincial leader picks a commune from the selection ranking, enters it as a key area,
begins its transformation with a measure, drafts and signs its assessment, then looks at
the map — in Debian's chromium."""

from datetime import date

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from pctp.areas.models import KeyArea, Status
from tests.browser.conftest import shot, sign_in
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader_with_data(reference_data, make_user):
    from pctp.units.models import Commune
    from tests.areas.conftest import make_case

    leader = make_user("provincial_leader", "P80", name="Trần Thị Lan")
    device = TOTPDevice.objects.create(user=leader, name="app", confirmed=True)
    commune = Commune.objects.get(name="Phường Tân Ninh")
    for month in (2, 3, 4):
        make_case(commune, date(2025, month, 1), detected=date(2025, month, 3))
    return leader, device, commune


def test_a_leader_selects_transforms_and_assesses_an_area(new_page, leader_with_data):
    leader, device, commune = leader_with_data
    page = new_page()
    sign_in(page, leader.username, PASSWORD, totp_device=device)
    page.goto("/areas/ranking/?year=2025&type=social_order")
    first = page.locator("table.ranking tbody tr").first
    assert "Phường Tân Ninh" in first.inner_text()
    shot(page, "areas-ranking")
    first.locator("a.button").click()
    page.wait_for_url("**/areas/new/**")
    page.check("input[name=types][value=social_order]")
    page.fill("#id_decision_number", "08/QĐ-BCĐ138")
    page.fill("#id_decision_date", "2026-02-25")
    page.click("main button.primary")
    page.wait_for_url("**/areas/*/")
    area = KeyArea.objects.get()
    assert area.commune == commune and area.year == 2026
    assert area.baseline_crimes == 2  # 1/3 and 1/4/2025; 1/2/2025 is before 26/2/2025
    assert "Phường Tân Ninh" in page.content()

    page.click("summary:has-text('Bắt đầu chuyển hóa')")
    page.fill("form[action$='/start/'] [name=start-on]", "2026-03-10")
    page.click("form[action$='/start/'] button.primary")
    page.wait_for_load_state()
    page.click("summary:has-text('Thêm biện pháp vào kế hoạch')")
    form = "form[action$='/measure/']"
    page.fill(f"{form} [name=measure-title]", "Tuần tra ban đêm khu chợ")
    page.fill(f"{form} [name=measure-content]", "Tổ tuần tra liên ngành từ 20 giờ.")
    page.fill(f"{form} [name=measure-deadline]", "2026-06-30")
    page.click(f"{form} button.primary")
    page.wait_for_load_state()
    assert "Tuần tra ban đêm khu chợ" in page.content()

    page.click("summary:has-text('Lập dự thảo đánh giá')")
    form = "form[action$='/draft/']"
    for name, evidence in (("community_model", "Tổ tự quản"), ("political_system", "Nghị quyết"),
                           ("conventions", "Hương ước")):
        page.check(f"{form} [name=draft-{name}]")
        page.fill(f"{form} [name=draft-{name}_evidence]", evidence)
    page.click(f"{form} button.primary")
    page.wait_for_load_state()
    page.click("a:has-text('Đánh giá 25/02/2026')")
    page.wait_for_url("**/areas/assessments/*/")
    page.click("main button.primary")
    page.wait_for_url("**/areas/*/")
    area.refresh_from_db()
    assert area.status == Status.TRANSFORMED
    assert "đã chuyển hóa" in page.content()
    shot(page, "areas-area")

    page.goto("/areas/map/?year=2026")
    page.wait_for_selector("#map .main-svg")
    shot(page, "areas-map")
