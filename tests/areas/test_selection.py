"""Entering a selected area: the level at selection, a part of a commune, refusals."""

from datetime import date

import pytest

from pctp.areas import services as s
from pctp.areas.models import KeyArea
from pctp.core.errors import DomainError, PermissionRefused
from pctp.core.models import AuditEvent
from tests.areas.conftest import make_case, police


def square(lon, lat, d=0.003):
    return {"type": "Polygon", "coordinates": [[[lon - d, lat - d], [lon + d, lat - d],
                                                [lon + d, lat + d], [lon - d, lat + d],
                                                [lon - d, lat - d]]]}


def test_the_level_at_selection_is_the_12_months_before_the_decision(three, select):
    a = three[0]
    inside = make_case(a, date(2025, 3, 2))
    make_case(a, date(2025, 3, 1))  # one day too early
    last = make_case(a, date(2026, 3, 1))
    make_case(a, date(2025, 6, 1), group="drugs")  # not of the area's type
    area = select(a, on=date(2026, 3, 1))
    assert area.baseline_crimes == 2
    assert area.selection_snapshot["crimes"]["ids"] == sorted([inside.pk, last.pk])
    assert AuditEvent.objects.filter(action="keyarea.select", object_id=str(area.pk)).exists()


def test_a_higher_level_from_the_dossier_is_kept_and_marked(three, select):
    area = select(three[0], on=date(2026, 3, 1), recorded_level=9)
    assert area.baseline_crimes == 9 and area.selection_snapshot["recorded_level"] == 9


def test_a_part_of_a_commune_is_a_polygon_inside_it(three, select):
    a = three[0]
    area = select(a, name="Khu chợ", part_geometry=square(a.lon, a.lat),
                  part_description="Chợ trung tâm")
    assert area.part_geometry["type"] == "Polygon" and not area.whole_commune
    with pytest.raises(DomainError) as far:
        select(a, name="Khu xa", part_geometry=square(a.lon + 3, a.lat + 3))
    assert "part_geometry" in far.value.details
    with pytest.raises(DomainError) as broken:
        select(a, name="Khu hỏng", part_geometry={"type": "Point", "coordinates": [1, 2]})
    assert "part_geometry" in broken.value.details


def test_the_same_area_is_not_entered_twice_in_a_year(three, select):
    select(three[1])
    with pytest.raises(DomainError) as exc:
        select(three[1])
    assert "name" in exc.value.details
    assert KeyArea.objects.filter(commune=three[1]).count() == 1


def test_only_the_steering_committee_selects(three, leader, make_user, steering):
    with pytest.raises(DomainError) as exc:
        s.area_select(actor=leader, year=2026, commune=three[0], name="", types=["drugs"],
                      decision_number="1/QĐ", decision_date=date(2026, 1, 5),
                      steering_unit=police(three[0]), lead_unit=police(three[0]))
    assert "steering_unit" in exc.value.details
    head = make_user("unit_leader", police(three[0]))
    with pytest.raises(PermissionRefused):
        s.area_select(actor=head, year=2026, commune=three[0], name="", types=["drugs"],
                      decision_number="1/QĐ", decision_date=date(2026, 1, 5),
                      steering_unit=steering, lead_unit=police(three[0]))
    with pytest.raises(DomainError) as future:
        s.area_select(actor=leader, year=2026, commune=three[0], name="", types=["x"],
                      decision_number="", decision_date=date(2099, 1, 5),
                      steering_unit=steering, lead_unit=police(three[0]))
    assert {"types", "decision_number", "decision_date"} <= set(future.value.details)
