"""The co-accused network from cases: centrality on a small built graph, identities only for
roles that may see them, every identity shown written to the access log."""

import pytest

from pctp.analytics import selectors
from pctp.core.models import AccessLog
from tests.cases.conftest import BINH, CUONG, DUNG
from tests.personas import api_client, login, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(initiate, add_accused):
    """Bình and Cường in one case, Cường and Dũng in another: a path Bình-Cường-Dũng."""
    one = initiate()
    add_accused(one, BINH)
    add_accused(one, CUONG)
    two = initiate()
    add_accused(two, CUONG)
    add_accused(two, DUNG)
    return one, two


def test_the_person_between_the_others_is_the_most_central(analyst, chain):
    net = selectors.criminal_network(user=analyst)
    people = net["people"]
    assert len(people) == 3 and len(net["components"]) == 1
    centre = people[0]
    assert len(centre.records) == 2                     # Cường: accused in both cases
    assert centre.betweenness == 1.0 and centre.degree == 1.0 and centre.links == 2
    assert sorted(p.degree for p in people[1:]) == [0.5, 0.5]
    assert all(p.betweenness == 0.0 for p in people[1:])


def test_the_analyst_sees_case_numbers_not_names_and_nothing_is_logged(analyst, chain):
    before = AccessLog.objects.count()
    r = login(analyst).get("/analytics/network/")
    assert r.status_code == 200
    assert r.context["n_people"] == 3
    assert all(row["identity"] is None for row in r.context["rows"])
    assert "Trần Văn Cường".encode() not in r.content
    assert AccessLog.objects.count() == before


def test_a_head_of_the_investigation_body_sees_names_each_logged(head, chain):
    before = AccessLog.objects.count()
    r = login_verified(head).get("/analytics/network/")
    assert r.status_code == 200
    assert "Trần Văn Cường".encode() in r.content
    logged = AccessLog.objects.order_by("id")[before:]
    assert len(logged) == 3
    assert {a.purpose for a in logged} == {"analytics network"}
    assert {a.actor_id for a in logged} == {head.pk}


def test_the_network_api_gives_centrality_without_identity(analyst, chain):
    body = api_client(analyst).get("/api/v1/analytics/network/").json()
    assert len(body["people"]) == 3 and len(body["edges"]) == 2
    top = body["people"][0]
    assert top["betweenness"] == 1.0 and top["links"] == 2 and len(top["cases"]) == 2
    assert "name" not in top
