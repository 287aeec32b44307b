"""Pages and API: what a leader sees and does, and the refusal of outsiders."""

from datetime import date

import pytest

from pctp.areas import services as s
from pctp.areas.models import KeyArea, Status
from tests.areas.conftest import ALL_MET, make_case, police
from tests.personas import api_client, login, login_verified


@pytest.fixture
def area(three, select, leader):
    make_case(three[0], date(2025, 6, 1), detected=date(2025, 6, 5))
    area = select(three[0], on=date(2026, 1, 5), reasons="Nhiều vụ trộm cắp")
    s.area_start(actor=leader, area=area, on=date(2026, 1, 10))
    s.area_add_measure(actor=leader, area=area, title="Tuần tra ban đêm",
                       content="Tuần tra khu chợ", lead_unit=police(three[0]),
                       deadline=date(2026, 6, 30))
    s.assessment_draft(actor=leader, area=area, recorded=ALL_MET, as_of=date(2026, 11, 15))
    return area


@pytest.fixture
def outsider(make_user, three):
    """A unit leader of commune B's police: may view areas, but not commune A's."""
    return make_user("unit_leader", police(three[1]), name="Trưởng Công an xã B")


def test_the_leader_sees_every_page(leader, area, three):
    client = login_verified(leader)
    assert client.get("/areas/").status_code == 200
    ranking = client.get("/areas/ranking/?year=2025&type=social_order")
    assert ranking.status_code == 200 and three[0].name in ranking.content.decode()
    records = client.get(f"/areas/ranking/{three[0].code}/?year=2025&type=social_order")
    assert records.status_code == 200
    page = client.get(f"/areas/{area.pk}/")
    body = page.content.decode()
    assert page.status_code == 200 and "Tuần tra ban đêm" in body and "Nhiều vụ trộm cắp" in body
    assessment = area.assessments.get()
    assert client.get(f"/areas/assessments/{assessment.pk}/").status_code == 200
    map_page = client.get("/areas/map/?year=2026")
    assert map_page.status_code == 200 and "plotly-figure" in map_page.content.decode()
    assert "unsafe-inline" in map_page["Content-Security-Policy"]
    assert "script-src 'self'" in map_page["Content-Security-Policy"]
    assert client.get("/areas/model-communes/").status_code == 200


def test_the_leader_signs_on_the_page(leader, area):
    client = login_verified(leader)
    assessment = area.assessments.get()
    response = client.post(f"/areas/assessments/{assessment.pk}/sign/",
                           {"sign-on": "2026-11-20"})
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.status == Status.TRANSFORMED and area.assessed_on == date(2026, 11, 20)


def test_an_unlawful_step_on_the_page_answers_409(leader, area):
    client = login_verified(leader)
    response = client.post(f"/areas/{area.pk}/remove/", {"remove-decision_number": "5/QĐ"})
    assert response.status_code == 409
    assert "Chỉ đưa ra khỏi danh sách" in response.content.decode()


def test_outsiders_are_refused_on_pages(make_user, area, outsider, three):
    officer = make_user("intake_officer", police(three[0]))  # no areas.view_keyarea
    client = login(officer)
    for url in ("/areas/", "/areas/ranking/", "/areas/map/", f"/areas/{area.pk}/"):
        assert client.get(url).status_code == 403, url
    other = login_verified(outsider)
    assert other.get(f"/areas/{area.pk}/").status_code == 404
    assessment = area.assessments.get()
    assert other.get(f"/areas/assessments/{assessment.pk}/").status_code == 404
    assert other.post(f"/areas/assessments/{assessment.pk}/sign/").status_code == 404
    assert other.get("/areas/new/").status_code == 403
    assert area.name not in other.get("/areas/").content.decode()
    assert other.get(f"/areas/ranking/{three[0].code}/").status_code == 404


def test_the_api_selects_and_walks_an_area(leader, three, steering):
    client = api_client(leader)
    response = client.post("/api/v1/areas/", {
        "year": 2026, "commune": three[2].code, "types": ["drugs"],
        "decision_number": "12/QĐ-BCĐ", "decision_date": "2026-02-01",
        "steering_unit": steering.code, "lead_unit": police(three[2]).code}, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "selected"
    assert client.post(f"/api/v1/areas/{pk}/start/", {"on": "2026-02-10"},
                       format="json").status_code == 200
    again = client.post(f"/api/v1/areas/{pk}/start/", {}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
    removed = client.post(f"/api/v1/areas/{pk}/remove/", {"decision_number": "1/QĐ"},
                          format="json")
    assert removed.status_code == 409
    draft = client.post(f"/api/v1/areas/{pk}/assessments/", {
        "community_model": True, "community_model_evidence": "Mô hình tự quản",
        "political_system": True, "political_system_evidence": "Chi bộ ấp",
        "conventions": True, "conventions_evidence": "Hương ước"}, format="json")
    assert draft.status_code == 201 and draft.json()["result"] == "transformed"
    signed = client.post(f"/api/v1/areas/assessments/{draft.json()['id']}/sign/", {},
                         format="json")
    assert signed.status_code == 200 and signed.json()["state"] == "signed"
    assert client.get(f"/api/v1/areas/{pk}/").json()["status"] == "transformed"
    timeline = client.get(f"/api/v1/areas/{pk}/timeline/").json()
    assert [e["action"] for e in timeline][:2] == ["keyarea.select", "keyarea.start"]
    ranking = client.get("/api/v1/areas/ranking/?year=2026&type=drugs")
    assert ranking.status_code == 200 and len(ranking.json()["results"]) == 96
    indicators = client.get("/api/v1/areas/indicators/?start=2026-01-01&end=2026-12-31")
    assert indicators.json()["T9"]["numerator_ids"] == [pk]


def test_outsiders_are_refused_by_the_api(make_user, area, outsider, three, steering):
    officer = make_user("intake_officer", police(three[0]))
    assert api_client(officer).get("/api/v1/areas/").status_code == 403
    assert api_client(officer).get("/api/v1/areas/ranking/").status_code == 403
    client = api_client(outsider)
    assert client.get(f"/api/v1/areas/{area.pk}/").status_code == 404
    assert client.post(f"/api/v1/areas/{area.pk}/start/", {}, format="json").status_code == 404
    assert area.pk not in [a["id"] for a in client.get("/api/v1/areas/").json()["results"]]
    refused = client.post("/api/v1/areas/", {
        "year": 2026, "commune": three[1].code, "types": ["drugs"],
        "decision_number": "13/QĐ-BCĐ", "decision_date": "2026-02-01",
        "steering_unit": steering.code, "lead_unit": police(three[1]).code}, format="json")
    assert refused.status_code == 403
    assert not KeyArea.objects.filter(decision_number="13/QĐ-BCĐ").exists()


def test_a_leader_of_the_commune_sees_its_area(make_user, area, three):
    head = make_user("unit_leader", police(three[0]))
    assert api_client(head).get(f"/api/v1/areas/{area.pk}/").status_code == 200
