"""The KPI tests' province (tests/kpi/conftest.py) with the history quality counts, by hand.

Year 2026. Files with a conclusion received by the procuracy: R1 (C1, 01/06), R3 (C3,
01/09). Indictments received by the court: I1 (C1, 20/06).
  C3 returned by the procuracy on 05/09 and again on 20/10     Q1 = 2/2 = 100 per 100
  C1 returned by the court (presiding judge) on 10/07         Q2 = 1/1 = 100 per 100
  cases returned in 2026: C1 (once), C3 (twice)               Q3 = 1/2 (C3: an alert)
Terminated in 2026 with a person held (custody):
  C2 on 01/10, "not a crime" (Art. 157.2)                     Q4 numerator (an alert)
  C8 on 01/09, the victim withdrew (Art. 155)                 Q4 denominator only
  C7 on 15/08, "not a crime", nobody held                     neither
Suspended on 20/11: C5 (detected 05/03/2025), C6 (offender unknown)   Q5 = 1/2 = 50 per 100
"""

from datetime import date

import pytest

from pctp.cases.models import Accused, Case, Measure, Referral
from tests.kpi.conftest import kpi_records, plan, units  # noqa: F401 - fixtures


@pytest.fixture
def quality_records(kpi_records, units, make_user):  # noqa: F811
    c = kpi_records
    clerk = make_user("investigator", units["body"])
    body, vks, court = units["body"], units["vks"], units["court"]

    def returned(case, kind, by, to, on):
        Referral.objects.create(case=case, kind=kind, from_unit=by, to_unit=to,
                                document_number="R", sent_on=on, sent_by=clerk,
                                received_on=on)

    returned(c["C3"], "return_by_procuracy", vks, body, date(2026, 9, 5))
    returned(c["C3"], "return_by_procuracy", vks, body, date(2026, 10, 20))
    returned(c["C1"], "return_by_court", court, vks, date(2026, 7, 10))

    def held(case, n=1):
        accused = Accused.objects.create(case=case, position=n, person_index=f"p{case.pk}",
                                         sex="male", charged_on=case.initiated_on,
                                         created_by=clerk)
        Measure.objects.create(case=case, accused=accused, kind="custody",
                               order_number="1/QĐ", ordered_by_unit=body, ordered_by=clerk,
                               start_on=case.initiated_on, severity="serious",
                               due_date=case.initiated_on, released_on=case.initiated_on)

    held(c["C2"])
    held(c["C8"])
    Case.objects.filter(pk=c["C2"].pk).update(status="terminated", terminate_ground="not_a_crime",
                                               closed_on=date(2026, 10, 1))
    Case.objects.filter(pk=c["C8"].pk).update(status="terminated",
                                               terminate_ground="no_complaint",
                                               closed_on=date(2026, 9, 1))
    Case.objects.filter(pk=c["C7"].pk).update(status="terminated", terminate_ground="not_a_crime",
                                               closed_on=date(2026, 8, 15))
    Case.objects.filter(pk__in=[c["C5"].pk, c["C6"].pk]).update(
        status="suspended", status_since=date(2026, 6, 1), suspend_ground="offender_unknown")
    return c
