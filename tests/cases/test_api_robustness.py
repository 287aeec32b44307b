"""The cases API refuses impossible dates with 400, not a 500."""

import pytest

from tests.personas import api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("param", ["date_from", "date_to"])
def test_a_date_filter_of_february_30_is_refused(investigator, param):
    response = api_client(investigator).get("/api/v1/cases/", {param: "2026-02-30"})
    assert response.status_code == 400, response.content[:300]
    assert param in response.json()["error"]["details"]


def test_an_occurrence_in_year_one_is_refused(investigator):
    response = api_client(investigator).post("/api/v1/cases/", {"occurred_at": "0001-01-01"},
                                             format="json")
    assert response.status_code == 400, response.content[:300]
    assert "occurred_at" in response.json()["error"]["details"]
