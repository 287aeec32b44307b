"""A task's life, step by step, per persona: each step one row in the journal."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.models import AuditEvent, Notification
from pctp.plans import services as s
from pctp.plans.models import Task
from tests.plans.conftest import at

pytestmark = pytest.mark.django_db


def events(task):
    return list(AuditEvent.objects.filter(object_type="plans.task", object_id=str(task.pk))
                .order_by("id").values_list("action", "from_state", "to_state"))


def test_assigning_numbers_tasks_in_the_plan_and_journals_it(assign, owner):
    first, second = assign(), assign(title="Rà soát cơ sở kinh doanh karaoke")
    assert (first.number, second.number, first.code) == (1, 2, "NV01")
    assert first.status == "assigned" and first.created_by == owner
    assert events(first) == [("task.assign", "", "assigned")]


def test_the_whole_path_from_assignment_to_acceptance(task, edu, owner):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        s.task_start(actor=edu, task=task)
        s.task_report_progress(actor=edu, task=task, text="Đã tuyên truyền tại 20 trường.",
                               percent=40)
    with time_machine.travel(at(2026, 6, 29, 9, 0), tick=False):
        s.task_submit(actor=edu, task=task, text="Đã tuyên truyền tại 52/52 trường THPT.")
    task.refresh_from_db()
    assert task.status == "submitted" and task.progress == 100
    assert task.submitted_on == date(2026, 6, 29) and task.submitted_late is False
    s.task_accept(actor=owner, task=task, note="Đạt yêu cầu")
    task.refresh_from_db()
    assert task.status == "accepted" and task.accepted_at is not None
    assert events(task) == [
        ("task.assign", "", "assigned"), ("task.start", "assigned", "in_progress"),
        ("task.report", "in_progress", "in_progress"),
        ("task.submit", "in_progress", "submitted"), ("task.accept", "submitted", "accepted")]
    submit = AuditEvent.objects.get(action="task.submit", object_id=str(task.pk))
    assert submit.changes["on_time"] == [None, True]


def test_a_returned_task_goes_back_to_the_unit_with_the_reason(task, edu, owner):
    s.task_submit(actor=edu, task=task, text="Đã xong")
    s.task_return(actor=owner, task=task, reason="Thiếu danh sách trường đã tuyên truyền.")
    task.refresh_from_db()
    assert task.status == "returned"
    assert task.return_reason == "Thiếu danh sách trường đã tuyên truyền."
    event = AuditEvent.objects.get(action="task.return", object_id=str(task.pk))
    assert (event.from_state, event.to_state, event.note) == (
        "submitted", "returned", "Thiếu danh sách trường đã tuyên truyền.")
    note = Notification.objects.get(user=edu, key__startswith=f"event:{event.pk}:")
    assert "Thiếu danh sách trường" in note.text and note.link == f"/plans/tasks/{task.pk}/"
    # The unit takes it up again and reports it done once more.
    s.task_report_progress(actor=edu, task=task, text="Bổ sung danh sách", percent=90)
    s.task_submit(actor=edu, task=task, text="Đã bổ sung danh sách 52 trường.")
    assert Task.objects.get(pk=task.pk).status == "submitted"


def test_a_return_needs_a_reason(task, edu, owner):
    s.task_submit(actor=edu, task=task, text="Đã xong")
    with pytest.raises(DomainError) as err:
        s.task_return(actor=owner, task=task, reason="  ")
    assert "reason" in err.value.details
    assert Task.objects.get(pk=task.pk).status == "submitted"


def test_steps_out_of_order_are_refused_with_409(task, edu, owner):
    with pytest.raises(InvalidTransition) as err:
        s.task_accept(actor=owner, task=task)
    assert err.value.status == 409 and err.value.details == {"action": "accept",
                                                             "state": "assigned"}
    s.task_cancel(actor=owner, task=task, reason="Trùng nhiệm vụ")
    with pytest.raises(InvalidTransition):
        s.task_submit(actor=edu, task=task, text="Đã xong")


def test_done_after_the_deadline_is_recorded_late(task, edu):
    with time_machine.travel(at(2026, 7, 3, 9, 0), tick=False):
        s.task_submit(actor=edu, task=task, text="Hoàn thành muộn")
    task.refresh_from_db()
    assert task.submitted_late is True
    assert AuditEvent.objects.get(action="task.submit").changes["on_time"] == [None, False]


def test_the_owner_reschedules_and_the_old_deadline_stays_in_the_journal(task, owner, edu):
    s.task_reschedule(actor=owner, task=task, deadline=date(2026, 9, 30),
                      reason="Chờ năm học mới")
    task.refresh_from_db()
    assert task.deadline == date(2026, 9, 30)
    event = AuditEvent.objects.get(action="task.reschedule")
    assert event.changes == {"deadline": ["2026-06-30", "2026-09-30"]}
    with pytest.raises(PermissionRefused):
        s.task_reschedule(actor=edu, task=task, deadline=date(2026, 12, 31), reason="Xin lùi")


def test_a_coordinating_unit_contributes_and_the_lead_unit_is_told(task, health, edu):
    update = s.task_contribute(actor=health, task=task, text="Cử 5 bác sĩ tham gia tuyên truyền.")
    assert update.unit.code == "P80-SO-YTE" and update.kind == "contribution"
    assert Notification.objects.filter(user=edu, text__contains="phối hợp").exists()
    assert events(task)[-1] == ("task.contribute", "assigned", "assigned")


def test_evidence_is_checked_by_its_content(task, edu, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes", "application/pdf")
    update = s.task_report_progress(actor=edu, task=task, text="Biên bản", percent=20,
                                    uploaded=pdf)
    assert update.content_type == "application/pdf" and update.file_name == "bien-ban.pdf"
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00", "application/pdf")
    with pytest.raises(DomainError) as err:
        s.task_report_progress(actor=edu, task=task, text="Giả", percent=30, uploaded=fake)
    assert err.value.code == "file_type"
    assert task.updates.count() == 1 and Task.objects.get(pk=task.pk).progress == 20


def test_progress_is_a_percentage(task, edu):
    with pytest.raises(DomainError) as err:
        s.task_report_progress(actor=edu, task=task, text="Quá", percent=120)
    assert "percent" in err.value.details


def test_a_closed_plan_takes_no_new_task(plan, owner, assign):
    s.plan_close(actor=owner, plan=plan, note="Hết kỳ")
    with pytest.raises(InvalidTransition):
        assign()
