"""The red-flag rules on records counted by hand, their sweep, the review and who sees
them (issue 21)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pctp.cases.models import Accused, Case
from pctp.core.errors import PermissionRefused
from pctp.core.models import AuditEvent
from pctp.law.models import Offence
from pctp.quality import services as s
from pctp.quality.models import Flag
from pctp.sources.models import Source
from tests.personas import api_client, login_verified

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 11, 20)


@pytest.fixture
def world(communes, make_user):
    from pctp.units.models import Unit

    body = Unit.objects.get(code="P80-CA-CSDT")
    vks = Unit.objects.get(kind="regional_procuracy", communes=communes["a"])
    officers = {k: make_user("investigator", body, name=f"Điều tra viên {k}") for k in "ABC"}
    n = iter(range(1, 1000))

    def declined(officer, ground, day):
        at = datetime(day.year, day.month, day.day, 9, tzinfo=VN)
        return Source.objects.create(
            unit=body, holder=body, procuracy=vks, register_year=day.year,
            register_number=next(n), kind="crime_report", channel="in_person", received_at=at,
            holder_received_at=at, summary="Nguồn tin", content="x", reporter_type="person",
            clock_start=day, due_date=day, commune=communes["a"], status="declined",
            outcome="decline", decline_ground=ground, decided_at=at + timedelta(days=5),
            assignee=officers[officer])

    # A: 6 declines, all "not a crime" (flag). B: 10 declines, 1 "not a crime". C: 3 of 5
    # "no crime" (under the minimum of 5: no flag).
    for i in range(6):
        declined("A", "not_a_crime", date(2026, 3, 1) + timedelta(days=i))
    for i in range(10):
        declined("B", "not_a_crime" if i == 0 else "time_barred", date(2026, 4, 1)
                 + timedelta(days=i))
    for i in range(5):
        declined("C", "no_crime" if i < 3 else "amnesty", date(2026, 5, 1) + timedelta(days=i))
    theft = Offence.objects.get(article="173")

    def case(unit, status, since, **kw):
        return Case.objects.create(
            investigation_body=unit, procuracy=vks, register_year=2026, register_number=next(n),
            origin="direct", decision_number="1/QĐ", initiated_on=date(2026, 1, 5),
            summary="Vụ", occurred_on=date(2026, 1, 1), commune=communes["a"],
            lead_offence=theft, severity="serious", crime_group="social_order",
            status=status, status_since=since, **kw)

    # Suspensions in the 90 days before 20/11: CSĐT 6 of 10 (flag), commune A's police 1 of
    # 10, commune B's police 0 of 10: the median share is 10%, CSĐT's 60% > 2 x 10%.
    for unit, suspended in ((body, 6), (communes["police_a"], 1), (communes["police_b"], 0)):
        for i in range(10):
            case(unit, "suspended" if i < suspended else "investigating",
                 date(2026, 10, 1) if i < suspended else date(2026, 1, 5),
                 suspend_ground="offender_unknown" if i < suspended else "")
    # The same person in two cases, both terminated (flag); another in two, one going on.
    clerk = officers["A"]
    for index, statuses in (("pid:same", ("terminated", "terminated")),
                            ("pid:other", ("terminated", "investigating"))):
        for st in statuses:
            c = case(body, st, date(2026, 6, 1), closed_on=date(2026, 6, 1)
                     if st == "terminated" else None,
                     terminate_ground="not_a_crime" if st == "terminated" else "")
            Accused.objects.create(case=c, position=1, person_index=index, sex="male",
                                   charged_on=date(2026, 1, 6), created_by=clerk)
    # Repeated reports (issue 21): reporter "rep:x" three times in 2026, two declined (flag);
    # "rep:y" three times, one declined (no flag); the same place written three ways, two
    # anonymous reports there declined (flag); another place three times, none declined.
    def reported(day, status, index="", address="", rtype="person"):
        at = datetime(day.year, day.month, day.day, 9, tzinfo=VN)
        return Source.objects.create(
            unit=body, holder=body, procuracy=vks, register_year=day.year,
            register_number=next(n), kind="denunciation", channel="in_person", received_at=at,
            holder_received_at=at, summary="Tố giác", content="x", reporter_type=rtype,
            reporter_index=index, address=address, clock_start=day, due_date=day,
            commune=communes["a"], status=status,
            outcome="decline" if status == "declined" else "",
            decline_ground="not_a_crime" if status == "declined" else "",
            decided_at=at + timedelta(days=10) if status == "declined" else None)

    for index, statuses in (("rep:x", ("declined", "declined", "verifying")),
                            ("rep:y", ("declined", "verifying", "verifying"))):
        for i, st in enumerate(statuses):
            reported(date(2026, 2, 1) + timedelta(days=30 * i), st, index=index)
    for i, (address, st) in enumerate((("25/4 Đường 30 Tháng 4", "declined"),
                                       (" 25/4 đường 30 tháng 4 ", "declined"),
                                       ("25/4 ĐƯỜNG 30 THÁNG 4", "verifying"))):
        reported(date(2026, 7, 1) + timedelta(days=10 * i), st, address=address,
                 rtype="anonymous")
    for i in range(3):
        reported(date(2026, 7, 1) + timedelta(days=i), "verifying", address="12 Bến xe mới")
    for i in range(3):  # a market names no house: no place, however often declined
        reported(date(2026, 8, 1) + timedelta(days=i), "declined", address="Chợ đêm ấp 3")
    # A loss with nothing seized: corruption, 500 million, sent to the procuracy 01/06/2026
    # (flag); the same with a seizure entered, and an economic one of 50 million (neither).
    from pctp.cases.models import Recovery, Referral

    for value, group, seized in ((500_000_000, "corruption", False),
                                 (500_000_000, "corruption", True),
                                 (50_000_000, "economic", False)):
        c = case(body, "sent_to_procuracy", date(2026, 6, 1), value_lost=value)
        Case.objects.filter(pk=c.pk).update(crime_group=group)
        Referral.objects.create(case=c, kind="conclusion", from_unit=body, to_unit=vks,
                                document_number="KL", sent_on=date(2026, 6, 1),
                                sent_by=officers["A"])
        if seized:
            Recovery.objects.create(case=c, kind="seized", amount=100_000_000,
                                    on=date(2026, 4, 1), stage="investigating",
                                    description="Ô tô", recorded_by=officers["A"])
    # Closed after the investigator changed: terminated 20/06, 15 days after A was replaced
    # by B (flag); terminated 20/08, 76 days after (no); terminated 10/06 five days after a
    # first assignment, which replaced no one (no).
    from pctp.core.audit import audit_record

    for closed, assigned, before in ((date(2026, 6, 20), date(2026, 6, 5), officers["A"].pk),
                                     (date(2026, 8, 20), date(2026, 6, 5), officers["A"].pk),
                                     (date(2026, 6, 10), date(2026, 6, 5), None)):
        c = case(body, "terminated", closed, closed_on=closed, terminate_ground="no_crime",
                 investigator=officers["B"])
        with time_machine.travel(datetime(assigned.year, assigned.month, assigned.day, 9,
                                          tzinfo=VN), tick=False):
            audit_record(actor=officers["C"], action="case.assign", obj=c,
                         changes={"investigator": [before, officers["B"].pk]})
    return {"body": body, "vks": vks, "officers": officers}


@time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=VN), tick=False)
def test_each_rule_fires_on_what_should_and_not_on_the_controls(world):
    result = s.flags_sweep(today=TODAY)
    assert {k: v["new"] for k, v in result.items()} == {
        "declined_no_crime": 1, "same_person_terminated": 1, "repeated_suspensions": 1,
        "repeat_reports": 2, "loss_without_recovery": 1, "closed_after_reassignment": 1}
    repeats = Flag.objects.filter(rule="repeat_reports").order_by("subject")
    assert [(f.subject, len(f.evidence), f.facts) for f in repeats] == [
        ("place", 3, {"reports": 3, "declined": 2}),
        ("reporter", 3, {"reports": 3, "declined": 2})]
    assert "25/4" not in str(repeats[0].key)  # the key holds no address
    loss = Flag.objects.get(rule="loss_without_recovery")
    assert loss.facts == {"value_lost": 500_000_000}
    moved = Flag.objects.get(rule="closed_after_reassignment")
    assert moved.facts == {"days_after_reassignment": 15, "closed_as": "terminated"}
    declined = Flag.objects.get(rule="declined_no_crime")
    assert declined.subject == f"user:{world['officers']['A'].pk}"
    assert len(declined.evidence) == 6 and declined.facts["share"] == 100.0
    assert Flag.objects.get(rule="repeated_suspensions").unit == world["body"]
    assert len(Flag.objects.get(rule="same_person_terminated").evidence) == 2
    # Run again: nothing new; a closed flag is not raised again either.
    assert all(v["new"] == 0 for v in s.flags_sweep(today=TODAY).values())
    assert AuditEvent.objects.filter(action="flag.raise").count() == 7


@time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=VN), tick=False)
def test_the_review_and_who_sees_it(world, make_user):
    s.flags_sweep(today=TODAY)
    flag = Flag.objects.get(rule="declined_no_crime")
    procurator = make_user("procurator", world["vks"], name="Kiểm sát viên")
    auditor = make_user("auditor", "P80-SO-TP")
    leader = make_user("provincial_leader", "P80-UBND")
    judge = make_user("court_officer", "P80-TAND")
    assert flag in s.flag_scope(procurator) and flag in s.flag_scope(auditor)
    assert not s.flag_scope(leader).exists() and not s.flag_scope(judge).exists()
    with pytest.raises(PermissionRefused):
        s.flag_note(actor=leader, flag=flag, text="x")
    s.flag_assign(actor=auditor, flag=flag, reviewer=procurator)
    s.flag_note(actor=procurator, flag=flag, text="Đã đối chiếu 6 hồ sơ.")
    s.flag_close(actor=procurator, flag=flag, outcome="referred",
                 conclusion="Chuyển Thanh tra xem xét.")
    flag.refresh_from_db()
    assert (flag.status, flag.assigned_to, flag.closed_by) == ("referred", procurator, procurator)
    assert list(AuditEvent.objects.filter(object_type="quality.flag", object_id=str(flag.pk))
                .order_by("pk").values_list("action", flat=True)) == [
        "flag.raise", "flag.assign", "flag.note", "flag.close"]
    client = login_verified(procurator)
    page = client.get(f"/quality/flags/{flag.pk}/").content.decode()
    assert "Điều tra viên A" in page and "Chuyển Thanh tra xem xét." in page
    assert login_verified(leader).get("/quality/flags/").status_code == 403
    assert api_client(leader).get("/api/v1/flags/").status_code == 403
    api = api_client(procurator).get("/api/v1/flags/").json()
    assert {f["rule"] for f in api["flags"]} >= {"declined_no_crime"}
    assert api_client(judge).get(f"/api/v1/flags/{flag.pk}/").status_code == 403


@time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=VN), tick=False)
def test_an_officer_alone_in_a_unit_is_no_comparison(communes, make_user):
    """The demo's natural records raised one such flag: an investigator whose unit's other
    officers declined nothing. With no one to compare with, no flag."""
    from pctp.sources import flags

    unit = communes["police_b"]
    alone = make_user("investigator", unit)
    for i in range(6):
        at = datetime(2026, 3, 1 + i, 9, tzinfo=VN)
        Source.objects.create(
            unit=unit, holder=unit, register_year=2026, register_number=500 + i,
            kind="crime_report", channel="in_person", received_at=at, holder_received_at=at,
            summary="x", content="x", reporter_type="person", clock_start=at.date(),
            due_date=at.date(), status="declined", outcome="decline",
            decline_ground="not_a_crime", decided_at=at, assignee=alone)
    assert flags.declined_as_no_crime_by_one_officer(date(2026, 1, 1), TODAY) == []


def test_qa_flags_are_raised_once_whatever_day_the_sweep_runs(world):
    """QA finding: the key held the moving window, so the same pattern was raised again
    every day (and a closed flag came back)."""
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=VN), tick=False):
        s.flags_sweep(today=TODAY)
    first = Flag.objects.count()
    Flag.objects.filter(rule="declined_no_crime").update(status="justified")
    with time_machine.travel(datetime(2026, 11, 21, 9, tzinfo=VN), tick=False):
        again = s.flags_sweep(today=TODAY + timedelta(days=1))
    assert all(v["new"] == 0 for v in again.values()) and Flag.objects.count() == first


@time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=VN), tick=False)
def test_qa_the_review_refuses_what_it_should_and_links_only_what_opens(world, make_user):
    from pctp.core.errors import DomainError
    from pctp.core.models import User

    s.flags_sweep(today=TODAY)
    flag = Flag.objects.get(rule="declined_no_crime")
    auditor = make_user("auditor", "P80-SO-TP")
    admin = User.objects.create_superuser("flags.admin", password="x" * 12)
    assert not s.may_review(admin) and not s.flag_scope(admin).exists()
    client = login_verified(auditor)
    page = client.get(f"/quality/flags/{flag.pk}/").content.decode()
    assert "/sources/" not in page  # the auditor cannot open a source: no dead links
    assert client.post(f"/quality/flags/{flag.pk}/assign/",
                       {"reviewer": "abc"}).status_code == 302  # refused, not a 500
    with pytest.raises(DomainError):
        s.flag_close(actor=auditor, flag=flag, outcome="justified", conclusion="x" * 5001)
    s.flag_close(actor=auditor, flag=flag, outcome="justified", conclusion="Đúng quy định.")
    with pytest.raises(DomainError):
        s.flag_note(actor=auditor, flag=flag, text="sau khi đóng")
