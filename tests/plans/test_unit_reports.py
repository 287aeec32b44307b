"""A unit's periodic report: the form per kind, on time or late, returned for revision."""

from datetime import date

import pytest
import time_machine

from pctp.core.errors import DomainError, PermissionRefused
from pctp.core.models import AuditEvent
from pctp.plans import services as s
from pctp.plans.models import UnitReport
from tests.plans.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(assign):
    task = assign(deadline=None, recurrence="quarterly", first_report_due=date(2026, 3, 31),
                  report_kind="causes_conditions", coordinating_units=[])
    return UnitReport.objects.get(task=task)


def test_the_causes_and_conditions_form_needs_findings_measures_and_results(report, edu):
    with pytest.raises(DomainError) as err:
        s.report_submit(actor=edu, report=report, findings="Quản lý học sinh ngoại trú lỏng lẻo")
    assert set(err.value.details) == {"measures", "results"}
    assert UnitReport.objects.get(pk=report.pk).status == "open"


def test_a_report_submitted_on_its_due_date_is_on_time(report, edu):
    with time_machine.travel(at(2026, 3, 31, 16, 0), tick=False):
        s.report_submit(actor=edu, report=report, findings="Học sinh ngoại trú thiếu quản lý",
                        measures="Phối hợp Công an xã kiểm tra nhà trọ",
                        results="Kiểm tra 35 nhà trọ, nhắc nhở 4 chủ trọ")
    report.refresh_from_db()
    assert (report.status, report.submitted_on, report.submitted_late) == (
        "submitted", date(2026, 3, 31), False)
    event = AuditEvent.objects.get(action="unit_report.submit", object_id=str(report.pk))
    assert event.changes["on_time"] == [None, True]


def test_a_report_submitted_the_day_after_is_late(report, edu):
    with time_machine.travel(at(2026, 4, 1, 8, 0), tick=False):
        s.report_submit(actor=edu, report=report, findings="a", measures="b", results="c")
    assert UnitReport.objects.get(pk=report.pk).submitted_late is True


def test_the_steering_committee_returns_a_report_and_the_unit_resubmits(report, edu, steering):
    s.report_submit(actor=edu, report=report, findings="a", measures="b", results="c")
    s.report_return(actor=steering, report=report, reason="Chưa nêu số liệu cụ thể.")
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "Chưa nêu số liệu cụ thể.")
    s.report_submit(actor=edu, report=report, findings="a", measures="b", results="35 nhà trọ")
    assert UnitReport.objects.get(pk=report.pk).status == "submitted"


def test_only_the_unit_submits_its_report_and_only_owners_return_it(report, health, edu):
    with pytest.raises(PermissionRefused):
        s.report_submit(actor=health, report=report, findings="a", measures="b", results="c")
    s.report_submit(actor=edu, report=report, findings="a", measures="b", results="c")
    with pytest.raises(PermissionRefused):
        s.report_return(actor=edu, report=report, reason="Tự trả lại")


def test_the_owner_accepts_a_submitted_report_which_then_cannot_be_returned(report, edu,
                                                                           steering, health):
    """Issue 20: draft (open) -> submitted -> accepted, or returned with a reason."""
    with pytest.raises(DomainError):  # nothing submitted yet
        s.report_accept(actor=steering, report=report)
    s.report_submit(actor=edu, report=report, findings="a", measures="b", results="c")
    with pytest.raises(PermissionRefused):
        s.report_accept(actor=health, report=report)
    s.report_accept(actor=steering, report=report, note="Đạt yêu cầu")
    report.refresh_from_db()
    assert (report.status, report.accepted_by) == ("submitted", steering)
    assert AuditEvent.objects.filter(action="unit_report.accept",
                                     object_id=str(report.pk)).count() == 1
    with pytest.raises(DomainError):
        s.report_return(actor=steering, report=report, reason="Muộn")
    with pytest.raises(DomainError):
        s.report_accept(actor=steering, report=report)


def test_the_accept_button_and_api(report, edu, steering):
    from tests.personas import api_client, login_verified

    s.report_submit(actor=edu, report=report, findings="a", measures="b", results="c")
    page = login_verified(steering).get(f"/plans/reports/{report.pk}/").content.decode()
    assert f"/plans/reports/{report.pk}/accept/" in page
    assert f"/plans/reports/{report.pk}/accept/" not in login_verified(edu).get(
        f"/plans/reports/{report.pk}/").content.decode()
    assert api_client(edu).post(f"/api/v1/reports/{report.pk}/accept/").status_code == 403
    response = api_client(steering).post(f"/api/v1/reports/{report.pk}/accept/", {"note": ""})
    assert response.status_code == 200 and response.json()["accepted_at"]


def test_accepting_names_the_step_in_words_and_limits_the_note(report, edu, steering):
    with pytest.raises(DomainError) as refused:
        s.report_accept(actor=steering, report=report)
    assert "accept" not in refused.value.message  # the step in words, not its code
    s.report_submit(actor=edu, report=report, findings="a", measures="b", results="c")
    with pytest.raises(DomainError):
        s.report_accept(actor=steering, report=report, note="x" * 2001)
    assert UnitReport.objects.get(pk=report.pk).accepted_at is None
