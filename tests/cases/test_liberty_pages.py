"""Issue 15 through the pages and the API: a person held one hour past the limit is red
everywhere they are shown; a late or wrong-level extension is refused on the page and in
the API as in the service, and a late one can only be recorded as late."""

from datetime import date

import pytest
import time_machine

from pctp.cases import services as s
from pctp.cases.models import Measure, MeasureExtension
from tests.cases.conftest import at
from tests.personas import api_client, login, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(initiate, add_accused, investigator):
    """Custody from 14:00 on Thu 05/03/2026: it expires at 14:00 on Sun 08/03/2026."""
    with time_machine.travel(at(2026, 3, 6, 9, 0), tick=False):
        case = initiate()
        accused = add_accused(case, on=date(2026, 3, 5))
        measure = s.measure_order(actor=investigator, accused=accused, kind="custody",
                                  order_number="12/QĐ-TG", start_on=at(2026, 3, 5, 14, 0))
    return measure


def test_one_hour_past_the_limit_is_red_on_every_page(held, investigator, head, make_user):
    leader = make_user("provincial_leader", "P80", name="Lãnh đạo tỉnh")
    case_url = f"/cases/{held.case_id}/"
    with time_machine.travel(at(2026, 3, 8, 13, 30), tick=False):  # 30 minutes left
        register = login(investigator).get("/cases/detention/").content.decode()
        assert "giờ quá hạn" not in register and "14:00 08/03/2026" in register
        home = login(investigator).get("/").content.decode()
        assert 'id="held-past-limit"' in home and "late-box" not in home.split(
            'id="held-past-limit"')[0][-80:]
    with time_machine.travel(at(2026, 3, 8, 15, 0), tick=False):  # one hour past
        register = login(investigator).get("/cases/detention/").content.decode()
        assert "1 giờ quá hạn" in register and "alert-critical" in register
        page = login(investigator).get(case_url).content.decode()
        assert "1 giờ quá hạn" in page and "late-box" in page
        for user in (investigator, head, leader):
            client = login_verified(user) if user is not investigator else login(investigator)
            home = client.get("/").content.decode()
            card = home.split('id="held-past-limit"')[1].split("</section>")[0]
            assert "1 giờ quá hạn" in card and held.case.register_code in card, user
        row = api_client(investigator).get("/api/v1/cases/measures/").json()["results"][0]
        assert (row["alert"], row["hours_past"]) == ("critical", 1.0)
        assert row["due_at"].startswith("2026-03-08T14:00")


def test_a_late_custody_extension_is_refused_on_the_page_and_in_the_api(
        held, investigator, procurator):
    with time_machine.travel(at(2026, 3, 8, 16, 0), tick=False):
        response = login(investigator).post(f"/cases/{held.case_id}/measure_request_extension/", {
            "measure": held.pk, "reason": "Cần thêm thời gian"})
        assert response.status_code == 409
        assert "14:00 ngày 08/03/2026" in response.content.decode()
        api = api_client(investigator).post(f"/api/v1/cases/measures/{held.pk}/request-extension/",
                                            {"reason": "Muộn"}, format="json")
        assert api.status_code == 409 and api.json()["error"]["code"] == "limit_expired"
        assert not MeasureExtension.objects.filter(measure=held).exists()


def test_an_approval_after_the_limit_needs_record_late_in_the_api(
        initiate, add_accused, investigator, procurator):
    """Less serious detention from 02/03/2026 ends 30/04; asked 15/04, decided 12/05."""
    with time_machine.travel(at(2026, 4, 15, 9, 0), tick=False):
        case = initiate(charges=(("173", 1),))
        accused = add_accused(case, charges=(("173", 1),))
        measure = s.measure_order(actor=investigator, accused=accused, kind="detention",
                                  order_number="5/LTG", start_on=date(2026, 3, 2))
        s.measure_request_extension(actor=investigator, measure=measure, reason="Chờ giám định")
    url = f"/api/v1/cases/measures/{measure.pk}/decide-extension/"
    with time_machine.travel(at(2026, 5, 12, 9, 0), tick=False):
        refused = api_client(procurator).post(url, {"approve": True, "note": "Đồng ý"},
                                              format="json")
        assert refused.status_code == 409
        assert refused.json()["error"]["details"]["paths"] == ["release", "record_late"]
        page = login(procurator).post(f"/cases/{case.pk}/measure_extension_decision/", {
            "request": measure.extension_rows.get().pk, "approve": "yes", "note": "Đồng ý"})
        assert page.status_code == 409 and "quá hạn" in page.content.decode()
        late = api_client(procurator).post(url, {"approve": True, "note": "Đồng ý (muộn)",
                                                 "record_late": True}, format="json")
        assert late.status_code == 200
        assert (late.json()["late"], late.json()["gap_days"]) == (True, 12)
    assert Measure.objects.get(pk=measure.pk).late_days == 12


def test_a_regional_procurator_cannot_grant_what_the_provincial_procuracy_must(
        initiate, add_accused, investigator, procurator, provincial_procurator):
    with time_machine.travel(at(2026, 6, 18, 9, 0), tick=False):
        case = initiate(charges=(("251", 4),))
        accused = add_accused(case, charges=(("251", 4),))
        measure = s.measure_order(actor=investigator, accused=accused, kind="detention",
                                  order_number="2/LTG", start_on=date(2026, 3, 2))
        s.measure_request_extension(actor=investigator, measure=measure, reason="Giám định")
        url = f"/api/v1/cases/measures/{measure.pk}/decide-extension/"
        wrong = api_client(procurator).post(url, {"approve": True, "note": "Đồng ý"},
                                            format="json")
        assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "wrong_level"
        right = api_client(provincial_procurator).post(url, {"approve": True, "note": "Đồng ý"},
                                                       format="json")
        assert right.status_code == 200 and right.json()["granted_level"] == "provincial"


def test_custody_is_ordered_to_the_hour_through_the_api(initiate, add_accused, investigator):
    with time_machine.travel(at(2026, 2, 16, 9, 0), tick=False):
        case = initiate(on=date(2026, 2, 14))
        accused = add_accused(case, on=date(2026, 2, 14))
        response = api_client(investigator).post(f"/api/v1/cases/{case.pk}/measures/", {
            "accused": accused.pk, "kind": "custody", "order_number": "3/QĐ-TG",
            "start_on": "2026-02-14T14:00"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["due_at"].startswith("2026-02-17T14:00")


# ------------------------------------------------------------------ the QA sweep's findings

@pytest.mark.parametrize("value", ["0001-01-01T06:00+14:00", "0001-01-01T00:00+07:00",
                                   "9999-12-31T23:00-12:00", "20260214", "2026-W07-6",
                                   "2026-02-14T14", "2026-02-14T1400", "2026-02-14\x00"])
def test_impossible_or_loose_moments_are_refused_with_400(held, investigator, value):
    with time_machine.travel(at(2026, 3, 7, 9, 0), tick=False):
        client = api_client(investigator)
        order = client.post(f"/api/v1/cases/{held.case_id}/measures/", {
            "accused": held.accused_id, "kind": "custody", "order_number": "x",
            "start_on": value}, format="json")
        ask = client.post(f"/api/v1/cases/measures/{held.pk}/request-extension/",
                          {"reason": "x", "on": value}, format="json")
        free = client.post(f"/api/v1/cases/measures/{held.pk}/release/",
                           {"released_on": value}, format="json")
    for response in (order, ask, free):
        assert response.status_code == 400, (value, response.content[:200])
        assert response.json()["error"]["code"] == "invalid"
    assert Measure.objects.get(pk=held.pk).released_on is None


def test_a_decision_before_its_request_or_a_request_before_the_custody_is_refused(
        held, investigator, procurator):
    with time_machine.travel(at(2026, 3, 7, 9, 0), tick=False):
        before = api_client(investigator).post(
            f"/api/v1/cases/measures/{held.pk}/request-extension/",
            {"reason": "x", "on": "2026-03-05T10:00"}, format="json")
        assert before.status_code == 400  # custody began at 14:00 on 05/03
        asked = api_client(investigator).post(
            f"/api/v1/cases/measures/{held.pk}/request-extension/",
            {"reason": "Cần xác minh", "on": "2026-03-07T08:00"}, format="json")
        assert asked.status_code == 201
        earlier = api_client(procurator).post(
            f"/api/v1/cases/measures/{held.pk}/decide-extension/",
            {"approve": True, "note": "Đồng ý", "on": "2026-03-06T09:00"}, format="json")
        assert earlier.status_code == 400 and "đề nghị" in earlier.json()["error"]["message"]


def test_a_backdated_decision_is_listed_for_checking_against_the_paper(held, investigator,
                                                                       procurator):
    """Asked in time (07/03), approved with the date 08/03 09:00 but entered on 20/03,
    long after the custody expired (14:00 08/03): accepted as dated, and listed."""
    from pctp.cases.lawfulness import sweep

    with time_machine.travel(at(2026, 3, 7, 9, 0), tick=False):
        s.measure_request_extension(actor=investigator, measure=held, reason="Cần xác minh")
    with time_machine.travel(at(2026, 3, 20, 9, 0), tick=False):
        row = s.measure_extension_decide(actor=procurator, request=held.extension_rows.get(),
                                         approve=True, note="Đồng ý", on=at(2026, 3, 8, 9, 0))
        assert row.late is False and row.entered_at == at(2026, 3, 20, 9, 0)
        listed = sweep(["entered_after_limit"])["entered_after_limit"]
    assert len(listed) == 1 and "20/03/2026" in listed[0].message


def test_a_lapsed_custody_can_be_asked_only_as_a_late_record(held, investigator, procurator):
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        url = f"/api/v1/cases/measures/{held.pk}/request-extension/"
        assert api_client(investigator).post(url, {"reason": "x"},
                                             format="json").status_code == 409
        late = api_client(investigator).post(url, {"reason": "Ghi nhận quyết định muộn",
                                                   "record_late": True}, format="json")
        assert late.status_code == 201
        decided = api_client(procurator).post(
            f"/api/v1/cases/measures/{held.pk}/decide-extension/",
            {"approve": True, "note": "Ghi nhận muộn", "record_late": True}, format="json")
        assert decided.status_code == 200 and decided.json()["late"] is True


def test_a_regional_procurator_cannot_record_a_provincial_decision(
        initiate, add_accused, investigator, procurator):
    with time_machine.travel(at(2026, 6, 18, 9, 0), tick=False):
        case = initiate(charges=(("251", 4),))
        accused = add_accused(case, charges=(("251", 4),))
        measure = s.measure_order(actor=investigator, accused=accused, kind="detention",
                                  order_number="2/LTG", start_on=date(2026, 3, 2))
        s.measure_request_extension(actor=investigator, measure=measure, reason="Giám định")
        response = api_client(procurator).post(
            f"/api/v1/cases/measures/{measure.pk}/decide-extension/",
            {"approve": True, "note": "x", "granted_level": "provincial",
             "authority_document": "FAKE-99"}, format="json")
    assert response.status_code == 400  # "provincial" is not a level one may record


def test_the_deadline_api_agrees_with_the_page(officer_a):
    # National security: 20 months of detention from 01/01/2026 end 23/08/2027.
    client = api_client(officer_a)
    data = client.get("/api/v1/law/deadline/", {
        "rule": "detention.investigation", "start": "2026-01-01", "severity":
        "especially_serious", "national_security": "true", "extensions": 0}).json()
    assert data["max_due"] == "2027-08-23"
    # A limit begun before the reform is extended today by the regional procuracy.
    old = client.get("/api/v1/law/deadline/", {"rule": "investigation", "start": "2025-05-10",
                                               "severity": "serious"}).json()
    assert old["granted_by"].startswith("Viện trưởng VKSND khu vực")


def test_judgment_detention_only_for_a_defendant_held(
        initiate, add_accused, investigator, procurator, judge):
    from pctp.core.errors import DomainError

    with time_machine.travel(at(2026, 8, 21, 9, 0), tick=False):
        case = initiate(on=date(2026, 6, 1))
        accused = add_accused(case)
        s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 7, 1))
        s.case_receive(actor=procurator, case=case, on=date(2026, 7, 2))
        s.case_indict(actor=procurator, case=case, document_number="1/CT", on=date(2026, 7, 10))
        s.case_accept(actor=judge, case=case, on=date(2026, 7, 13))
        s.case_commit_to_trial(actor=judge, case=case, decision_number="5/QĐXX",
                               trial_on=date(2026, 8, 18), on=date(2026, 8, 10))
        s.case_open_trial(actor=judge, case=case, on=date(2026, 8, 18))
        with pytest.raises(DomainError) as err:
            s.case_judgment(actor=judge, case=case, judgment_number="1/HSST", summary="x",
                            detain=[accused.pk], on=date(2026, 8, 20))
    assert err.value.code == "not_held"


def test_the_case_page_shows_the_laws_limit_not_a_later_stored_one(held, investigator):
    """QA of finding 14: the register showed the law's limit and flagged a wrong stored one,
    but the case page still printed the stored limit under "Legal limit" (and in its clocks),
    so a person held past the law's limit read "days left" there."""
    from datetime import datetime, time

    from django.utils import timezone

    wrong = date(2026, 9, 30)
    Measure.objects.filter(pk=held.pk).update(due_date=wrong, due_at=timezone.make_aware(
        datetime.combine(wrong, time(23, 59))))
    with time_machine.travel(at(2026, 3, 8, 15, 0), tick=False):  # one hour past the law's
        page = login(investigator).get(f"/cases/{held.case_id}/").content.decode()
    assert "14:00 08/03/2026" in page and "1 giờ quá hạn" in page
    assert "Thời hạn lưu sai: 30/09/2026" in page
    assert "23:59 30/09/2026" not in page
