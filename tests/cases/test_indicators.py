"""T4, T5, T6 (both bases), T7 and T8 on small fixtures whose values were counted by hand.
"Today" is 01/11/2026 throughout.

T4/T5 (Q1 2026 = 01/01–31/03/2026):
K1 occurred 10/01, initiated 12/01, 173(2) serious, accused charged 20/01 → detected 20/01
K2 occurred 15/02, initiated 16/02, 168(2) very serious, offender unknown
K3 occurred 28/03, initiated 29/03, 251(4) especially serious, detected 05/04 (spans Q1/Q2)
K4 occurred 20/12/2025, initiated 05/01/2026 in flagrante, 173(1) → detected 05/01
K5 occurred 10/02, initiated 11/02, terminated 01/03 because no crime occurred → never counts
K6 occurred 02/04, initiated 03/04 in flagrante, 123(1) especially serious → detected 03/04
T4 Q1 = K1, K3 of K1, K2, K3 = 2/3 = 66.67%; as of 31/03 only K1: 1/3 = 33.33%.
T5 Q1 = K3 of K2, K3 = 1/2 = 50%; as of 31/03: 0/2 = 0%.
T4 court year 2026 (01/10/2025–30/09/2026) = K1, K3, K4, K6 of K1–K4, K6 = 4/5 = 80%.
T4 in 2025 as of 31/12/2025: K4 occurred then but was not yet initiated → 0/0, no value.
"""

from datetime import date

import pytest
import time_machine

from pctp.cases import indicators as ind
from pctp.cases import services as s
from pctp.cases.models import Case
from tests.cases.conftest import DUNG, at

pytestmark = pytest.mark.django_db

TODAY = at(2026, 11, 1, 9, 0)


def names(qs, fixture, attr=None):
    by_pk = {v.pk: k for k, v in fixture.items()}
    pks = qs.values_list(attr or "pk", flat=True)
    return sorted(by_pk[pk] for pk in pks if pk in by_pk)


def scope(fixture):
    return Case.objects.filter(pk__in=[c.pk for c in fixture.values()])


@pytest.fixture
def detection(initiate, add_accused, investigator):
    with time_machine.travel(TODAY, tick=False):
        k = {}
        k["K1"] = initiate(on=date(2026, 1, 12), occurred_at=at(2026, 1, 10, 20, 0))
        add_accused(k["K1"], on=date(2026, 1, 20))
        k["K2"] = initiate(charges=(("168", 2),), on=date(2026, 2, 16),
                           occurred_at=at(2026, 2, 15, 22, 0))
        k["K3"] = initiate(charges=(("251", 4),), on=date(2026, 3, 29),
                           occurred_at=at(2026, 3, 28, 23, 0))
        add_accused(k["K3"], charges=(("251", 4),), on=date(2026, 4, 5))
        k["K4"] = initiate(charges=(("173", 1),), on=date(2026, 1, 5), origin="in_flagrante",
                           occurred_at=at(2025, 12, 20, 21, 0))
        k["K5"] = initiate(on=date(2026, 2, 11), occurred_at=at(2026, 2, 10, 8, 0))
        s.case_terminate(actor=investigator, case=k["K5"], ground="no_crime",
                         decision_number="1/QĐ-ĐC", on=date(2026, 3, 1))
        k["K6"] = initiate(charges=(("123", 1),), on=date(2026, 4, 3), origin="in_flagrante",
                           occurred_at=at(2026, 4, 2, 23, 30))
    return k


@time_machine.travel(TODAY, tick=False)
def test_t4_counts_detected_of_occurred_in_the_period(detection):
    result = ind.t4_detection(scope(detection), *ind.quarter(2026, 1))
    assert (result.numerator, result.denominator, result.value) == (2, 3, 66.67)
    assert names(result.numerator_records, detection) == ["K1", "K3"]
    assert names(result.denominator_records, detection) == ["K1", "K2", "K3"]


@time_machine.travel(TODAY, tick=False)
def test_t4_as_published_at_the_end_of_the_quarter(detection):
    """K3 was detected on 05/04, after the quarter closed."""
    result = ind.t4_detection(scope(detection), *ind.quarter(2026, 1), as_of=date(2026, 3, 31))
    assert (result.numerator, result.denominator, result.value) == (1, 3, 33.33)


@time_machine.travel(TODAY, tick=False)
def test_t5_counts_severe_cases_initiated_in_the_period(detection):
    result = ind.t5_severe_detection(scope(detection), *ind.quarter(2026, 1))
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50.0)
    assert names(result.denominator_records, detection) == ["K2", "K3"]
    closing = ind.t5_severe_detection(scope(detection), *ind.quarter(2026, 1),
                                      as_of=date(2026, 3, 31))
    assert (closing.numerator, closing.denominator, closing.value) == (0, 2, 0.0)


@time_machine.travel(TODAY, tick=False)
def test_t4_over_a_court_year(detection):
    assert ind.court_year(2026) == (date(2025, 10, 1), date(2026, 9, 30))
    result = ind.t4_detection(scope(detection), *ind.court_year(2026))
    assert (result.numerator, result.denominator, result.value) == (4, 5, 80.0)
    assert names(result.denominator_records, detection) == ["K1", "K2", "K3", "K4", "K6"]


@time_machine.travel(TODAY, tick=False)
def test_no_cases_in_the_period_gives_no_value_not_zero(detection):
    for fn in (ind.t4_detection, ind.t5_severe_detection, ind.t6_recovery, ind.t6_enforcement,
               ind.t7_on_time_prosecution):
        result = fn(scope(detection), date(2020, 1, 1), date(2020, 12, 31))
        assert (result.denominator, result.value) == (0, None)
    result = ind.t4_detection(scope(detection), *ind.calendar_year(2025), as_of=date(2025, 12, 31))
    assert (result.denominator, result.value) == (0, None)


# ----------------------------------------------------------------------------- T7

def to_procuracy(case, investigator, concluded, received, procurator):
    s.case_conclude(actor=investigator, case=case, document_number="KL", on=concluded)
    s.case_receive(actor=procurator, case=case, on=received)


@pytest.fixture
def prosecution(initiate, add_accused, investigator, procurator):
    """Q1 2026.
    P1 serious, received 10/03 (limit 30/03), indicted 25/03          → on time
    P2 serious, received 20/03 (limit 09/04), returned 15/04          → late
    P3 very serious, received 28/03 (30 days → 27/04), extended by 15 days → 12/05,
       indicted 10/05                                                  → on time
    P4 serious, received 30/03 (limit 19/04), still undecided         → late by now
    P5 received 05/04                                                  → outside Q1
    T7 Q1 = P1, P3 of P1–P4 = 2/4 = 50%. As of 10/04: P3 and P4 are undecided but within
    their limits, so they cannot be judged yet: P1 of P1, P2 = 1/2 = 50%.
    """
    with time_machine.travel(TODAY, tick=False):
        p = {}
        for key, charge, received in (("P1", ("173", 2), date(2026, 3, 10)),
                                      ("P2", ("173", 2), date(2026, 3, 20)),
                                      ("P3", ("173", 3), date(2026, 3, 28)),
                                      ("P4", ("173", 2), date(2026, 3, 30)),
                                      ("P5", ("173", 2), date(2026, 4, 5))):
            p[key] = initiate(charges=(charge,), on=date(2026, 1, 5))
            add_accused(p[key], charges=(charge,))
            to_procuracy(p[key], investigator, date(2026, 3, 2), received, procurator)
        s.case_indict(actor=procurator, case=p["P1"], document_number="1", on=date(2026, 3, 25))
        s.case_return(actor=procurator, case=p["P2"], decision_number="2", reason="Bổ sung",
                      on=date(2026, 4, 15))
        s.case_extend(actor=procurator, case=p["P3"], reason="Phức tạp", on=date(2026, 4, 20))
        s.case_indict(actor=procurator, case=p["P3"], document_number="3", on=date(2026, 5, 10))
    return p


@time_machine.travel(TODAY, tick=False)
def test_t7_counts_decisions_within_the_limit_including_a_lawful_extension(prosecution):
    result = ind.t7_on_time_prosecution(scope(prosecution), *ind.quarter(2026, 1))
    assert (result.numerator, result.denominator, result.value) == (2, 4, 50.0)
    assert names(result.numerator_records, prosecution, "case") == ["P1", "P3"]
    assert names(result.denominator_records, prosecution, "case") == ["P1", "P2", "P3", "P4"]


@time_machine.travel(TODAY, tick=False)
def test_t7_leaves_out_files_still_within_their_limit(prosecution):
    result = ind.t7_on_time_prosecution(scope(prosecution), *ind.quarter(2026, 1),
                                        as_of=date(2026, 4, 10))
    assert (result.numerator, result.denominator) == (1, 2)
    assert names(result.denominator_records, prosecution, "case") == ["P1", "P2"]


# ----------------------------------------------------------------------------- T8

def to_court(case, investigator, procurator, judge, accepted):
    """Concluded, received and indicted on the day of initiation; accepted later."""
    to_procuracy(case, investigator, case.initiated_on, case.initiated_on, procurator)
    s.case_indict(actor=procurator, case=case, document_number="CT", on=case.initiated_on)
    s.case_accept(actor=judge, case=case, on=accepted)


def try_case(case, judge, committed, trial, judged, **kwargs):
    s.case_commit_to_trial(actor=judge, case=case, decision_number="QĐXX", trial_on=trial,
                           on=committed)
    s.case_open_trial(actor=judge, case=case, on=trial)
    s.case_judgment(actor=judge, case=case, judgment_number="BA", summary="Tuyên án",
                    on=judged, **kwargs)


@pytest.fixture
def trials(initiate, add_accused, investigator, procurator, judge):
    """Court year 2026 (01/10/2025–30/09/2026):
    C1 accepted 15/09/2025, judged 20/10/2025   → carry-over, resolved in the year
    C2 accepted 01/08/2025, judged 25/09/2025   → resolved before the year: out
    C3 accepted 10/03/2026, not yet tried        → to resolve
    C4 accepted 01/04/2026, returned 20/04/2026  → returned: out
    C5 accepted 01/09/2026, judged 05/10/2026    → to resolve, tried after the year
    C6 accepted 05/10/2026                       → out
    T8 = C1 of C1, C3, C5 = 1/3 = 33.33%. Calendar 2025: C1, C2 of C1, C2 = 100%.
    """
    plan = {"C1": (date(2025, 9, 1), date(2025, 9, 15)), "C2": (date(2025, 7, 1), date(2025, 8, 1)),
            "C3": (date(2026, 3, 1), date(2026, 3, 10)), "C4": (date(2026, 3, 2), date(2026, 4, 1)),
            "C5": (date(2026, 8, 3), date(2026, 9, 1)), "C6": (date(2026, 9, 7), date(2026, 10, 5))}
    with time_machine.travel(TODAY, tick=False):
        c = {}
        for key, (initiated, accepted) in plan.items():
            c[key] = initiate(on=initiated)
            add_accused(c[key])
            to_court(c[key], investigator, procurator, judge, accepted)
        try_case(c["C1"], judge, date(2025, 10, 10), date(2025, 10, 15), date(2025, 10, 20))
        try_case(c["C2"], judge, date(2025, 9, 15), date(2025, 9, 20), date(2025, 9, 25))
        s.case_return(actor=judge, case=c["C4"], decision_number="TL", reason="Giám định lại",
                      on=date(2026, 4, 20))
        try_case(c["C5"], judge, date(2026, 9, 25), date(2026, 10, 5), date(2026, 10, 5))
    return c


@time_machine.travel(TODAY, tick=False)
def test_t8_over_the_court_year_counts_the_carry_over(trials):
    result = ind.t8_court_resolution(scope(trials), *ind.court_year(2026))
    assert (result.numerator, result.denominator, result.value) == (1, 3, 33.33)
    assert names(result.numerator_records, trials, "case") == ["C1"]
    assert names(result.denominator_records, trials, "case") == ["C1", "C3", "C5"]


@time_machine.travel(TODAY, tick=False)
def test_t8_over_a_calendar_year(trials):
    result = ind.t8_court_resolution(scope(trials), *ind.calendar_year(2025))
    assert (result.numerator, result.denominator, result.value) == (2, 2, 100.0)


# ----------------------------------------------------------------------------- T6

@pytest.fixture
def recovery(initiate, add_accused, investigator, procurator, judge):
    """Corruption cases, amounts in VND:
    R1 353(3), initiated 10/01/2026, lost 12 bn: seized 3 bn 01/02, frozen 1 bn 15/03,
       voluntarily returned 0.8 bn 10/04 (after Q1)
    R2 355(2), initiated 01/03/2026, lost 4 bn, nothing recovered yet
    R3 188(3) smuggling (economic, not corruption), lost 5 bn, seized 5 bn → never counts
    R4 353(2), initiated 01/06/2025, lost 4 bn, seized 2 bn 01/07/2025; judged 20/02/2026
       ordering 4 bn recovered; returned 1 bn 01/03/2026; the seized assets sold at
       enforcement 15/03/2026 for 1.5 bn (realising the seizure, which then stops counting)
    Basis 1, Q1 2026 (R1, R2, R4 handled; R4 closed 20/02 inside Q1):
      today:       R1 3+1+0.8 + R4 1+1.5 = 7.3 bn of 12+4+4 = 20 bn → 36.5%
      as of 31/03: R1 3+1 + R4 1+1.5 = 6.5 bn of 20 bn → 32.5%
      as of 28/02: R1 3 + R4 2 (seizure not yet realised) = 5 bn of 20 bn → 25%
    Basis 1, Q2 2026 (R4 closed before Q2): R1 4.8 bn of 12+4 = 16 bn → 30%
    Basis 2, Q1 2026 (R4 judged): returned after judgment 1 + enforced 1.5 = 2.5 of 4 bn
      → 62.5%; as of 10/03 only the 1 bn → 25%.
    """
    bn = 1_000_000_000
    with time_machine.travel(TODAY, tick=False):
        r = {}
        r["R1"] = initiate(charges=(("353", 3),), on=date(2026, 1, 10))
        r["R2"] = initiate(charges=(("355", 2),), on=date(2026, 3, 1))
        r["R3"] = initiate(charges=(("188", 3),), on=date(2026, 2, 1))
        r["R4"] = initiate(charges=(("353", 2),), on=date(2025, 6, 1))
        for key, lost in (("R1", 12 * bn), ("R2", 4 * bn), ("R3", 5 * bn), ("R4", 4 * bn)):
            s.case_set_value(actor=investigator, case=r[key], value_lost=lost)

        def entry(key, kind, amount, on, **kw):
            # Entered on the day it happened: a figure "as it stood" counts only what had
            # been entered by then.
            with time_machine.travel(at(on.year, on.month, on.day, 16, 0), tick=False):
                return s.recovery_record(actor=investigator if kind != "enforced" else judge,
                                         case=r[key], kind=kind, amount=amount, on=on,
                                         description="Tài sản", **kw)

        entry("R1", "seized", 3 * bn, date(2026, 2, 1))
        entry("R1", "frozen", 1 * bn, date(2026, 3, 15))
        entry("R1", "returned", 800_000_000, date(2026, 4, 10))
        entry("R3", "seized", 5 * bn, date(2026, 2, 10))
        seized = entry("R4", "seized", 2 * bn, date(2025, 7, 1))
        add_accused(r["R4"], person=DUNG, charges=(("353", 2),), on=date(2025, 6, 2))
        to_procuracy(r["R4"], investigator, date(2025, 10, 1), date(2025, 10, 3), procurator)
        s.case_indict(actor=procurator, case=r["R4"], document_number="CT", on=date(2025, 10, 20))
        s.case_accept(actor=judge, case=r["R4"], on=date(2025, 11, 3))
        try_case(r["R4"], judge, date(2026, 2, 5), date(2026, 2, 19), date(2026, 2, 20),
                 recovery_ordered=4 * bn)
        entry("R4", "returned", 1 * bn, date(2026, 3, 1))
        entry("R4", "enforced", 1_500_000_000, date(2026, 3, 15), realises=seized)
    return r


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(("as_of", "numerator", "value"), [
    (None, 7_300_000_000, 36.5),
    (date(2026, 3, 31), 6_500_000_000, 32.5),
    (date(2026, 2, 28), 5_000_000_000, 25.0),
])
def test_t6_recovered_seized_or_frozen_of_value_lost(recovery, as_of, numerator, value):
    result = ind.t6_recovery(scope(recovery), *ind.quarter(2026, 1), as_of=as_of)
    assert (result.numerator, result.denominator, result.value) == (
        numerator, 20_000_000_000, value)
    assert names(result.denominator_records, recovery) == ["R1", "R2", "R4"]


@time_machine.travel(TODAY, tick=False)
def test_t6_a_case_spanning_two_quarters(recovery):
    result = ind.t6_recovery(scope(recovery), *ind.quarter(2026, 2))
    assert (result.numerator, result.denominator, result.value) == (
        4_800_000_000, 16_000_000_000, 30.0)


@time_machine.travel(TODAY, tick=False)
def test_t6_enforced_of_to_be_enforced(recovery):
    result = ind.t6_enforcement(scope(recovery), *ind.quarter(2026, 1))
    assert (result.numerator, result.denominator, result.value) == (
        2_500_000_000, 4_000_000_000, 62.5)
    assert names(result.denominator_records, recovery) == ["R4"]
    early = ind.t6_enforcement(scope(recovery), *ind.quarter(2026, 1), as_of=date(2026, 3, 10))
    assert (early.numerator, early.value) == (1_000_000_000, 25.0)


def test_periods_are_named():
    assert ind.quarter(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert ind.calendar_year(2026) == (date(2026, 1, 1), date(2026, 12, 31))


@time_machine.travel(TODAY, tick=False)
def test_t6_as_it_stood_leaves_out_a_recovery_entered_later_with_an_earlier_date(
        recovery, investigator):
    """A freeze of 2 bn dated 20/03/2026 but entered only on 01/11/2026: the figure as of
    31/03 stays 6.5 bn (32.5%); today it counts: 7.3 + 2 = 9.3 bn of 20 bn = 46.5%."""
    s.recovery_record(actor=investigator, case=recovery["R1"], kind="frozen",
                      amount=2_000_000_000, on=date(2026, 3, 20), description="Sổ tiết kiệm")
    q1 = (date(2026, 1, 1), date(2026, 3, 31))
    stood = ind.t6_recovery(Case.objects.all(), *q1, as_of=date(2026, 3, 31))
    assert (stood.numerator, stood.value) == (6_500_000_000, 32.5)
    now = ind.t6_recovery(Case.objects.all(), *q1)
    assert (now.numerator, now.value) == (9_300_000_000, 46.5)
