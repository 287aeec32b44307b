"""What the case pages cost: permission questions answered from one fetch per request, action
forms rendered only when opened, identities logged in one statement, counts that stop at
1,000 — and that none of it lets an outsider in."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pctp.cases import services as s
from pctp.cases.models import Case
from pctp.cases.selectors import case_list
from pctp.core.models import AccessLog
from pctp.core.paging import CappedPaginator, capped_count
from pctp.units.models import Membership
from pctp.units.selectors import user_has_perm_in_unit
from pctp.units.services import membership_end, membership_grant
from tests.cases.conftest import BINH, CUONG, DUNG, at
from tests.personas import login, login_verified

pytestmark = pytest.mark.django_db

NOW = at(2026, 8, 1, 9, 0)
MORE = [s.Person(name=f"Bị can {n}", sex="male", personal_id=f"0790900{n:05d}",
                 birth_date=date(1990, 1, n), residence="Khu phố 1") for n in range(1, 6)]


def _queries(client, url: str) -> int:
    client.get(url)  # warm-up: sessions, the first visit's writes
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def two_cases(initiate, add_accused, investigator):
    """A case with one accused and one with eight, each with a custody order per accused."""
    with time_machine.travel(NOW, tick=False):
        small, large = initiate(), initiate(decision_number="02/QĐ-CSĐT")
        for case, people in ((small, [BINH]), (large, [BINH, CUONG, DUNG, *MORE])):
            for person in people:
                accused = add_accused(case, person=person)
                s.measure_order(actor=investigator, accused=accused, kind="custody",
                                order_number=f"{accused.pk}/TG", start_on=date(2026, 7, 31))
    return small, large


@time_machine.travel(NOW, tick=False)
def test_the_case_page_asks_as_many_queries_for_eight_accused_as_for_one(
        two_cases, head, django_assert_max_num_queries):
    small, large = two_cases
    client = login_verified(head)
    one = _queries(client, f"/cases/{small.pk}/")
    with django_assert_max_num_queries(one):
        response = client.get(f"/cases/{large.pk}/")
    page = response.content.decode()
    assert "Lê Thị Dung" in page and "Bị can 5" in page  # every identity shown …
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/cases/{large.pk}/")
    # … and logged, in one statement for the eight rows
    assert sum('INSERT INTO "core_accesslog"' in q["sql"] for q in captured) == 1
    assert AccessLog.objects.filter(object_type="cases.accused",
                                    object_id__in=[str(a.pk) for a in large.accused.all()]
                                    ).count() == 8 * 2


@time_machine.travel(NOW, tick=False)
def test_the_detention_register_asks_no_more_for_nine_rows_than_for_one(
        initiate, add_accused, investigator, django_assert_max_num_queries):
    def held(case, person):
        accused = add_accused(case, person=person)
        s.measure_order(actor=investigator, accused=accused, kind="custody",
                        order_number=f"{accused.pk}/TG", start_on=date(2026, 7, 31))

    held(initiate(), BINH)
    client = login(investigator)
    one = _queries(client, "/cases/detention/")
    case = initiate(decision_number="02/QĐ-CSĐT")
    for person in [CUONG, DUNG, *MORE]:
        held(case, person)
    with django_assert_max_num_queries(one):
        page = client.get("/cases/detention/").content.decode()
    assert "Bị can 5" in page and "Nguyễn Văn Bình" in page


@time_machine.travel(NOW, tick=False)
def test_the_register_checks_every_row_but_reads_identities_only_for_its_page(
        initiate, add_accused, investigator):
    """Benchmark finding (issue 23): with 4,000 people held in a province the register built
    every one's accused (with the encrypted identity), case and units to check their limits:
    0.65–0.97 s a page. The check needs the measure and three fields of its case; the rest
    is read for the 50 rows shown."""
    case = initiate()
    for person in [BINH, CUONG, DUNG]:
        accused = add_accused(case, person=person)
        s.measure_order(actor=investigator, accused=accused, kind="custody",
                        order_number=f"{accused.pk}/TG", start_on=date(2026, 7, 31))
    client = login(investigator)
    client.get("/cases/detention/")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/cases/detention/").content.decode()
    assert "Nguyễn Văn Bình" in page and "Lê Thị Dung" in page
    reading = [q["sql"] for q in captured if '"cases_accused"."identity"' in q["sql"]]
    assert reading and all('"cases_measure"."id" IN' in sql for sql in reading), reading


@time_machine.travel(NOW, tick=False)
def test_permission_questions_are_answered_from_one_fetch_per_user_object(
        two_cases, head, body, django_assert_num_queries):
    case = two_cases[0]
    assert user_has_perm_in_unit(head, "cases.assign_case", body)
    with django_assert_num_queries(0):
        for _ in range(20):
            assert user_has_perm_in_unit(head, "cases.assign_case", body)
            assert s.can_view_identity(head, case)
            assert not user_has_perm_in_unit(head, "cases.prosecute", case.procuracy)


@time_machine.travel(NOW, tick=False)
def test_a_membership_granted_or_ended_counts_at_once_for_the_same_user_object(
        make_user, body, regional_procuracy):
    user = make_user("investigator", body)
    assert not user_has_perm_in_unit(user, "cases.prosecute", regional_procuracy)
    membership = membership_grant(user=user, unit=regional_procuracy, role_code="procurator")
    assert user_has_perm_in_unit(user, "cases.prosecute", regional_procuracy)
    membership_end(membership=Membership.objects.select_related("user").get(pk=membership.pk))
    fresh = type(user).objects.get(pk=user.pk)  # a new request's user
    assert not user_has_perm_in_unit(fresh, "cases.prosecute", regional_procuracy)


def test_a_membership_that_ends_is_not_remembered_past_its_day(make_user, body):
    user = make_user("investigator", body)
    membership = Membership.objects.get(user=user)
    with time_machine.travel(at(2026, 8, 1, 9, 0), tick=False):
        assert user_has_perm_in_unit(user, "cases.investigate", body)
        Membership.objects.filter(pk=membership.pk).update(valid_to=date(2026, 8, 2))
        assert user_has_perm_in_unit(user, "cases.investigate", body)  # still its last day
    with time_machine.travel(at(2026, 8, 2, 9, 0), tick=False):
        assert not user_has_perm_in_unit(user, "cases.investigate", body)


@time_machine.travel(NOW, tick=False)
def test_outsiders_are_still_refused_the_case_its_forms_and_its_actions(
        two_cases, other_judge, outside_procurator, judge):
    case = two_cases[0]
    for outsider in (other_judge, outside_procurator):
        client = login(outsider)
        assert client.get(f"/cases/{case.pk}/").status_code == 404
        assert client.get(f"/cases/{case.pk}/assign/form/").status_code == 404
        assert client.post(f"/cases/{case.pk}/detect/", {
            "on": "2026-08-01", "method": "investigation"}).status_code == 404
    # The court of the case's area, before the case reaches it: sees nothing to act on.
    assert login(judge).get(f"/cases/{case.pk}/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_case_page_offers_each_action_as_a_panel_and_its_form_when_opened(
        two_cases, head, investigator):
    case = two_cases[1]
    client = login_verified(head)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'data-form-url="/cases/{case.pk}/assign/form/"' in page
    assert f'data-form-url="/cases/{case.pk}/add_accused/form/"' in page
    assert 'name="personal_id"' not in page and 'name="investigator"' not in page  # no widgets
    fragment = client.get(f"/cases/{case.pk}/assign/form/?partial=1").content.decode()
    assert fragment.lstrip().startswith("<form") and "<html" not in fragment
    assert f'action="/cases/{case.pk}/assign/"' in fragment and 'name="investigator"' in fragment
    full = client.get(f"/cases/{case.pk}/add_accused/form/").content.decode()
    assert "<html" in full and 'name="personal_id"' in full and case.register_code in full
    assert client.get(f"/cases/{case.pk}/nonsense/form/").status_code == 404
    # An action not offered to this user (only the procuracy accepts; only its holder
    # concludes): refused, as the service would refuse the step.
    assert client.get(f"/cases/{case.pk}/accept/form/").status_code == 403
    assert login(investigator).get(f"/cases/{case.pk}/assign/form/").status_code == 403


@time_machine.travel(NOW, tick=False)
def test_a_form_with_errors_comes_back_open_in_place(two_cases, investigator):
    case = two_cases[0]
    response = login(investigator).post(f"/cases/{case.pk}/add_accused/", {"name": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<details class="action" open><summary>Khởi tố bị can' in page
    assert 'name="personal_id"' in page
    assert f'data-form-url="/cases/{case.pk}/suspend/form/"' in page  # the others stay closed


@time_machine.travel(NOW, tick=False)
def test_the_case_list_counts_up_to_the_cap_and_says_more_than(initiate, leader, monkeypatch):
    cases = [initiate(decision_number=f"{n}/QĐ-CSĐT") for n in range(4)]
    assert capped_count(Case.objects.all(), 3) == (3, True)
    assert capped_count(Case.objects.all(), 4) == (4, False)
    client = login_verified(leader)
    monkeypatch.setattr(CappedPaginator, "CAP", 3)
    page = client.get("/cases/?queue=all").content.decode()
    assert "hơn 1.000 vụ án" in page  # the list's count
    assert '<span class="count">hơn 1.000</span>' in page  # the tab "offender unknown"
    assert all(c.register_code in page for c in cases)
    monkeypatch.setattr(CappedPaginator, "CAP", 1000)
    page = client.get("/cases/?queue=all").content.decode()
    assert "4 vụ án" in page and "hơn 1.000" not in page


@time_machine.travel(at(2026, 3, 20, 9, 0), tick=False)
def test_the_extensions_queue_lists_the_cases_with_a_pending_request_of_either_kind(
        initiate, add_accused, investigator, procurator, outside_procurator):
    clock = initiate(charges=(("173", 3),))
    s.case_request_extension(actor=investigator, case=clock, reason="Chờ giám định",
                             on=date(2026, 3, 20))
    held = initiate(decision_number="02/QĐ-CSĐT")
    custody = s.measure_order(actor=investigator, accused=add_accused(held, on=date(2026, 3, 5)),
                              kind="custody", order_number="01/QĐ-TG", start_on=date(2026, 3, 5))
    # Custody from 05/03 (a day alone: from 00:00) expires at 24:00 on 07/03.
    s.measure_request_extension(actor=investigator, measure=custody, reason="Cần xác minh",
                                on=date(2026, 3, 7))
    quiet = initiate(decision_number="03/QĐ-CSĐT")
    assert set(case_list(user=procurator, queue="extensions")) == {clock, held}
    assert capped_count(case_list(user=procurator, queue="extensions")) == (2, False)
    assert quiet in case_list(user=procurator, queue="all")  # in scope, but nothing pending
    assert list(case_list(user=outside_procurator, queue="extensions")) == []
