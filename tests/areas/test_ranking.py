"""The selection ranking on a fixture whose order and scores are computed by hand."""

from datetime import date

import pytest

from pctp.areas.figures import geometry_area_km2, ranking
from pctp.units.models import Commune
from tests.areas.conftest import make_case, make_group, make_source

AS_OF = date(2026, 11, 15)


@pytest.fixture
def fixture_data(three, leader):
    a, b, c = three
    # A: 4 social-order crimes in 2026, one very serious; none in 2024–2025.
    for month in (2, 3, 4):
        make_case(a, date(2026, month, 1))
    make_case(a, date(2026, 5, 1), severity="very_serious")
    # A case terminated because no crime occurred is not a crime.
    make_case(a, date(2026, 6, 1), terminate_ground="no_crime")
    # B: 2 in 2026, 3 in 2024 and 3 in 2025 (average 3); an active group of its people.
    make_case(b, date(2026, 2, 1))
    make_case(b, date(2026, 3, 1))
    for year in (2024, 2025):
        for month in (1, 2, 3):
            make_case(b, date(year, month, 10))
    make_group(b, leader, dangerous=False)
    # C: 1 social-order crime and 1 drug crime in 2026; one source past its limit.
    make_case(c, date(2026, 4, 1))
    make_case(c, date(2026, 4, 2), group="drugs")
    make_source(c, date(2026, 3, 1), due=date(2026, 3, 21))
    # A case of 2027 or initiated after the day of the figures does not count.
    make_case(a, date(2026, 11, 10), initiated=date(2026, 11, 20))
    return a, b, c


def test_the_weighted_score_orders_the_communes_as_computed_by_hand(fixture_data, settings):
    a, b, c = fixture_data
    settings.PCTP_AREA_WEIGHTS = {"crimes": 3, "severe": 2, "groups": 2, "overdue": 1,
                                  "trend": 1}
    rows = ranking(year=2026, area_type="social_order", as_of=AS_OF)
    top = [(r.commune, r.score) for r in rows[:3]]
    # A: 3·4/4 + 2·1/1 + 1·(4/1)/4 = 6; B: 3·2/4 + 2·1/1 = 3.5; C: 3·1/4 + 1·1/1 + 1·1/4 = 2.
    assert top == [(a, 6.0), (b, 3.5), (c, 2.0)]
    by = {r.commune: r for r in rows}
    assert (by[a].crimes, by[a].severe, by[a].trend) == (4, 1, 4.0)
    assert (by[b].crimes, by[b].previous_average, by[b].trend, by[b].groups) == (2, 3.0,
                                                                                  -0.333, 1)
    assert (by[c].crimes, by[c].drugs, by[c].overdue) == (1, 1, 1)
    assert all(r.score == 0 for r in rows[3:])
    assert by[a].reasons == ["crimes", "severe", "trend"]


def test_other_weights_give_another_order(fixture_data, settings):
    a, b, c = fixture_data
    settings.PCTP_AREA_WEIGHTS = {"drugs": 1}
    rows = ranking(year=2026, area_type="social_order", as_of=AS_OF)
    # Only C has a drug crime; the others tie at 0 and go by crimes (A 4, B 2).
    assert [r.commune for r in rows[:3]] == [c, a, b]


def test_the_rate_is_per_square_kilometre_of_the_commune(fixture_data, settings):
    a, b, c = fixture_data
    settings.PCTP_AREA_WEIGHTS = {"rate": 1}
    rows = {r.commune: r for r in ranking(year=2026, area_type="social_order", as_of=AS_OF)}
    for commune, n in ((a, 4), (b, 2), (c, 1)):
        assert rows[commune].rate == round(n / commune.area_km2, 3)
    expected = sorted((a, b, c), key=lambda x: -rows[x].rate)
    assert [r.commune for r in sorted(rows.values(), key=lambda r: r.rank)[:3]] == expected


def test_the_drug_type_counts_drug_crimes_only(fixture_data):
    a, b, c = fixture_data
    rows = ranking(year=2026, area_type="drugs", as_of=AS_OF)
    assert rows[0].commune == c and rows[0].crimes == 1
    assert {r.commune: r.crimes for r in rows}[a] == 0


def test_an_area_is_computed_from_the_boundary_when_the_list_has_none(db):
    # A 0.01° square at the equator is 1.11320 km × 1.10574 km.
    square = {"type": "Polygon", "coordinates": [[[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01],
                                                  [0, 0]]]}
    assert round(geometry_area_km2(square), 4) == round(1.11320 * 1.10574, 4)
    from pctp.areas.figures import commune_area_km2

    commune = Commune.objects.filter(province__code="80", boundary__isnull=False).first()
    Commune.objects.filter(pk=commune.pk).update(area_km2=None)
    commune.refresh_from_db()
    km2 = commune_area_km2(commune)
    assert km2 > 0 and commune.computed_area.area_km2 == km2
