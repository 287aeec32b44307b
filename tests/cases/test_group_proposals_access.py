"""The API's group proposals ask the page's permission (cases.manage_group): a procurator,
a judge or the leader, who see cases but keep no group register, get 403 from both (found
by the access matrix, issue 16)."""

import pytest

from tests.personas import api_client, login_verified

pytestmark = pytest.mark.django_db


def test_proposals_need_the_group_register_permission(investigator, procurator, judge,
                                                      make_user):
    leader = make_user("provincial_leader", "P80", name="Lãnh đạo tỉnh")
    for user in (procurator, judge, leader):
        assert login_verified(user).get("/cases/groups/proposals/").status_code == 403
        response = api_client(user).get("/api/v1/cases/groups/proposals/")
        assert response.status_code == 403, (user, response.content[:200])
    assert api_client(investigator).get("/api/v1/cases/groups/proposals/").status_code == 200
