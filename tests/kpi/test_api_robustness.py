"""The KPI API refuses a body that is not an object with 400, not a 500."""

import pytest
import time_machine

from tests.kpi.conftest import TODAY
from tests.personas import api_client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ["[]", '"text"', "123", "null"])
def test_closing_a_period_with_a_body_that_is_not_an_object_is_refused(plan, make_user, body):
    analyst = make_user("statistics_analyst", "P80-CA")
    with time_machine.travel(TODAY, tick=False):
        response = api_client(analyst).post(f"/api/v1/kpi/close/?plan={plan.pk}&period=2026-Q2",
                                            data=body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["code"] == "invalid"
