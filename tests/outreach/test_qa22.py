"""Findings of the QA of issue 22 (outreach), each a test written before its fix."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from pctp.core.errors import DomainError
from pctp.core.models import AuditEvent
from pctp.outreach import effect as fx
from pctp.outreach import selectors as q
from pctp.outreach import services as s
from pctp.outreach.models import ClaimStatus, FalseClaim
from tests.outreach.test_effect import AFTER, BEFORE, _put
from tests.outreach.test_outreach import NOW, VN, _campaign, _claim, people  # noqa: F401
from tests.personas import api_client, login_verified

pytestmark = pytest.mark.django_db


def test_m1_no_effect_is_read_from_weeks_before_that_hold_nothing():
    """The weeks before hold no event in the targeted communes (before the records begin,
    e.g. before go-live): 0 → 12 a week is no effect, it is no data. Four events before
    (fewer than a quarter of the minimum, 5) are not enough either; five are."""
    for before, verdict in (([0, 0, 0, 0], fx.NOT_ENOUGH), ([1, 1, 1, 1], fx.NOT_ENOUGH),
                            ([2, 1, 1, 1], fx.INCREASE)):
        daily = {}
        _put(daily, 1, BEFORE + AFTER, before + [12, 12])
        _put(daily, 2, BEFORE + AFTER, [1, 1, 1, 1, 1, 1])
        e = fx.difference_in_differences("tips", daily, [1], [2], BEFORE, AFTER)
        assert e.verdict == verdict, before
    # Nothing at all before in the comparison communes: no base either.
    daily = {}
    _put(daily, 1, BEFORE + AFTER, [3, 3, 3, 3, 9, 9])
    _put(daily, 2, BEFORE + AFTER, [0, 0, 0, 0, 1, 1])
    assert fx.difference_in_differences("tips", daily, [1], [2], BEFORE,
                                        AFTER).verdict == fx.NOT_ENOUGH


@time_machine.travel(datetime(2026, 5, 10, 9, tzinfo=VN), tick=False)
def test_m2_a_campaign_is_told_of_another_one_in_its_communes(people, communes):  # noqa: F811
    """Campaign 1 targets A from 02/03 to 29/03; campaign 2 targets A and B from 16/03 to
    12/04, within campaign 1's weeks: each is told of the other (their effects cannot be
    told apart); B is not a comparison commune of campaign 1 (its weeks after carry
    campaign 2). A campaign 2 years earlier is not named."""
    lead = people["lead_a"]
    one = _campaign(lead, communes["police_a"], [communes["a"]])
    two = _campaign(lead, communes["police_a"], [communes["a"], communes["b"]],
                    title="Đợt hai", starts_on=date(2026, 3, 16), ends_on=date(2026, 4, 12))
    _campaign(lead, communes["police_a"], [communes["a"]], title="Cũ",
              starts_on=date(2024, 3, 1), ends_on=date(2024, 3, 30))
    assert [c.pk for c in q.overlapping_campaigns(one)] == [two.pk]
    assert [c.pk for c in q.overlapping_campaigns(two)] == [one.pk]
    assert communes["b"].pk not in q.comparison_communes(one)
    page = login_verified(lead).get(f"/outreach/campaigns/{one.pk}/").content.decode()
    assert "Đợt hai" in page and "không tách được" in page
    api = api_client(lead).get(f"/api/v1/outreach/campaigns/{one.pk}/effect/").json()
    assert api["overlapping_campaigns"] == [{"id": two.pk, "title": "Đợt hai"}]


@time_machine.travel(NOW, tick=False)
def test_m3_a_number_both_a_source_and_a_case_has_is_asked_which(people, communes):  # noqa: F811
    from pctp.cases.models import Case
    from pctp.sources.models import Source

    body = communes["police_a"]
    source = Source.objects.create(
        unit=body, holder=body, register_year=2026, register_number=29, kind="crime_report",
        channel="in_person", received_at=NOW, holder_received_at=NOW, summary="x",
        content="x", reporter_type="anonymous", clock_start=date(2026, 6, 15),
        due_date=date(2026, 7, 5), commune=communes["a"], status="received")
    from pctp.law.models import Offence
    from pctp.units.models import Unit

    case = Case.objects.create(
        procuracy=Unit.objects.get(kind="regional_procuracy", communes=communes["a"]),
        investigation_body=body, register_year=2026, register_number=29, origin="direct",
        decision_number="1/QĐ", initiated_on=date(2026, 6, 1), summary="Vụ trộm",
        occurred_on=date(2026, 6, 1), commune=communes["a"],
        lead_offence=Offence.objects.get(article="173"), severity="serious",
        crime_group="social_order", status="investigating", status_since=date(2026, 6, 1))
    assert source.register_code == case.register_code
    lead = people["lead_a"]
    with pytest.raises(DomainError) as err:
        s.evidence_from_codes(lead, source.register_code)
    assert "vụ án" in str(err.value.details["evidence"])
    assert s.evidence_from_codes(lead, f"vụ án {case.register_code}") == [["cases.case",
                                                                         case.pk]]
    assert s.evidence_from_codes(lead, f"nguồn tin {source.register_code}") == [
        ["sources.source", source.pk]]


@time_machine.travel(NOW, tick=False)
def test_m4_the_public_sees_the_claim_as_the_officer_worded_it(people, communes, client,  # noqa: F811
                                                                monkeypatch, make_user):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    said = "Nguyễn Văn Bình ở 12 Lê Lợi, SĐT 0912345678, bị công an bắt oan rồi thả vì đưa tiền."
    assert client.post("/cong-dan/tin-sai/bao-tin-sai/", {
        "platform": "facebook", "claim": said, "captcha_0": "x",
        "captcha_1": "PASSED"}).status_code == 302
    claim = FalseClaim.objects.get()
    lead = people["lead_a"]
    s.claim_accept(actor=make_user("unit_leader", "P80-CA"), claim=claim,
                   unit=communes["police_a"])
    s.claim_verify(actor=lead, claim=claim, facts="Không có ai bị bắt oan, không ai đưa tiền.")
    body = "Công an xã đã xác minh: không có việc bắt giữ nào như bài đăng nói, không ai đưa tiền."
    with pytest.raises(DomainError) as err:  # a citizen's words are never published as sent
        s.claim_refute(actor=lead, claim=claim, title="Thông tin sai về việc bắt người",
                       body=body)
    assert "claim_wording" in err.value.details
    refutation = s.claim_refute(
        actor=lead, claim=claim, title="Thông tin sai về việc bắt người", body=body,
        claim_wording="Một bài đăng nói công an xã bắt oan một người rồi thả vì nhận tiền.")
    page = client.get(f"/cong-dan/tin-sai/{refutation.pk}/").content.decode()
    from rest_framework.test import APIClient

    listed = APIClient().get("/api/v1/portal/refutations/").json()
    for shown in (page, str(listed)):
        assert "bắt oan một người" in shown
        assert "0912345678" not in shown and "Lê Lợi" not in shown
    # The journal keeps no word of the citizen's text either.
    assert not AuditEvent.objects.filter(object_repr__contains="Văn Bình").exists()


@time_machine.travel(NOW, tick=False)
def test_m5_out_of_range_input_is_refused_never_a_500(people, communes):  # noqa: F811
    lead = people["lead_a"]
    with pytest.raises(DomainError) as err:
        _campaign(lead, communes["police_a"], [communes["a"]], starts_on=date(1, 1, 2),
                  ends_on=date(9999, 12, 31))
    assert set(err.value.details) >= {"starts_on"}
    campaign = _campaign(lead, communes["police_a"], [communes["a"]])
    browser = login_verified(lead)
    big = "100000000000000000000"
    answer = browser.post(f"/outreach/campaigns/{campaign.pk}/reach/",
                          {"channel": "social", "on": "01/06/2026", "views": big})
    assert answer.status_code == 400
    answer = browser.post("/outreach/claims/new/", {
        "unit": communes["police_a"].pk, "platform": "facebook", "seen_on": "01/06/2026",
        "reach": big, "claim": "Bài đăng nói sai về công an xã."})
    assert answer.status_code == 400
    assert browser.get("/outreach/?year=99999999999999999999").status_code == 200
    api = api_client(lead)
    answer = api.post(f"/api/v1/outreach/campaigns/{campaign.pk}/reach/",
                      {"channel": "social", "on": "2026-06-01", "views": 10**12}, format="json")
    assert answer.status_code == 400 and "views" in answer.json()["error"]["details"]
    answer = api.post("/api/v1/outreach/claims/", {
        "unit": communes["police_a"].code, "platform": "facebook", "seen_on": "0001-01-01",
        "reach": 10**12, "claim": "x" * 5001}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()["error"]["details"]) == {"seen_on", "reach", "claim"}


@time_machine.travel(NOW, tick=False)
def test_m6_a_campaign_edit_journals_everything_it_changed(people, communes):  # noqa: F811
    lead = people["lead_a"]
    campaign = _campaign(lead, communes["police_a"], [communes["a"]])
    same = dict(title=campaign.title, starts_on=campaign.starts_on, ends_on=campaign.ends_on,
                communes=[communes["a"]], channels=["loudspeaker", "social"],
                budget=15_000_000)
    s.campaign_update(actor=lead, campaign=campaign, theme="Giả danh ngân hàng",
                      description="Mô tả mới", crime_groups=["drugs"], articles=["173"],
                      tip_types=["fraud"], audiences=["students"], **same)
    row = AuditEvent.objects.get(action="outreach.campaign_update")
    assert set(row.changes) == {"theme", "description", "crime_groups", "offences",
                                "tip_types", "audiences"}
    assert row.changes["offences"] == [["174"], ["173"]]
    s.campaign_update(actor=lead, campaign=campaign, theme="Giả danh ngân hàng",
                      description="Mô tả mới", crime_groups=["drugs"], articles=["173"],
                      tip_types=["fraud"], audiences=["students"], **same)
    assert AuditEvent.objects.filter(action="outreach.campaign_update").count() == 1


@time_machine.travel(NOW, tick=False)
def test_l1_l2_a_refused_step_says_why_on_the_page(people, communes):  # noqa: F811
    lead = people["lead_a"]
    claim = _claim(people, communes)
    browser = login_verified(lead)
    short = browser.post(f"/outreach/claims/{claim.pk}/verify/", {"facts": "ngắn"})
    assert short.status_code == 400 and "ít nhất 10 ký tự" in short.content.decode()
    unknown = browser.post(f"/outreach/claims/{claim.pk}/verify/",
                           {"facts": "Sự thật đã xác minh đầy đủ.", "evidence": "9/2026/XX"})
    assert "Không có nguồn tin hoặc vụ án" in unknown.content.decode()
    s.claim_dismiss(actor=lead, claim=claim, note="Không phải tin sai.")
    again = browser.post(f"/outreach/claims/{claim.pk}/close/", {"note": ""})
    assert again.status_code == 409 and "Không thể thực hiện" in again.content.decode()


@time_machine.travel(NOW, tick=False)
def test_l3_labels_of_a_running_campaign_and_a_closed_claim(people, communes):  # noqa: F811
    lead = people["lead_a"]
    _campaign(lead, communes["police_a"], [communes["a"]], starts_on=date(2026, 6, 1),
              ends_on=date(2026, 6, 30))
    page = login_verified(lead).get("/outreach/").content.decode()
    assert "đang diễn ra" in page and "đang tính" not in page
    from django.utils import translation

    with translation.override("vi"):
        assert str(ClaimStatus.CLOSED.label) == "đã đóng"


@time_machine.travel(NOW, tick=False)
def test_l5_the_public_page_names_only_campaigns_with_public_content(people, communes,  # noqa: F811
                                                                    client):
    planned = _campaign(people["lead_a"], communes["police_a"], [communes["a"]],
                        title="Kế hoạch nội bộ chưa công bố", starts_on=date(2026, 8, 1),
                        ends_on=date(2026, 8, 31))
    page = client.get(f"/cong-dan/tin-sai/?chien-dich={planned.pk}").content.decode()
    assert "Kế hoạch nội bộ chưa công bố" not in page


@time_machine.travel(NOW, tick=False)
def test_l6_the_citizen_form_asks_for_the_platform_warns_and_merges_repeats(client,
                                                                          monkeypatch):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    form = client.get("/cong-dan/tin-sai/bao-tin-sai/").content.decode()
    assert '<option value="" selected>' in form
    assert "Đừng ghi họ tên, số điện thoại" in form
    sent = {"url": "https://facebook.com/p/9", "platform": "facebook",
            "claim": "Bài nói có bắt cóc trẻ em ở chợ.", "captcha_0": "x", "captcha_1": "PASSED"}
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        assert client.post("/cong-dan/tin-sai/bao-tin-sai/", sent,
                           REMOTE_ADDR=address).status_code == 302
    row = FalseClaim.objects.get()
    assert row.flags == 3


@time_machine.travel(NOW, tick=False)
def test_l8_short_titles_and_closed_units_are_refused(people, communes):  # noqa: F811
    lead = people["lead_a"]
    claim = _claim(people, communes)
    s.claim_verify(actor=lead, claim=claim, facts="Sự thật đã được xác minh.")
    with pytest.raises(DomainError) as err:
        s.claim_refute(actor=lead, claim=claim, title="a", body="x" * 40)
    assert "title" in err.value.details
    from pctp.outreach.views import _units

    assert all(u.is_current for u in _units(lead, "outreach.manage_claim"))



@time_machine.travel(NOW, tick=False)
def test_l7_the_citizens_inbox_is_kept_at_the_province(people, communes, make_user,  # noqa: F811
                                                      client, monkeypatch):
    """A commune's police or a department sees and answers its own entries; the posts
    citizens report province-wide are triaged by the provincial police (decision 70)."""
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    assert client.post("/cong-dan/tin-sai/bao-tin-sai/", {
        "platform": "zalo", "claim": "Tin nhắn nói công an thu tiền làm căn cước.",
        "captcha_0": "x", "captcha_1": "PASSED"}).status_code == 302
    row = FalseClaim.objects.get()
    province = make_user("unit_leader", "P80-CA")
    assert q.claim_scope(province).filter(pk=row.pk).exists()
    assert not q.claim_scope(people["lead_a"]).filter(pk=row.pk).exists()
    from pctp.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused):
        s.claim_dismiss(actor=people["lead_a"], claim=row, note="Không phải tin sai.")
    s.claim_accept(actor=province, claim=row, unit=communes["police_a"])
    assert q.claim_scope(people["lead_a"]).filter(pk=row.pk).exists()  # now its own


@time_machine.travel(NOW, tick=False)
def test_recheck_a_refutation_has_a_length_and_a_view_only_role_is_told_why(people,  # noqa: F811
                                                                          communes):
    lead = people["lead_a"]
    claim = _claim(people, communes)
    s.claim_verify(actor=lead, claim=claim, facts="Sự thật đã được xác minh.")
    with pytest.raises(DomainError) as err:
        s.claim_refute(actor=lead, claim=claim, title="Thông tin sai về việc bắt người",
                       body="x" * 20001)
    assert "body" in err.value.details
    from pctp.core.errors import PermissionRefused

    with pytest.raises(PermissionRefused, match="không có quyền"):
        s.reach_add(actor=people["leader"], campaign=_campaign(lead, communes["police_a"],
                    [communes["a"]]), channel="social", on=date(2026, 6, 1), views=5)
