"""Who sees and does what: a department sees the tasks it leads and, read-only plus its
contribution, those it coordinates; the plan's owners see everything; anyone else gets 404
for records outside their scope and 403 for verbs their role lacks."""

from datetime import date

import pytest

from pctp.core.errors import PermissionRefused
from pctp.plans import services as s
from pctp.plans.models import UnitReport
from pctp.plans.selectors import task_list
from tests.personas import api_client, login, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def culture_task(assign, unit):
    return assign(title="Kiểm tra cơ sở karaoke, quán bar", lead_unit=unit("P80-SO-VHTTDL"),
                  coordinating_units=[], target_code="T1")


def codes(user):
    return sorted(t.title for t in task_list(user=user))


def test_a_department_sees_what_it_leads_and_coordinates_only(task, culture_task, edu, health,
                                                              culture):
    assert codes(edu) == [task.title]
    assert codes(health) == [task.title]          # coordinates it
    assert codes(culture) == [culture_task.title]


def test_plan_owners_see_every_task_of_their_plan(task, culture_task, owner, steering, leader):
    for person in (owner, steering, leader):
        assert len(codes(person)) == 2, person
        assert api_client(person).get("/api/v1/tasks/").json()["count"] == 2


def test_another_department_gets_404_by_page_and_api(task, culture):
    client, api = login(culture), api_client(culture)
    assert client.get(f"/plans/tasks/{task.pk}/").status_code == 404
    assert client.post(f"/plans/tasks/{task.pk}/report/",
                       {"text": "x", "percent": 10}).status_code == 404
    assert api.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    assert api.post(f"/api/v1/tasks/{task.pk}/submit/", {"text": "x"},
                    format="json").status_code == 404
    assert api.get("/api/v1/tasks/").json()["count"] == 0


def test_a_coordinating_unit_reads_and_contributes_but_cannot_report_for_the_lead(task, health):
    client = login(health)
    page = client.get(f"/plans/tasks/{task.pk}/")
    assert page.status_code == 200 and task.title in page.content.decode()
    assert client.post(f"/plans/tasks/{task.pk}/contribute/",
                       {"text": "Cử bác sĩ"}).status_code == 302
    assert client.post(f"/plans/tasks/{task.pk}/report/",
                       {"text": "x", "percent": 50}).status_code == 403
    assert client.post(f"/plans/tasks/{task.pk}/submit/", {"text": "x"}).status_code == 403
    api = api_client(health)
    assert api.post(f"/api/v1/tasks/{task.pk}/progress/", {"text": "x", "percent": 5},
                    format="json").status_code == 403
    assert api.post(f"/api/v1/tasks/{task.pk}/start/", {}, format="json").status_code == 403
    assert task.updates.count() == 1


def test_the_lead_unit_cannot_accept_its_own_work(task, edu, edu_head):
    s.task_submit(actor=edu, task=task, text="Đã xong")
    with pytest.raises(PermissionRefused):
        s.task_accept(actor=edu_head, task=task)
    assert login(edu).post(f"/plans/tasks/{task.pk}/accept/", {}).status_code == 403
    assert api_client(edu_head).post(f"/api/v1/tasks/{task.pk}/accept/", {},
                                     format="json").status_code == 403


def test_a_department_head_cannot_assign_in_the_provinces_plan(task, plan, edu_head, unit):
    with pytest.raises(PermissionRefused):
        s.task_assign(actor=edu_head, plan=plan, title="x", content="y",
                      lead_unit=unit("P80-SO-GDDT"), deadline=date(2026, 5, 1))
    response = api_client(edu_head).post("/api/v1/tasks/", {
        "plan": plan.pk, "title": "x", "content": "y", "lead_unit": "P80-SO-GDDT",
        "deadline": "2026-05-01"}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_assigning_needs_the_verb_and_ownership(task, plan, edu, edu_head):
    assert login(edu).get(f"/plans/{plan.pk}/tasks/new/").status_code == 403  # no verb
    assert login_verified(edu_head).get(f"/plans/{plan.pk}/tasks/new/").status_code == 403
    response = api_client(edu).post("/api/v1/tasks/", {
        "plan": plan.pk, "title": "x", "content": "y", "lead_unit": "P80-SO-GDDT",
        "deadline": "2026-05-01"}, format="json")
    assert response.status_code == 403


def test_recording_a_plan_needs_manage_plan(edu, unit):
    assert login(edu).get("/plans/new/").status_code == 403
    response = api_client(edu).post("/api/v1/plans/", {
        "number": "1/KH-SGDĐT", "title": "x", "issuing_unit": "P80-SO-GDDT",
        "issued_on": "2026-01-01", "period_start": "2026-01-01", "period_end": "2026-12-31"},
        format="json")
    assert response.status_code == 403


def test_a_unit_leader_records_a_plan_only_for_their_own_unit(edu_head, unit):
    with pytest.raises(PermissionRefused):
        s.plan_create(actor=edu_head, number="2/KH", title="x", issuing_unit=unit("P80-UBND"),
                      issued_on=date(2026, 1, 1), period_start=date(2026, 1, 1),
                      period_end=date(2026, 12, 31))
    own = s.plan_create(actor=edu_head, number="3/KH-SGDĐT", title="Kế hoạch của Sở",
                        issuing_unit=unit("P80-SO-GDDT"), issued_on=date(2026, 1, 1),
                        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    assert own.status == "in_force"


def test_a_role_without_view_task_is_refused_403(task, investigator):
    assert login(investigator).get("/plans/").status_code == 403
    assert login(investigator).get(f"/plans/tasks/{task.pk}/").status_code == 403
    assert api_client(investigator).get("/api/v1/tasks/").status_code == 403
    assert api_client(investigator).get("/api/v1/scorecards/").status_code == 403


def test_another_departments_report_is_404(assign, culture, health):
    task = assign(deadline=None, recurrence="monthly", first_report_due=date(2026, 1, 31),
                  coordinating_units=[])
    report = UnitReport.objects.get(task=task)
    assert login(culture).get(f"/plans/reports/{report.pk}/").status_code == 404
    assert api_client(health).get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert login(culture).post(f"/plans/reports/{report.pk}/submit/",
                               {"summary": "x"}).status_code == 404


def test_the_board_shows_a_department_only_its_own_tasks(task, culture_task, culture, unit,
                                                         make_user, plan):
    page = login(culture).get(f"/plans/{plan.pk}/").content.decode()
    assert culture_task.title in page and task.title not in page
    finance = make_user("department_officer", "P80-SO-TC")
    assert login(finance).get(f"/plans/{plan.pk}/").status_code == 404


def test_only_owners_see_the_consolidated_view(task, plan, edu, steering):
    assert login(edu).get(f"/plans/{plan.pk}/consolidated/").status_code == 403
    assert login_verified(steering).get(f"/plans/{plan.pk}/consolidated/").status_code == 200


def test_a_department_sees_its_own_scorecard_not_anothers(task, edu, unit):
    assert login(edu).get(f"/plans/scorecards/{unit('P80-SO-GDDT').pk}/").status_code == 200
    assert login(edu).get(f"/plans/scorecards/{unit('P80-SO-YTE').pk}/").status_code == 404
    assert login(edu).get(
        f"/plans/scorecards/{unit('P80-SO-YTE').pk}/tasks_late/").status_code == 404
    assert api_client(edu).get(f"/api/v1/scorecards/{unit('P80-SO-YTE').pk}/").status_code == 404


def test_only_the_issuer_closes_a_plan(task, plan, edu_head, owner):
    with pytest.raises(PermissionRefused):
        s.plan_close(actor=edu_head, plan=plan)
    assert api_client(edu_head).post(f"/api/v1/plans/{plan.pk}/close/", {},
                                     format="json").status_code == 403
    assert api_client(owner).post(f"/api/v1/plans/{plan.pk}/close/", {},
                                  format="json").json()["status"] == "closed"
