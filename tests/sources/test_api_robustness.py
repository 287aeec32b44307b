"""The sources API refuses impossible dates with 400, not a 500."""

import pytest

from tests.personas import api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "xyz"])
def test_a_date_filter_that_is_no_calendar_date_is_refused(officer_a, value):
    response = api_client(officer_a).get("/api/v1/sources/", {"date_from": value})
    assert response.status_code == 400, response.content[:300]
    assert "date_from" in response.json()["error"]["details"]


def test_a_real_date_filter_still_filters(officer_a):
    response = api_client(officer_a).get("/api/v1/sources/", {"date_to": "2026-02-28"})
    assert response.status_code == 200


def test_a_receipt_time_in_year_one_is_refused(officer_a, communes):
    response = api_client(officer_a).post("/api/v1/sources/", {
        "received_at": "0001-01-01", "commune": communes["a"].code}, format="json")
    assert response.status_code == 400, response.content[:300]
    assert "received_at" in response.json()["error"]["details"]
