"""Emerging types from the records: a commune's monthly counts against its own history;
alerts for new and rising ones to statistics analysts and provincial leaders, once."""

from datetime import datetime

import numpy as np
import pytest
from django.core.management import ManagementUtility
from django.utils import timezone

from pctp.analytics import selectors
from pctp.core.models import Notification
from tests.personas import api_client, login

pytestmark = pytest.mark.django_db


def mid_month(index: int) -> datetime:
    d = np.datetime64(index, "M").astype(object)
    return timezone.make_aware(datetime(d.year, d.month, 15, 10))


@pytest.fixture
def drug_surge(communes, place_source, bulk_sources):
    """Commune A: one drug case a month for a year, then 8 last month; social-order cases
    two a month in A throughout; commune B: its first ever fraud-type (economic) case."""
    a, b = communes["a"], communes["b"]
    last = selectors.last_complete_month()
    rows = []
    for k in range(1, 13):
        rows.append(place_source(mid_month(last - k), a.lat, a.lon, group="drugs"))
        rows += [place_source(mid_month(last - k), a.lat, a.lon) for _ in range(2)]
    rows += [place_source(mid_month(last), a.lat, a.lon, group="drugs") for _ in range(8)]
    rows += [place_source(mid_month(last), a.lat, a.lon) for _ in range(2)]
    rows.append(place_source(mid_month(last), b.lat, b.lon, commune=b, group="economic"))
    bulk_sources(rows)
    return last


def row(rows, key, commune):
    return next(r for r in rows if r["key"] == key and r["commune"] == commune.code)


def test_the_table_classifies_each_type_in_each_commune(analyst, communes, drug_surge):
    rows, month = selectors.emerging_table(user=analyst)
    a, b = communes["a"], communes["b"]
    drugs = row(rows, "drugs", a)
    assert drugs["status"] == "rising" and drugs["observed"] == 8
    assert drugs["expected"] == 1.0 and drugs["baseline"] == "recent"
    assert drugs["baseline_periods"] == 12
    # P(Y >= 8 | Poisson 1) = 1 - sum_{k<8} e^-1 / k!
    assert drugs["p_value"] == pytest.approx(1.02492e-05, rel=1e-4)
    assert row(rows, "social_order", a)["status"] == "frequent"
    assert row(rows, "economic", b)["status"] == "new"
    assert row(rows, "corruption", a)["status"] == "not_appeared"
    assert rows[0]["status"] == "new" and rows[1]["status"] == "rising"
    page = login(analyst).get("/analytics/emerging/")
    assert page.status_code == 200 and page.context["counts"]["rising"] == 1
    assert [r["status"] for r in page.context["rows"]] == ["new", "rising"]
    by_offence = login(analyst).get("/analytics/emerging/", {"level": "offence",
                                                              "show": "all"})
    assert by_offence.status_code == 200


def test_the_api_gives_observed_and_expected(analyst, communes, drug_surge):
    body = api_client(analyst).get("/api/v1/analytics/emerging/").json()
    drugs = next(r for r in body["rows"] if r["key"] == "drugs"
                 and r["commune"] == communes["a"].code)
    assert drugs["observed"] == 8 and drugs["expected"] == 1.0
    assert all(r["status"] != "not_appeared" for r in body["rows"])


def test_alerts_go_to_analysts_and_leaders_once(analyst, leader, officer_a, drug_surge,
                                                capsys):
    ManagementUtility(["pctp", "analytics", "emerging"]).execute()
    assert "dry run" in capsys.readouterr().out
    assert Notification.objects.count() == 0
    ManagementUtility(["pctp", "analytics", "emerging", "--commit"]).execute()
    assert "4 notification(s) sent" in capsys.readouterr().out   # 2 types x 2 people
    texts = sorted(Notification.objects.filter(user=analyst).values_list("text", flat=True))
    assert len(texts) == 2 and any("8 vụ" in t for t in texts)
    assert Notification.objects.filter(user=leader).count() == 2
    assert not Notification.objects.filter(user=officer_a).exists()
    ManagementUtility(["pctp", "analytics", "emerging", "--commit"]).execute()
    assert "0 notification(s) sent" in capsys.readouterr().out
