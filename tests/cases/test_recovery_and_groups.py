"""Asset recovery in corruption cases, and criminal groups found through co-accused links."""

from datetime import date

import pytest
import time_machine

from pctp.cases import services as s
from pctp.cases.models import CriminalGroup, Recovery
from pctp.cases.selectors import group_cases, group_list, linked_cases, propose_groups
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.models import AccessLog, AuditEvent
from tests.cases.conftest import BINH, CUONG, DUNG, at

pytestmark = pytest.mark.django_db

EMBEZZLEMENT = (("353", 3),)  # tham ô tài sản, up to 20 years


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_the_ledger_keeps_vnd_integers_and_refuses_negative_amounts(initiate, investigator):
    case = initiate(charges=EMBEZZLEMENT, summary="Tham ô tiền bồi thường giải phóng mặt bằng")
    assert case.crime_group == "corruption"
    s.case_set_value(actor=investigator, case=case, value_lost=12_500_000_000)
    entry = s.recovery_record(actor=investigator, case=case, kind="seized", amount=3_000_000_000,
                              on=date(2026, 4, 1), description="Kê biên nhà đất tại phường 1")
    assert (entry.amount, entry.stage) == (3_000_000_000, "investigating")
    for call, field in ((lambda: s.case_set_value(actor=investigator, case=case, value_lost=-1),
                         "value_lost"),
                        (lambda: s.recovery_record(actor=investigator, case=case, kind="frozen",
                                                   amount=-500, on=date(2026, 4, 2),
                                                   description="Tài khoản"), "amount")):
        with pytest.raises(DomainError) as err:
            call()
        assert err.value.code == "negative_amount" and field in err.value.details
        assert "âm" in err.value.message
    with pytest.raises(DomainError):
        s.recovery_record(actor=investigator, case=case, kind="frozen", amount=1.5,
                          on=date(2026, 4, 2), description="Tài khoản")
    assert Recovery.objects.filter(case=case).count() == 1


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_enforcement_needs_a_judgment_and_may_realise_a_seizure_only_once(
        initiate, investigator, judge):
    case = initiate(charges=EMBEZZLEMENT)
    seized = s.recovery_record(actor=investigator, case=case, kind="seized", amount=1_000,
                               on=date(2026, 4, 1), description="Ô tô")
    with pytest.raises(InvalidTransition) as err:
        s.recovery_record(actor=investigator, case=case, kind="enforced", amount=1_000,
                          on=date(2026, 5, 1), description="Bán đấu giá ô tô", realises=seized)
    assert err.value.code == "no_judgment"
    returned = s.recovery_record(actor=investigator, case=case, kind="returned", amount=900,
                                 on=date(2026, 5, 1), description="Nộp thay ô tô",
                                 realises=seized)
    assert returned.realises == seized
    with pytest.raises(DomainError):
        s.recovery_record(actor=investigator, case=case, kind="returned", amount=900,
                          on=date(2026, 5, 2), description="Lại", realises=seized)


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_an_outsider_cannot_write_the_ledger(initiate, other_judge):
    case = initiate(charges=EMBEZZLEMENT)
    with pytest.raises(PermissionRefused):
        s.recovery_record(actor=other_judge, case=case, kind="seized", amount=1,
                          on=date(2026, 4, 1), description="x")


@pytest.fixture
def ring(initiate, add_accused):
    """Three cases: Bình and Cường together in A, Cường and Dung together in B, Dung alone
    in C; a fourth case D with someone else entirely."""
    with time_machine.travel(at(2026, 8, 1, 9, 0), tick=False):
        a, b, c, d = (initiate(decision_number=f"{n}/QĐ") for n in range(1, 5))
        add_accused(a, person=BINH)
        add_accused(a, person=CUONG)
        add_accused(b, person=CUONG)
        add_accused(b, person=DUNG)
        add_accused(c, person=DUNG)
        add_accused(d, person=BINH.__class__(name="Phạm Văn Em", sex="male",
                                             personal_id="072099001111"))
    return {"A": a, "B": b, "C": c, "D": d}


def test_co_accused_links_propose_one_group_of_three_people_and_three_cases(ring, investigator):
    proposals = propose_groups(user=investigator)
    assert len(proposals) == 1
    only = proposals[0]
    assert {c.pk for c in only.cases} == {ring["A"].pk, ring["B"].pk, ring["C"].pk}
    assert len(only.people) == 3 and only.registered == []


def test_cases_of_the_same_person_are_linked(ring, investigator):
    linked = linked_cases(user=investigator, case=ring["A"])
    assert [(c.pk, shared) for c, shared in linked] == [(ring["B"].pk, 1)]


def test_the_register_follows_a_member_into_a_new_case(ring, investigator, add_accused,
                                                       initiate, judge):
    with time_machine.travel(at(2026, 8, 1, 9, 0), tick=False):
        binh, cuong = ring["A"].accused.order_by("position")
        group = s.group_create(actor=investigator, unit=ring["A"].investigation_body,
                               name="Nhóm trộm xe chợ phường", dangerous=True,
                               members=[binh, cuong], leaders={binh.pk})
        assert {c.pk for c in group_cases(user=investigator, group=group)} == {
            ring["A"].pk, ring["B"].pk}
        later = initiate(decision_number="9/QĐ")
        add_accused(later, person=BINH)
        assert later in group_cases(user=investigator, group=group)
        assert propose_groups(user=investigator)[0].registered == [group]
        with pytest.raises(DomainError):
            s.group_add_member(actor=investigator, group=group, accused=later.accused.get())
        with pytest.raises(PermissionRefused):  # courts do not keep the register
            s.group_create(actor=judge, unit=ring["A"].investigation_body, name="x")
        s.group_update(actor=investigator, group=group, status="dismantled", dangerous=True)
    row = group_list(user=investigator).get()
    assert (row.n_members, row.n_leaders, row.status) == (2, 1, "dismantled")
    assert AuditEvent.objects.filter(object_type="cases.criminalgroup").count() == 2
    assert CriminalGroup.objects.get().members.get(is_leader=True).accused == binh


def test_identity_views_are_logged_per_accused(ring, investigator, other_judge):
    people = list(ring["A"].accused.all())
    before = AccessLog.objects.count()
    shown = s.accused_identities(actor=investigator, accused=people, purpose="case page")
    assert len(shown) == 2 and AccessLog.objects.count() == before + 2
    assert s.accused_identities(actor=other_judge, accused=people, purpose="x") == {}
    with pytest.raises(PermissionRefused):
        s.accused_identity(actor=other_judge, accused=people[0])


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_85_000_000_typed_on_the_page_or_sent_to_the_api_is_85_million(initiate, investigator):
    """Issue 16, finding 2: "85.000.000" in a recovery field was stored as 85 đồng."""
    from pctp.cases.models import Case, Recovery
    from tests.personas import api_client, login

    case = initiate(charges=(("353", 2),))
    page = login(investigator).post(f"/cases/{case.pk}/record_recovery/", {
        "kind": "seized", "amount": "85.000.000", "on": "2026-05-09",
        "description": "Kê biên xe ô tô"})
    assert page.status_code == 302
    assert Recovery.objects.get(case=case).amount == 85_000_000
    api = api_client(investigator).post(f"/api/v1/cases/{case.pk}/recoveries/", {
        "kind": "frozen", "amount": "1.250.000", "on": "2026-05-09",
        "description": "Phong tỏa tài khoản"}, format="json")
    assert api.status_code == 201 and api.json()["amount"] == 1_250_000
    for bad in ("85.5", "1.000,5", "85.00.000"):
        refused = api_client(investigator).post(f"/api/v1/cases/{case.pk}/value/", {
            "value_lost": bad}, format="json")
        assert refused.status_code == 400, bad
        form = login(investigator).post(f"/cases/{case.pk}/set_value/", {"value_lost": bad})
        assert form.status_code == 400 and "85.000.000" in form.content.decode()
    assert Case.objects.get(pk=case.pk).value_lost is None
    shown = login(investigator).get(f"/cases/{case.pk}/set_value/form/").content.decode()
    assert 'data-money="1"' in shown


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_digits_python_cannot_convert_are_refused_with_a_message_not_a_500(
        initiate, investigator):
    """QA: "²" is a digit to str.isdigit but not to int(), and a 5,000-digit amount passes
    Python's integer-conversion limit: both raised a bare ValueError (a 500 on the page and
    in the API) instead of the money field's message."""
    from pctp.cases.models import Case
    from tests.personas import api_client, login

    case = initiate(charges=(("353", 2),))
    for bad in ("²", "9" * 5000, "1.000²"):
        refused = api_client(investigator).post(f"/api/v1/cases/{case.pk}/value/", {
            "value_lost": bad}, format="json")
        assert refused.status_code == 400, (bad[:10], refused.status_code)
        form = login(investigator).post(f"/cases/{case.pk}/set_value/", {"value_lost": bad})
        assert form.status_code == 400, (bad[:10], form.status_code)
        assert "85.000.000" in form.content.decode() or "quá lớn" in form.content.decode()
    assert Case.objects.get(pk=case.pk).value_lost is None
