"""Who may see the analysis pages and API; the hotspot map from the records in scope."""

import pytest

from pctp.analytics import services as s
from tests.analytics.conftest import days_ago
from tests.personas import api_client, login, login_verified

pytestmark = pytest.mark.django_db

PAGES = ["/analytics/", "/analytics/forecasts/", "/analytics/emerging/", "/analytics/network/"]
APIS = ["/api/v1/analytics/hotspots/", "/api/v1/analytics/forecasts/",
        "/api/v1/analytics/emerging/", "/api/v1/analytics/network/"]


@pytest.fixture
def two_places(communes, place_source, bulk_sources, officer_b):
    """Three sources in commune A (held by its commune police) and one in B (held by B's)."""
    a, b = communes["a"], communes["b"]
    rows = [place_source(days_ago(5 + i), a.lat, a.lon, holder=communes["police_a"])
            for i in range(3)]
    rows.append(place_source(days_ago(4), b.lat, b.lon, commune=b, group="drugs",
                             holder=communes["police_b"]))
    return bulk_sources(rows)


def test_an_intake_officer_is_refused_every_page_and_endpoint(officer_a):
    client = login(officer_a)
    for path in PAGES + ["/analytics/files/"]:
        assert client.get(path).status_code == 403, path
    api = api_client(officer_a)
    for path in APIS:
        assert api.get(path).status_code == 403, path
    r = api.post("/api/v1/analytics/forecasts/", {"horizon": "week"}, format="json")
    assert r.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in():
    from django.test import Client

    for path in PAGES:
        r = Client().get(path)
        assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_the_analyst_sees_every_page_and_the_menu_entry(analyst, two_places):
    client = login(analyst)
    for path in PAGES + ["/analytics/files/"]:
        assert client.get(path).status_code == 200, path
    home = client.get("/")
    assert any(item["url"] == "/analytics/" for item in home.context["nav_items"])


def test_the_hotspot_map_counts_only_the_events_in_scope(analyst, make_user, communes,
                                                         two_places):
    r = login(analyst).get("/analytics/", {"cell": 1000})
    assert r.context["result"].n_events == 4
    top = r.context["top"][0]
    assert top["commune"] == communes["a"].code and top["events"] == 3
    # a commune's leader sees their commune's records only
    chief_a = make_user("unit_leader", communes["police_a"])
    r = login_verified(chief_a).get("/analytics/", {"cell": 1000})
    assert r.context["result"].n_events == 3
    # filters: the drugs group is only in B
    r = login(analyst).get("/analytics/", {"group": "drugs", "method": "cells"})
    assert r.context["result"].n_events == 1
    assert r.context["top"][0]["commune"] == communes["b"].code
    # the period excludes everything
    r = login(analyst).get("/analytics/", {"start": "2020-01-01", "end": "2020-02-01"})
    assert r.context["result"].n_events == 0 and r.context["top"] == []


def test_the_hotspot_api_answers_the_same(analyst, communes, two_places):
    r = api_client(analyst).get("/api/v1/analytics/hotspots/", {"cell_size_m": 1000})
    assert r.status_code == 200
    body = r.json()
    assert body["n_events"] == 4 and body["cells"][0]["events"] == 3
    assert body["cells"][0]["commune"] == communes["a"].code
    bad = api_client(analyst).get("/api/v1/analytics/hotspots/", {"cell_size_m": 5})
    assert bad.status_code == 400 and "error" in bad.json()


def test_a_commune_leader_does_not_see_the_province_forecast(analyst, make_user, communes,
                                                             two_places):
    forecast = s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                                method="naive", cell_size_m=2000)
    s.forecast_run_pending()
    chief_a = make_user("unit_leader", communes["police_a"])
    pages = login_verified(chief_a)
    assert pages.get(f"/analytics/forecasts/{forecast.pk}/").status_code == 404
    api = api_client(chief_a)
    assert api.get("/api/v1/analytics/forecasts/").json()["results"] == []
    assert api.get(f"/api/v1/analytics/forecasts/{forecast.pk}/").status_code == 404
    # and may not queue one (only analysts run analyses)
    assert api.post("/api/v1/analytics/forecasts/", {"horizon": "week"},
                    format="json").status_code == 403
    assert pages.post("/analytics/forecasts/queue/", {"horizon": "week"}).status_code == 403
    listed = api_client(analyst).get("/api/v1/analytics/forecasts/").json()["results"]
    assert [f["id"] for f in listed] == [forecast.pk]


def test_queueing_with_bad_parameters_is_refused_with_the_field(analyst):
    r = api_client(analyst).post("/api/v1/analytics/forecasts/",
                                 {"horizon": "year"}, format="json")
    assert r.status_code == 400
    with pytest.raises(Exception) as err:
        s.forecast_queue(actor=analyst, scope=s.province_unit(), horizon="week",
                         method="magic")
    assert err.value.details == {"method": [err.value.details["method"][0]]}
