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
    # Custody runs through Tết: 9 days from 00:00 on 14/02/2026 (day 1) end at 24:00 on
    # 22/02/2026.
    assert ok.status_code == 200 and ok.json()["due"] == "2026-02-22"
    assert ok.json()["due_at"] == "2026-02-23T00:00"
    assert ok.json()["can_extend"] is False
    # From the hour received: 14:00 on 14/02 + 9 days = 14:00 on 23/02/2026.
    hourly = client.get("/api/v1/law/deadline/", {"rule": "custody", "start": "2026-02-14T14:00",
                                                  "extensions": 2}).json()
    assert (hourly["due"], hourly["due_at"]) == ("2026-02-23", "2026-02-23T14:00")
    for start in ("9999-12-30", "2026-02-30", "2026-02-14T25:00"):
        far = client.get("/api/v1/law/deadline/", {"rule": "custody", "start": start})
        assert far.status_code == 400 and "error" in far.json(), start
    # A limit counted in months past the year 9999 (QA: a 500 from date(10000, ...)).
    far = client.get("/api/v1/law/deadline/", {"rule": "investigation", "start": "9999-01-01",
                                               "severity": "especially_serious"})
    assert far.status_code == 400 and far.json()["error"]["code"] == "out_of_range"
    # A time of day for a limit counted in days is refused, not a server error.
    odd = client.get("/api/v1/law/deadline/", {"rule": "investigation", "severity": "serious",
                                               "start": "2026-02-14T14:00"})
    assert odd.status_code == 400
    bad = client.get("/api/v1/law/deadline/", {"rule": "custody", "start": "2026-02-14",
                                               "extensions": 3})
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "too_many_extensions"


def test_offence_api_gives_clauses_and_group(officer_a):
    data = api_client(officer_a).get("/api/v1/law/offences/251/").json()
    assert data["group"] == "drugs"
    assert [c["severity"] for c in data["clauses"]] == [
        "serious", "very_serious", "especially_serious", "especially_serious"]


def test_deadline_calculator_counts_custody_from_the_hour(officer_a):
    # 3 days from 14:00 on 14/02/2026 expire at 14:00 on 17/02/2026.
    html = login(officer_a).get("/law/deadline/", {
        "rule": "custody", "start": "2026-02-14", "start_time": "14:00",
        "extensions": "0"}).content.decode()
    assert "14:00 14/02/2026" in html and "14:00 17/02/2026" in html
    # Detention ends at 24:00 of its last day: 60 days from 10/01/2026 -> 10/03/2026.
    html = login(officer_a).get("/law/deadline/", {
        "rule": "detention.investigation", "start": "2026-01-10", "severity": "less_serious",
        "extensions": "0"}).content.decode()
    assert "24:00 10/03/2026" in html


def test_the_offence_page_dates_the_2025_amendments(officer_a):
    html = login(officer_a).get("/law/offences/?q=353").content.decode()
    assert "Tử hình đến 30/06/2025" in html or "tử hình đến 30/06/2025" in html
    html = login(officer_a).get("/law/offences/?q=256a").content.decode()
    assert "có hiệu lực từ 01/07/2025" in html
    data = api_client(officer_a).get("/api/v1/law/offences/353/").json()
    clause4 = data["clauses"][3]
    assert [(v["max_penalty"], v["effective_to"]) for v in clause4["versions"]] == [
        ("death", "2025-06-30"), ("life", None)]
