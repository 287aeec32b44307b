"""Personas of the crime-source workflow in the demo province."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pctp.sources.services import Reporter, source_receive
from pctp.units.models import Unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def body():
    return Unit.objects.get(code="P80-CA-CSDT")


@pytest.fixture
def intake_body(make_user, body):
    """An intake officer of the provincial investigation body."""
    return make_user("intake_officer", body, name="Intake CSDT")


@pytest.fixture
def head(make_user, body):
    """The head of the investigation body."""
    return make_user("unit_leader", body, is_head=True, name="Head CSDT")


@pytest.fixture
def investigator(make_user, body):
    return make_user("investigator", body, name="Investigator One")


@pytest.fixture
def other_investigator(make_user, body):
    return make_user("investigator", body, name="Investigator Two")


@pytest.fixture
def procurator(make_user, communes):
    """A procurator of the regional procuracy that covers commune A."""
    regional = Unit.objects.get(kind="regional_procuracy", communes=communes["a"])
    return make_user("procurator", regional, name="Procurator KV")


@pytest.fixture
def outside_procurator(make_user, communes):
    other = Unit.objects.filter(kind="regional_procuracy").exclude(communes=communes["a"]).first()
    return make_user("procurator", other, name="Procurator elsewhere")


@pytest.fixture
def court_officer(make_user):
    return make_user("court_officer", "P80-TAND-KV1", name="Court officer")


@pytest.fixture
def receive(communes):
    def make(actor, unit=None, **kwargs):
        defaults = dict(
            unit=unit or communes["police_a"], kind="denunciation", channel="in_person",
            summary="Mất trộm xe máy tại chợ", content="Bị mất xe máy Honda Wave màu đỏ "
            "khi đi chợ buổi sáng.", commune=communes["a"], address="Chợ phường",
            reporter=Reporter(type="person", name="Nguyễn Văn An", personal_id="079092001234",
                              contact="0912345678"),
        )
        defaults.update(kwargs)
        return source_receive(actor=actor, **defaults)
    return make
