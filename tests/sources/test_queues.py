"""Issue 17: the work finds the officer. A source forwarded by a ward to the investigation
body waits in the body's "Transferred to us" queue until an investigator is assigned; the
body also sees what is unassigned and what awaits classification."""

import re

import pytest
import time_machine

from pctp.sources import services as s
from tests.personas import login, login_verified
from tests.sources.conftest import at

pytestmark = pytest.mark.django_db


def _numbers(client, queue: str) -> set[str]:
    page = client.get(f"/sources/?queue={queue}").content.decode()
    return set(re.findall(r"\b(\d+/2026)\b", page))


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_a_forwarded_source_waits_in_the_bodys_incoming_queue_until_assigned(
        officer_a, receive, head, investigator):
    forwarded, kept = receive(officer_a), receive(officer_a)
    s.source_forward(actor=officer_a, source=forwarded)
    code = f"{forwarded.register_number}/2026"
    body = login_verified(head)
    assert code in _numbers(body, "incoming")
    assert code in _numbers(body, "unassigned") and code in _numbers(body, "unclassified")
    # The ward's other source is still the ward's: not the body's work.
    assert f"{kept.register_number}/2026" not in _numbers(body, "incoming") | _numbers(
        body, "unassigned")
    s.source_classify(actor=head, source=forwarded, article="173", clause=1)
    assert code not in _numbers(body, "unclassified") and code in _numbers(body, "incoming")
    s.source_assign(actor=head, source=forwarded, investigator=investigator)
    assert code not in _numbers(body, "incoming") and code not in _numbers(body, "unassigned")
    assert code in _numbers(login(investigator), "mine")


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_the_ward_does_not_see_the_bodys_queues_fill_with_its_own_sources(officer_a, receive):
    receive(officer_a)
    ward = login(officer_a)
    assert _numbers(ward, "incoming") == set() and _numbers(ward, "unclassified") == set()


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_the_heads_home_counts_what_came_in_and_opens_it(officer_a, receive, head):
    s.source_forward(actor=officer_a, source=receive(officer_a))
    home = login_verified(head).get("/").content.decode()
    tile = re.search(r'href="/sources/\?queue=incoming"><span class="n">(\d+)</span>', home)
    assert tile and tile.group(1) == "1"
    assert 'href="/sources/?queue=unassigned"' in home
