"""Outreach campaigns and the register of false information, each workflow step, who may
take it, the public pages and the API (issue 22)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.models import AuditEvent
from pctp.outreach import selectors as q
from pctp.outreach import services as s
from pctp.outreach.models import ClaimStatus, FalseClaim, RefutationRevision
from tests.personas import api_client, login_verified

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 6, 15, 9, tzinfo=VN)


@pytest.fixture
def people(make_user, communes):
    return {"lead_a": make_user("unit_leader", communes["police_a"], name="Trưởng CAX A"),
            "lead_b": make_user("unit_leader", communes["police_b"], name="Trưởng CAX B"),
            "intake": make_user("intake_officer", communes["police_a"]),
            "leader": make_user("provincial_leader", "P80-UBND"),
            "dept": make_user("department_officer", "P80-UBND")}


def _campaign(actor, unit, communes, **kw):
    data = dict(title="Phòng chống lừa đảo qua mạng", theme="Giả danh công an gọi điện",
                starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 29), communes=communes,
                crime_groups=["economic"], articles=["174"], channels=["loudspeaker", "social"],
                audiences=["elderly"], budget=15_000_000)
    data.update(kw)
    return s.campaign_create(actor=actor, unit=unit, **data)


@time_machine.travel(NOW, tick=False)
def test_a_campaign_is_planned_checked_and_journaled(people, communes):
    a = communes["police_a"]
    with pytest.raises(PermissionRefused):  # no permission to plan campaigns
        _campaign(people["intake"], a, [communes["a"]])
    with pytest.raises(PermissionRefused):  # another unit's campaign
        _campaign(people["lead_b"], a, [communes["a"]])
    with pytest.raises(DomainError) as err:
        _campaign(people["lead_a"], a, [], ends_on=date(2026, 3, 1), articles=["9999"],
                  channels=["pigeon"], budget=-5)
    assert set(err.value.details) == {"communes", "ends_on", "articles", "channels", "budget"}
    campaign = _campaign(people["lead_a"], a, [communes["a"]])
    assert list(campaign.offences.values_list("article", flat=True)) == ["174"]
    row = AuditEvent.objects.get(action="outreach.campaign_create")
    assert row.changes["budget"] == [None, 15_000_000]
    s.campaign_update(actor=people["lead_a"], campaign=campaign, title="Tháng cao điểm",
                      theme="x", starts_on=date(2026, 3, 2), ends_on=date(2026, 4, 5),
                      communes=[communes["a"], communes["b"]])
    row = AuditEvent.objects.get(action="outreach.campaign_update")
    assert row.changes["ends_on"] == ["2026-03-29", "2026-04-05"]
    assert "budget" in row.changes  # cleared: the edit form sent none
    # Reach as reported: not in the future, not before the start, something counted.
    for bad in (dict(on=date(2026, 7, 1), views=10), dict(on=date(2026, 3, 1), views=10),
                dict(on=date(2026, 3, 5))):
        with pytest.raises(DomainError):
            s.reach_add(actor=people["lead_a"], campaign=campaign, channel="social", **bad)
    s.reach_add(actor=people["lead_a"], campaign=campaign, channel="social",
                on=date(2026, 3, 5), views=1200)
    s.reach_add(actor=people["lead_a"], campaign=campaign, channel="school",
                on=date(2026, 3, 9), participants=350)
    assert q.reach_totals(campaign) == {"views": 1200, "participants": 350}
    # Who sees it: its unit, the province's leaders; not another commune's police.
    assert q.campaign_scope(people["leader"]).count() == 1
    assert q.campaign_scope(people["lead_b"]).count() == 0


def _claim(people, communes, **kw):
    data = dict(unit=communes["police_a"], platform="facebook", seen_on=date(2026, 6, 1),
                url="https://facebook.com/p/1", reach=4500,
                claim="Bài đăng nói công an xã bắt nhầm người rồi thả vì nhận tiền.")
    data.update(kw)
    return s.claim_create(actor=people["lead_a"], **data)


@time_machine.travel(NOW, tick=False)
def test_the_register_from_seen_to_refuted_and_corrected(people, communes, make_user):
    from pctp.sources.models import Source

    with pytest.raises(DomainError) as err:
        _claim(people, communes, url="javascript:alert(1)", claim="ngắn",
               seen_on=date(2026, 7, 1))
    assert set(err.value.details) == {"url", "claim", "seen_on"}
    claim = _claim(people, communes)
    assert claim.status == ClaimStatus.SEEN
    with pytest.raises(InvalidTransition):  # not verified yet
        s.claim_refute(actor=people["lead_a"], claim=claim, title="T", body="x" * 40)
    with pytest.raises(PermissionRefused):
        s.claim_verify(actor=people["lead_b"], claim=claim, facts="Sự thật là như sau đây.")
    police = communes["police_a"]
    source = Source.objects.create(
        unit=police, holder=police, register_year=2026, register_number=7,
        kind="crime_report", channel="in_person", received_at=NOW - timedelta(days=20),
        holder_received_at=NOW - timedelta(days=20), summary="Giữ người", content="x",
        reporter_type="anonymous", clock_start=date(2026, 5, 26), due_date=date(2026, 6, 15),
        commune=communes["a"], status="received")
    s.claim_verify(actor=people["lead_a"], claim=claim,
                   facts="Người bị giữ được thả vì không có căn cứ, không ai nhận tiền.",
                   evidence=s.evidence_from_codes(people["lead_a"], source.register_code))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.VERIFIED and claim.evidence == [["sources.source",
                                                                        source.pk]]
    refutation = s.claim_refute(
        actor=people["lead_a"], claim=claim, title="Thông tin sai sự thật về việc bắt người",
        body="Ngày 01/06/2026 Công an xã giữ một người để làm rõ; không có căn cứ nên trả tự do.")
    s.refutation_correct(actor=people["lead_a"], refutation=refutation,
                         title=refutation.title, body=refutation.body + " Đã xác minh lại.",
                         reason="Bổ sung kết quả xác minh")
    with pytest.raises(DomainError):  # nothing changed
        s.refutation_correct(actor=people["lead_a"], refutation=refutation,
                             title=refutation.title, body=refutation.body + " Đã xác minh lại.",
                             reason="x")
    assert RefutationRevision.objects.get().body_before.endswith("trả tự do.")
    s.claim_close(actor=people["lead_a"], claim=claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CLOSED
    assert [e.action for e in AuditEvent.objects.filter(object_type="outreach.falseclaim")
            .order_by("pk")] == ["outreach.claim_create", "outreach.claim_verify",
                                 "outreach.claim_refute", "outreach.refutation_correct",
                                 "outreach.claim_close"]
    # The public page: the refutation, its history, what it rests on counted, not named.
    client = login_verified(people["leader"])  # any browser; the page needs no sign-in
    client.logout()
    page = client.get(f"/cong-dan/tin-sai/{refutation.pk}/").content.decode()
    assert "Thông tin sai sự thật về việc bắt người" in page and "Bổ sung kết quả xác minh" in page
    assert "1 nguồn tin" in page and source.register_code not in page
    found = client.get("/cong-dan/tin-sai/?q=bắt+người").content.decode()
    assert f"/cong-dan/tin-sai/{refutation.pk}/" in found
    assert f"/cong-dan/tin-sai/{refutation.pk}/" not in client.get(
        "/cong-dan/tin-sai/?q=ma+túy").content.decode()


@time_machine.travel(NOW, tick=False)
def test_only_refuted_claims_are_public(people, communes):
    claim = _claim(people, communes)
    s.claim_verify(actor=people["lead_a"], claim=claim, facts="Các sự thật đã được xác minh.")
    assert q.public_refutations().count() == 0
    dismissed = _claim(people, communes)
    s.claim_dismiss(actor=people["lead_a"], claim=dismissed, note="Không phải tin sai.")
    with pytest.raises(DomainError):  # a dismissal says why
        s.claim_dismiss(actor=people["lead_a"], claim=_claim(people, communes), note=" ")
    assert FalseClaim.objects.get(pk=dismissed.pk).status == ClaimStatus.DISMISSED


@time_machine.travel(NOW, tick=False)
def test_a_citizen_reports_a_post_rate_limited_and_nothing_of_them_kept(
        people, communes, client, monkeypatch, settings):
    monkeypatch.setattr("captcha.conf.settings.CAPTCHA_TEST_MODE", True)
    settings.PCTP_PORTAL_SUBMITS_PER_HOUR = 2
    form = {"url": "https://tiktok.com/@x/video/1", "platform": "tiktok",
            "claim": "Video nói có bắt cóc trẻ em ở chợ xã A, công an giấu.",
            "note": "Tôi ở gần chợ, không thấy gì.", "captcha_0": "x", "captcha_1": "PASSED"}
    for i in range(2):  # two posts (the same post twice would be one entry, counted twice)
        assert client.post("/cong-dan/tin-sai/bao-tin-sai/",
                           {**form, "url": f"https://tiktok.com/@x/video/{i}"},
                           REMOTE_ADDR="203.0.113.7").status_code == 302
    refused = client.post("/cong-dan/tin-sai/bao-tin-sai/", form, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429 and FalseClaim.objects.count() == 2
    bad = client.post("/cong-dan/tin-sai/bao-tin-sai/", {**form, "claim": "ngắn"},
                      REMOTE_ADDR="203.0.113.8")
    assert bad.status_code == 400 and FalseClaim.objects.count() == 2
    row = FalseClaim.objects.first()
    assert (row.status, row.from_citizen, row.unit, row.created_by) == (
        ClaimStatus.REPORTED, True, None, None)
    # Nothing of the citizen anywhere: not the address in any table, not in the journal.
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "get_internal_type", lambda: "")() in ("CharField", "TextField",
                                                                      "GenericIPAddressField"):
                hits = model._base_manager.filter(**{f"{field.name}__contains": "203.0.113"})
                assert not hits.exists(), f"{model.__name__}.{field.name} keeps the address"
    # The register's inbox: the province's keepers see it and take it in, or dismiss it.
    from pctp.units.models import Unit
    from pctp.units.services import membership_grant

    membership_grant(actor=None, user=people["lead_a"], unit=Unit.objects.get(code="P80-CA"),
                     role_code="unit_leader", valid_from=date(2025, 7, 1))
    assert q.claim_scope(people["lead_a"]).filter(status="reported").count() == 2
    assert q.claim_scope(people["leader"]).filter(status="reported").count() == 0
    s.claim_accept(actor=people["lead_a"], claim=row, unit=communes["police_a"])
    row.refresh_from_db()
    assert (row.status, row.unit) == (ClaimStatus.SEEN, communes["police_a"])


@time_machine.travel(NOW, tick=False)
def test_pages_and_api(people, communes):
    campaign = _campaign(people["lead_a"], communes["police_a"], [communes["a"]])
    claim = _claim(people, communes, campaign=campaign)
    client = login_verified(people["lead_a"])
    page = client.get(f"/outreach/campaigns/{campaign.pk}/").content.decode()
    assert "Phòng chống lừa đảo qua mạng" in page and "chưa đủ số liệu" in page
    assert client.get("/outreach/").status_code == 200
    assert client.get(f"/outreach/claims/{claim.pk}/").status_code == 200
    created = client.post("/outreach/campaigns/new/", {
        "title": "Ma túy học đường", "theme": "Ma túy trong trường học", "unit":
        communes["police_a"].pk, "starts_on": "01/04/2026", "ends_on": "30/04/2026",
        "communes": [communes["a"].pk], "channels": ["school"], "audiences": ["students"]})
    assert created.status_code == 302
    refused = client.post(f"/outreach/campaigns/{campaign.pk}/reach/",
                          {"channel": "social", "on": "01/07/2026", "views": "5"})
    assert refused.status_code == 400 and "tương lai" in refused.content.decode()
    assert login_verified(people["lead_b"]).get(
        f"/outreach/campaigns/{campaign.pk}/").status_code == 404
    api = api_client(people["lead_a"])
    rows = api.get("/api/v1/outreach/campaigns/").json()["results"]
    assert {r["title"] for r in rows} == {"Phòng chống lừa đảo qua mạng", "Ma túy học đường"}
    effect = api.get(f"/api/v1/outreach/campaigns/{campaign.pk}/effect/").json()
    assert [o["verdict"] for o in effect["outcomes"]] == ["not_enough"] * 3
    step = api.post(f"/api/v1/outreach/claims/{claim.pk}/verify/",
                    {"facts": "Đã xác minh: không có việc nhận tiền."}, format="json")
    assert step.status_code == 200 and step.json()["status"] == "verified"
    assert api_client(people["lead_b"]).post(
        f"/api/v1/outreach/claims/{claim.pk}/refute/", {"title": "T", "body": "x" * 40},
        format="json").status_code == 404
    assert api_client(people["intake"]).get("/api/v1/outreach/campaigns/").status_code == 403
    from rest_framework.test import APIClient

    public = APIClient()
    assert public.get("/api/v1/portal/refutations/").json() == []
    sent = public.post("/api/v1/portal/false-information/",
                       {"platform": "zalo", "claim": "Tin nhắn Zalo nói công an phạt nguội."},
                       format="json", REMOTE_ADDR="198.51.100.4")
    assert sent.status_code == 201


@time_machine.travel(datetime(2026, 5, 10, 9, tzinfo=VN), tick=False)
def test_the_effect_of_a_campaign_on_portal_reports_end_to_end(people, communes):
    """Commune A targeted 02/03–29/03/2026; commune B and the province's other communes
    not. In A, 2 portal reports a week for the 12 weeks before and 6 a week for the 8 weeks
    after; in B one a week throughout, elsewhere none. Targeted: 2 → 6; the others the same
    before and after (1 a week over their number); the change +4 per week, 24 + 48 = 72
    events in A."""
    from pctp.portal.models import PortalReport

    campaign = _campaign(people["lead_a"], communes["police_a"], [communes["a"]],
                         crime_groups=[], articles=[])
    n = 0
    start = date(2026, 3, 2)
    for week in range(-12, 8):
        for i in range(3 if week < 0 else 7):  # the last one of each week in B
            n += 1
            at = datetime.combine(start + timedelta(days=7 * week + 1), datetime.min.time(),
                                  tzinfo=VN).replace(hour=10)
            commune = communes["b"] if i == (2 if week < 0 else 6) else communes["a"]
            row = PortalReport.objects.create(
                tracking_code=f"T{n}", passphrase_hash="x", unit=communes["police_a"],
                commune=commune, crime_type="fraud", description="Lừa đảo qua mạng",
                client_token=f"t{n}")
            PortalReport.objects.filter(pk=row.pk).update(created_at=at)
    tips = q.campaign_effect(campaign)[0]
    assert (tips.outcome, tips.weeks_before, tips.weeks_after) == ("tips", 12, 8)
    assert (tips.treated_before, tips.treated_after) == (2, 6)
    assert tips.control_before > 0 and tips.control_after == pytest.approx(tips.control_before)
    assert (tips.effect, tips.treated_events, tips.verdict) == (4, 72, "increase")


@time_machine.travel(NOW, tick=False)
def test_a_campaigns_warnings_show_with_it_on_the_public_page(people, communes, client):
    from pctp.portal.models import Bulletin

    warning = Bulletin.objects.create(title="Cảnh giác cuộc gọi giả danh công an",
                                      body="Không chuyển tiền.", author=people["lead_a"],
                                      unit=communes["police_a"], published_at=NOW)
    other = Bulletin.objects.create(title="Phòng ngừa trộm cắp xe máy", body="Khóa xe.",
                                    author=people["lead_a"], unit=communes["police_a"],
                                    published_at=NOW)
    campaign = _campaign(people["lead_a"], communes["police_a"], [communes["a"]],
                         warnings=[warning])
    page = client.get(f"/cong-dan/tin-sai/?chien-dich={campaign.pk}").content.decode()
    assert warning.title in page and other.title not in page
    assert campaign.title in client.get("/cong-dan/tin-sai/").content.decode()
    created = api_client(people["lead_a"]).post("/api/v1/outreach/campaigns/", {
        "title": "Đợt hai", "theme": "Lừa đảo", "unit": communes["police_a"].code,
        "starts_on": "2026-06-01", "ends_on": "2026-06-30", "communes": [communes["a"].code],
        "warnings": [other.pk, 999999]}, format="json")
    assert created.status_code == 400 and "warnings" in created.json()["error"]["details"]


@time_machine.travel(NOW, tick=False)
def test_api_validation_details_speak_vietnamese(people, communes):
    """DRF's own Vietnamese catalogue lacks most of its messages (QA of issue 21)."""
    campaign = _campaign(people["lead_a"], communes["police_a"], [communes["a"]])
    answer = api_client(people["lead_a"]).post(
        f"/api/v1/outreach/campaigns/{campaign.pk}/reach/",
        {"channel": "social", "on": "2026-06-01", "views": "nhiều"}, format="json").json()
    assert answer["error"]["details"]["views"] == ["Cần một số nguyên hợp lệ."]
