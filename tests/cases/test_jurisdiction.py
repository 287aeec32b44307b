"""Which court, which article, which body (issue 15, findings 7 and 8).

CPC Art. 268 as amended by Law 99/2025/QH15 from 01/07/2025: the regional court tries a
crime whose heaviest bracket is at most 20 years; life and death go to the provincial
court. PC Art. 7: no article reaches an act done before it came into force. Law 99/2025:
commune police chiefs assigned to investigate may initiate less serious and serious cases
of their commune from 01/07/2025.
"""

from datetime import date, datetime

import pytest
import time_machine

from pctp.cases import services as s
from pctp.core.errors import DomainError
from pctp.law.jurisdiction import court_level
from pctp.units.models import Unit
from tests.cases.conftest import VN, at

pytestmark = pytest.mark.django_db


def to_court(case, investigator, procurator, court=None):
    s.accused_add(actor=investigator, case=case, person=s.Person(name="Lê Văn Tám", sex="male"),
                  charges=[s.ChargeInput(c.offence.article, c.clause.clause)
                           for c in case.charges.select_related("offence", "clause")],
                  charged_on=case.initiated_on)
    s.case_conclude(actor=investigator, case=case, document_number="1/KL", on=date(2026, 5, 4))
    s.case_receive(actor=procurator, case=case, on=date(2026, 5, 5))
    return s.case_indict(actor=procurator, case=case, document_number="1/CT", court=court,
                         on=date(2026, 5, 6))


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_a_life_or_death_bracket_goes_to_the_provincial_court(
        initiate, investigator, procurator, regional_court):
    # Art. 251(4): 20 years, life or death -> TAND tỉnh.
    case = initiate(charges=(("251", 4),))
    assert s.court_for(case, date(2026, 5, 6)).code == "P80-TAND"
    with pytest.raises(DomainError) as err:
        to_court(case, investigator, procurator, court=regional_court)
    assert err.value.code == "wrong_court" and "TAND cấp tỉnh" in err.value.message
    referral = s.case_indict(actor=procurator, case=case, document_number="2/CT",
                             on=date(2026, 5, 6))
    assert referral.to_unit.code == "P80-TAND"


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_an_especially_serious_crime_up_to_20_years_stays_with_the_regional_court(
        initiate, investigator, procurator, regional_court):
    # Art. 173(4): 12 to 20 years, especially serious, but no life or death: TAND khu vực.
    case = initiate(charges=(("173", 4),))
    referral = to_court(case, investigator, procurator)
    assert referral.to_unit == regional_court


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_a_regional_court_of_another_area_is_refused(initiate, investigator, procurator,
                                                     regional_court):
    other = Unit.objects.filter(kind="regional_court").exclude(pk=regional_court.pk).first()
    case = initiate()
    with pytest.raises(DomainError) as err:
        to_court(case, investigator, procurator, court=other)
    assert err.value.code == "wrong_court"


def test_the_court_rule_follows_the_day_the_case_is_sent():
    especially_to_20 = [("173", "XVI", "prison", 20.0, "especially_serious")]
    murder = [("123", "XIV", "death", None, "especially_serious")]
    assert court_level(especially_to_20, on=date(2025, 7, 1)) == "regional"
    assert court_level(especially_to_20, on=date(2025, 6, 30)) == "provincial"
    assert court_level(murder, on=date(2026, 1, 1)) == "provincial"
    # The old exclusion list: Art. 123 was never a district court's, whatever the clause.
    assert court_level([("123", "XIV", "prison", 15.0, "very_serious")],
                       on=date(2025, 6, 30)) == "provincial"


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_a_new_offence_does_not_reach_an_act_before_it_came_into_force(initiate):
    # Art. 256a (illegal drug use) is in force from 01/07/2025.
    with pytest.raises(DomainError) as err:
        initiate(charges=(("256a", 1),),
                 occurred_at=datetime(2025, 3, 1, 20, 0, tzinfo=VN))
    assert err.value.code == "not_in_force" and "01/07/2025" in err.value.message
    case = initiate(charges=(("256a", 1),), occurred_at=datetime(2025, 8, 1, 20, 0, tzinfo=VN))
    assert case.lead_offence.article == "256a"


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_a_commune_police_chief_initiates_less_serious_and_serious_cases_of_the_commune(
        make_user, communes):
    unit = communes["police_a"]
    chief = make_user("commune_investigator", unit, is_head=True, name="Trưởng Công an xã")

    def start(charges, commune=communes["a"], on=date(2026, 5, 8)):
        return s.case_initiate(actor=chief, investigation_body=unit, decision_number="1/QĐ",
                               summary="Trộm cắp tài sản", charges=charges, initiated_on=on,
                               commune=commune, origin="direct")

    case = start([s.ChargeInput("173", 2)])
    assert (case.investigation_body, case.investigator, case.severity) == (unit, chief, "serious")
    with pytest.raises(DomainError) as err:  # very serious: the provincial body's
        start([s.ChargeInput("173", 3)])
    assert "charges" in err.value.details
    with pytest.raises(DomainError) as err:  # another commune
        start([s.ChargeInput("173", 1)], commune=communes["b"])
    assert "commune" in err.value.details
    with pytest.raises(DomainError) as err:  # before Law 99/2025
        start([s.ChargeInput("173", 1)], on=date(2025, 6, 30))
    assert "investigation_body" in err.value.details


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_only_an_assigned_commune_chief_initiates_a_commune_case(make_user, communes):
    from pctp.core.errors import PermissionRefused

    head = make_user("unit_leader", communes["police_a"], is_head=True)  # not assigned
    with pytest.raises(PermissionRefused):
        s.case_initiate(actor=head, investigation_body=communes["police_a"],
                        decision_number="1/QĐ", summary="Trộm cắp",
                        charges=[s.ChargeInput("173", 1)], initiated_on=date(2026, 5, 8),
                        commune=communes["a"], origin="direct")
