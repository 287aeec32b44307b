"""Personas of the plan: its owners, two departments, a commune, and outsiders."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from pctp.plans import services as s
from pctp.units.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def unit():
    return lambda code: Unit.objects.get(code=code)


@pytest.fixture
def owner(make_user):
    """A leader of UBND tỉnh, the plan's issuer."""
    return make_user("unit_leader", "P80-UBND", is_head=True, name="Chủ tịch UBND")


@pytest.fixture
def steering(make_user):
    """A leader of the Steering Committee (BCĐ 138), which follows the plan."""
    return make_user("unit_leader", "P80-BCD138", name="Phó Trưởng ban BCĐ")


@pytest.fixture
def edu(make_user):
    """An officer of the Department of Education (Sở GDĐT)."""
    return make_user("department_officer", "P80-SO-GDDT", name="Cán bộ Sở GDĐT")


@pytest.fixture
def edu_head(make_user):
    return make_user("unit_leader", "P80-SO-GDDT", is_head=True, name="Giám đốc Sở GDĐT")


@pytest.fixture
def health(make_user):
    """An officer of the Department of Health (Sở Y tế)."""
    return make_user("department_officer", "P80-SO-YTE", name="Cán bộ Sở Y tế")


@pytest.fixture
def culture(make_user):
    """An officer of the Department of Culture: no part in the tasks below."""
    return make_user("department_officer", "P80-SO-VHTTDL", name="Cán bộ Sở VHTTDL")


@pytest.fixture
def investigator(make_user):
    """Police: no plans.view_task at all."""
    return make_user("investigator", "P80-CA-CSDT", name="Điều tra viên")


@pytest.fixture
def plan(owner, unit):
    return s.plan_create(actor=owner, number="125/KH-UBND",
                         title="Thực hiện Kết luận 13-KL/TW và Chỉ thị 36-CT/TW năm 2026",
                         issuing_unit=unit("P80-UBND"), steering_unit=unit("P80-BCD138"),
                         issued_on=date(2026, 1, 5), period_start=date(2026, 1, 1),
                         period_end=date(2026, 12, 31))


@pytest.fixture
def assign(owner, plan, unit):
    def make(actor=None, **kwargs):
        defaults = dict(
            plan=plan, title="Tuyên truyền phòng, chống ma túy trong trường học",
            content="Tổ chức tuyên truyền phòng, chống ma túy cho học sinh THPT.",
            lead_unit=unit("P80-SO-GDDT"), coordinating_units=[unit("P80-SO-YTE")],
            expected_result="100% trường THPT được tuyên truyền", deadline=date(2026, 6, 30),
            target_code="T1", today=date(2026, 1, 10))
        defaults.update(kwargs)
        return s.task_assign(actor=actor or owner, **defaults)
    return make


@pytest.fixture
def task(assign):
    return assign()
