"""The demo plan gives each demo persona something to do, and seeding twice changes nothing."""

import io
from datetime import date

import pytest

from pctp.core.models import AuditEvent, User
from pctp.plans import demo
from pctp.plans.indicators import unit_scorecard
from pctp.plans.models import Plan, Task, UnitReport
from pctp.plans.selectors import task_list, tasks_awaiting_decision
from pctp.units.demo import seed_people
from pctp.units.models import Unit
from tests.once import built_once

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 29)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo plan, seeded once for the module; each test's writes roll back after it."""
    with built_once(django_db_blocker):
        seed_people("Demo-Password-2026")
        yield demo.seed(password="Demo-Password-2026", stdout=io.StringIO(), today=TODAY)


def test_the_plan_has_its_tasks_and_reports_and_a_second_run_changes_nothing(seeded):
    plan = Plan.objects.get(number="125/KH-UBND")
    counts = (Task.objects.count(), UnitReport.objects.count(), AuditEvent.objects.count())
    assert counts[0] == len(demo.specs()) >= 40
    assert {t.status for t in plan.tasks.all()} == set(Task.Status.values)
    again = demo.seed(password="Demo-Password-2026", stdout=io.StringIO(), today=TODAY)
    assert again["plan tasks"].endswith("(kept)")
    assert (Task.objects.count(), UnitReport.objects.count(), AuditEvent.objects.count()) == counts


def test_the_education_officer_has_a_returned_an_overdue_task_and_a_missing_report(seeded):
    officer = User.objects.get(username="so.giaoduc")
    led = task_list(user=officer).filter(lead_unit__code="P80-SO-GDDT")
    returned = led.get(status="returned")
    assert "bổ sung danh sách" in returned.return_reason
    assert any(t.is_overdue(TODAY) for t in led)
    assert UnitReport.objects.filter(unit__code="P80-SO-GDDT", status="open",
                                     due_date__lt=TODAY).exists()
    assert task_list(user=officer).exclude(lead_unit__code="P80-SO-GDDT").exists()


def test_the_commune_officer_has_a_report_due_and_work_in_progress(seeded):
    officer = User.objects.get(username="ubndxa1")
    unit = officer.memberships.get().unit
    assert UnitReport.objects.filter(unit=unit, status="open", due_date__gte=TODAY).exists()
    assert task_list(user=officer).filter(lead_unit=unit, status="in_progress").exists()


def test_the_leader_has_tasks_awaiting_acceptance_and_late_units_on_the_scorecard(seeded):
    leader = User.objects.get(username="lanhdao")
    assert tasks_awaiting_decision(user=leader).count() >= 3
    card = unit_scorecard(unit=Unit.objects.get(code="P80-SO-GDDT"), start=date(2026, 1, 1),
                          end=date(2026, 12, 31), today=TODAY)
    assert card.tasks_late >= 1 and card.tasks_overdue >= 1 and card.reports_overdue >= 1


def test_every_step_is_in_the_past_and_follows_the_transition_table(seeded):
    events = AuditEvent.objects.filter(object_type="plans.task")
    assert events.exists() and not events.filter(at__date__gt=TODAY).exists()
    task = Task.objects.get(status="returned")
    assert list(AuditEvent.objects.filter(object_type="plans.task", object_id=str(task.pk))
                .order_by("at").values_list("action", flat=True))[-2:] == ["task.submit",
                                                                           "task.return"]
