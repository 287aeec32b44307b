"""Issue 17: each role opens its home page in Chromium and finds its work there, one click
from the records. A ward forwards two sources to the investigation body; the head gives one
to an investigator; every other role finds its own card."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from pctp.sources import services as s
from pctp.sources.services import Reporter
from tests.browser.conftest import shot, sign_in
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(reference_data, make_user):
    from pctp.units.models import Commune, Unit

    commune = Commune.objects.get(name="Phường Tân Ninh", province__code="80")
    ward = Unit.objects.get(code=f"P80-CAX-{commune.code}")
    procuracy = Unit.objects.get(kind="regional_procuracy", communes=commune)
    court = Unit.objects.get(kind="regional_court", communes=commune)
    people = {
        "ward": make_user("intake_officer", ward, name="Lê Thị Tiếp"),
        "head": make_user("unit_leader", "P80-CA-CSDT", is_head=True, name="Ngô Đức Thắng"),
        "investigator": make_user("investigator", "P80-CA-CSDT", name="Bùi Quốc Hùng"),
        "procurator": make_user("procurator", procuracy, name="Trương Văn Nam"),
        "judge": make_user("court_officer", court, name="Lý Thị Hồng"),
        "department": make_user("department_officer", "P80-SO-GDDT", name="Phan Văn Giáo"),
        "leader": make_user("provincial_leader", "P80", name="Trần Thị Lan"),
        "analyst": make_user("statistics_analyst", "P80-CA-PV06", name="Đặng Thống Kê"),
        "auditor": make_user("auditor", "P80-TTRA", name="Hồ Kiểm Toán"),
    }
    sources = []
    for summary in ("Mất trộm xe máy ở chợ Tân Ninh", "Trộm điện thoại tại quán cà phê"):
        src = s.source_receive(
            actor=people["ward"], unit=ward, kind="denunciation", channel="in_person",
            summary=summary, content=summary + ", người dân đến trình báo.", commune=commune,
            address="Phường Tân Ninh", reporter=Reporter(type="person", name="Nguyễn Văn An",
                                                         personal_id="079092001234"))
        s.source_forward(actor=people["ward"], source=src)
        sources.append(src)
    s.source_classify(actor=people["head"], source=sources[1], article="173", clause=1)
    s.source_assign(actor=people["head"], source=sources[1], investigator=people["investigator"])
    return people, sources


def _tile(page, label: str) -> int:
    text = page.locator(".tile", has_text=label).first.inner_text()
    return int(re.sub(r"\D", "", text.split("\n")[0]) or 0)


def _open(new_page, people, key):
    page = new_page(width=1366)
    user = people[key]
    device = (TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
              if key in ("head", "leader") else None)
    sign_in(page, user.username, PASSWORD, totp_device=device)
    page.goto("/")
    shot(page, f"home-{key}")
    return page


def ward(new_page, people, sources):
    page = _open(new_page, people, "ward")
    assert "Nguồn tin của tôi" in page.content()
    page.locator(".tile", has_text="Của đơn vị").first.click()
    page.wait_for_url("**/sources/?queue=unit")
    assert sources[0].register_code not in page.content()  # forwarded: the body's now


def head(new_page, people, sources):
    page = _open(new_page, people, "head")
    assert _tile(page, "Được chuyển đến") == 1 and _tile(page, "Chờ phân loại") == 1
    assert "Bùi Quốc Hùng</strong> — 1 nguồn tin đang giải quyết" in page.content()
    page.locator(".tile", has_text="Được chuyển đến").first.click()
    page.wait_for_url("**/sources/?queue=incoming")
    assert sources[0].register_code in page.content()
    assert sources[1].register_code not in page.content()  # given to an investigator


def investigator(new_page, people, sources):
    page = _open(new_page, people, "investigator")
    assert _tile(page, "Mới được giao") == 1
    assert "Trộm điện thoại tại quán cà phê" in page.locator("#case-work").inner_text()
    page.locator("#new-assignments").click()
    row = page.locator("tbody tr").first
    assert "mới" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_url("**/sources/*/")
    page.goto("/")
    assert _tile(page, "Mới được giao") == 0


CARDS = [  # role, its card, a tile to open
    ("procurator", "Hồ sơ tại Viện kiểm sát", "Chờ Viện kiểm sát"),
    ("judge", "Hồ sơ tại Tòa án", "Hồ sơ chờ nhận"),
    ("department", "Nhiệm vụ và báo cáo của đơn vị tôi", "Nhiệm vụ đang thực hiện"),
    ("leader", "Nguồn tin của tôi", "Tất cả"),
]
TOOLS = [("analyst", "Dự báo", "Dự báo"), ("auditor", "Nhật ký kiểm tra", "Nhật ký")]


def test_every_role_finds_its_work_from_home(new_page, world):
    """One world for every role (building it takes most of the time)."""
    people, sources = world
    ward(new_page, people, sources)
    head(new_page, people, sources)
    investigator(new_page, people, sources)
    for key, card, tile in CARDS:
        page = _open(new_page, people, key)
        assert card in page.content(), key
        page.locator(".tile", has_text=tile).first.click()
        page.wait_for_load_state()
        assert page.url.rstrip("/").count("/") > 2 and "Lỗi" not in page.title(), key
    for key, tool, title in TOOLS:
        page = _open(new_page, people, key)
        page.locator("#tools a", has_text=tool).first.click()
        page.wait_for_load_state()
        assert title in page.title(), key
