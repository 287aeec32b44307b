"""Reference data: every province and commune with its official code; boundaries."""

import json

import pytest
from django.core.management import call_command

from pctp.units.models import Commune, CommuneBoundary, Province
from pctp.units.services import commune_kind_from_name, reference_load

pytestmark = pytest.mark.django_db


def test_all_34_provinces_and_3321_communes_are_loaded():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321


def test_demo_province_has_96_communes_with_boundaries():
    tay_ninh = Province.objects.get(code="80")
    assert tay_ninh.name == "Tỉnh Tây Ninh"
    assert tay_ninh.communes.count() == 96
    assert CommuneBoundary.objects.filter(commune__province=tay_ninh).count() == 96


def test_official_codes_are_used_not_the_stale_package_codes():
    # Phường Ba Đình, Hà Nội: official code 4 in the GSO list.
    assert Commune.objects.get(code="4").name == "Phường Ba Đình"
    differing = Commune.objects.exclude(code_vp2025="").exclude(code_vp2025=models_f("code"))
    assert differing.count() > 0  # the package's codes are kept aside, never used as keys


def models_f(name):
    from django.db.models import F

    return F(name)


def test_commune_types_come_from_the_name():
    assert commune_kind_from_name("Đặc khu Phú Quốc") == "dac_khu"
    assert commune_kind_from_name("Phường Tân Ninh") == "phuong"
    assert commune_kind_from_name("xã Bắc Sơn") == "xa"
    assert Commune.objects.filter(kind="dac_khu").count() == 13


def test_reloading_reference_data_changes_nothing():
    result = reference_load(actor=None)
    assert result == {"provinces": 0, "communes": 0, "communes_updated": 0}


def test_load_boundaries_refuses_an_unknown_commune_and_saves_nothing(tmp_path):
    bad = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ward_code": 25459},
         "geometry": {"type": "Polygon", "coordinates": [[[106, 11], [106.1, 11], [106.1, 11.1], [106, 11]]]}},
        {"type": "Feature", "properties": {"ward_code": 99999},
         "geometry": {"type": "Polygon", "coordinates": [[[106, 11], [106.1, 11], [106.1, 11.1], [106, 11]]]}},
    ]}
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(bad))
    before = CommuneBoundary.objects.get(commune__code="25459").geometry
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Feature 2: unknown ward_code '99999'"):
        call_command("load-boundaries", str(path))
    assert CommuneBoundary.objects.get(commune__code="25459").geometry == before


def test_load_boundaries_command_exits_with_code_2_on_a_bad_file(tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tmp_path / "broken.geojson"
    path.write_text("{not json")
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["pctp", "load-boundaries", str(path)]).execute()
    assert exit_info.value.code == 2
    assert "Cannot read" in capsys.readouterr().err


SQUARE = [[[106, 11], [106.1, 11], [106.1, 11.1], [106, 11.1], [106, 11]]]
BOWTIE = [[[106, 11], [106.1, 11.1], [106.1, 11], [106, 11.1], [106, 11]]]  # self-crossing


@pytest.mark.parametrize(("feature", "message"), [
    ({"properties": {"ward_code": "25459"}, "geometry": {"type": "Polygon",
                                                         "coordinates": BOWTIE}},
     "invalid polygon"),
    ({"properties": {"ward_code": "25459"}, "geometry": {"type": "Polygon", "coordinates": [
        [[500, 95], [500.1, 95], [500.1, 95.1], [500, 95]]]}}, "outside longitude"),
    ({"properties": {"ward_code": "25459"}, "geometry": {"type": "Polygon", "coordinates": [
        [[2, 48], [2.1, 48], [2.1, 48.1], [2, 48]]]}}, "not in Viet Nam"),
    ({"properties": {"ward_code": "4"}, "geometry": {"type": "Polygon",
                                                         "coordinates": SQUARE}},
     "belongs to province"),
    ("a string", "not a GeoJSON feature"),
    (None, "not a GeoJSON feature"),
    ({"properties": "x", "geometry": {"type": "Polygon", "coordinates": SQUARE}},
     "properties is not an object"),
])
def test_load_boundaries_refuses_bad_geometry_before_writing(tmp_path, feature, message):
    """Issue 16, finding 13: a self-intersecting polygon, lon 500 / lat 95 and a commune of
    another province were accepted (the first broke the analytics pages); a feature as a
    string or null gave a traceback."""
    from django.core.management.base import CommandError

    if isinstance(feature, dict):
        feature = {"type": "Feature", **feature}
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    before = CommuneBoundary.objects.get(commune__code="25459").geometry
    with pytest.raises(CommandError, match=message) as err:
        call_command("load-boundaries", str(path))
    assert err.value.returncode == 2
    assert CommuneBoundary.objects.get(commune__code="25459").geometry == before
