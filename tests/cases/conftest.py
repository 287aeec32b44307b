"""Personas of the criminal-case workflow in the demo province: the investigation body,
the regional procuracy and the regional court that cover commune A."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pctp.cases import services as s
from pctp.units.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def body():
    return Unit.objects.get(code="P80-CA-CSDT")


@pytest.fixture
def regional_procuracy(communes):
    return Unit.objects.get(kind="regional_procuracy", communes=communes["a"])


@pytest.fixture
def regional_court(communes):
    return Unit.objects.get(kind="regional_court", communes=communes["a"])


@pytest.fixture
def head(make_user, body):
    """The head of the investigation body (Thủ trưởng Cơ quan CSĐT)."""
    return make_user("unit_leader", body, is_head=True, name="Thủ trưởng Ngô Đức Thắng")


@pytest.fixture
def investigator(make_user, body):
    return make_user("investigator", body, name="Điều tra viên Bùi Quốc Hùng")


@pytest.fixture
def other_investigator(make_user, body):
    return make_user("investigator", body, name="Điều tra viên Phan Minh Trí")


@pytest.fixture
def procurator(make_user, regional_procuracy):
    """A procurator of the regional procuracy that covers commune A."""
    return make_user("procurator", regional_procuracy, name="Kiểm sát viên Trương Văn Nam")


@pytest.fixture
def provincial_procurator(make_user):
    """A procurator of the provincial procuracy (VKSND tỉnh)."""
    return make_user("procurator", "P80-VKS", name="Kiểm sát viên Đỗ Thanh Hà")


@pytest.fixture
def outside_procurator(make_user, regional_procuracy):
    other = Unit.objects.filter(kind="regional_procuracy").exclude(pk=regional_procuracy.pk)[0]
    return make_user("procurator", other, name="Kiểm sát viên khu vực khác")


@pytest.fixture
def judge(make_user, regional_court):
    """A court officer (judge) of the regional court that covers commune A."""
    return make_user("court_officer", regional_court, name="Thẩm phán Lý Thị Hồng")


@pytest.fixture
def other_judge(make_user, regional_court):
    other = Unit.objects.filter(kind="regional_court").exclude(pk=regional_court.pk)[0]
    return make_user("court_officer", other, name="Thẩm phán khu vực khác")


@pytest.fixture
def initiate(investigator, body, communes):
    """Open a case as the investigator, in commune A, under the given charges."""
    def make(charges=(("173", 2),), on=date(2026, 3, 2), actor=None, **kwargs):
        defaults = dict(
            investigation_body=body, decision_number="01/QĐ-CSĐT",
            summary="Trộm cắp xe máy tại chợ phường", origin="direct",
            charges=[s.ChargeInput(a, c) for a, c in charges], initiated_on=on,
            commune=communes["a"], address="Chợ phường", investigator=investigator)
        defaults.update(kwargs)
        return s.case_initiate(actor=actor or investigator, **defaults)
    return make


BINH = s.Person(name="Nguyễn Văn Bình", sex="male", personal_id="079092001234",
                birth_date=date(1992, 5, 17), residence="Tổ 3, phường Tân Ninh")
CUONG = s.Person(name="Trần Văn Cường", sex="male", personal_id="072095004321",
                 birth_date=date(1995, 1, 9), residence="Ấp 2, xã Hòa Thành")
DUNG = s.Person(name="Lê Thị Dung", sex="female", personal_id="072198007777",
                birth_date=date(1998, 8, 30), residence="Khu phố 4")


@pytest.fixture
def add_accused(investigator):
    def make(case, person=BINH, charges=(("173", 2),), on=None, actor=None, **kwargs):
        return s.accused_add(actor=actor or investigator, case=case, person=person,
                             charges=[s.ChargeInput(a, c) for a, c in charges],
                             charged_on=on or case.initiated_on, **kwargs)
    return make
