"""A commune officer sees their own commune's records and nothing of another's."""

import pytest

from pctp.units.models import Unit
from pctp.units.selectors import units_in_scope, user_has_perm_in_unit
from tests.personas import api_client, login

pytestmark = pytest.mark.django_db


def test_commune_officer_sees_only_their_own_commune_police(officer_a, communes):
    visible = set(units_in_scope(officer_a).values_list("code", flat=True))
    assert visible == {communes["police_a"].code}


def test_commune_officer_gets_404_for_another_communes_unit_page(officer_a, communes):
    client = login(officer_a)
    own = client.get(f"/units/{communes['police_a'].pk}/")
    other = client.get(f"/units/{communes['police_b'].pk}/")
    assert own.status_code == 200
    assert other.status_code == 404
    assert communes["police_b"].name.encode() not in other.content


def test_commune_officer_gets_404_for_another_communes_unit_by_api(officer_a, officer_b, communes):
    client = api_client(officer_a)
    other = client.get(f"/api/v1/units/{communes['police_b'].pk}/")
    assert other.status_code == 404
    assert other.json()["error"]["code"] == "not_found"
    members = client.get(f"/api/v1/units/{communes['police_b'].pk}/members/")
    assert members.status_code == 404
    assert officer_b.full_name not in members.content.decode()
    listing = client.get("/api/v1/units/").json()
    assert [u["code"] for u in listing["results"]] == [communes["police_a"].code]


def test_unit_list_page_hides_other_communes(officer_a, communes):
    page = login(officer_a).get("/units/").content.decode()
    assert communes["police_a"].name in page
    assert communes["police_b"].name not in page


def test_provincial_police_leader_sees_every_commune_police_below(make_user):
    chief = make_user("unit_leader", "P80-CA", is_head=True)
    visible = units_in_scope(chief)
    # The 96 of today and the 6 town police closed on 1 July 2025 (their records stay theirs).
    assert visible.filter(kind=Unit.Kind.COMMUNE_POLICE).count() == 96 + 6
    assert visible.current().filter(kind=Unit.Kind.COMMUNE_POLICE).count() == 96
    assert not visible.filter(kind=Unit.Kind.COURT).exists()


def test_provincial_leader_sees_the_whole_province(leader):
    assert units_in_scope(leader).count() == Unit.objects.filter(province__code="80").count()


def test_unit_permission_holds_only_inside_the_users_subtree(officer_a, communes):
    assert user_has_perm_in_unit(officer_a, "units.view_unit", communes["police_a"])
    assert not user_has_perm_in_unit(officer_a, "units.view_unit", communes["police_b"])
    assert not user_has_perm_in_unit(officer_a, "units.manage_units", communes["police_a"])


def test_a_user_without_membership_sees_nothing(db):
    from pctp.core.models import User

    nobody = User.objects.create_user("nobody", password="x-Long-Password-1")
    assert units_in_scope(nobody).count() == 0
    assert login(nobody).get("/units/").status_code == 403


def test_ended_membership_removes_access(officer_a, communes):
    from pctp.units.services import membership_end

    membership_end(actor=None, membership=officer_a.memberships.get())
    officer_a = type(officer_a).objects.get(pk=officer_a.pk)
    assert units_in_scope(officer_a).count() == 0
