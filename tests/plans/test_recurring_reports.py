"""A recurring task opens one report per assigned unit per period, on the day the period
begins, once: month ends, leap years, quarters, half-years and years, counted by hand."""

from datetime import date

import pytest

from pctp.core.models import AuditEvent, Notification
from pctp.plans import services as s
from pctp.plans.models import UnitReport

pytestmark = pytest.mark.django_db


def dues(task, unit_code=None):
    qs = UnitReport.objects.filter(task=task).order_by("due_date")
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return [(r.period_start, r.due_date) for r in qs]


@pytest.fixture
def monthly(assign):
    """Monthly from 31/01/2026, led by Sở GDĐT with Sở Y tế; assigned on 10/01/2026."""
    return assign(deadline=None, recurrence="monthly", first_report_due=date(2026, 1, 31),
                  report_kind="causes_conditions", today=date(2026, 1, 10))


def test_assigning_a_monthly_task_opens_the_current_period_for_each_unit(edu, monthly):
    assert dues(monthly, "P80-SO-GDDT") == [(date(2026, 1, 1), date(2026, 1, 31))]
    assert dues(monthly, "P80-SO-YTE") == [(date(2026, 1, 1), date(2026, 1, 31))]
    report = UnitReport.objects.get(task=monthly, unit__code="P80-SO-GDDT")
    assert report.kind == "causes_conditions" and report.status == "open"
    assert AuditEvent.objects.filter(action="unit_report.open", object_id=str(report.pk)).exists()
    assert Notification.objects.filter(user=edu, link=f"/plans/reports/{report.pk}/").exists()


def test_the_next_month_opens_on_its_first_day_and_only_once(monthly):
    assert s.reports_open_due(today=date(2026, 1, 31)) == 0
    assert s.reports_open_due(today=date(2026, 2, 1)) == 2
    assert s.reports_open_due(today=date(2026, 2, 1)) == 0
    assert s.reports_open_due(today=date(2026, 3, 31)) == 2
    assert dues(monthly, "P80-SO-GDDT") == [
        (date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 31))]


def test_a_job_that_missed_days_catches_up_every_period_begun(monthly):
    assert s.reports_open_due(today=date(2026, 5, 2)) == 8
    assert [d for _s, d in dues(monthly, "P80-SO-YTE")] == [
        date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30),
        date(2026, 5, 31)]


def test_reports_stop_with_the_plan(monthly):
    s.reports_open_due(today=date(2027, 6, 1))
    assert len(dues(monthly, "P80-SO-GDDT")) == 12
    assert dues(monthly, "P80-SO-GDDT")[-1] == (date(2026, 12, 1), date(2026, 12, 31))


def test_february_2028_is_due_on_the_29th(owner, unit, assign):
    plan = s.plan_create(actor=owner, number="9/KH-UBND", title="Kế hoạch 2027–2028",
                         issuing_unit=unit("P80-UBND"), issued_on=date(2027, 6, 1),
                         period_start=date(2027, 7, 1), period_end=date(2028, 12, 31))
    task = assign(plan=plan, deadline=None, recurrence="monthly", coordinating_units=[],
                  first_report_due=date(2028, 1, 31), today=date(2027, 7, 1))
    assert dues(task) == []  # its first period begins on 01/01/2028
    s.reports_open_due(today=date(2028, 3, 1))
    assert dues(task) == [(date(2028, 1, 1), date(2028, 1, 31)),
                          (date(2028, 2, 1), date(2028, 2, 29)),
                          (date(2028, 3, 1), date(2028, 3, 31))]


def test_yearly_from_29_february_2028(owner, unit, assign):
    plan = s.plan_create(actor=owner, number="10/KH-UBND", title="Kế hoạch 2027–2032",
                         issuing_unit=unit("P80-UBND"), issued_on=date(2027, 1, 1),
                         period_start=date(2027, 1, 1), period_end=date(2032, 12, 31))
    task = assign(plan=plan, deadline=None, recurrence="yearly", coordinating_units=[],
                  first_report_due=date(2028, 2, 29), today=date(2027, 1, 1))
    s.reports_open_due(today=date(2032, 3, 1))
    assert [d for _s, d in dues(task)] == [
        date(2028, 2, 29), date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28),
        date(2032, 2, 29), date(2033, 2, 28)]
    assert dues(task)[0][0] == date(2027, 3, 1)


def test_quarterly_on_the_last_day_of_each_quarter(assign):
    task = assign(deadline=None, recurrence="quarterly", coordinating_units=[],
                  first_report_due=date(2026, 3, 31))
    s.reports_open_due(today=date(2026, 12, 31))
    assert dues(task) == [(date(2026, 1, 1), date(2026, 3, 31)),
                          (date(2026, 4, 1), date(2026, 6, 30)),
                          (date(2026, 7, 1), date(2026, 9, 30)),
                          (date(2026, 10, 1), date(2026, 12, 31))]


def test_six_monthly_from_30_june_ends_each_half_year(assign):
    task = assign(deadline=None, recurrence="six_monthly", coordinating_units=[],
                  first_report_due=date(2026, 6, 30))
    s.reports_open_due(today=date(2026, 7, 1))
    assert dues(task) == [(date(2026, 1, 1), date(2026, 6, 30)),
                          (date(2026, 7, 1), date(2026, 12, 31))]


def test_a_cancelled_task_opens_no_more_reports(monthly, owner):
    s.task_cancel(actor=owner, task=monthly, reason="Gộp vào nhiệm vụ khác")
    assert s.reports_open_due(today=date(2026, 6, 1)) == 0


def test_a_draft_plan_opens_reports_when_it_comes_into_force(owner, unit, assign):
    plan = s.plan_create(actor=owner, number="11/KH-UBND", title="Dự thảo",
                         issuing_unit=unit("P80-UBND"), issued_on=date(2026, 1, 2),
                         period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                         draft=True)
    task = assign(plan=plan, deadline=None, recurrence="monthly", coordinating_units=[],
                  first_report_due=date(2026, 1, 31))
    assert s.reports_open_due(today=date(2026, 2, 10)) == 0 and dues(task) == []
    s.plan_issue(actor=owner, plan=plan, today=date(2026, 2, 10))
    assert len(dues(task)) == 2


def test_a_task_has_a_deadline_or_a_recurrence_not_both(assign):
    from pctp.core.errors import DomainError

    with pytest.raises(DomainError) as err:
        assign(recurrence="monthly", first_report_due=date(2026, 1, 31))
    assert "deadline" in err.value.details
    with pytest.raises(DomainError) as err:
        assign(deadline=None, recurrence="monthly")
    assert "first_report_due" in err.value.details
