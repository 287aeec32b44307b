"""One place says which steps a user may take on a record now (issue 18):
``source_actions`` and ``case_actions``. For a few states and roles, the actions the page
offers, the API's answer to each of them and the service's acceptance of it agree.

Each attempt is made in a savepoint rolled back at once, so every action of a scenario
is tried on the same record; the page is read once per scenario and role.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from pctp.cases import services as cs
from pctp.cases.models import Case
from pctp.core.errors import DomainError
from pctp.sources import services as ss
from pctp.sources.models import Source
from pctp.units.models import Unit
from tests.personas import api_client, login, login_verified

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


# action -> (API path segment, API payload, service call(actor, record, people))
SOURCE_STEPS = {
    "classify": ("classify", {"article": "173"},
                 lambda u, x, p: ss.source_classify(actor=u, source=x, article="173")),
    "transfer": ("transfer", lambda p: {"to_unit": p["elsewhere"].code, "reason": "Không "
                                        "thuộc thẩm quyền"},
                 lambda u, x, p: ss.source_transfer(actor=u, source=x, to_unit=p["elsewhere"],
                                                    reason="Không thuộc thẩm quyền")),
    "assign": ("assign", lambda p: {"investigator": p["investigator"].username},
               lambda u, x, p: ss.source_assign(actor=u, source=x,
                                                investigator=p["investigator"])),
    "note": ("note", {"text": "Đã xác minh"},
             lambda u, x, p: ss.source_note(actor=u, source=x, text="Đã xác minh")),
    "notify_procuracy": ("notify", {"recipient": "procuracy"},
                         lambda u, x, p: ss.source_notify(actor=u, source=x,
                                                          recipient="procuracy")),
    "extend": ("extend", {"reason": "Cần xác minh thêm"},
               lambda u, x, p: ss.source_extend(actor=u, source=x, reason="Cần xác minh thêm")),
    "initiate": ("initiate", {"decision_number": "15/QĐ"},
                 lambda u, x, p: ss.source_initiate(actor=u, source=x, decision_number="15/QĐ")),
    "decline": ("decline", {"ground": "not_a_crime", "decision_number": "16/QĐ", "note": "x"},
                lambda u, x, p: ss.source_decline(actor=u, source=x, ground="not_a_crime",
                                                  decision_number="16/QĐ", note="x")),
    "suspend": ("suspend", {"ground": "documents", "decision_number": "17/QĐ", "note": "x"},
                lambda u, x, p: ss.source_suspend(actor=u, source=x, ground="documents",
                                                  decision_number="17/QĐ", note="x")),
    "resume": ("resume", {"text": "Đã có tài liệu"},
               lambda u, x, p: ss.source_resume(actor=u, source=x, note="Đã có tài liệu")),
    "cancel_suspension": ("cancel-suspension", {"text": "Hủy"},
                          lambda u, x, p: ss.source_cancel_suspension(actor=u, source=x,
                                                                      note="Hủy")),
}

CASE_STEPS = {
    "assign": ("assign", lambda p: {"investigator": p["investigator"].username},
               lambda u, x, p: cs.case_assign(actor=u, case=x, investigator=p["investigator"])),
    "suspend": ("suspend", {"ground": "illness", "decision_number": "5/QĐ"},
                lambda u, x, p: cs.case_suspend(actor=u, case=x, ground="illness",
                                                decision_number="5/QĐ")),
    "resume": ("resume", {"decision_number": "6/QĐ"},
               lambda u, x, p: cs.case_resume(actor=u, case=x, decision_number="6/QĐ")),
    "conclude": ("conclude", {"document_number": "1/KL"},
                 lambda u, x, p: cs.case_conclude(actor=u, case=x, document_number="1/KL")),
    "terminate": ("terminate", {"ground": "no_crime", "decision_number": "7/QĐ"},
                  lambda u, x, p: cs.case_terminate(actor=u, case=x, ground="no_crime",
                                                    decision_number="7/QĐ")),
    "detect": ("detect", {"on": "2026-03-05", "method": "reported"},
               lambda u, x, p: cs.case_detect(actor=u, case=x, on=date(2026, 3, 5),
                                              method="reported")),
    "request_extension": ("request-extension", {"reason": "Chờ giám định"},
                          lambda u, x, p: cs.case_request_extension(actor=u, case=x,
                                                                    reason="Chờ giám định")),
    "extend": ("extend", {"reason": "Hồ sơ phức tạp"},
               lambda u, x, p: cs.case_extend(actor=u, case=x, reason="Hồ sơ phức tạp")),
    "prosecution_suspend": ("prosecution-suspend", {"ground": "illness", "decision_number": "8/QĐ"},
                            lambda u, x, p: cs.case_prosecution_suspend(
                                actor=u, case=x, ground="illness", decision_number="8/QĐ")),
    "return_for_investigation": ("return", {"decision_number": "9/QĐ", "reason": "Bổ sung"},
                                 lambda u, x, p: cs.case_return(actor=u, case=x,
                                                                decision_number="9/QĐ",
                                                                reason="Bổ sung")),
}

SOURCE_ROLES = ("intake", "investigator", "other_investigator", "head", "procurator")
CASE_ROLES = ("investigator", "other_investigator", "head", "procurator", "judge")

# (record, state, the day the actions are tried)
SCENARIOS = [
    ("source", "received", at(2026, 3, 2, 10, 0)),
    ("source", "verifying", at(2026, 3, 3, 10, 0)),
    ("source", "suspended", at(2026, 4, 10, 10, 0)),
    ("case", "investigating", at(2026, 3, 10, 10, 0)),
    ("case", "suspended", at(2026, 3, 20, 10, 0)),
    ("case", "at_procuracy", at(2026, 5, 25, 10, 0)),
]


@pytest.fixture
def people(make_user, communes):
    body = Unit.objects.get(code="P80-CA-CSDT")
    procuracy = Unit.objects.get(kind="regional_procuracy", communes=communes["a"])
    court = Unit.objects.get(kind="regional_court", communes=communes["a"])
    return {
        "body": body, "communes": communes, "elsewhere": communes["police_b"],
        "intake": make_user("intake_officer", body),
        "investigator": make_user("investigator", body),
        "other_investigator": make_user("investigator", body),
        "head": make_user("unit_leader", body, is_head=True),
        "procurator": make_user("procurator", procuracy),
        "judge": make_user("court_officer", court),
    }


def _source(p, state: str) -> Source:
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        source = ss.source_receive(
            actor=p["intake"], unit=p["body"], kind="denunciation", channel="in_person",
            summary="Mất trộm xe máy tại chợ", content="Bị mất xe máy khi đi chợ.",
            commune=p["communes"]["a"], address="Chợ phường",
            reporter=ss.Reporter(type="person", name="Nguyễn Văn An", contact="0912345678"))
        if state == "received":
            return source
        ss.source_classify(actor=p["intake"], source=source, article="173")
        ss.source_assign(actor=p["head"], source=source, investigator=p["investigator"])
    if state == "suspended":
        with time_machine.travel(at(2026, 3, 25, 9, 0), tick=False):
            ss.source_suspend(actor=p["investigator"], source=source, ground="documents",
                              decision_number="3/QĐ", note="Chờ tài liệu ngân hàng")
    return source


def _case(p, state: str) -> Case:
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        case = cs.case_initiate(
            actor=p["investigator"], investigation_body=p["body"], decision_number="01/QĐ",
            summary="Trộm cắp xe máy tại chợ", origin="direct",
            charges=[cs.ChargeInput("173", 2)], initiated_on=date(2026, 3, 2),
            commune=p["communes"]["a"], address="Chợ", investigator=p["investigator"])
        cs.accused_add(actor=p["investigator"], case=case, charges=[cs.ChargeInput("173", 2)],
                       person=cs.Person(name="Nguyễn Văn Bình", sex="male"),
                       charged_on=date(2026, 3, 2))
    if state == "suspended":
        with time_machine.travel(at(2026, 3, 10, 9, 0), tick=False):
            cs.case_suspend(actor=p["investigator"], case=case, ground="illness",
                            decision_number="4/QĐ")
    if state == "at_procuracy":
        with time_machine.travel(at(2026, 5, 20, 9, 0), tick=False):
            cs.case_conclude(actor=p["investigator"], case=case, document_number="1/KL")
            cs.case_receive(actor=p["procurator"], case=case)
    return case


def _attempt(call, *args, **kwargs) -> object:
    """What ``call`` returns (or the DomainError it raises), its effects rolled back."""
    with transaction.atomic():
        try:
            return call(*args, **kwargs)
        except DomainError as exc:
            return exc
        finally:
            transaction.set_rollback(True)


@pytest.mark.parametrize(("kind", "state", "now"), SCENARIOS,
                         ids=[f"{k}-{s}" for k, s, _ in SCENARIOS])
def test_the_page_the_api_and_the_service_agree(people, kind, state, now):
    record = _source(people, state) if kind == "source" else _case(people, state)
    steps, roles = (SOURCE_STEPS, SOURCE_ROLES) if kind == "source" else (CASE_STEPS, CASE_ROLES)
    model = type(record)
    offered_somewhere = set()
    with time_machine.travel(now, tick=False):
        for role in roles:
            user = people[role]
            client = (login_verified if role == "head" else login)(user)
            page = client.get(f"/{kind}s/{record.pk}/")
            offered = set(page.context["actions"]) if page.status_code == 200 else set()
            api = api_client(user)
            for action, (path, payload, service) in steps.items():
                data = payload(people) if callable(payload) else payload
                answer = _attempt(api.post, f"/api/v1/{kind}s/{record.pk}/{path}/", data,
                                  format="json")
                assert answer.status_code in (200, 201, 403, 404, 409), (
                    role, action, answer.status_code, answer.content[:300])
                fresh = model.objects.get(pk=record.pk)
                result = _attempt(service, user, fresh, people)
                accepted = not isinstance(result, DomainError)
                assert (action in offered) == (answer.status_code < 300) == accepted, (
                    f"{kind} {state}, {role}, {action}: page offers {action in offered}, "
                    f"API {answer.status_code}, service "
                    f"{'accepts' if accepted else result.code}")
                offered_somewhere |= offered & {action}
    assert offered_somewhere, "the scenario should offer at least one of the steps tried"
