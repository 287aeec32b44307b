"""The key-areas API refuses impossible dates and years with 400, not a 500."""

from datetime import date

import pytest

from pctp.areas import services as s
from tests.personas import api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("param", ["start", "end", "as_of"])
def test_an_indicator_period_of_february_30_is_refused(leader, param):
    response = api_client(leader).get("/api/v1/areas/indicators/", {param: "2026-02-30"})
    assert response.status_code == 400, response.content[:300]
    assert param in response.json()["error"]["details"]


@pytest.mark.parametrize("year", ["0", "99999999999999999999", "xyz"])
def test_a_ranking_year_off_the_calendar_is_refused(leader, year):
    response = api_client(leader).get("/api/v1/areas/ranking/", {"year": year})
    assert response.status_code == 400, response.content[:300]


def test_an_assessment_ending_on_the_last_day_of_the_calendar_is_refused(three, select, leader):
    area = select(three[0])
    s.area_start(actor=leader, area=area, on=date(2026, 1, 10))
    response = api_client(leader).post(f"/api/v1/areas/{area.pk}/assessments/",
                                       {"period_end": "9999-12-31"}, format="json")
    assert response.status_code == 400, response.content[:300]
    assert "period_end" in response.json()["error"]["details"]
