"""The custody and detention register: limits from the law, which run straight through
weekends and holidays with 30-day months (CPC Arts. 118, 173, 241; TTLT 04/2018).

Custody from Thursday 05/03/2026: 3 days → 08/03; +3 → 11/03; +3 → 14/03 (9 days at most).
Detention for investigation, Art. 251(4) (especially serious), from 02/03/2026: 4 months of
30 days = 120 days → 30/06/2026 (request by 20/06); +120 → 28/10/2026 (request by 18/10);
+120 → 25/02/2027. Especially serious crimes allow two extensions; a third is refused.
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
    case = initiate()
    accused = add_accused(case, on=date(2026, 3, 5))
    custody = s.measure_order(actor=investigator, accused=accused, kind="custody",
                              order_number="01/QĐ-TG", start_on=date(2026, 3, 5))
    assert custody.due_date == date(2026, 3, 8)
    for n, expected in ((1, date(2026, 3, 11)), (2, date(2026, 3, 14))):
        request = s.measure_request_extension(actor=investigator, measure=custody,
                                              reason="Cần xác minh thêm", on=date(2026, 3, 5 + 3 * n))
        s.measure_extension_decide(actor=procurator, request=request, approve=True,
                                   note="Phê chuẩn", on=date(2026, 3, 5 + 3 * n))
        assert (reload(custody).extensions, reload(custody).due_date) == (n, expected)
    with pytest.raises(InvalidTransition) as err:
        s.measure_request_extension(actor=investigator, measure=custody, reason="Lần ba",
                                    on=date(2026, 3, 14))
    assert err.value.status == 409 and err.value.code == "too_many_extensions"
    assert "14/03/2026" in err.value.message


@time_machine.travel(at(2026, 10, 25, 9, 0), tick=False)
def test_detention_extended_to_its_maximum_and_one_more_refused(
        initiate, add_accused, investigator, procurator, head):
    case = initiate(charges=(("251", 4),))
    accused = add_accused(case, charges=(("251", 4),))
    detention = s.measure_order(actor=investigator, accused=accused,
                                kind="detention.investigation", order_number="02/LTG",
                                start_on=date(2026, 3, 2))
    assert (detention.severity, detention.due_date) == ("especially_serious", date(2026, 6, 30))
    with pytest.raises(InvalidTransition) as err:
        s.measure_request_extension(actor=investigator, measure=detention, reason="Muộn",
                                    on=date(2026, 6, 21))
    assert err.value.code == "request_too_late" and "20/06/2026" in err.value.message
    first = s.measure_request_extension(actor=investigator, measure=detention, reason="Giám định",
                                        on=date(2026, 6, 19))
    with pytest.raises(InvalidTransition):  # one request at a time
        s.measure_request_extension(actor=investigator, measure=detention, reason="Lại",
                                    on=date(2026, 6, 19))
    with pytest.raises(PermissionRefused):  # the head of the body cannot approve it
        s.measure_extension_decide(actor=head, request=first, approve=True, note="x")
    s.measure_extension_decide(actor=procurator, request=first, approve=True, note="Phê chuẩn",
                               on=date(2026, 6, 22))
    assert reload(detention).due_date == date(2026, 10, 28)
    second = s.measure_request_extension(actor=investigator, measure=detention, reason="Ủy thác",
                                         on=date(2026, 10, 15))
    s.measure_extension_decide(actor=procurator, request=second, approve=True, note="Phê chuẩn",
                               on=date(2026, 10, 16))
    detention = reload(detention)
    assert (detention.extensions, detention.due_date) == (2, date(2027, 2, 25))
    with pytest.raises(InvalidTransition) as err:
        s.measure_request_extension(actor=investigator, measure=detention, reason="Lần ba",
                                    on=date(2026, 10, 25))
    assert err.value.status == 409 and err.value.code == "too_many_extensions"
    assert [r.state for r in MeasureExtension.objects.filter(measure=detention)] == [
        "approved", "approved"]


@time_machine.travel(at(2026, 3, 20, 9, 0), tick=False)
def test_custody_days_are_deducted_from_the_detention_that_follows(
        initiate, add_accused, investigator):
    """Custody 05/03 → detention from 08/03 (custody ends that day: 3 days). Serious crime:
    3 months = 90 days from 08/03 → 06/06, less 3 days → 03/06/2026."""
    case = initiate()
    accused = add_accused(case, on=date(2026, 3, 5))
    custody = s.measure_order(actor=investigator, accused=accused, kind="custody",
                              order_number="01/QĐ-TG", start_on=date(2026, 3, 5))
    detention = s.measure_order(actor=investigator, accused=accused,
                                kind="detention.investigation", order_number="01/LTG",
                                start_on=date(2026, 3, 8))
    assert reload(custody).released_on == date(2026, 3, 8)
    assert (detention.deducted_days, detention.due_date) == (3, date(2026, 6, 3))


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


def test_alerts_at_ten_days_three_days_and_past_the_limit(initiate, add_accused, investigator):
    """Custody 05/03 (limit 08/03) and detention of another accused from 10/03, serious:
    90 days → 08/06/2026."""
    with time_machine.travel(at(2026, 3, 10, 9, 0), tick=False):
        case = initiate()
        binh = add_accused(case, on=date(2026, 3, 5))
        cuong = add_accused(case, person=CUONG, on=date(2026, 3, 5))
        custody = s.measure_order(actor=investigator, accused=binh, kind="custody",
                                  order_number="1", start_on=date(2026, 3, 5))
        detention = s.measure_order(actor=investigator, accused=cuong,
                                    kind="detention.investigation", order_number="2",
                                    start_on=date(2026, 3, 10))
    assert detention.due_date == date(2026, 6, 8)
    assert custody.alert(date(2026, 3, 8)) == "3_days"
    assert custody.alert(date(2026, 3, 9)) == "critical"  # held past the limit
    assert detention.alert(date(2026, 5, 28)) == ""
    assert detention.alert(date(2026, 5, 29)) == "10_days"
    assert detention.alert(date(2026, 6, 5)) == "3_days"
    assert detention.alert(date(2026, 6, 8)) == "3_days"
    assert detention.alert(date(2026, 6, 9)) == "critical"
    with time_machine.travel(at(2026, 3, 10, 9, 0), tick=False):
        listed = list(measure_list(user=investigator))
    assert listed == [custody, detention]  # soonest expiry first


@time_machine.travel(at(2026, 6, 20, 9, 0), tick=False)
def test_detention_for_prosecution_is_ordered_by_the_procuracy_only(
        initiate, add_accused, investigator, procurator):
    """Received 22/05, serious: 20 days of detention from 22/05 → 11/06/2026."""
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
    assert measure.due_date == date(2026, 6, 11)
    assert measure.ordered_by_unit == case.procuracy


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
