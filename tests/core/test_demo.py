import pytest
from django.core.management import call_command

from pctp.core.models import User
from pctp.units.models import Membership, Unit

pytestmark = pytest.mark.django_db


def test_demo_seed_is_safe_to_run_twice(capsys):
    call_command("seed-demo")
    counts = (Unit.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed-demo")
    assert (Unit.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    out = capsys.readouterr().out
    assert "lanhdao" in out and "provincial_leader" in out
    # The demo obeys the law it teaches (issue 15): the sweep finds no unlawful state, and
    # every initiated source has its case.
    from pctp.cases.lawfulness import WARNINGS, sweep

    found = {code: [f.message for f in rows[:3]] for code, rows in sweep().items()
             if rows and code not in WARNINGS}
    assert found == {}
    call_command("check-lawful")  # exits 0


def test_demo_province_has_every_kind_of_unit():
    kinds = set(Unit.objects.filter(province__code="80").values_list("kind", flat=True))
    assert kinds == set(Unit.Kind.values)
    assert Unit.objects.filter(kind="commune_police").count() == 96
    assert Unit.objects.filter(kind="commune_committee").count() == 96


def test_the_wards_regional_procuracy_and_court_have_demo_accounts(db):
    """Issue 17: tiepnhan1's ward sends its cases to khu vực 2, whose accounts were missing."""
    from pctp.units.demo import demo_accounts, seed_units
    from pctp.units.models import Commune, Unit

    seed_units()
    accounts = {a.username: a.unit_code for a in demo_accounts()}
    ward = Commune.objects.get(code=Unit.objects.get(code=accounts["tiepnhan1"])
                               .code.rsplit("-", 1)[-1])
    for kind in ("regional_procuracy", "regional_court"):
        region = Unit.objects.get(kind=kind, communes=ward)
        assert region.code in accounts.values(), region.code
