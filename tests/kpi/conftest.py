"""A small province-wide fixture for T1–T8 whose every figure was counted by hand.

"Today" is 20/11/2026; the period is the calendar year 2026 (T8: court year 2026,
01/10/2025–30/09/2026). Communes A and B of the demo province; the provincial investigation
body (P80-CA-CSDT); the regional procuracy and court of commune A.

Sources (T2, T3), receiving and handling unit = the investigation body:
  S1 A received 01/03/2026 08:00, classified 15:00 (7 h), initiated 20/03   T2 ✓  T3 ✓
  S2 A received 01/04/2026 08:00, classified 03/04 08:00 (48 h), verifying T2 ✗  T3 den
  S3 B received 01/05/2026 08:00, classified 10:00, declined 10/05          T2 ✓  T3 ✓
  S4 B received 20/12/2025 08:00, classified 11:00, initiated 15/01/2026    (2025 T2 ✓) T3 ✓
  S5 B received 01/06/2026 08:00, classified 09:00, transferred             T2 ✓  not T3
  S6 A received 01/11/2025 08:00, classified 02/11 14:00 (30 h), declined 01/12/2025
  T2 2026 = S1,S3,S5 / S1,S2,S3,S5 = 3/4 = 75%; 2025 = S4 / S4,S6 = 1/2 = 50%.
  T3 2026 = S1,S3,S4 / S1,S2,S3,S4 = 3/4 = 75%.
  T2 by commune: A 1/2 = 50% (S1 of S1,S2); B 2/2 = 100% (S3,S5).

Cases (all by the investigation body; 173 theft and 168 robbery are social order, 353
embezzlement corruption):
  C1 A 173 occurred 10/02/2026, initiated 12/02, detected 20/02, serious
  C2 A 173 occurred 05/05/2026, initiated 06/05, not detected, serious
  C3 B 168 occurred 01/07/2026, initiated 02/07, detected 10/07, very serious
  C4 B 353 occurred 01/06/2025, initiated 01/03/2026, detected 01/03/2026, especially
     serious; 1,000,000,000 đ lost; seized 300,000,000 (01/04), returned 200,000,000 (01/05)
  C5 A 173 occurred 01/03/2025, initiated 02/03/2025, detected 05/03/2025
  C6 A 173 occurred 01/08/2025, initiated 02/08/2025, not detected
  C7 A 173 occurred 01/10/2025, initiated 03/10/2025, detected 10/10/2025
  C8 A 173 occurred 01/12/2025, initiated 02/12/2025, not detected
  T1 2026: social order occurred in 2026 = C1,C2,C3 = 3; in 2025 = C5,C6,C7,C8 = 4
     → (3 − 4) / 4 = −25%.
  T4 2026 = C1,C3 / C1,C2,C3 = 66.67%. As of 20/11/2025 for 2025: C5,C7 / C5,C6,C7 = 66.67%.
  T5 2026 = C3,C4 / C3,C4 = 100%.
  T6 2026 = 500,000,000 / 1,000,000,000 = 50%.
  T7 2026: C1's conclusion received 01/06/2026, due 21/06, decided 15/06 (on time); C3's
     received 01/09/2026, due 21/09, decided 01/10 (late) → 1/2 = 50%.
  T8 court year 2026: C1's indictment accepted 20/06/2026, judged 01/08/2026; C7's accepted
     15/11/2025, not yet tried → 1/2 = 50%.

Key areas (T9, T10), led by commune A's police:
  A1 selected 2026, assessment due 31/12/2026, assessed transformed 15/10/2026    T9 ✓
  A2 selected 2026, due 31/12/2026, assessed not transformed 20/10/2026           T9 den
  A3 selected 2026, due 31/12/2026, not yet assessed (not due on 20/11)           left out
  A4 selected 2025, transformed 20/12/2025, watched 10/01/2026–31/12/2027         T10 ✓
  A5 selected 2025, transformed 22/12/2025, watched from 10/01/2026, relapsed 01/06/2026
  T9 2026 = A1 / A1, A2 = 50%; T10 2026 = A4 / A4, A5 = 50%.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pctp.cases.models import Case, Recovery, Referral
from pctp.kpi.services import plan_targets_default
from pctp.law.models import Offence
from pctp.plans.models import Plan
from pctp.sources.models import Source
from pctp.units.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime(2026, 11, 20, 9, 0, tzinfo=VN)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def units(communes):
    return {
        "body": Unit.objects.get(code="P80-CA-CSDT"),
        "vks": Unit.objects.get(kind="regional_procuracy", communes=communes["a"]),
        "court": Unit.objects.get(kind="regional_court", communes=communes["a"]),
        "ubnd": Unit.objects.get(code="P80-UBND"),
    }


@pytest.fixture
def kpi_records(db, communes, units, make_user, settings):
    settings.PCTP_KPI_MIN_DENOMINATOR = 1
    body, vks, court = units["body"], units["vks"], units["court"]
    a, b = communes["a"], communes["b"]
    clerk = make_user("investigator", body)
    n = iter(range(1, 100))

    def source(key, commune, received, classified, status, decided=None):
        return Source.objects.create(
            unit=body, holder=body, procuracy=vks, register_year=received.year,
            register_number=next(n), kind="crime_report", channel="in_person",
            received_at=received, holder_received_at=received, summary=f"Nguồn tin {key}",
            content=f"Nội dung {key}", reporter_type="person", clock_start=received.date(),
            due_date=received.date(), commune=commune, status=status,
            classified_at=classified, handled_at=classified, decided_at=decided,
            outcome={"initiated": "initiate", "declined": "decline"}.get(status, ""))

    s = {
        "S1": source("S1", a, at(2026, 3, 1, 8), at(2026, 3, 1, 15), "initiated",
                     at(2026, 3, 20, 10)),
        "S2": source("S2", a, at(2026, 4, 1, 8), at(2026, 4, 3, 8), "verifying"),
        "S3": source("S3", b, at(2026, 5, 1, 8), at(2026, 5, 1, 10), "declined",
                     at(2026, 5, 10, 10)),
        "S4": source("S4", b, at(2025, 12, 20, 8), at(2025, 12, 20, 11), "initiated",
                     at(2026, 1, 15, 10)),
        "S5": source("S5", b, at(2026, 6, 1, 8), at(2026, 6, 1, 9), "transferred"),
        "S6": source("S6", a, at(2025, 11, 1, 8), at(2025, 11, 2, 14), "declined",
                     at(2025, 12, 1, 10)),
    }
    offences = {o.article: o for o in Offence.objects.filter(article__in=["173", "168", "353"])}

    def case(key, commune, article, occurred, initiated, detected, severity, group, **kw):
        return Case.objects.create(
            investigation_body=body, procuracy=vks, register_year=initiated.year,
            register_number=next(n), origin="direct", decision_number=f"{key}/QĐ",
            initiated_on=initiated, summary=f"Vụ {key}", occurred_on=occurred,
            commune=commune, lead_offence=offences[article], severity=severity,
            crime_group=group, status="investigating", status_since=initiated,
            detected_on=detected, **kw)

    c = {
        "C1": case("C1", a, "173", date(2026, 2, 10), date(2026, 2, 12), date(2026, 2, 20),
                   "serious", "social_order", court=court),
        "C2": case("C2", a, "173", date(2026, 5, 5), date(2026, 5, 6), None, "serious",
                   "social_order"),
        "C3": case("C3", b, "168", date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 10),
                   "very_serious", "social_order"),
        "C4": case("C4", b, "353", date(2025, 6, 1), date(2026, 3, 1), date(2026, 3, 1),
                   "especially_serious", "corruption", value_lost=1_000_000_000),
        "C5": case("C5", a, "173", date(2025, 3, 1), date(2025, 3, 2), date(2025, 3, 5),
                   "serious", "social_order"),
        "C6": case("C6", a, "173", date(2025, 8, 1), date(2025, 8, 2), None, "serious",
                   "social_order"),
        "C7": case("C7", a, "173", date(2025, 10, 1), date(2025, 10, 3), date(2025, 10, 10),
                   "serious", "social_order", court=court),
        "C8": case("C8", a, "173", date(2025, 12, 1), date(2025, 12, 2), None, "serious",
                   "social_order"),
    }
    for kind, amount, on in (("seized", 300_000_000, date(2026, 4, 1)),
                             ("returned", 200_000_000, date(2026, 5, 1))):
        row = Recovery.objects.create(case=c["C4"], kind=kind, amount=amount, on=on,
                                      stage="investigating", description="Tài sản",
                                      recorded_by=clerk)
        # Entered the day it happened (a figure as it stood counts what was entered by then).
        Recovery.objects.filter(pk=row.pk).update(recorded_at=at(on.year, on.month, on.day, 16))

    def referral(case_, kind, to, received, due, closed=None, outcome=""):
        return Referral.objects.create(
            case=case_, kind=kind, from_unit=body if kind == "conclusion" else vks, to_unit=to,
            document_number="1", sent_on=received, sent_by=clerk, received_on=received,
            due_date=due, closed_on=closed, outcome=outcome)

    r = {
        "R1": referral(c["C1"], "conclusion", vks, date(2026, 6, 1), date(2026, 6, 21),
                       date(2026, 6, 15), "indict"),
        "R3": referral(c["C3"], "conclusion", vks, date(2026, 9, 1), date(2026, 9, 21),
                       date(2026, 10, 1), "indict"),
        "I1": referral(c["C1"], "indictment", court, date(2026, 6, 20), None,
                       date(2026, 8, 1), "judgment"),
        "I7": referral(c["C7"], "indictment", court, date(2025, 11, 15), None),
    }
    from pctp.areas.models import KeyArea

    steering = Unit.objects.get(code="P80-BCD138")
    lead = communes["police_a"]

    def area(key, year, status, assessed=None, result="", watch_from=None, watch_until=None,
             relapsed=None):
        return KeyArea.objects.create(
            year=year, name=f"Địa bàn {key}", commune=a, types=["social_order"],
            decision_number=f"{key}/QĐ-BCĐ", decision_date=date(year, 2, 1),
            steering_unit=steering, lead_unit=lead, status=status,
            status_since=date(year, 2, 1), assessment_due=date(year, 12, 31),
            assessed_on=assessed, assessment_result=result, watch_from=watch_from,
            watch_until=watch_until, relapsed_on=relapsed)

    k = {
        "A1": area("A1", 2026, "transformed", date(2026, 10, 15), "transformed"),
        "A2": area("A2", 2026, "not_transformed", date(2026, 10, 20), "not_transformed"),
        "A3": area("A3", 2026, "transforming"),
        "A4": area("A4", 2025, "removed", date(2025, 12, 20), "transformed", date(2026, 1, 10),
                   date(2027, 12, 31)),
        "A5": area("A5", 2025, "relapsed", date(2025, 12, 22), "transformed",
                   date(2026, 1, 10), date(2027, 12, 31), date(2026, 6, 1)),
    }
    return {**s, **c, **r, **k}


@pytest.fixture
def plan(db, units, kpi_records):
    p = Plan.objects.create(number="120/KH-UBND", title="Kế hoạch phòng, chống tội phạm 2026",
                            issuing_unit=units["ubnd"], issued_on=date(2026, 1, 10),
                            period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    from pctp.core.models import User
    admin = User.objects.create_superuser("kpi.admin", password="x" * 12)
    plan_targets_default(actor=admin, plan=p)
    return p
