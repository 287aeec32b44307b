"""A case's whole life, per persona, with hand-computed limits (CPC Arts. 172–174, 240,
277, 333).

The walk: Art. 173(2) (up to 7 years: serious), initiated Monday 02/03/2026.
Investigation 3 months → Tuesday 02/06/2026. Concluded 20/05, received by the procuracy
Friday 22/05: decide within 20 days → 11/06/2026. Indicted 05/06, accepted by the court
Monday 08/06: prepare within 45 days → 23/07/2026. Committed for trial 10/07: open within
15 days → 25/07/2026 (a Saturday; day limits do not move). Trial and judgment 20/07:
appeal within 15 days → 04/08/2026.
"""

from datetime import date

import pytest
import time_machine

from pctp.cases import services as s
from pctp.cases.models import Case, Referral
from pctp.cases.selectors import case_scope
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.models import AuditEvent
from tests.cases.conftest import BINH, CUONG, at

pytestmark = pytest.mark.django_db


def events(case):
    return list(AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
                .order_by("id").values_list("action", "from_state", "to_state"))


def fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


@time_machine.travel(at(2026, 8, 10, 9, 0), tick=False)
def test_walk_from_initiation_to_judgment_across_three_agencies(
        initiate, add_accused, investigator, procurator, judge, regional_court):
    case = initiate()
    assert case.register_code == "1/2026/CQCSĐT"
    assert (case.status, case.severity, case.crime_group) == (
        "investigating", "serious", "social_order")
    assert (case.clock_rule, case.due_date) == ("investigation", date(2026, 6, 2))
    assert case.detected_on is None  # offender unknown until someone is prosecuted
    accused = add_accused(case, on=date(2026, 3, 5))
    case = fresh(case)
    assert accused.is_lead and accused.position == 1 and accused.birth_year == 1992
    assert (case.detected_on, case.detection_method) == (date(2026, 3, 5), "investigation")

    referral = s.case_conclude(actor=investigator, case=case, document_number="12/KLĐT",
                               on=date(2026, 5, 20))
    case = fresh(case)
    assert case.status == "sent_to_procuracy" and case.due_date is None
    assert referral.received_on is None and referral.to_unit == case.procuracy

    s.case_receive(actor=procurator, case=case, on=date(2026, 5, 22))
    case = fresh(case)
    assert (case.status, case.clock_rule, case.due_date) == (
        "at_procuracy", "prosecution.decide", date(2026, 6, 11))

    s.case_indict(actor=procurator, case=case, document_number="20/CT-VKS", on=date(2026, 6, 5))
    case = fresh(case)
    assert case.status == "sent_to_court" and case.court == regional_court
    conclusion = case.referrals.get(kind="conclusion")
    assert (conclusion.closed_on, conclusion.outcome, conclusion.on_time) == (
        date(2026, 6, 5), "indict", True)

    s.case_accept(actor=judge, case=case, on=date(2026, 6, 8))
    case = fresh(case)
    assert (case.status, case.clock_rule, case.due_date) == (
        "at_court", "trial.prepare", date(2026, 7, 23))

    s.case_commit_to_trial(actor=judge, case=case, decision_number="30/QĐXXST-HS",
                           trial_on=date(2026, 7, 20), on=date(2026, 7, 10))
    case = fresh(case)
    assert (case.status, case.due_date) == ("committed", date(2026, 7, 25))
    s.case_open_trial(actor=judge, case=case, on=date(2026, 7, 20))
    s.case_judgment(actor=judge, case=fresh(case), judgment_number="45/2026/HS-ST",
                    summary="Xử phạt 3 năm tù.", sentences={accused.pk: "03 năm tù"},
                    on=date(2026, 7, 20))
    case = fresh(case)
    assert (case.status, case.clock_rule, case.due_date) == (
        "judged", "appeal.judgment", date(2026, 8, 4))
    assert case.accused.get().sentence == "03 năm tù"
    indictment = case.referrals.get(kind="indictment")
    assert (indictment.received_on, indictment.outcome, indictment.closed_on) == (
        date(2026, 6, 8), "judgment", date(2026, 7, 20))
    assert events(case) == [
        ("case.initiate", "", "investigating"),
        ("case.add_accused", "investigating", "investigating"),
        ("case.conclude", "investigating", "sent_to_procuracy"),
        ("case.receive", "sent_to_procuracy", "at_procuracy"),
        ("case.indict", "at_procuracy", "sent_to_court"),
        ("case.accept", "sent_to_court", "at_court"),
        ("case.commit_to_trial", "at_court", "committed"),
        ("case.open_trial", "committed", "trial_open"),
        ("case.judgment", "trial_open", "judged"),
    ]


@time_machine.travel(at(2026, 9, 15, 9, 0), tick=False)
def test_procuracy_returns_twice_and_the_third_return_is_refused(
        initiate, add_accused, investigator, procurator):
    """Returned 04/05, received back Wednesday 06/05: supplementary 2 months → Monday
    06/07/2026. Returned again 25/06, received back Monday 29/06 → 29/08/2026 is a
    Saturday, Monday 31/08 is the day off swapped for Saturday 22/08 and 01–02/09 is National
    Day, so Thursday 03/09/2026. A third return (03/09) is refused."""
    case = initiate()
    add_accused(case)
    s.case_conclude(actor=investigator, case=case, document_number="1/KLĐT", on=date(2026, 4, 20))
    s.case_receive(actor=procurator, case=case, on=date(2026, 4, 21))
    s.case_return(actor=procurator, case=case, decision_number="1/QĐ-VKS",
                  reason="Làm rõ giá trị tài sản.", on=date(2026, 5, 4))
    case = fresh(case)
    assert (case.status, case.procuracy_returns, case.returned_by) == ("returned", 1, "procuracy")
    assert case.referrals.get(kind="return_by_procuracy").received_on is None
    s.case_receive_returned(actor=investigator, case=case, on=date(2026, 5, 6))
    case = fresh(case)
    assert (case.status, case.clock_rule, case.due_date) == (
        "investigating", "investigation.supplementary.procuracy", date(2026, 7, 6))

    s.case_conclude(actor=investigator, case=case, document_number="2/KLĐT", on=date(2026, 6, 15))
    s.case_receive(actor=procurator, case=case, on=date(2026, 6, 16))
    s.case_return(actor=procurator, case=case, decision_number="2/QĐ-VKS",
                  reason="Đối chất.", on=date(2026, 6, 25))
    s.case_receive_returned(actor=investigator, case=case, on=date(2026, 6, 29))
    case = fresh(case)
    assert (case.procuracy_returns, case.due_date) == (2, date(2026, 9, 3))

    s.case_conclude(actor=investigator, case=case, document_number="3/KLĐT", on=date(2026, 8, 20))
    s.case_receive(actor=procurator, case=case, on=date(2026, 8, 24))
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition) as err:
        s.case_return(actor=procurator, case=case, decision_number="3/QĐ-VKS",
                      reason="Lần ba.", on=date(2026, 9, 3))
    assert err.value.status == 409 and err.value.code == "too_many_returns"
    assert "hai lần" in err.value.message
    assert fresh(case).status == "at_procuracy" and AuditEvent.objects.count() == before
    assert case.referrals.filter(kind="conclusion").count() == 3


@time_machine.travel(at(2026, 8, 20, 9, 0), tick=False)
def test_a_case_suspended_for_an_unknown_offender_and_resumed(initiate, investigator):
    """Offender unknown: suspension on that ground only after the limit (02/06/2026)
    expired (Art. 229). Resumed Monday 10/08/2026: 2 more months for a serious crime
    (Art. 174(1)) → 10/10/2026 is a Saturday → Monday 12/10/2026."""
    case = initiate()
    with pytest.raises(InvalidTransition) as err:
        s.case_suspend(actor=investigator, case=case, ground="offender_unknown",
                       decision_number="5/QĐ-TĐC", on=date(2026, 6, 1))
    assert err.value.code == "limit_not_expired" and "02/06/2026" in err.value.message
    s.case_suspend(actor=investigator, case=case, ground="offender_unknown",
                   decision_number="5/QĐ-TĐC", on=date(2026, 6, 3))
    case = fresh(case)
    assert (case.status, case.due_date, case.detected_on) == ("suspended", None, None)
    assert case in case_scope(investigator).filter(detected_on__isnull=True)  # still unsolved
    s.case_resume(actor=investigator, case=case, decision_number="6/QĐ-PHĐT",
                  on=date(2026, 8, 10))
    case = fresh(case)
    assert (case.status, case.clock_rule, case.due_date) == (
        "investigating", "investigation.resumed", date(2026, 10, 12))
    assert [e[0] for e in events(case)] == ["case.initiate", "case.suspend", "case.resume"]


@time_machine.travel(at(2026, 12, 1, 9, 0), tick=False)
def test_investigation_extended_by_the_procuracy_to_the_maximum_then_refused(
        initiate, investigator, procurator, provincial_procurator, head):
    """Art. 173(3) (up to 15 years: very serious), initiated 02/03/2026: 4 months →
    02/07/2026; request by 22/06. First extension +4 months → Monday 02/11/2026 (request by
    23/10); second +4 months → Tuesday 02/03/2027. Very serious crimes get two; a third
    is refused."""
    case = initiate(charges=(("173", 3),))
    assert (case.severity, case.due_date) == ("very_serious", date(2026, 7, 2))
    with pytest.raises(InvalidTransition) as err:
        s.case_request_extension(actor=investigator, case=case, reason="Giám định",
                                 on=date(2026, 6, 23))
    assert err.value.code == "request_too_late" and "22/06/2026" in err.value.message
    request = s.case_request_extension(actor=investigator, case=case, reason="Chờ giám định",
                                       on=date(2026, 6, 22))
    with pytest.raises(PermissionRefused):  # the investigation body cannot grant it itself
        s.case_extension_decide(actor=head, request=request, approve=True, note="x")
    s.case_extension_decide(actor=procurator, request=request, approve=True, note="Đồng ý",
                            on=date(2026, 6, 24))
    assert fresh(case).due_date == date(2026, 11, 2)
    request = s.case_request_extension(actor=investigator, case=case, reason="Ủy thác tư pháp",
                                       on=date(2026, 10, 20))
    # Art. 172(5)(c): the second extension of a very serious case is the provincial
    # procuracy's; the regional one is refused, the provincial one grants it.
    with pytest.raises(PermissionRefused) as err:
        s.case_extension_decide(actor=procurator, request=request, approve=True, note="Đồng ý",
                                on=date(2026, 10, 21))
    assert err.value.code == "wrong_level"
    s.case_extension_decide(actor=provincial_procurator, request=request, approve=True,
                            note="Đồng ý", on=date(2026, 10, 21))
    case = fresh(case)
    assert (case.clock_extensions, case.due_date) == (2, date(2027, 3, 2))
    with pytest.raises(InvalidTransition) as err:
        s.case_request_extension(actor=investigator, case=case, reason="Lần ba",
                                 on=date(2026, 11, 30))
    assert err.value.status == 409 and err.value.code == "too_many_extensions"
    assert "rất nghiêm trọng" in err.value.message


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_procuracy_and_court_extend_their_own_limits_once(
        initiate, add_accused, investigator, procurator, judge):
    """Received 22/05: 20 days → 11/06, extended once by 10 days → 21/06/2026; a second
    extension is refused. Court accepts 15/06: 45 days → 30/07, +15 → 14/08/2026."""
    case = initiate()
    add_accused(case)
    s.case_conclude(actor=investigator, case=case, document_number="1/KLĐT", on=date(2026, 5, 20))
    s.case_receive(actor=procurator, case=case, on=date(2026, 5, 22))
    s.case_extend(actor=procurator, case=case, reason="Vụ án phức tạp", on=date(2026, 6, 5))
    case = fresh(case)
    assert case.due_date == date(2026, 6, 21)
    assert case.referrals.get(kind="conclusion").due_date == date(2026, 6, 21)
    with pytest.raises(InvalidTransition):
        s.case_extend(actor=procurator, case=case, reason="Lần hai", on=date(2026, 6, 6))
    s.case_indict(actor=procurator, case=case, document_number="1/CT", on=date(2026, 6, 12))
    s.case_accept(actor=judge, case=case, on=date(2026, 6, 15))
    assert fresh(case).due_date == date(2026, 7, 30)
    s.case_extend(actor=judge, case=case, reason="Chờ giám định bổ sung", on=date(2026, 7, 1))
    assert fresh(case).due_date == date(2026, 8, 14)


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_a_court_officer_cannot_act_at_the_investigation_stage_nor_see_other_courts(
        initiate, add_accused, investigator, procurator, judge, other_judge, regional_court):
    case = initiate()
    add_accused(case)
    assert not case_scope(judge).filter(pk=case.pk).exists()  # not yet sent to any court
    before = AuditEvent.objects.count()
    for step in (lambda: s.case_conclude(actor=judge, case=case, document_number="x"),
                 lambda: s.case_suspend(actor=judge, case=case, ground="illness",
                                        decision_number="x"),
                 lambda: s.accused_add(actor=judge, case=case, person=CUONG,
                                       charges=[s.ChargeInput("173", 1)])):
        with pytest.raises(PermissionRefused):
            step()
    assert AuditEvent.objects.count() == before
    s.case_conclude(actor=investigator, case=case, document_number="1/KLĐT", on=date(2026, 5, 20))
    with pytest.raises(PermissionRefused):  # the investigation body cannot receive for the VKS
        s.case_receive(actor=investigator, case=case, on=date(2026, 5, 21))
    s.case_receive(actor=procurator, case=case, on=date(2026, 5, 22))
    s.case_indict(actor=procurator, case=case, document_number="1/CT", court=regional_court,
                  on=date(2026, 6, 1))
    assert case_scope(judge).filter(pk=case.pk).exists()
    assert not case_scope(other_judge).filter(pk=case.pk).exists()
    with pytest.raises(PermissionRefused):
        s.case_accept(actor=other_judge, case=case, on=date(2026, 6, 2))


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_an_outside_procurator_cannot_receive_nor_grant(
        initiate, add_accused, investigator, outside_procurator):
    case = initiate()
    request = s.case_request_extension(actor=investigator, case=case, reason="x",
                                       on=date(2026, 5, 1))
    with pytest.raises(PermissionRefused):
        s.case_extension_decide(actor=outside_procurator, request=request, approve=True, note="y")
    add_accused(case)
    s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 5, 20))
    with pytest.raises(PermissionRefused):
        s.case_receive(actor=outside_procurator, case=case)
    assert not case_scope(outside_procurator).filter(pk=case.pk).exists()


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_another_investigator_cannot_conclude_someone_elses_case(
        initiate, add_accused, other_investigator, head):
    case = initiate()
    add_accused(case)
    with pytest.raises(PermissionRefused):
        s.case_conclude(actor=other_investigator, case=case, document_number="1")
    s.case_assign(actor=head, case=case, investigator=other_investigator)
    s.case_conclude(actor=other_investigator, case=case, document_number="1",
                    on=date(2026, 5, 20))
    assert fresh(case).status == "sent_to_procuracy"


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_court_return_gives_one_month_and_a_15_day_decision_after(
        initiate, add_accused, investigator, procurator, judge):
    """Judge returns 10/06; the body receives Friday 12/06: 1 month → Sunday 12/07 →
    Monday 13/07/2026. Back at court (accepted 27/07): decide within 15 days → 11/08/2026.
    The judge may not return a second time."""
    case = initiate()
    add_accused(case)
    s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 5, 20))
    s.case_receive(actor=procurator, case=case, on=date(2026, 5, 21))
    s.case_indict(actor=procurator, case=case, document_number="1/CT", on=date(2026, 6, 1))
    s.case_accept(actor=judge, case=case, on=date(2026, 6, 2))
    s.case_return(actor=judge, case=case, decision_number="2/QĐ-TA", reason="Giám định lại.",
                  on=date(2026, 6, 10))
    s.case_receive_returned(actor=investigator, case=case, on=date(2026, 6, 12))
    case = fresh(case)
    assert (case.clock_rule, case.due_date, case.judge_returns) == (
        "investigation.supplementary.court", date(2026, 7, 13), 1)
    s.case_conclude(actor=investigator, case=case, document_number="2", on=date(2026, 7, 10))
    s.case_receive(actor=procurator, case=case, on=date(2026, 7, 13))
    s.case_indict(actor=procurator, case=case, document_number="2/CT", on=date(2026, 7, 20))
    s.case_accept(actor=judge, case=case, on=date(2026, 7, 27))
    case = fresh(case)
    assert (case.clock_rule, case.due_date) == ("trial.prepare.returned", date(2026, 8, 11))
    with pytest.raises(InvalidTransition) as err:
        s.case_return(actor=judge, case=case, decision_number="3", reason="x", on=date(2026, 7, 28))
    assert err.value.code == "too_many_returns"
    assert Referral.objects.filter(case=case, kind="return_by_court").count() == 1


# ----------------------------------------------------------------------------- bad input

@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_judgment_before_the_trial_opened_is_refused_with_the_reason(
        initiate, add_accused, investigator, procurator, judge):
    case = initiate()
    add_accused(case)
    s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 5, 20))
    s.case_receive(actor=procurator, case=case, on=date(2026, 5, 21))
    s.case_indict(actor=procurator, case=case, document_number="1/CT", on=date(2026, 6, 1))
    s.case_accept(actor=judge, case=case, on=date(2026, 6, 2))
    with pytest.raises(InvalidTransition) as err:
        s.case_judgment(actor=judge, case=case, judgment_number="1/HS-ST", summary="x")
    assert err.value.status == 409 and err.value.details["state"] == "at_court"
    assert "mở phiên tòa" in err.value.message


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_indicting_a_case_the_procuracy_has_not_received_is_refused(
        initiate, add_accused, investigator, procurator):
    case = initiate()
    add_accused(case)
    s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 5, 20))
    with pytest.raises(InvalidTransition) as err:
        s.case_indict(actor=procurator, case=case, document_number="1/CT")
    assert err.value.status == 409 and err.value.details["state"] == "sent_to_procuracy"
    assert "đã nhận hồ sơ" in err.value.message


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_a_conclusion_without_any_accused_is_refused(initiate, investigator):
    case = initiate()
    with pytest.raises(InvalidTransition) as err:
        s.case_conclude(actor=investigator, case=case, document_number="1")
    assert err.value.code == "no_accused"


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
@pytest.mark.parametrize(("charge", "code", "field"), [
    (("999", 1), "unknown_offence", "article"),
    (("173", 9), "unknown_clause", "clause"),
])
def test_charging_under_an_unknown_article_or_clause_is_refused(
        initiate, add_accused, charge, code, field):
    case = initiate()
    with pytest.raises(DomainError) as err:
        add_accused(case, charges=(charge,))
    assert err.value.code == code and field in err.value.details
    assert case.accused.count() == 0
    with pytest.raises(DomainError) as err:
        initiate(charges=(charge,))
    assert err.value.code == code


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
@pytest.mark.parametrize(("person", "field"), [
    (BINH.__class__(name="A", sex="male", personal_id="12345"), "personal_id"),
    (BINH.__class__(name="A", sex="female", personal_id="079092001234"), "sex"),
    (BINH.__class__(name="A", sex="male", personal_id="079092001234",
                    birth_date=date(1993, 1, 1)), "birth_date"),
    (BINH.__class__(name=" ", sex="male"), "name"),
])
def test_a_bad_identity_names_the_field_and_saves_nothing(initiate, add_accused, person, field):
    case = initiate()
    with pytest.raises(DomainError) as err:
        add_accused(case, person=person)
    assert field in err.value.details and case.accused.count() == 0


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_a_future_or_out_of_order_date_is_refused(initiate, add_accused, investigator):
    case = initiate()
    add_accused(case)
    with pytest.raises(DomainError) as err:
        s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 8, 2))
    assert "on" in err.value.details
    with pytest.raises(DomainError) as err:
        s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 3, 1))
    assert "02/03/2026" in err.value.message


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_a_double_submitted_initiation_opens_one_case(initiate):
    first = initiate(client_token="form-1")
    again = initiate(client_token="form-1")
    assert first.pk == again.pk and Case.objects.count() == 1


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_the_gso_rule_sets_severity_and_group_from_the_most_serious_charge(
        initiate, add_accused, investigator):
    """Theft 173(1) (less serious) and drugs 249(2) (up to 10 years: very serious) and
    robbery 168(2) (up to 15 years: very serious): the tie between 168 and 249 goes to the
    lowest article, 168 — social order, very serious."""
    case = initiate(charges=(("173", 1),))
    assert case.severity == "less_serious" and case.due_date == date(2026, 5, 4)
    accused = add_accused(case, charges=(("249", 2),))
    case = fresh(case)
    assert (case.lead_offence.article, case.severity, case.crime_group) == (
        "249", "very_serious", "drugs")
    # 4 months for a very serious crime now: 02/03 → Thursday 02/07/2026.
    assert case.due_date == date(2026, 7, 2)
    s.accused_charge(actor=investigator, accused=accused, article="168", clause=2)
    case = fresh(case)
    assert (case.lead_offence.article, case.lead_clause.clause, case.crime_group) == (
        "168", 2, "social_order")


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_the_same_person_in_two_cases_has_the_same_blind_index_and_no_readable_identity(
        initiate, add_accused, investigator):
    one = add_accused(initiate())
    two = add_accused(initiate(decision_number="02/QĐ"), person=BINH)
    three = add_accused(initiate(decision_number="03/QĐ"), person=CUONG)
    assert one.person_index == two.person_index != three.person_index
    raw = bytes(type(one).objects.get(pk=one.pk).identity)
    assert b"Nguy" not in raw and b"079092001234" not in raw
    identity = s.accused_identity(actor=investigator, accused=one, purpose="test")
    assert identity["name"] == "Nguyễn Văn Bình" and identity["personal_id"] == "079092001234"


@time_machine.travel(at(2026, 8, 1, 9, 0), tick=False)
def test_an_investigation_extension_decided_after_the_limit_is_refused_or_recorded_late(
        initiate, investigator, procurator):
    """Serious, initiated 02/03/2026: 3 months -> 02/06/2026. Asked on 20/05, decided on
    22/06: twenty days late. Refused; recorded late, the twenty days stay on the record
    and the next 3 months run from 02/06: Wed 02/09/2026, National Day, so Thu 03/09/2026."""
    case = initiate()
    request = s.case_request_extension(actor=investigator, case=case, reason="Chờ giám định",
                                       on=date(2026, 5, 20))
    with pytest.raises(InvalidTransition) as err:
        s.case_extension_decide(actor=procurator, request=request, approve=True, note="Đồng ý",
                                on=date(2026, 6, 22))
    assert err.value.code == "limit_expired" and "02/06/2026" in err.value.message
    assert fresh(case).due_date == date(2026, 6, 2)
    row = s.case_extension_decide(actor=procurator, request=request, approve=True,
                                  note="Đồng ý (muộn)", on=date(2026, 6, 22), record_late=True)
    assert (row.late, row.gap_days) == (True, 20)
    case = fresh(case)
    assert (case.due_date, case.late_days) == (date(2026, 9, 3), 20)
    # Asked after a limit expired, a request is refused outright.
    other = initiate(decision_number="02/QĐ-CSĐT")
    with pytest.raises(InvalidTransition) as err:
        s.case_request_extension(actor=investigator, case=other, reason="Muộn",
                                 on=date(2026, 6, 10))
    assert err.value.code == "limit_expired"


@time_machine.travel(at(2027, 8, 1, 9, 0), tick=False)
def test_the_supreme_procuracys_extensions_are_recorded_with_its_decision(
        initiate, investigator, provincial_procurator):
    """Especially serious (Art. 251(4)), initiated 02/03/2026: 4 months -> 02/07; + 4 ->
    02/11; + 4 -> 02/03/2027 (both by the provincial procuracy); the third belongs to the
    Supreme People's Procuracy: the provincial procurator may only record its decision,
    with its number."""
    case = initiate(charges=(("251", 4),))
    for asked, decided in ((date(2026, 6, 20), date(2026, 6, 25)),
                           (date(2026, 10, 20), date(2026, 10, 25))):
        request = s.case_request_extension(actor=investigator, case=case, reason="Phức tạp",
                                           on=asked)
        s.case_extension_decide(actor=provincial_procurator, request=request, approve=True,
                                note="Đồng ý", on=decided)
    assert fresh(case).due_date == date(2027, 3, 2)
    request = s.case_request_extension(actor=investigator, case=case, reason="Rất phức tạp",
                                       on=date(2027, 2, 15))
    with pytest.raises(PermissionRefused) as err:
        s.case_extension_decide(actor=provincial_procurator, request=request, approve=True,
                                note="Đồng ý", on=date(2027, 2, 20))
    assert err.value.code == "wrong_level" and "tối cao" in err.value.message
    from django.utils import translation

    with translation.override("en"), pytest.raises(PermissionRefused) as err:
        s.case_extension_decide(actor=provincial_procurator, request=request, approve=True,
                                note="Đồng ý", on=date(2027, 2, 20))
    # English in an English sentence: the level's name, not the law's Vietnamese wording.
    assert "This extension is for Supreme People's Procuracy to grant" in err.value.message
    assert "Viện" not in err.value.message
    with pytest.raises(DomainError) as err:
        s.case_extension_decide(actor=provincial_procurator, request=request, approve=True,
                                note="Đồng ý", on=date(2027, 2, 20), granted_level="supreme")
    assert err.value.code == "authority_document_required"
    row = s.case_extension_decide(actor=provincial_procurator, request=request, approve=True,
                                  note="Theo quyết định của VKSND tối cao", on=date(2027, 2, 20),
                                  granted_level="supreme", authority_document="15/QĐ-VKSTC")
    assert (row.granted_level, row.authority_document) == ("supreme", "15/QĐ-VKSTC")
    assert fresh(case).due_date == date(2027, 7, 2)


@pytest.mark.parametrize(("today", "offered"), [
    (date(2026, 6, 22), True),   # the last day to ask (10 days before 02/07)
    (date(2026, 6, 23), False),  # too late to ask, not yet late to record: the service refuses
    (date(2026, 7, 3), True),    # the limit has passed: the request may be recorded late
])
def test_the_page_offers_an_extension_request_only_when_the_service_takes_it(
        initiate, investigator, today, offered):
    """QA of issue 18: between the last day to ask and the limit, the page offered the
    request and the service refused it (request_too_late), with no way to record it."""
    from pctp.cases.transitions import case_actions

    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        case = initiate(charges=(("173", 3),))
    assert case.due_date == date(2026, 7, 2)
    with time_machine.travel(at(today.year, today.month, today.day, 9, 0), tick=False):
        assert ("request_extension" in case_actions(investigator, fresh(case))) is offered
