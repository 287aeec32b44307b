"""The accountability scorecard of Sở GDĐT and its heads, counted by hand.

Today is 01/06/2026. Tasks led by Sở GDĐT (deadline → what happened):
  A 31/03 reported done 25/03, accepted        → on time (Q1)
  B 31/03 reported done 05/04                  → late (Q1)
  C 15/05 still in progress                    → overdue (Q2)
  D 30/09 in progress                          → not yet due, not counted
  E 20/02 cancelled                            → not counted
Monthly report on causes and conditions, first due 31/01:
  Jan (31/01) submitted 30/01 → on time · Feb (28/02) submitted 03/03 → late
  Mar (31/03) submitted 31/03 → on time · Apr (30/04), May (31/05) never → missing
  Jun (30/06) open, not yet due → not counted
Year 2026: tasks 1 on time, 1 late, 1 overdue; reports 2 on time, 1 late, 2 missing;
on time overall 3/8 = 37.5%. Q1: 3/5 = 60%. Q2: 0/3 = 0%.
Heads: Giám đốc cũ until 28/02 (valid_to 01/03): reports Jan on time, Feb late → 50%;
the current head from 01/03: tasks A, B, C; reports Mar, Apr, May → 2/6 = 33.3%.
"""

from datetime import date

import pytest
import time_machine

from pctp.plans import services as s
from pctp.plans.indicators import measure_records, scorecard_history, unit_scorecard
from pctp.plans.models import UnitReport
from pctp.units.models import Membership
from pctp.units.services import membership_end, membership_grant
from tests.personas import api_client, login
from tests.plans.conftest import at

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def on(day, fn, **kwargs):
    with time_machine.travel(at(day.year, day.month, day.day, 10, 0), tick=False):
        return fn(**kwargs)


@pytest.fixture
def record(assign, edu, owner, unit):
    t = {}
    for name, deadline in [("A", date(2026, 3, 31)), ("B", date(2026, 3, 31)),
                           ("C", date(2026, 5, 15)), ("D", date(2026, 9, 30)),
                           ("E", date(2026, 2, 20))]:
        t[name] = assign(title=f"Nhiệm vụ {name}", deadline=deadline, coordinating_units=[])
    on(date(2026, 3, 25), s.task_submit, actor=edu, task=t["A"], text="Xong")
    on(date(2026, 3, 26), s.task_accept, actor=owner, task=t["A"])
    on(date(2026, 4, 5), s.task_submit, actor=edu, task=t["B"], text="Xong muộn")
    on(date(2026, 3, 1), s.task_start, actor=edu, task=t["C"])
    on(date(2026, 3, 1), s.task_start, actor=edu, task=t["D"])
    s.task_cancel(actor=owner, task=t["E"], reason="Không còn phù hợp")
    monthly = assign(title="Rà soát nguyên nhân, điều kiện", deadline=None, recurrence="monthly",
                     first_report_due=date(2026, 1, 31), report_kind="causes_conditions",
                     coordinating_units=[])
    s.reports_open_due(today=TODAY)
    reports = {r.due_date.month: r for r in UnitReport.objects.filter(task=monthly)}
    for month, day in [(1, date(2026, 1, 30)), (2, date(2026, 3, 3)), (3, date(2026, 3, 31))]:
        on(day, s.report_submit, actor=edu, report=reports[month], findings="Phát hiện",
           measures="Biện pháp", results="Kết quả")
    return {"tasks": t, "reports": reports, "unit": unit("P80-SO-GDDT")}


def counts(card):
    return (card.tasks_on_time, card.tasks_late, card.tasks_overdue,
            card.reports_on_time, card.reports_late, card.reports_overdue)


def test_the_year_counts_every_task_and_report_as_counted_by_hand(record):
    card = unit_scorecard(unit=record["unit"], start=date(2026, 1, 1), end=date(2026, 12, 31),
                          today=TODAY)
    assert counts(card) == (1, 1, 1, 2, 1, 2)
    assert (card.tasks_on_time_rate, card.reports_on_time_rate, card.on_time_rate) == (
        33.3, 40.0, 37.5)


def test_quarter_by_quarter_history(record):
    history = scorecard_history(unit=record["unit"], grain="quarter", start=date(2026, 1, 1),
                                end=date(2026, 12, 31), today=TODAY)
    assert [key for key, _c in history] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [counts(c) for _k, c in history] == [(1, 1, 0, 2, 1, 0), (0, 0, 1, 0, 0, 2),
                                                (0, 0, 0, 0, 0, 0), (0, 0, 0, 0, 0, 0)]
    assert [c.on_time_rate for _k, c in history] == [60.0, 0.0, None, None]


def test_a_late_report_is_the_record_behind_the_figure(record):
    late = measure_records("reports_late", unit=record["unit"], start=date(2026, 1, 1),
                           end=date(2026, 12, 31), today=TODAY)
    assert list(late) == [record["reports"][2]]
    missing = measure_records("reports_overdue", unit=record["unit"], start=date(2026, 1, 1),
                              end=date(2026, 12, 31), today=TODAY)
    assert [r.due_date for r in missing] == [date(2026, 4, 30), date(2026, 5, 31)]
    overdue = measure_records("tasks_overdue", unit=record["unit"], start=date(2026, 1, 1),
                              end=date(2026, 12, 31), today=TODAY)
    assert [t.title for t in overdue] == ["Nhiệm vụ C"]


def test_each_head_answers_for_their_own_tenure(record, make_user):
    old = make_user("unit_leader", record["unit"], is_head=True, name="Giám đốc cũ")
    membership_end(membership=Membership.objects.get(user=old), on=date(2026, 3, 1))
    new = make_user("department_officer", "P80-SO-TC", name="Giám đốc mới")
    membership_grant(user=new, unit=record["unit"], role_code="unit_leader", is_head=True,
                     valid_from=date(2026, 3, 1))
    from pctp.plans.indicators import head_tenure

    year = (date(2026, 1, 1), date(2026, 12, 31))
    old_span = head_tenure(Membership.objects.get(user=old), *year)
    new_span = head_tenure(Membership.objects.get(user=new, unit=record["unit"]), *year)
    assert old_span == (date(2026, 1, 1), date(2026, 2, 28))
    assert new_span == (date(2026, 3, 1), date(2026, 12, 31))
    old_card = unit_scorecard(unit=record["unit"], start=old_span[0], end=old_span[1],
                              today=TODAY)
    new_card = unit_scorecard(unit=record["unit"], start=new_span[0], end=new_span[1],
                              today=TODAY)
    assert counts(old_card) == (0, 0, 0, 1, 1, 0) and old_card.on_time_rate == 50.0
    assert counts(new_card) == (1, 1, 1, 1, 0, 2) and new_card.on_time_rate == 33.3


def test_the_scorecard_page_shows_the_late_report_and_links_to_it(record, leader, edu):
    with time_machine.travel(at(2026, 6, 1, 9, 0), tick=False):
        from tests.personas import login_verified

        client = login_verified(leader)
        page = client.get("/plans/scorecards/?period=2026").content.decode()
        unit = record["unit"]
        link = f"/plans/scorecards/{unit.pk}/reports_late/?from=2026-01-01&amp;to=2026-12-31"
        assert unit.name in page and link in page and "37,5%" in page
        records = client.get(link.replace("&amp;", "&")).content.decode()
        assert "Rà soát nguyên nhân, điều kiện" in records and "Tháng 2/2026" in records
        own = login(edu).get(f"/plans/scorecards/{unit.pk}/?period=2026&grain=month")
        assert own.status_code == 200 and "Tháng 2/2026" in own.content.decode()


def test_the_scorecard_api_gives_the_same_figures(record, edu):
    with time_machine.travel(at(2026, 6, 1, 9, 0), tick=False):
        api = api_client(edu)
        rows = api.get("/api/v1/scorecards/", {"period": "2026"}).json()
        assert [(r["unit"], r["reports_late"], r["on_time_rate"]) for r in rows] == [
            ("P80-SO-GDDT", 1, 37.5)]
        history = api.get(f"/api/v1/scorecards/{record['unit'].pk}/",
                          {"period": "2026", "grain": "quarter"}).json()
        assert [h["period"] for h in history] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4",
                                                  "total"]
        assert history[0]["scorecard"]["on_time_rate"] == 60.0
