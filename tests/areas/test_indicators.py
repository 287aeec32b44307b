"""T9 and T10 on a small fixture, with the values computed by hand."""

from datetime import date

import pytest

from pctp.areas.indicators import t9_transformed, t10_not_relapsed
from pctp.areas.models import KeyArea
from tests.areas.conftest import police


@pytest.fixture
def areas(three, steering):
    a = three[0]

    def area(name, year, status, **kw):
        return KeyArea.objects.create(
            year=year, name=name, commune=a, types=["social_order"], decision_number="1/QĐ",
            decision_date=date(year, 2, 1), steering_unit=steering, lead_unit=police(a),
            status=status, status_since=date(year, 2, 1),
            assessment_due=kw.pop("due", date(year, 12, 31)), **kw)

    return {
        "a1": area("a1", 2025, "removed", assessed_on=date(2025, 12, 20),
                   assessment_result="transformed", watch_from=date(2025, 12, 20),
                   watch_until=date(2028, 1, 15)),
        "a2": area("a2", 2025, "not_transformed", assessed_on=date(2025, 12, 22),
                   assessment_result="not_transformed"),
        "a3": area("a3", 2025, "relapsed", assessed_on=date(2026, 1, 10),
                   assessment_result="transformed", watch_from=date(2026, 1, 10),
                   watch_until=date(2028, 1, 10), relapsed_on=date(2026, 5, 31)),
        "a4": area("a4", 2025, "transforming"),
        "a5": area("a5", 2026, "transforming"),
        "a6": area("a6", 2023, "removed", assessed_on=date(2023, 6, 30),
                   assessment_result="transformed", watch_from=date(2023, 6, 30),
                   watch_until=date(2025, 6, 30)),
        "a7": area("a7", 2024, "relapsed", assessed_on=date(2024, 12, 20),
                   assessment_result="transformed", watch_from=date(2024, 12, 20),
                   watch_until=date(2027, 1, 20), relapsed_on=date(2025, 11, 30)),
    }


def names(qs):
    return sorted(qs.values_list("name", flat=True))


def test_t9_counts_the_areas_due_in_the_period(areas):
    r = t9_transformed(KeyArea.objects.all(), date(2025, 1, 1), date(2025, 12, 31),
                       as_of=date(2026, 6, 30))
    # Due 31/12/2025: a1 a2 a3 a4; transformed: a1, and a3 assessed late but by the day.
    assert (r.numerator, r.denominator, r.value) == (2, 4, 50.0)
    assert names(r.numerator_records) == ["a1", "a3"]
    assert names(r.denominator_records) == ["a1", "a2", "a3", "a4"]
    assert r.code == "T9" and "Tử số" in r.definition and "Mẫu số" in r.definition


def test_t9_leaves_out_areas_not_yet_due_nor_assessed(areas):
    r = t9_transformed(KeyArea.objects.all(), date(2025, 1, 1), date(2025, 12, 31),
                       as_of=date(2025, 12, 25))
    assert (r.numerator, r.denominator) == (1, 2)
    assert names(r.denominator_records) == ["a1", "a2"]


def test_t10_counts_transformed_areas_watched_in_the_period(areas):
    r = t10_not_relapsed(KeyArea.objects.all(), date(2026, 1, 1), date(2026, 12, 31),
                         as_of=date(2026, 11, 29))
    # a6's watch ended in 2025, a7 relapsed before 2026: out. a3 relapsed in May 2026.
    assert (r.numerator, r.denominator, r.value) == (1, 2, 50.0)
    assert names(r.numerator_records) == ["a1"]
    assert names(r.denominator_records) == ["a1", "a3"]
    earlier = t10_not_relapsed(KeyArea.objects.all(), date(2026, 1, 1), date(2026, 12, 31),
                               as_of=date(2026, 4, 30))
    assert (earlier.numerator, earlier.denominator) == (2, 2)


def test_the_scope_limits_both_indicators(areas):
    scope = KeyArea.objects.filter(name__in=["a2", "a4"])
    r = t9_transformed(scope, date(2025, 1, 1), date(2025, 12, 31), as_of=date(2026, 6, 30))
    assert (r.numerator, r.denominator) == (0, 2)
    empty = t10_not_relapsed(scope, date(2026, 1, 1), date(2026, 12, 31))
    assert (empty.denominator, empty.value) == (0, None)
