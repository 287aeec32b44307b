"""The plans API refuses impossible dates and NUL bytes with 400, not a 500."""

import pytest

from tests.personas import api_client

pytestmark = pytest.mark.django_db


def test_a_report_period_of_february_30_is_refused(leader):
    response = api_client(leader).get("/api/v1/reports/", {"period_end": "2026-02-30"})
    assert response.status_code == 400, response.content[:300]
    assert "period_end" in response.json()["error"]["details"]


def test_a_nul_byte_in_a_unit_code_is_refused(leader):
    response = api_client(leader).post("/api/v1/tasks/", {"lead_unit": "\x00x"}, format="json")
    assert response.status_code == 400, response.content[:300]
