"""Crime sources through the pages and the API, per persona."""

import pytest
import time_machine

from pctp.core.models import AccessLog
from pctp.sources import services as s
from pctp.sources.models import Source
from tests.personas import api_client, login
from tests.sources.conftest import at

pytestmark = pytest.mark.django_db


def form_data(communes, **extra):
    data = {"unit": communes["police_a"].pk, "kind": "denunciation", "channel": "in_person",
            "summary": "Trộm cắp điện thoại", "content": "Bị giật điện thoại trên đường.",
            "commune": communes["a"].pk, "address": "Đường 30/4", "reporter_type": "person",
            "reporter_name": "Trần Thị Bình", "reporter_personal_id": "072190001234",
            "reporter_contact": "0987654321", "client_token": "tok-1"}
    data.update(extra)
    return data


def test_officer_receives_a_source_through_the_page(officer_a, communes):
    client = login(officer_a)
    assert client.get("/sources/new/").status_code == 200
    response = client.post("/sources/new/", form_data(communes))
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sources/{source.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Trộm cắp điện thoại" in page and source.register_code in page
    assert "Trần Thị Bình" not in page  # identity only on the logged identity page


def test_a_double_submitted_form_creates_one_source(officer_a, communes):
    client = login(officer_a)
    client.post("/sources/new/", form_data(communes))
    client.post("/sources/new/", form_data(communes))
    assert Source.objects.count() == 1


def test_invalid_personal_id_is_an_error_on_the_field_and_nothing_is_saved(officer_a, communes):
    response = login(officer_a).post("/sources/new/",
                                     form_data(communes, reporter_personal_id="12345"))
    assert response.status_code == 200
    assert "12 chữ số" in response.content.decode()
    assert Source.objects.count() == 0


def test_a_future_time_is_refused_on_the_field(officer_a, communes):
    response = login(officer_a).post("/sources/new/",
                                     form_data(communes, occurred_at="2099-01-01T10:00"))
    assert response.status_code == 200 and Source.objects.count() == 0
    assert "tương lai" in response.content.decode()


@pytest.fixture
def source_a(officer_a, receive):
    return receive(officer_a)


def test_another_commune_cannot_see_the_source_by_page_or_api(officer_b, source_a):
    assert login(officer_b).get(f"/sources/{source_a.pk}/").status_code == 404
    api = api_client(officer_b)
    assert api.get(f"/api/v1/sources/{source_a.pk}/").status_code == 404
    assert api.get("/api/v1/sources/").json()["count"] == 0
    assert api.post(f"/api/v1/sources/{source_a.pk}/forward/").status_code == 404
    assert login(officer_b).post(f"/sources/{source_a.pk}/forward/").status_code == 404


def test_an_unlawful_step_by_api_is_409_naming_the_state(officer_a, source_a):
    response = api_client(officer_a).post(f"/api/v1/sources/{source_a.pk}/initiate/",
                                          {"decision_number": "1/QĐ"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition" and error["details"]["state"] == "received"


def test_an_unlawful_step_by_page_is_refused_with_the_reason(officer_a, source_a):
    response = login(officer_a).post(f"/sources/{source_a.pk}/initiate/",
                                     {"decision_number": "1/QĐ"})
    assert response.status_code == 409
    assert "đã tiếp nhận" in response.content.decode()


def test_receive_and_walk_by_api(intake_body, head, investigator, body):
    api = api_client(intake_body)
    created = api.post("/api/v1/sources/", {
        "unit": body.code, "kind": "crime_report", "channel": "hotline_113",
        "summary": "Đánh nhau gây thương tích", "content": "Hai nhóm thanh niên đánh nhau.",
        "reporter_type": "anonymous"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    classified = api.post(f"/api/v1/sources/{pk}/classify/", {"article": "134", "clause": 1},
                          format="json")
    assert classified.json()["severity"] == "less_serious"
    assigned = api_client(head).post(f"/api/v1/sources/{pk}/assign/",
                                     {"investigator": investigator.username}, format="json")
    assert assigned.json()["status"] == "verifying"
    decided = api_client(investigator).post(
        f"/api/v1/sources/{pk}/decline/",
        {"ground": "not_a_crime", "decision_number": "5/QĐ", "note": "Xô xát nhẹ"}, format="json")
    assert decided.status_code == 200 and decided.json()["status"] == "declined"


def test_api_validation_errors_use_the_error_shape(intake_body, body):
    response = api_client(intake_body).post("/api/v1/sources/", {
        "unit": body.code, "kind": "crime_report", "channel": "hotline_113", "summary": "x",
        "content": "y", "reporter_type": "person", "reporter_name": "A",
        "reporter_personal_id": "000000000000"}, format="json")
    assert response.status_code == 400
    assert "reporter_personal_id" in response.json()["error"]["details"]


def test_viewing_identity_is_logged_every_time(officer_a, source_a):
    client = login(officer_a)
    for _ in range(2):
        page = client.get(f"/sources/{source_a.pk}/identity/").content.decode()
        assert "Nguyễn Văn An" in page and "079092001234" in page
    assert AccessLog.objects.filter(object_id=str(source_a.pk), actor=officer_a).count() == 2
    api = api_client(officer_a).get(f"/api/v1/sources/{source_a.pk}/identity/")
    assert api.json()["name"] == "Nguyễn Văn An"
    assert AccessLog.objects.filter(object_id=str(source_a.pk)).count() == 3


def test_confidential_identity_is_for_handlers_only(officer_a, procurator, receive):
    source = receive(officer_a, reporter=s.Reporter(type="person", name="Lê Bí Mật",
                                                    personal_id="079092001234",
                                                    confidential=True))
    assert login(procurator).get(f"/sources/{source.pk}/").status_code == 200
    assert login(procurator).get(f"/sources/{source.pk}/identity/").status_code == 403
    assert api_client(procurator).get(f"/api/v1/sources/{source.pk}/identity/").status_code == 403


def test_identity_is_unreadable_in_the_database(source_a):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM sources_source WHERE id = %s", [source_a.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert "Nguyễn" not in row and "079092001234" not in row and "0912345678" not in row


def test_search_works_with_and_without_diacritics(officer_a, receive):
    receive(officer_a, summary="Trộm cắp xe máy", content="Mất xe")
    receive(officer_a, summary="Lừa đảo qua mạng", content="Chiếm đoạt tiền")
    client = api_client(officer_a)
    for query in ("trom cap", "Trộm cắp", "TROM"):
        results = client.get("/api/v1/sources/", {"q": query}).json()["results"]
        assert [r["summary"] for r in results] == ["Trộm cắp xe máy"], query
    page = login(officer_a).get("/sources/?queue=all&q=lua+dao").content.decode()
    assert "Lừa đảo qua mạng" in page and "Trộm cắp xe máy" not in page


def test_overdue_queue_lists_sources_past_their_limit(officer_a, receive):
    with time_machine.travel(at(2026, 1, 5, 9, 0), tick=False):
        old = receive(officer_a, summary="Nguồn tin cũ")
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        receive(officer_a, summary="Nguồn tin mới")
        overdue = api_client(officer_a).get("/api/v1/sources/", {"queue": "overdue"}).json()
        assert [r["id"] for r in overdue["results"]] == [old.pk]
        page = login(officer_a).get("/sources/?queue=overdue").content.decode()
        assert "Nguồn tin cũ" in page and "Nguồn tin mới" not in page


def test_procuracy_sees_pending_extension_requests(intake_body, head, investigator, procurator,
                                                   receive, body):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        source = receive(intake_body, unit=body)
        s.source_classify(actor=intake_body, source=source, article="173")
        s.source_assign(actor=head, source=source, investigator=investigator)
        s.source_extend(actor=head, source=source, reason="Phức tạp")
        s.source_request_extension(actor=investigator, source=source, reason="Chờ định giá")
        queue = api_client(procurator).get("/api/v1/sources/", {"queue": "procuracy"}).json()
        assert [r["id"] for r in queue["results"]] == [source.pk]
        response = login(procurator).post(f"/sources/{source.pk}/extension_decision/",
                                          {"approve": "yes", "note": "Đồng ý"})
        assert response.status_code == 302
        source.refresh_from_db()
        assert source.extensions == 2


def test_schema_has_every_step_and_no_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
