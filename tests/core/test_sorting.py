"""Issue 17: every list sorts as asked, the order kept in the URL with the other filters."""

import pytest

from pctp.core.audit import audit_record
from tests.personas import login, login_verified

pytestmark = pytest.mark.django_db


def test_the_journal_sorts_both_ways_and_keeps_its_filters(make_user):
    auditor = make_user("auditor", "P80-TTRA")
    first = make_user("intake_officer", "P80-CA-CSDT", name="Người thứ nhất")
    second = make_user("intake_officer", "P80-CA-CSDT", name="Người thứ hai")
    audit_record(actor=auditor, action="user.create", obj=first)
    audit_record(actor=auditor, action="user.create", obj=second)
    client = login_verified(auditor)
    oldest = client.get("/journal/?sort=at&action=user.create").content.decode()
    newest = client.get("/journal/?sort=-at&action=user.create").content.decode()
    assert oldest.index("Người thứ nhất") < oldest.index("Người thứ hai")
    assert newest.index("Người thứ hai") < newest.index("Người thứ nhất")
    # The sort form carries the filter; the filter form keeps the sort in the URL it makes.
    assert '<input type="hidden" name="action" value="user.create">' in newest
    assert '<option value="-at" selected>' in newest


@pytest.mark.parametrize(("role", "unit", "url", "key"), [
    ("investigator", "P80-CA-CSDT", "/cases/groups/", "name"),
    ("unit_leader", "P80-CA-CSDT", "/cong-dan/xu-ly/", "-sent"),
    ("provincial_leader", "P80", "/areas/", "commune"),
])
def test_each_list_offers_its_orders_and_applies_the_one_asked(role, unit, url, key, make_user):
    user = make_user(role, unit)
    client = login_verified(user) if role in ("unit_leader", "provincial_leader") else login(user)
    page = client.get(f"{url}?sort={key}")
    assert page.status_code == 200
    assert f'<option value="{key}" selected>' in page.content.decode()
    assert client.get(f"{url}?sort=nonsense").status_code == 200  # ignored, not an error


def test_key_areas_filtered_by_type_sort_too(make_user):
    from pctp.areas.models import AreaType

    client = login_verified(make_user("provincial_leader", "P80"))
    for key in ("name", "commune", "-year", "status"):
        page = client.get(f"/areas/?type={AreaType.values[0]}&sort={key}")
        assert page.status_code == 200 and f'<option value="{key}" selected>' in page.content.decode()
