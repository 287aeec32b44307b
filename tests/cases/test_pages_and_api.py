"""Criminal cases through the pages and the API, per persona."""

import re
from datetime import date

import pytest
import time_machine

from pctp.cases import services as s
from pctp.cases.models import Case
from pctp.core.models import AccessLog
from tests.cases.conftest import at
from tests.personas import api_client, login, login_verified

pytestmark = pytest.mark.django_db

NOW = at(2026, 8, 1, 9, 0)


@pytest.fixture
def case_at_court(initiate, add_accused, investigator, procurator, judge):
    with time_machine.travel(NOW, tick=False):
        case = initiate()
        accused = add_accused(case)
        s.measure_order(actor=investigator, accused=accused, kind="custody", order_number="1/TG",
                        start_on=date(2026, 3, 2))
        s.case_conclude(actor=investigator, case=case, document_number="1/KL", on=date(2026, 5, 20))
        s.case_receive(actor=procurator, case=case, on=date(2026, 5, 21))
        s.case_indict(actor=procurator, case=case, document_number="1/CT", on=date(2026, 6, 1))
        s.case_accept(actor=judge, case=case, on=date(2026, 6, 2))
    return case


@time_machine.travel(NOW, tick=False)
def test_the_case_page_shows_stages_clocks_and_identity_and_logs_the_view(
        case_at_court, investigator):
    before = AccessLog.objects.count()
    page = login(investigator).get(f"/cases/{case_at_court.pk}/").content.decode()
    assert case_at_court.register_code in page and "Nguyễn Văn Bình" in page
    assert "Thời hạn chuẩn bị xét xử sơ thẩm" in page  # the running court clock
    assert "17/07/2026" in page  # 02/06 + 45 days
    assert "Tạm giữ" in page  # the custody, still held (and far past its limit)
    assert AccessLog.objects.count() == before + 1


@time_machine.travel(NOW, tick=False)
def test_the_court_queue_lists_the_case_and_the_court_acts_from_its_page(
        case_at_court, judge):
    client = login(judge)
    queue = client.get("/cases/?queue=court").content.decode()
    assert case_at_court.register_code in queue
    response = client.post(f"/cases/{case_at_court.pk}/commit_to_trial/", {
        "decision_number": "5/QĐXX", "trial_on": "2026-08-10", "on": "2026-07-31"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case_at_court.pk).status == "committed"


@time_machine.travel(NOW, tick=False)
def test_a_judgment_before_the_trial_opened_is_refused_on_the_page(case_at_court, judge):
    response = login(judge).post(f"/cases/{case_at_court.pk}/judgment/", {
        "judgment_number": "1/HS-ST", "summary": "x"})
    assert response.status_code == 409
    assert "mở phiên tòa" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_another_court_cannot_see_the_case_by_page_or_api(case_at_court, other_judge):
    assert login(other_judge).get(f"/cases/{case_at_court.pk}/").status_code == 404
    api = api_client(other_judge)
    assert api.get(f"/api/v1/cases/{case_at_court.pk}/").status_code == 404
    assert api.get("/api/v1/cases/").json()["count"] == 0
    assert api.post(f"/api/v1/cases/{case_at_court.pk}/accept/", {}, format="json"
                    ).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_a_court_officer_cannot_act_at_the_investigation_stage_by_api(
        initiate, add_accused, judge):
    case = initiate()
    add_accused(case)
    response = api_client(judge).post(f"/api/v1/cases/{case.pk}/conclude/",
                                      {"document_number": "1"}, format="json")
    assert response.status_code == 404  # not visible to the court before it is indicted


@time_machine.travel(NOW, tick=False)
def test_the_api_walks_a_case_and_refuses_an_unlawful_step_with_409(
        investigator, procurator, body, communes):
    api = api_client(investigator)
    response = api.post("/api/v1/cases/", {
        "investigation_body": body.code, "origin": "in_flagrante", "decision_number": "7/QĐ",
        "summary": "Cướp giật điện thoại", "charges": [{"article": "171", "clause": 1}],
        "initiated_on": "2026-07-01", "commune": communes["a"].code}, format="json")
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["status"] == "investigating" and case["detected_on"] == "2026-07-01"
    assert case["detection_method"] == "caught_in_act"
    response = api.post(f"/api/v1/cases/{case['id']}/accused/", {
        "name": "Trần Văn Cường", "sex": "male", "personal_id": "072095004321",
        "charges": [{"article": "171", "clause": 1}], "charged_on": "2026-07-01"}, format="json")
    assert response.status_code == 201
    assert "Cường" not in response.content.decode()  # identity only at /identities/
    identities = api.get(f"/api/v1/cases/{case['id']}/identities/").json()
    assert identities[0]["name"] == "Trần Văn Cường"
    response = api_client(procurator).post(f"/api/v1/cases/{case['id']}/indict/",
                                           {"document_number": "1/CT"}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition" and error["details"]["state"] == "investigating"
    response = api.post(f"/api/v1/cases/{case['id']}/conclude/",
                        {"document_number": "3/KL", "on": "2026-07-20"}, format="json")
    assert response.json()["status"] == "sent_to_procuracy"
    assert response.json()["referrals"][0]["received_on"] is None


@time_machine.travel(NOW, tick=False)
def test_bad_input_by_api_names_the_field(initiate, investigator):
    case = initiate()
    api = api_client(investigator)
    response = api.post(f"/api/v1/cases/{case.pk}/recoveries/", {
        "kind": "seized", "amount": -5, "on": "2026-04-01", "description": "Nhà"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "negative_amount"
    response = api.post(f"/api/v1/cases/{case.pk}/accused/", {
        "name": "A", "sex": "male", "charges": [{"article": "173", "clause": 9}]}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_clause"


@time_machine.travel(NOW, tick=False)
def test_the_detention_register_by_page_and_api(case_at_court, judge, investigator):
    page = login(judge).get("/cases/detention/").content.decode()
    assert "Nguyễn Văn Bình" in page and "Quá hạn" in page
    rows = api_client(investigator).get("/api/v1/cases/measures/").json()["results"]
    assert [(r["kind"], r["due_date"], r["alert"]) for r in rows] == [
        ("custody", "2026-03-04", "critical")]  # from 02/03, day 1: 3 days end on 04/03
    measure = rows[0]["id"]
    response = api_client(investigator).post(f"/api/v1/cases/measures/{measure}/release/",
                                             {"released_on": "2026-03-01"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "release_before_start"


@time_machine.travel(NOW, tick=False)
def test_an_initiated_source_links_to_its_case_and_the_investigator_opens_it(
        investigator, head, body, communes):
    from pctp.sources import services as src

    intake = head
    source = src.source_receive(actor=intake, unit=body, kind="denunciation", channel="in_person",
                                summary="Mất trộm xe máy", content="Bị mất xe máy.",
                                commune=communes["a"],
                                reporter=src.Reporter(type="person", name="Nguyễn Văn An"))
    src.source_classify(actor=intake, source=source, article="173", clause=1)
    src.source_assign(actor=head, source=source, investigator=investigator)
    src.source_initiate(actor=investigator, source=source, decision_number="15/QĐ-CSĐT")
    # The decision to initiate opened the case in the same step (issue 15: every initiation
    # has its case, so its investigation clock runs).
    case = Case.objects.get(source=source)
    assert (case.origin, case.investigator, case.initiated_on, case.decision_number) == (
        "source", investigator, date(2026, 8, 1), "15/QĐ-CSĐT")
    assert case.due_date == date(2026, 10, 1)  # less serious: 2 months from 01/08/2026
    client = login(investigator)
    response = client.get(f"/cases/from-source/{source.pk}/")
    assert response["Location"] == f"/cases/{case.pk}/"
    page = client.get(f"/sources/{source.pk}/").content.decode()
    assert f"/cases/{case.pk}/" in page and "Vụ án hình sự đã được mở" in page


@time_machine.travel(NOW, tick=False)
def test_a_source_not_yet_initiated_cannot_open_a_case(investigator, head, body, communes):
    from pctp.core.errors import InvalidTransition
    from pctp.sources import services as src

    source = src.source_receive(actor=head, unit=body, kind="denunciation", channel="phone",
                                summary="x", content="y",
                                reporter=src.Reporter(type="anonymous"))
    with pytest.raises(InvalidTransition) as err:
        s.case_initiate_from_source(actor=investigator, source=source)
    assert err.value.code == "source_not_initiated"


@time_machine.travel(NOW, tick=False)
def test_queues_per_agency(case_at_court, initiate, investigator, procurator, judge):
    initiate()
    assert login(investigator).get("/cases/").status_code == 200
    mine = login(investigator).get("/cases/?queue=mine").content.decode()
    assert "Được giao cho tôi" in mine
    assert case_at_court.register_code in login(procurator).get("/cases/?queue=all").content.decode()
    assert login(judge).get("/cases/groups/").status_code == 200
    assert login(judge).get("/cases/groups/proposals/").status_code == 403


@time_machine.travel(NOW, tick=False)
def test_the_register_computes_each_limit_again_and_never_trusts_a_later_stored_one(
        case_at_court, judge, investigator):
    """Issue 16, finding 14: a limit stored wrong (an old rule, a hand edit) was shown as is.
    Custody from 02/03/2026 (no hour: 00:00) is 3 days of 24 hours: it ends at 00:00 on 05/03,
    the end of 04/03. Stored as 30/09, the register still says 05/03, past the limit, and says
    the stored value is wrong."""
    from datetime import datetime, time

    from django.utils import timezone

    from pctp.cases.models import Measure

    wrong = date(2026, 9, 30)
    Measure.objects.update(due_date=wrong, due_at=timezone.make_aware(
        datetime.combine(wrong, time(23, 59))))
    page = login(judge).get("/cases/detention/").content.decode()
    assert "Quá hạn" in page and "00:00 05/03/2026" in page
    assert "30/09/2026" in page and "Thời hạn lưu sai" in page
    row = api_client(investigator).get("/api/v1/cases/measures/").json()["results"][0]
    assert (row["due_date"], row["stored_due_date"], row["limit_mismatch"], row["alert"]) == (
        "2026-03-04", "2026-09-30", True, "critical")


@time_machine.travel(NOW, tick=False)
def test_the_register_counts_and_the_home_card_use_the_laws_limit_not_the_stored_one(
        case_at_court, judge):
    """QA of finding 14: the register's rows showed the law's limit, but its tiles, its order
    and the home page's "held past the legal limit" still counted the stored one, so a person
    held past the law's limit whose stored limit was later showed 0 past the limit."""
    from datetime import datetime, time

    from django.utils import timezone

    from pctp.cases.models import Measure

    wrong = date(2026, 9, 30)
    Measure.objects.update(due_date=wrong, due_at=timezone.make_aware(
        datetime.combine(wrong, time(23, 59))))
    register = login(judge).get("/cases/detention/")
    assert register.context["alerts"]["critical"] == 1
    home = login(judge).get("/").content.decode()
    assert 'class="card late-box" id="held-past-limit"' in home
    assert case_at_court.register_code in home.split('id="held-past-limit"')[1]


@time_machine.travel(NOW, tick=False)
def test_assigning_shows_each_candidates_open_work_and_nearest_limit(
        initiate, investigator, other_investigator, make_user, body):
    """Issue 17: the head picks an investigator knowing their load. Two cases initiated on
    02/03/2026 (173(2): three months of investigation, long past on 01/08/2026): the first
    given to Trí, the second kept by Hùng, who opened it; the head himself holds none."""
    head = make_user("unit_leader", body, is_head=True, name="Thủ trưởng")
    first, second = initiate(), initiate(decision_number="2/QĐ")
    s.case_assign(actor=head, case=first, investigator=other_investigator)
    client = login_verified(head)
    page = client.get(f"/cases/{second.pk}/assign/form/").content.decode()
    for name in ("Bùi Quốc Hùng", "Phan Minh Trí"):
        assert re.search(rf"Điều tra viên {name} — 1 vụ án đang giải quyết; hạn gần nhất "
                         r"\d\d/\d\d/2026 \(1 quá hạn\)", page), name
    assert "Thủ trưởng — không có việc đang giải quyết" in page
    home = client.get("/").content.decode()
    assert "Việc của các điều tra viên" in home and "Phan Minh Trí</strong> — 1 vụ án" in home


@time_machine.travel(NOW, tick=False)
def test_a_trial_date_typed_day_first_is_that_day(case_at_court, judge):
    """Issue 17: 09/08/2026 typed in the trial date is 9 August, not 8 September."""
    response = login(judge).post(f"/cases/{case_at_court.pk}/commit_to_trial/", {
        "decision_number": "5/QĐXX", "trial_on": "09/08/2026", "on": "31/07/2026"})
    assert response.status_code == 302
    case = Case.objects.get(pk=case_at_court.pk)
    assert case.trial_on == date(2026, 8, 9)


@time_machine.travel(NOW, tick=False)
def test_a_case_given_to_an_investigator_is_new_to_them_until_they_open_it(
        initiate, investigator, other_investigator, make_user, body):
    """Issue 17: a new assignment sat at row 43 of 50 with no marker."""
    head = make_user("unit_leader", body, is_head=True, name="Thủ trưởng")
    own = initiate()  # opened by Hùng himself: not new to him
    given = initiate(decision_number="2/QĐ")
    s.case_assign(actor=head, case=given, investigator=other_investigator)
    client = login(other_investigator)
    tile = re.compile(r'id="new-cases" href="/cases/\?queue=mine"><span class="n">(\d+)<')
    assert tile.search(client.get("/").content.decode()).group(1) == "1"
    mine = client.get("/cases/?queue=mine").content.decode()
    assert '<span class="tag new">mới</span>' in mine.split(given.register_code)[1][:80]
    client.get(f"/cases/{given.pk}/")
    assert tile.search(client.get("/").content.decode()).group(1) == "0"
    assert "tag new" not in login(investigator).get("/cases/?queue=mine").content.decode()
    assert own.investigator_id == investigator.pk
