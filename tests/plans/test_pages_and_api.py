"""The pages and the API, per persona: the same services behind both."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from pctp.core.models import Notification
from pctp.plans import services as s
from pctp.plans.models import Plan, Task, UnitReport
from tests.personas import api_client, login, login_verified
from tests.plans.conftest import at

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 evidence"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_my_units_page_lists_what_we_lead_coordinate_and_must_report(assign, edu, health):
    led = assign()
    report_task = assign(title="Báo cáo rà soát nguyên nhân, điều kiện", deadline=None,
                         recurrence="monthly", first_report_due=date(2026, 1, 31),
                         coordinating_units=[], report_kind="causes_conditions")
    page = login(edu).get("/plans/").content.decode()
    assert "Nhiệm vụ của đơn vị tôi" in page and led.title in page
    assert report_task.title in page and "Tháng 1/2026" in page
    coordinating = login(health).get("/plans/").content.decode()
    assert led.title in coordinating and "Nhiệm vụ đơn vị tôi phối hợp" in coordinating


def test_the_board_puts_tasks_in_columns_and_filters_them(assign, owner, unit, plan):
    first = assign()
    second = assign(title="Kiểm tra karaoke", lead_unit=unit("P80-SO-VHTTDL"),
                    coordinating_units=[], target_code="T9", deadline=date(2026, 2, 1))
    with time_machine.travel(at(2026, 3, 1, 9, 0), tick=False):
        client = login_verified(owner)
        page = client.get(f"/plans/{plan.pk}/").content.decode()
        assert first.title in page and second.title in page and "Đã giao" in page
        overdue = client.get(f"/plans/{plan.pk}/?overdue=on").content.decode()
        assert second.title in overdue and first.title not in overdue
        by_target = client.get(f"/plans/{plan.pk}/?target=T1").content.decode()
        assert first.title in by_target and second.title not in by_target
        by_unit = client.get(f"/plans/{plan.pk}/?unit={unit('P80-SO-YTE').pk}").content.decode()
        assert first.title in by_unit and second.title not in by_unit


def test_the_owner_assigns_a_task_through_the_page(plan, owner, unit):
    client = login_verified(owner)
    assert client.get(f"/plans/{plan.pk}/tasks/new/").status_code == 200
    response = client.post(f"/plans/{plan.pk}/tasks/new/", {
        "title": "Rà soát nhà trọ quanh trường học", "content": "Phối hợp Công an xã rà soát.",
        "lead_unit": unit("P80-SO-GDDT").pk, "coordinating_units": [unit("P80-CA").pk],
        "schedule": "deadline", "deadline": "2026-09-30", "recurrence": "monthly",
        "report_kind": "progress", "target_code": "T1", "priority": "high"})
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/plans/tasks/{task.pk}/"
    assert task.recurrence == "" and task.priority == "high"
    assert [u.code for u in task.coordinating_units.all()] == ["P80-CA"]


def test_a_missing_deadline_is_an_error_on_the_field(plan, owner, unit):
    response = login_verified(owner).post(f"/plans/{plan.pk}/tasks/new/", {
        "title": "x", "content": "y", "lead_unit": unit("P80-SO-GDDT").pk,
        "schedule": "recurrence", "report_kind": "progress", "priority": "normal"})
    assert response.status_code == 200 and Task.objects.count() == 0
    assert "Cho biết hạn của báo cáo kỳ đầu tiên." in response.content.decode()


def test_the_unit_reports_progress_with_evidence_and_the_page_shows_the_history(
        task, edu, media):
    client = login(edu)
    response = client.post(f"/plans/tasks/{task.pk}/report/", {
        "text": "Đã tổ chức 12 buổi ngoại khóa", "percent": "35",
        "file": SimpleUploadedFile("bao-cao.pdf", PDF, "application/pdf")})
    assert response.status_code == 302
    update = task.updates.get()
    page = client.get(f"/plans/tasks/{task.pk}/").content.decode()
    assert "Đã báo cáo tiến độ" in page and "Đã tổ chức 12 buổi ngoại khóa" in page
    assert "bao-cao.pdf" in page and "35%" in page
    download = client.get(f"/plans/tasks/{task.pk}/updates/{update.pk}/file/")
    assert b"".join(download.streaming_content) == PDF


def test_a_returned_task_shows_the_reason_to_the_unit(task, edu, owner):
    s.task_submit(actor=edu, task=task, text="Đã xong")
    response = login_verified(owner).post(f"/plans/tasks/{task.pk}/return/",
                                          {"reason": "Thiếu biên bản kiểm tra"})
    assert response.status_code == 302
    said = [str(m) for m in response.wsgi_request._messages]
    # Issue 17: the message says what was done to which task and where it stands.
    assert said == [f"Trả lại đơn vị: nhiệm vụ {task.code}, hiện bị trả lại."], said
    page = login(edu).get(f"/plans/tasks/{task.pk}/").content.decode()
    assert "Thiếu biên bản kiểm tra" in page and "Bị trả lại" in page
    mine = login(edu).get("/plans/").content.decode()
    assert "Thiếu biên bản kiểm tra" in mine  # in the unit's notifications


def test_an_unlawful_step_by_page_is_409(task, owner):
    response = login_verified(owner).post(f"/plans/tasks/{task.pk}/accept/", {})
    assert response.status_code == 409


def test_the_causes_and_conditions_form_by_page(assign, edu):
    task = assign(deadline=None, recurrence="quarterly", first_report_due=date(2026, 3, 31),
                  coordinating_units=[], report_kind="causes_conditions")
    report = UnitReport.objects.get(task=task)
    client = login(edu)
    form = client.get(f"/plans/reports/{report.pk}/").content.decode()
    assert "Nguyên nhân, điều kiện phát sinh tội phạm" in form
    missing = client.post(f"/plans/reports/{report.pk}/submit/", {"findings": "Có"})
    assert missing.status_code == 400
    done = client.post(f"/plans/reports/{report.pk}/submit/", {
        "findings": "Nhà trọ quanh trường thiếu quản lý", "measures": "Kiểm tra liên ngành",
        "results": "35 nhà trọ được kiểm tra"})
    assert done.status_code == 302
    assert UnitReport.objects.get(pk=report.pk).status == "submitted"


def test_the_steering_committee_reads_every_units_report_of_a_period(assign, edu, health,
                                                                     steering, plan):
    task = assign(deadline=None, recurrence="quarterly", first_report_due=date(2026, 3, 31),
                  report_kind="causes_conditions")
    mine = UnitReport.objects.get(task=task, unit__code="P80-SO-GDDT")
    s.report_submit(actor=edu, report=mine, findings="Học sinh ngoại trú", measures="Kiểm tra",
                    results="Đã kiểm tra 35 nhà trọ")
    with time_machine.travel(at(2026, 4, 2, 9, 0), tick=False):
        page = login_verified(steering).get(f"/plans/{plan.pk}/consolidated/").content.decode()
    assert "Quý I/2026" in page and "Đã kiểm tra 35 nhà trọ" in page
    assert "Sở Y tế" in page and "chưa nộp" in page  # health never reported


def test_notifications_are_listed_and_marked_read(edu, task):
    client = login(edu)
    assert task.title in client.get("/plans/notifications/").content.decode()
    client.post("/plans/notifications/read/")
    assert not Notification.objects.filter(user=edu, read_at__isnull=True).exists()


def test_the_leader_records_a_plan_through_the_page(leader, unit):
    response = login_verified(leader).post("/plans/new/", {
        "number": "130/KH-UBND", "title": "Kế hoạch cao điểm tấn công trấn áp tội phạm",
        "issuing_unit": unit("P80-UBND").pk, "steering_unit": unit("P80-BCD138").pk,
        "issued_on": "2026-11-01", "period_start": "2026-11-15", "period_end": "2027-02-15"})
    plan = Plan.objects.get(number="130/KH-UBND")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"


def test_every_step_by_api(owner, edu, health, unit, media):
    owner_api, edu_api = api_client(owner), api_client(edu)
    plan = owner_api.post("/api/v1/plans/", {
        "number": "77/KH-UBND", "title": "Kế hoạch thử", "issuing_unit": "P80-UBND",
        "steering_unit": "P80-BCD138", "issued_on": "2026-01-02",
        "period_start": "2026-01-01", "period_end": "2026-12-31"}, format="json")
    assert plan.status_code == 201, plan.content
    created = owner_api.post("/api/v1/tasks/", {
        "plan": plan.json()["id"], "title": "Tuyên truyền", "content": "Trong trường học",
        "lead_unit": "P80-SO-GDDT", "coordinating_units": ["P80-SO-YTE"],
        "deadline": "2026-12-31", "target_code": "T1"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert edu_api.post(f"/api/v1/tasks/{pk}/start/", {}, format="json").json()["status"] == \
        "in_progress"
    progress = edu_api.post(f"/api/v1/tasks/{pk}/progress/", {
        "text": "Đã làm 50%", "percent": 50,
        "file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")}, format="multipart")
    assert progress.status_code == 201 and progress.json()["file_name"] == "a.pdf"
    contribution = api_client(health).post(f"/api/v1/tasks/{pk}/contribute/",
                                           {"text": "Phối hợp"}, format="json")
    assert contribution.status_code == 201
    assert edu_api.post(f"/api/v1/tasks/{pk}/submit/", {"text": "Xong"},
                        format="json").json()["status"] == "submitted"
    returned = owner_api.post(f"/api/v1/tasks/{pk}/return/", {"reason": "Bổ sung số liệu"},
                              format="json")
    assert returned.json()["return_reason"] == "Bổ sung số liệu"
    edu_api.post(f"/api/v1/tasks/{pk}/start/", {}, format="json")
    edu_api.post(f"/api/v1/tasks/{pk}/submit/", {"text": "Đã bổ sung"}, format="json")
    assert owner_api.post(f"/api/v1/tasks/{pk}/accept/", {},
                          format="json").json()["status"] == "accepted"
    history = edu_api.get(f"/api/v1/tasks/{pk}/history/").json()
    assert [e["action"] for e in history] == [
        "task.assign", "task.start", "task.report", "task.contribute", "task.submit",
        "task.return", "task.start", "task.submit", "task.accept"]
    assert len(edu_api.get(f"/api/v1/tasks/{pk}/updates/").json()) == 4
    wrong = owner_api.post(f"/api/v1/tasks/{pk}/cancel/", {"reason": "x"}, format="json")
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "invalid_transition"


def test_reports_by_api(assign, edu, steering):
    task = assign(deadline=None, recurrence="monthly", first_report_due=date(2026, 1, 31),
                  coordinating_units=[])
    api = api_client(edu)
    listing = api.get("/api/v1/reports/", {"task": task.pk}).json()
    assert listing["count"] == 1
    pk = listing["results"][0]["id"]
    assert api.post(f"/api/v1/reports/{pk}/submit/", {},
                    format="json").json()["error"]["details"] == {"summary": ["Bắt buộc."]}
    done = api.post(f"/api/v1/reports/{pk}/submit/", {"summary": "Đã tuyên truyền 20 buổi"},
                    format="json")
    assert done.json()["status"] == "submitted"
    back = api_client(steering).post(f"/api/v1/reports/{pk}/return/", {"reason": "Ghi rõ số"},
                                     format="json")
    assert back.json()["status"] == "returned"
    latest = api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"][0]
    assert latest["text"].startswith("Báo cáo") and "Ghi rõ số" in latest["text"]
    assert api.post("/api/v1/notifications/read/", {}, format="json").json()["marked"] >= 1


def test_schema_has_every_step_and_no_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_marking_read_never_redirects_off_site(edu):
    response = login(edu).post("/plans/notifications/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/plans/notifications/"


def test_a_plan_refusal_speaks_the_users_language(owner):
    """Domain errors of plans are written in English in the code and translated (issue 18)."""
    body = {"number": "9/KH", "title": "x", "issuing_unit": "P80-UBND", "issued_on": "2026-01-02",
            "period_start": "2026-12-31", "period_end": "2026-01-01"}
    vietnamese = api_client(owner).post("/api/v1/plans/", body, format="json").json()["error"]
    assert vietnamese["message"] == "Dữ liệu chưa hợp lệ."
    assert vietnamese["details"]["period_end"] == ["Ngày kết thúc phải sau ngày bắt đầu."]
    english_api = api_client(owner)
    english_api.cookies["django_language"] = "en"
    english = english_api.post("/api/v1/plans/", body, format="json").json()["error"]
    assert english["message"] == "The data are not valid yet."
    assert english["details"]["period_end"] == ["The end date must come after the start date."]


def test_a_recurring_task_without_its_first_due_date_says_so_as_before(plan, owner):
    """QA of issue 18: moving the message into gettext must not change the Vietnamese."""
    response = api_client(owner).post("/api/v1/tasks/", {
        "plan": plan.pk, "title": "QA", "content": "QA", "lead_unit": "P80-SO-GDDT",
        "recurrence": "monthly"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["details"]["first_report_due"] == [
        "Cần hạn báo cáo kỳ đầu tiên."]
