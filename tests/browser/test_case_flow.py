"""An investigator opens a case caught in the act and sends it on, a procurator receives
and indicts it, a judge accepts, tries and decides it — three agencies, three browsers."""

import pytest
from django.utils import timezone

from pctp.cases.models import Case
from tests.browser.conftest import shot, sign_in
from tests.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(reference_data, make_user):
    from pctp.units.models import Unit

    procuracy = Unit.objects.get(kind="regional_procuracy", communes__name="Phường Tân Ninh")
    court = Unit.objects.get(kind="regional_court", communes__name="Phường Tân Ninh")
    return {
        "investigator": make_user("investigator", "P80-CA-CSDT", name="Bùi Quốc Hùng"),
        "procurator": make_user("procurator", procuracy, name="Trương Văn Nam"),
        "judge": make_user("court_officer", court, name="Lý Thị Hồng"),
    }


def act(page, title: str, action: str, fields: dict | None = None, selects: dict | None = None):
    """Open the action's panel on the case page, fill its form and submit it."""
    page.click(f"summary:has-text('{title}')")
    form = f"form[action$='/{action}/']"
    for name, value in (selects or {}).items():
        page.select_option(f"{form} [name={name}]", value)
    for name, value in (fields or {}).items():
        page.fill(f"{form} [name={name}]", value)
    page.click(f"{form} button.primary")
    page.wait_for_load_state()


def test_a_case_crosses_the_investigation_body_the_procuracy_and_the_court(new_page, people):
    today = timezone.localdate().isoformat()
    inv = new_page()
    sign_in(inv, people["investigator"].username, PASSWORD)
    inv.goto("/cases/new/")
    inv.select_option("#id_investigation_body", label="Cơ quan Cảnh sát điều tra Công an tỉnh")
    inv.select_option("#id_origin", "in_flagrante")
    inv.fill("#id_decision_number", "25/QĐ-CSĐT")
    inv.fill("#id_summary", "Cướp giật điện thoại trên đường Cách Mạng Tháng Tám")
    inv.fill("#id_charges", "171.1")
    inv.select_option("#id_commune", label="Phường Tân Ninh")
    inv.click("button.primary")
    inv.wait_for_url("**/cases/*/")
    assert "Đã mở vụ án" in inv.content() and "đang điều tra" in inv.content()
    case = Case.objects.get()
    act(inv, "Khởi tố bị can", "add_accused",
        {"name": "Trần Văn Cường", "personal_id": "072095004321", "charges": "171.1"},
        {"sex": "male"})
    assert "Trần Văn Cường" in inv.content()
    act(inv, "Kết thúc điều tra, đề nghị truy tố", "conclude", {"document_number": "31/KLĐT"})
    assert "Hồ sơ đang chuyển" in inv.content()
    shot(inv, "case-sent-to-procuracy")

    proc = new_page()
    sign_in(proc, people["procurator"].username, PASSWORD)
    proc.goto("/cases/?queue=incoming")
    shot(proc, "case-queue-procuracy")
    proc.click(f"a[href='/cases/{case.pk}/']")
    act(proc, "Nhận hồ sơ và bản kết luận điều tra", "receive")
    assert "Thời hạn quyết định việc truy tố" in proc.content()
    act(proc, "Truy tố, chuyển hồ sơ sang Tòa án", "indict", {"document_number": "12/CT-VKS"})
    assert "đã truy tố, chuyển Tòa án" in proc.content()

    judge = new_page()
    sign_in(judge, people["judge"].username, PASSWORD)
    judge.goto("/cases/?queue=incoming")
    judge.click(f"a[href='/cases/{case.pk}/']")
    act(judge, "Thụ lý vụ án", "accept")
    assert "Thời hạn chuẩn bị xét xử sơ thẩm" in judge.content()
    act(judge, "Quyết định đưa vụ án ra xét xử", "commit_to_trial",
        {"decision_number": "40/QĐXXST-HS", "trial_on": today})
    act(judge, "Mở phiên tòa", "open_trial")
    act(judge, "Tuyên án", "judgment",
        {"judgment_number": "52/2026/HS-ST", "summary": "Xử phạt bị cáo 30 tháng tù."})
    shot(judge, "case-judged")
    assert "Thời hạn kháng cáo bản án sơ thẩm" in judge.content()
    case.refresh_from_db()
    assert case.status == "judged" and case.judgment_number == "52/2026/HS-ST"
    assert [r.kind for r in case.referrals.all()] == ["conclusion", "indictment"]

    inv.reload()
    assert "đã tuyên án" in inv.content()  # the investigation body sees the outcome too
