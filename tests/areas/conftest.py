"""Records for the key-areas tests, made directly (they are the fixture, not the code under
test): criminal cases, crime sources and criminal groups in the demo province's communes."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pctp.areas import services as s
from pctp.cases.models import Accused, Case, CriminalGroup, GroupMember
from pctp.sources.models import Source
from pctp.units.models import Commune, Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_n = itertools.count(1)


@pytest.fixture
def three(db):
    """The first three communes of the demo province."""
    a, b, c = Commune.objects.filter(province__code="80").order_by("code")[:3]
    return a, b, c


@pytest.fixture
def steering(db):
    return Unit.objects.get(code="P80-BCD138")


def police(commune) -> Unit:
    return Unit.objects.get(code=f"P80-CAX-{commune.code}")


def make_case(commune, occurred: date, *, group="social_order", severity="serious",
              detected: date | None = None, initiated: date | None = None,
              terminate_ground: str = "") -> Case:
    n = next(_n)
    initiated = initiated or occurred
    return Case.objects.create(
        investigation_body=Unit.objects.get(code="P80-CA-CSDT"), register_year=initiated.year,
        register_number=n, procuracy=Unit.objects.get(code="P80-VKS"), origin="direct",
        decision_number=f"{n}/QĐ-CSĐT", initiated_on=initiated, summary=f"Vụ {n}",
        occurred_on=occurred, commune=commune, severity=severity, crime_group=group,
        status="investigating", status_since=initiated, detected_on=detected,
        terminate_ground=terminate_ground,
        closed_on=initiated if terminate_ground else None)


def make_source(commune, received: date, *, status="verifying", due: date | None = None,
                decided: date | None = None) -> Source:
    n = next(_n)
    unit = police(commune)
    at = datetime(received.year, received.month, received.day, 9, 0, tzinfo=VN)
    decided_at = (datetime(decided.year, decided.month, decided.day, 10, 0, tzinfo=VN)
                  if decided else None)
    return Source.objects.create(
        unit=unit, register_year=received.year, register_number=n, holder=unit,
        kind="denunciation", channel="in_person", status=status, received_at=at,
        holder_received_at=at, commune=commune, summary=f"Nguồn tin {n}", content="…",
        reporter_type="anonymous", clock_start=received,
        due_date=due or received + timedelta(days=20), decided_at=decided_at,
        outcome={"initiated": "initiate", "declined": "decline"}.get(status, ""))


def make_group(commune, user, *, dangerous: bool, status="active") -> CriminalGroup:
    """A group with one member, accused in a case of the commune in 2023 (outside every
    period the tests count)."""
    case = make_case(commune, date(2023, 6, 1), detected=date(2023, 6, 2))
    n = next(_n)
    accused = Accused.objects.create(case=case, position=1, person_index=f"person{n}",
                                     sex="male", charged_on=case.initiated_on, is_lead=True)
    group = CriminalGroup.objects.create(name=f"Nhóm {n}", unit=case.investigation_body,
                                         status=status, dangerous=dangerous, created_by=user)
    GroupMember.objects.create(group=group, person_index=accused.person_index,
                               accused=accused, added_on=date(2023, 6, 2))
    return group


@pytest.fixture
def select(leader, steering):
    def make(commune, *, year=2026, on=date(2026, 1, 5), types=("social_order",), name="",
             **kwargs):
        return s.area_select(actor=leader, year=year, commune=commune, name=name, types=types,
                             decision_number=f"{next(_n)}/QĐ-BCĐ", decision_date=on,
                             steering_unit=steering, lead_unit=police(commune), **kwargs)
    return make


ALL_MET = s.Recorded(community_model=True, community_model_evidence="Tổ tự quản khu phố 3",
                     political_system=True, political_system_evidence="Nghị quyết Đảng ủy",
                     conventions=True, conventions_evidence="Hương ước ấp đã ký")


@pytest.fixture
def transformed(leader, select):
    """Select, start, assess as transformed (signed) and remove from the list."""
    def make(commune, *, year=2025, decided=date(2025, 3, 1), signed=date(2025, 12, 20),
             removed=date(2026, 1, 15), **kwargs):
        area = select(commune, year=year, on=decided, **kwargs)
        s.area_start(actor=leader, area=area, on=decided + timedelta(days=9))
        draft = s.assessment_draft(actor=leader, area=area, recorded=ALL_MET, as_of=signed)
        s.assessment_sign(actor=leader, assessment=draft, on=signed)
        if removed:
            s.area_remove(actor=leader, area=area, decision_number="99/QĐ-BCĐ", on=removed)
        area.refresh_from_db()
        return area
    return make
