"""The demo lists of 2025 and 2026 show every status, and seeding twice changes nothing."""

import io
from datetime import date

import pytest

from pctp.areas import demo
from pctp.areas.indicators import t9_transformed
from pctp.areas.models import Assessment, KeyArea, ModelCommune, Status
from pctp.units.demo import seed_people
from pctp.units.models import Commune
from tests.areas.conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_people("Demo-Password-2026")
    busy = Commune.objects.filter(province__code="80").order_by("code")[10]
    for month in range(1, 8):  # crimes well above the level at selection, one unsolved
        make_case(busy, date(2026, month, 5), detected=date(2026, month, 9) if month > 1
                  else None)
    return demo.seed(password="Demo-Password-2026", stdout=io.StringIO()), busy


def test_every_status_appears_and_a_second_run_changes_nothing(seeded):
    summary, busy = seeded
    assert summary["key areas"] == 13
    assert {a.status for a in KeyArea.objects.all()} == set(Status.values)
    assert set(KeyArea.objects.values_list("year", flat=True)) == {2025, 2026}
    watched = KeyArea.objects.get(commune=busy, year=2025)
    assert watched.status == Status.RELAPSED and watched.watch_checks.filter(
        level="relapse").exists()
    again = KeyArea.objects.filter(relapse_evidence__has_key="selected_again").get()
    assert again.later_selections.get().year == 2026
    assert KeyArea.objects.filter(part_geometry__isnull=False).count() == 1
    assert Assessment.objects.filter(state="signed").count() == 7
    assert ModelCommune.objects.count() == 3
    # 2025: five of the seven areas were assessed as transformed.
    t9 = t9_transformed(KeyArea.objects.all(), date(2025, 1, 1), date(2025, 12, 31))
    assert (t9.numerator, t9.denominator) == (5, 7)
    count = KeyArea.objects.count()
    assert demo.seed(password="x", stdout=io.StringIO()) == {"key areas": count}
    assert KeyArea.objects.count() == count
