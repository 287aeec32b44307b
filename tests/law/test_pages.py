"""The offences page and the time-limit calculator, as an officer uses them."""

import pytest

from tests.personas import api_client, login

pytestmark = pytest.mark.django_db


def test_offence_search_works_without_diacritics(officer_a):
    html = login(officer_a).get("/law/offences/?q=trom+cap").content.decode()
    assert "Tội trộm cắp tài sản" in html
    assert "Tội giết người" not in html


def test_offence_search_by_article_number(officer_a):
    html = login(officer_a).get("/law/offences/?q=217a").content.decode()
    assert "kinh doanh theo phương thức đa cấp" in html


def test_deadline_calculator_shows_due_date_and_basis(officer_a):
    html = login(officer_a).get("/law/deadline/", {
        "rule": "investigation", "start": "2026-01-30", "severity": "serious",
        "extensions": "0"}).content.decode()
    assert "04/05/2026" in html and "Điều 172" in html
    assert "đã lùi sang ngày làm việc" in html


def test_deadline_calculator_explains_a_missing_severity_in_vietnamese(officer_a):
    html = login(officer_a).get("/law/deadline/", {
        "rule": "investigation", "start": "2026-01-30"}).content.decode()
    assert "hãy chọn mức độ nghiêm trọng" in html


def test_deadline_api_returns_the_result_or_the_error_shape(officer_a):
    client = api_client(officer_a)
    ok = client.get("/api/v1/law/deadline/", {"rule": "custody", "start": "2026-02-14",
                                              "extensions": 2})
    # Custody runs through Tết: 14/02/2026 + 3 + 3 + 3 days = 23/02/2026.
    assert ok.status_code == 200 and ok.json()["due"] == "2026-02-23"
    assert ok.json()["can_extend"] is False
    bad = client.get("/api/v1/law/deadline/", {"rule": "custody", "start": "2026-02-14",
                                               "extensions": 3})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "too_many_extensions"


def test_offence_api_gives_clauses_and_group(officer_a):
    data = api_client(officer_a).get("/api/v1/law/offences/251/").json()
    assert data["group"] == "drugs"
    assert [c["severity"] for c in data["clauses"]] == [
        "serious", "very_serious", "especially_serious", "especially_serious"]
