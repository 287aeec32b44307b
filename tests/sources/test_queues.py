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
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    return set(re.findall(r">(\d+/2026)[^<]*</a>", rows))


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


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_a_new_assignment_is_first_and_marked_new_until_the_investigator_opens_it(
        officer_a, receive, head, investigator):
    older = receive(officer_a, summary="Vụ cũ đã giao trước")
    s.source_forward(actor=officer_a, source=older)
    s.source_classify(actor=head, source=older, article="173", clause=1)
    s.source_assign(actor=head, source=older, investigator=investigator)
    client = login(investigator)
    assert client.get(f"/sources/{older.pk}/").status_code == 200  # opened: no longer new
    newer = receive(officer_a, summary="Vụ mới được giao")
    s.source_forward(actor=officer_a, source=newer)
    s.source_classify(actor=head, source=newer, article="173", clause=1)
    s.source_assign(actor=head, source=newer, investigator=investigator)
    page = client.get("/sources/?queue=mine").content.decode()
    rows = page.split("<tbody>")[1].split("</tr>")
    assert "Vụ mới được giao" in rows[0] and '<span class="tag new">mới</span>' in rows[0]
    assert "Vụ cũ đã giao trước" in rows[1] and "tag new" not in rows[1]
    # The head opening it does not clear the investigator's marker.
    login_verified(head).get(f"/sources/{newer.pk}/")
    assert "tag new" in client.get("/sources/?queue=mine").content.decode()
    client.get(f"/sources/{newer.pk}/")
    assert "tag new" not in client.get("/sources/?queue=mine").content.decode()


def test_an_overdue_row_says_by_how_many_days(officer_a, receive):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        receive(officer_a)  # due 22/03/2026 (20 days)
    with time_machine.travel(at(2026, 3, 25, 9, 0), tick=False):
        page = login(officer_a).get("/sources/?queue=overdue").content.decode()
    assert "quá hạn 3 ngày" in page


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_the_investigators_home_counts_new_assignments(officer_a, receive, head, investigator):
    source = receive(officer_a)
    s.source_forward(actor=officer_a, source=source)
    s.source_classify(actor=head, source=source, article="173", clause=1)
    s.source_assign(actor=head, source=source, investigator=investigator)
    client = login(investigator)
    tile = re.compile(r'id="new-assignments" href="/sources/\?queue=mine"><span class="n">(\d+)<')
    assert tile.search(client.get("/").content.decode()).group(1) == "1"
    client.get(f"/sources/{source.pk}/")
    assert tile.search(client.get("/").content.decode()).group(1) == "0"


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_the_investigators_home_lists_their_clocks_soonest_first(
        officer_a, receive, head, investigator):
    first = receive(officer_a, summary="Nguồn tin thứ nhất")
    s.source_forward(actor=officer_a, source=first)
    s.source_classify(actor=head, source=first, article="173", clause=1)
    s.source_assign(actor=head, source=first, investigator=investigator)
    home = login(investigator).get("/").content.decode()
    work = home.split('id="case-work"')[1]
    # Received 02/03/2026: 20 days to resolve, due 22/03/2026, 20 days left.
    assert "Nguồn tin thứ nhất" in work and "22/03/2026" in work and "còn 20 ngày" in work
    assert 'id="new-assignments"' in home.split('id="case-work"')[0]


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_the_message_after_an_action_says_what_was_done_to_which_source(
        officer_a, receive, communes):
    source = receive(officer_a)
    response = login(officer_a).post(f"/sources/{source.pk}/forward/", follow=True)
    text = response.content.decode()
    assert (f"Chuyển Cơ quan điều tra: nguồn tin {source.register_code}, hiện đã tiếp nhận "
            f"tại Cơ quan Cảnh sát điều tra Công an tỉnh.") in text.replace("&nbsp;", " ")


def test_a_list_is_sorted_as_asked_and_keeps_it_in_the_url(officer_a, receive):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        old = receive(officer_a, summary="Nguồn tin cũ hơn")
    with time_machine.travel(at(2026, 3, 5, 9, 0), tick=False):
        new = receive(officer_a, summary="Nguồn tin mới hơn")
        client = login(officer_a)
        newest = client.get("/sources/?queue=unit&sort=-received").content.decode()
        oldest = client.get("/sources/?queue=unit&sort=received").content.decode()
    assert newest.index(new.summary) < newest.index(old.summary)
    assert oldest.index(old.summary) < oldest.index(new.summary)
    assert '<option value="-received" selected>' in newest


@time_machine.travel(at(2026, 3, 2, 9, 0), tick=False)
def test_every_list_counts_up_to_the_cap_and_says_more_than(officer_a, receive, monkeypatch):
    """Benchmark finding (issue 23): the "all" list of a body or a procuracy counted every
    one of its hundreds of thousands of sources exactly, 350 ms warm and up to 5 s cold, on
    each page. Every list now counts up to the cap, as the case list does."""
    from pctp.core.paging import CappedPaginator

    sources = [receive(officer_a) for _ in range(4)]
    client = login(officer_a)
    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    for queue in ("all", "unit"):
        page = client.get(f"/sources/?queue={queue}").content.decode()
        assert "Hơn 1.000 nguồn tin: dùng bộ lọc để thu hẹp danh sách." in page, queue
        assert all(s.register_code in page for s in sources)
    searched = client.get("/sources/?queue=all&q=xe").content.decode()
    assert "Có hơn 1.000 nguồn tin phù hợp: hãy thu hẹp điều kiện tìm kiếm." in searched
    monkeypatch.setattr(CappedPaginator, "CAP", 1000)
    page = client.get("/sources/?queue=all").content.decode()
    assert "4 nguồn tin" in page and "Hơn 1.000" not in page
