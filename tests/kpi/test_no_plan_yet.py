"""Before any plan has targets, every KPI page says so (404 with the reason), never a 500
(found by the access matrix, issue 16)."""

import pytest

from tests.personas import login_verified

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/kpi/", "/kpi/export.xlsx", "/kpi/units/", "/kpi/T1/",
                                 "/kpi/T1/records/", "/kpi/T1/records.xlsx"])
def test_kpi_pages_without_a_plan_say_so(make_user, url):
    leader = make_user("provincial_leader", "P80", name="Lãnh đạo tỉnh")
    response = login_verified(leader).get(url)
    assert response.status_code == 404, response.content[:300]
    assert "Chưa có kế hoạch nào có chỉ tiêu" in response.content.decode()
