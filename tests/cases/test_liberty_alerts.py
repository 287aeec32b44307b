"""Issue 16, finding 14: nobody was told when a person was held near or past the limit.

Custody from 14:00 on Thu 05/03/2026 lasts 3 days of 24 hours: it expires at 14:00 on Sun
08/03/2026 (hand count: 05/03 14:00 + 72 h). Its last day, 08/03, is within 3 days from the
first, so the alert "near the limit" is owed at once; from 14:00 on 08/03 the alert "past".
"""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from pctp.cases import services as s
from pctp.cases.alerts import alerts_send
from pctp.cases.models import Measure
from pctp.core.models import Notification
from tests.cases.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(initiate, add_accused, investigator):
    with time_machine.travel(at(2026, 3, 6, 9, 0), tick=False):
        case = initiate()
        accused = add_accused(case, on=date(2026, 3, 5))
        return s.measure_order(actor=investigator, accused=accused, kind="custody",
                               order_number="12/QĐ-TG", start_on=at(2026, 3, 5, 14, 0))


def _told(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


def test_the_investigator_the_body_and_the_procuracy_are_told_once_near_and_once_past(
        held, investigator, head, procurator, outside_procurator, other_judge):
    run = alerts_send(now=at(2026, 3, 6, 9, 0), commit=True)
    near = _told(investigator)
    assert len(near) == 1 and "Sắp hết thời hạn (14:00 08/03/2026)" in near[0]
    assert held.case.register_code in near[0] and "người bị tạm giữ số 1" in near[0]
    assert "Nguyễn Văn Bình" not in near[0]  # the case and the number, never the person
    assert len(_told(head)) == 1 and len(_told(procurator)) == 1
    assert _told(outside_procurator) == [] and _told(other_judge) == []
    assert run.sent == 3
    # Run again (cron twice, a retried task): nothing new.
    assert alerts_send(now=at(2026, 3, 7, 9, 0), commit=True).sent == 0
    # 13:59 on the last day is still "near"; 14:00 is past, to the hour.
    assert alerts_send(now=at(2026, 3, 8, 13, 59), commit=True).sent == 0
    assert alerts_send(now=at(2026, 3, 8, 14, 0), commit=True).sent == 3
    past = [t for t in _told(investigator) if t.startswith("QUÁ HẠN")]
    assert past == [f"QUÁ HẠN từ 14:00 08/03/2026: người bị tạm giữ số 1 vụ án "
                    f"{held.case.register_code}. Phải trả tự do hoặc có quyết định hợp pháp ngay."]
    assert Notification.objects.get(user=investigator, text=past[0]).link == (
        f"/cases/{held.case_id}/")


def test_a_limit_stored_later_than_the_law_allows_does_not_silence_the_alert(
        held, investigator):
    wrong = date(2026, 9, 30)
    Measure.objects.filter(pk=held.pk).update(due_date=wrong, due_at=timezone.make_aware(
        datetime.combine(wrong, time(23, 59))))
    alerts_send(now=at(2026, 3, 8, 15, 0), commit=True)
    assert [t[:29] for t in _told(investigator)] == ["QUÁ HẠN từ 14:00 08/03/2026: "]


def test_a_person_released_is_no_longer_alerted(held, investigator):
    Measure.objects.filter(pk=held.pk).update(released_on=date(2026, 3, 7))
    assert alerts_send(now=at(2026, 3, 8, 15, 0), commit=True).sent == 0
    assert _told(investigator) == []


def test_the_command_is_dry_unless_committed_and_refuses_a_bad_instant(
        held, head, procurator, capsys):
    call_command("liberty-alerts", "--now", "2026-03-08T15:00")
    out = capsys.readouterr().out
    assert "Alerts to send: 3" in out and "Dry run" in out
    assert Notification.objects.count() == 0
    call_command("liberty-alerts", "--now", "2026-03-08T15:00", "--commit")
    assert "Alerts sent: 3" in capsys.readouterr().out
    with pytest.raises(CommandError, match="YYYY-MM-DDTHH:MM"):
        call_command("liberty-alerts", "--now", "8/3/2026")


def test_the_accountability_counts_use_the_laws_limit_to_the_hour(held, body):
    """QA of issue 16: the units-and-heads page counted the stored date, by day, for the
    investigation body only. Custody expiring at 14:00 on 08/03: at 13:00 it is near; at
    15:00 the same day it is past, even with a later date stored."""
    from pctp.cases.services import held_by_unit

    assert held_by_unit([body.pk], now=at(2026, 3, 8, 13, 0)) == {body.pk: {"near": 1, "past": 0}}
    wrong = date(2026, 9, 30)
    Measure.objects.filter(pk=held.pk).update(due_date=wrong, due_at=timezone.make_aware(
        datetime.combine(wrong, time(23, 59))))
    assert held_by_unit([body.pk], now=at(2026, 3, 8, 15, 0)) == {body.pk: {"near": 0, "past": 1}}
    assert held_by_unit([held.case.procuracy_id], now=at(2026, 3, 8, 15, 0)) == {}


def test_the_measures_api_orders_by_the_laws_limit(held, investigator, add_accused):
    """QA of issue 16: the API sorted by the stored date. A second custody from 15:00 on
    06/03 expires at 15:00 on 09/03, after the first (14:00 on 08/03); stored later than
    the law allows, the first still comes first."""
    from tests.personas import api_client

    with time_machine.travel(at(2026, 3, 6, 16, 0), tick=False):
        other = add_accused(held.case, person=s.Person(name="Trần Văn Cường", sex="male"),
                            on=date(2026, 3, 6))
        second = s.measure_order(actor=investigator, accused=other, kind="custody",
                                 order_number="13/QĐ-TG", start_on=at(2026, 3, 6, 15, 0))
        wrong = date(2026, 9, 30)
        Measure.objects.filter(pk=held.pk).update(due_date=wrong, due_at=timezone.make_aware(
            datetime.combine(wrong, time(23, 59))))
        rows = api_client(investigator).get("/api/v1/cases/measures/").json()["results"]
    assert [r["id"] for r in rows] == [held.pk, second.pk]
    assert rows[0]["limit_mismatch"] is True and rows[0]["due_date"] == "2026-03-08"
