"""The custody and detention register: limits from the law, which run straight through
weekends and holidays with 30-day months, the first day counting as day 1 (CPC Arts. 118,
173, 174(4), 241, 278, 329; TTLT 04/2018 Art. 17). Custody counts from the hour.

Every date is worked out by hand in the test's docstring or comments.
"""

from datetime import date

import pytest
import time_machine

from pctp.cases import services as s
from pctp.cases.models import Measure, MeasureExtension
from pctp.cases.selectors import measure_list
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from tests.cases.conftest import CUONG, at

pytestmark = pytest.mark.django_db


def reload(measure) -> Measure:
    return Measure.objects.get(pk=measure.pk)


@time_machine.travel(at(2026, 3, 20, 9, 0), tick=False)
def test_custody_extended_twice_to_nine_days_then_refused(
        initiate, add_accused, investigator, procurator):
    """Received at 14:00 on Thu 05/03/2026: 3 days end at 14:00 on 08/03; + 3 -> 14:00
    11/03; + 3 -> 14:00 14/03 (Art. 118: 9 days at most)."""
    case = initiate()
    accused = add_accused(case, on=date(2026, 3, 5))
    custody = s.measure_order(actor=investigator, accused=accused, kind="custody",
                              order_number="01/QĐ-TG", start_on=at(2026, 3, 5, 14, 0))
    assert (custody.due_date, custody.due_at) == (date(2026, 3, 8), at(2026, 3, 8, 14, 0))
    for n, expected in ((1, at(2026, 3, 11, 14, 0)), (2, at(2026, 3, 14, 14, 0))):
        request = s.measure_request_extension(actor=investigator, measure=custody,
                                              reason="Cần xác minh thêm",
                                              on=at(2026, 3, 5 + 3 * n, 9, 0))
        s.measure_extension_decide(actor=procurator, request=request, approve=True,
                                   note="Phê chuẩn", on=at(2026, 3, 5 + 3 * n, 11, 0))
        assert (reload(custody).extensions, reload(custody).due_at) == (n, expected)
    with pytest.raises(InvalidTransition) as err:
        s.measure_request_extension(actor=investigator, measure=custody, reason="Lần ba",
                                    on=at(2026, 3, 14, 9, 0))
    assert err.value.status == 409 and err.value.code == "too_many_extensions"
    assert "14/03/2026" in err.value.message


@time_machine.travel(at(2026, 10, 25, 9, 0), tick=False)
def test_detention_extended_to_its_maximum_by_the_provincial_procuracy(
        initiate, add_accused, investigator, procurator, provincial_procurator, head):
    """Art. 251(4), especially serious, from 02/03/2026: 120 days, day 1 being 02/03:
    31/03 (30), 30/04 (60), 31/05 (91), 29/06/2026 (120); request by 19/06. + 120: 30/06
    (1), 31/07 (32), 31/08 (63), 30/09 (93), 27/10/2026 (120); + 120: 31/10 (4), 30/11 (34),
    31/12 (65), 31/01 (96), 24/02/2027 (120). Both extensions are the provincial
    procuracy's (Art. 173(3)); the regional one may not grant them."""
    case = initiate(charges=(("251", 4),))
    accused = add_accused(case, charges=(("251", 4),))
    detention = s.measure_order(actor=investigator, accused=accused,
                                kind="detention.investigation", order_number="02/LTG",
                                start_on=date(2026, 3, 2))
    assert (detention.severity, detention.due_date) == ("especially_serious", date(2026, 6, 29))
    with pytest.raises(InvalidTransition) as err:
        s.measure_request_extension(actor=investigator, measure=detention, reason="Muộn",
                                    on=date(2026, 6, 20))
    assert err.value.code == "request_too_late" and "19/06/2026" in err.value.message
    first = s.measure_request_extension(actor=investigator, measure=detention, reason="Giám định",
                                        on=date(2026, 6, 18))
    with pytest.raises(InvalidTransition):  # one request at a time
        s.measure_request_extension(actor=investigator, measure=detention, reason="Lại",
                                    on=date(2026, 6, 18))
    with pytest.raises(PermissionRefused):  # the head of the body cannot approve it
        s.measure_extension_decide(actor=head, request=first, approve=True, note="x",
                                   on=date(2026, 6, 22))
    with pytest.raises(PermissionRefused) as err:  # nor the regional procuracy
        s.measure_extension_decide(actor=procurator, request=first, approve=True, note="x",
                                   on=date(2026, 6, 22))
    assert err.value.code == "wrong_level" and "cấp tỉnh" in err.value.message
    s.measure_extension_decide(actor=provincial_procurator, request=first, approve=True,
                               note="Phê chuẩn", on=date(2026, 6, 22))
    assert reload(detention).due_date == date(2026, 10, 27)
    assert MeasureExtension.objects.get(pk=first.pk).granted_level == "provincial"
    second = s.measure_request_extension(actor=investigator, measure=detention, reason="Ủy thác",
                                         on=date(2026, 10, 15))
    s.measure_extension_decide(actor=provincial_procurator, request=second, approve=True,
                               note="Phê chuẩn", on=date(2026, 10, 16))
    detention = reload(detention)
    assert (detention.extensions, detention.due_date) == (2, date(2027, 2, 24))
    with pytest.raises(InvalidTransition) as err:
        s.measure_request_extension(actor=investigator, measure=detention, reason="Lần ba",
                                    on=date(2026, 10, 25))
    assert err.value.status == 409 and err.value.code == "too_many_extensions"
    assert [r.state for r in MeasureExtension.objects.filter(measure=detention)] == [
        "approved", "approved"]


@time_machine.travel(at(2026, 3, 20, 9, 0), tick=False)
def test_custody_days_are_deducted_from_the_detention_that_follows(
        initiate, add_accused, investigator):
    """Custody 05/03 -> detention from 08/03, counted on from the day custody ended (TTLT
    04/2018 Art. 17): 3 days deducted. Serious: 90 - 3 = 87 days from 08/03: 31/03 (24),
    30/04 (54), 31/05 (85), 02/06/2026 (87)."""
    case = initiate()
    accused = add_accused(case, on=date(2026, 3, 5))
    custody = s.measure_order(actor=investigator, accused=accused, kind="custody",
                              order_number="01/QĐ-TG", start_on=date(2026, 3, 5))
    detention = s.measure_order(actor=investigator, accused=accused,
                                kind="detention.investigation", order_number="01/LTG",
                                start_on=date(2026, 3, 8))
    assert reload(custody).released_on == date(2026, 3, 8)
    assert (detention.deducted_days, detention.due_date) == (3, date(2026, 6, 2))


@time_machine.travel(at(2026, 3, 20, 9, 0), tick=False)
def test_a_release_cannot_precede_the_start(initiate, add_accused, investigator):
    case = initiate()
    accused = add_accused(case, on=date(2026, 3, 5))
    custody = s.measure_order(actor=investigator, accused=accused, kind="custody",
                              order_number="01", start_on=date(2026, 3, 5))
    with pytest.raises(DomainError) as err:
        s.measure_release(actor=investigator, measure=custody, released_on=date(2026, 3, 4))
    assert err.value.code == "release_before_start" and "released_on" in err.value.details
    assert "05/03/2026" in err.value.message
    assert reload(custody).active
    s.measure_release(actor=investigator, measure=custody, released_on=date(2026, 3, 6),
                      note="Thay đổi biện pháp ngăn chặn")
    assert reload(custody).released_on == date(2026, 3, 6)
    with pytest.raises(InvalidTransition):
        s.measure_release(actor=investigator, measure=custody, released_on=date(2026, 3, 7))


def test_alerts_at_ten_days_three_days_and_past_the_limit_to_the_hour(
        initiate, add_accused, investigator):
    """Custody from 14:00 on 05/03 (expires 14:00 on 08/03) and detention of another
    accused from 10/03, serious: 90 days -> 10/03 + 89 = 07/06/2026, expiring at 24:00."""
    with time_machine.travel(at(2026, 3, 10, 9, 0), tick=False):
        case = initiate()
        binh = add_accused(case, on=date(2026, 3, 5))
        cuong = add_accused(case, person=CUONG, on=date(2026, 3, 5))
        custody = s.measure_order(actor=investigator, accused=binh, kind="custody",
                                  order_number="1", start_on=at(2026, 3, 5, 14, 0))
        detention = s.measure_order(actor=investigator, accused=cuong,
                                    kind="detention.investigation", order_number="2",
                                    start_on=date(2026, 3, 10))
    assert detention.due_date == date(2026, 6, 7)
    assert custody.alert(at(2026, 3, 8, 13, 59)) == "3_days"
    assert custody.alert(at(2026, 3, 8, 14, 0)) == "critical"  # held past the limit
    assert custody.alert(at(2026, 3, 8, 15, 0)) == "critical"  # one hour past: red
    assert custody.hours_past(at(2026, 3, 8, 15, 0)) == 1.0
    assert detention.alert(at(2026, 5, 27, 9, 0)) == ""
    assert detention.alert(at(2026, 5, 28, 9, 0)) == "10_days"
    assert detention.alert(at(2026, 6, 4, 9, 0)) == "3_days"
    assert detention.alert(at(2026, 6, 7, 23, 59)) == "3_days"
    assert detention.alert(at(2026, 6, 8, 0, 0)) == "critical"
    assert detention.alert(at(2026, 6, 8, 1, 0)) == "critical"
    with time_machine.travel(at(2026, 3, 10, 9, 0), tick=False):
        listed = list(measure_list(user=investigator))
    assert listed == [custody, detention]  # soonest expiry first


@time_machine.travel(at(2026, 6, 20, 9, 0), tick=False)
def test_detention_for_prosecution_is_ordered_by_the_procuracy_only(
        initiate, add_accused, investigator, procurator):
    """Received 22/05, serious: 20 days of detention from 22/05, day 1 -> 10/06/2026."""
    case = initiate()
    accused = add_accused(case)
    with pytest.raises(InvalidTransition):
        s.measure_order(actor=investigator, accused=accused, kind="detention.prosecution",
                        order_number="x", start_on=date(2026, 3, 2))
    s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 5, 20))
    s.case_receive(actor=procurator, case=case, on=date(2026, 5, 22))
    with pytest.raises(InvalidTransition):  # the file is at the procuracy now
        s.measure_order(actor=investigator, accused=accused, kind="custody", order_number="x",
                        start_on=date(2026, 5, 22))
    measure = s.measure_order(actor=procurator, accused=accused, kind="detention.prosecution",
                              order_number="3/LTG-VKS", start_on=date(2026, 5, 22))
    assert measure.due_date == date(2026, 6, 10)
    assert measure.ordered_by_unit == case.procuracy


# ------------------------------------------------------------------ extensions in time only

def test_a_detention_extension_decided_after_the_limit_is_refused_or_recorded_late(
        initiate, add_accused, investigator, procurator):
    """Less serious, from 02/03/2026: 60 days -> 30/04/2026 (request by 20/04). Asked on
    15/04, decided on 12/05: twelve days after the limit expired. Refused; recorded late,
    the twelve days count as held past the limit and the next 30 days run on from 30/04:
    30/05/2026."""
    with time_machine.travel(at(2026, 4, 15, 9, 0), tick=False):
        case = initiate(charges=(("173", 1),))
        accused = add_accused(case, charges=(("173", 1),))
        detention = s.measure_order(actor=investigator, accused=accused, kind="detention",
                                    order_number="5/LTG", start_on=date(2026, 3, 2))
        assert detention.due_date == date(2026, 4, 30)
        request = s.measure_request_extension(actor=investigator, measure=detention,
                                              reason="Chờ giám định")
    with time_machine.travel(at(2026, 5, 12, 9, 0), tick=False):
        with pytest.raises(InvalidTransition) as err:
            s.measure_extension_decide(actor=procurator, request=request, approve=True,
                                       note="Phê chuẩn")
        assert err.value.code == "limit_expired"
        assert "24 giờ ngày 30/04/2026" in err.value.message
        assert "trả tự do" in err.value.message  # the lawful paths are named
        assert reload(detention).due_date == date(2026, 4, 30)  # nothing covered the gap
        row = s.measure_extension_decide(actor=procurator, request=request, approve=True,
                                         note="Phê chuẩn muộn", record_late=True)
    assert (row.late, row.gap_days) == (True, 12)
    detention = reload(detention)
    assert (detention.due_date, detention.late_days) == (date(2026, 5, 30), 12)


def test_custody_is_extended_before_it_expires_and_approved_within_twelve_hours(
        initiate, add_accused, investigator, procurator):
    """Custody from 14:00 on 05/03/2026 expires at 14:00 on 08/03. Extended at 10:00 on
    08/03, the procuracy has until 22:00 (Art. 118(2)); at 23:00 it is too late. An
    extension asked on 22/03, fourteen days after the limit, is refused outright."""
    with time_machine.travel(at(2026, 3, 8, 10, 0), tick=False):
        case = initiate()
        accused = add_accused(case, on=date(2026, 3, 5))
        custody = s.measure_order(actor=investigator, accused=accused, kind="custody",
                                  order_number="7/QĐ-TG", start_on=at(2026, 3, 5, 14, 0))
        request = s.measure_request_extension(actor=investigator, measure=custody,
                                              reason="Chờ kết quả giám định")
    with time_machine.travel(at(2026, 3, 8, 23, 0), tick=False):
        with pytest.raises(InvalidTransition) as err:
            s.measure_extension_decide(actor=procurator, request=request, approve=True,
                                       note="Phê chuẩn")
        assert err.value.code == "limit_expired" and "22:00 ngày 08/03/2026" in err.value.message
        row = s.measure_extension_decide(actor=procurator, request=request, approve=True,
                                         note="Phê chuẩn", on=at(2026, 3, 8, 21, 0))
    assert row.late is False
    assert reload(custody).due_at == at(2026, 3, 11, 14, 0)
    with time_machine.travel(at(2026, 3, 22, 9, 0), tick=False):
        custody = reload(custody)
        with pytest.raises(InvalidTransition) as err:
            s.measure_request_extension(actor=investigator, measure=custody, reason="Muộn")
        assert err.value.code == "limit_expired"


# ------------------------------------------------------------------ one maximum, every stage

@time_machine.travel(at(2026, 6, 20, 9, 0), tick=False)
def test_a_new_order_after_a_release_does_not_restart_the_maximum(
        initiate, add_accused, investigator):
    """Serious: 90 days at most. Detained from 01/03/2026, released on 24/04 after 55 days
    (01/03..24/04); detained again on 10/05: 35 days are left, 10/05 + 34 = 13/06/2026.
    A third order once all 90 days are served is refused."""
    case = initiate(on=date(2026, 2, 27))
    accused = add_accused(case)
    first = s.measure_order(actor=investigator, accused=accused, kind="detention",
                            order_number="1/LTG", start_on=date(2026, 3, 1))
    s.measure_release(actor=investigator, measure=first, released_on=date(2026, 4, 24),
                      note="Thay đổi biện pháp ngăn chặn")
    second = s.measure_order(actor=investigator, accused=accused, kind="detention",
                             order_number="2/LTG", start_on=date(2026, 5, 10))
    assert (second.deducted_days, second.due_date) == (55, date(2026, 6, 13))
    s.measure_release(actor=investigator, measure=second, released_on=date(2026, 6, 13))
    with pytest.raises(InvalidTransition) as err:
        s.measure_order(actor=investigator, accused=accused, kind="detention",
                        order_number="3/LTG", start_on=date(2026, 6, 18))
    assert err.value.code == "maximum_reached"


def test_detention_in_a_court_returned_supplementary_investigation_is_capped_at_its_month(
        initiate, add_accused, investigator, procurator, judge):
    """The court returns the file; the body receives it on Fri 10/04/2026: one month ->
    Sun 10/05 -> Mon 11/05/2026 (Art. 174(2)). Detention from 20/04 may run 30 days (to
    19/05) but never past the supplementary investigation: 11/05/2026 (Art. 174(4)).
    Detention for investigation (Art. 173, 3 months here) is refused at this stage."""
    with time_machine.travel(at(2026, 4, 20, 9, 0), tick=False):
        case = initiate()
        accused = add_accused(case)
        s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 3, 20))
        s.case_receive(actor=procurator, case=case, on=date(2026, 3, 23))
        s.case_indict(actor=procurator, case=case, document_number="1/CT", on=date(2026, 3, 30))
        s.case_accept(actor=judge, case=case, on=date(2026, 4, 1))
        s.case_return(actor=judge, case=case, decision_number="2/QĐ-TA", reason="Giám định lại.",
                      on=date(2026, 4, 6))
        s.case_receive_returned(actor=investigator, case=case, on=date(2026, 4, 10))
        with pytest.raises(InvalidTransition) as err:
            s.measure_order(actor=investigator, accused=accused,
                            kind="detention.investigation", order_number="9/LTG",
                            start_on=date(2026, 4, 20))
        assert err.value.code == "wrong_stage" and "Điều 174" in err.value.message
        measure = s.measure_order(actor=investigator, accused=accused, kind="detention",
                                  order_number="9/LTG", start_on=date(2026, 4, 20))
    assert measure.kind == "detention.supplementary.court"
    assert measure.due_date == date(2026, 5, 11)


def test_after_judgment_the_register_shows_what_holds_the_person(
        initiate, add_accused, investigator, procurator, judge):
    """Judgment on 20/08/2026: the defendant sentenced to prison and held stays held under
    Art. 329 for 45 days, to 03/10/2026; the other defendant held is released that day."""
    with time_machine.travel(at(2026, 8, 21, 9, 0), tick=False):
        case = initiate(on=date(2026, 6, 1))
        binh = add_accused(case)
        cuong = add_accused(case, person=CUONG)
        s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 7, 1))
        s.case_receive(actor=procurator, case=case, on=date(2026, 7, 2))
        s.case_indict(actor=procurator, case=case, document_number="1/CT", on=date(2026, 7, 10))
        s.case_accept(actor=judge, case=case, on=date(2026, 7, 13))
        held = [s.measure_order(actor=judge, accused=a, kind="detention",
                                order_number=f"{a.position}/LTG-TA", start_on=date(2026, 7, 13))
                for a in (binh, cuong)]
        assert {m.kind for m in held} == {"detention.trial"}
        s.case_commit_to_trial(actor=judge, case=case, decision_number="5/QĐXX",
                               trial_on=date(2026, 8, 18), on=date(2026, 8, 10))
        s.case_open_trial(actor=judge, case=case, on=date(2026, 8, 18))
        s.case_judgment(actor=judge, case=case, judgment_number="12/HSST", summary="Phạt tù",
                        sentences={binh.pk: "5 năm tù", cuong.pk: "3 năm tù cho hưởng án treo"},
                        detain=[binh.pk], on=date(2026, 8, 20))
    active = list(Measure.objects.filter(case=case, released_on__isnull=True))
    assert [(m.accused_id, m.kind, m.start_on, m.due_date) for m in active] == [
        (binh.pk, "detention.judgment", date(2026, 8, 20), date(2026, 10, 3))]
    assert reload(held[1]).released_on == date(2026, 8, 20)


@time_machine.travel(at(2026, 6, 20, 9, 0), tick=False)
def test_terminating_a_case_releases_everyone_held(initiate, add_accused, investigator):
    case = initiate()
    accused = add_accused(case)
    measure = s.measure_order(actor=investigator, accused=accused, kind="custody",
                              order_number="1", start_on=date(2026, 6, 18))
    s.case_terminate(actor=investigator, case=case, ground="no_complaint",
                     decision_number="9/QĐ-ĐC", on=date(2026, 6, 19))
    assert reload(measure).released_on == date(2026, 6, 19)
    assert list(measure_list(user=investigator)) == []
