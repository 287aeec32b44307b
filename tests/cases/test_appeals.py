"""The judgment's finding per defendant, appeals and protests and the appellate decision
(issue 21), on dates worked out by hand from the CPC:

Judgment on 20/08/2026. Appeal (Art. 333(1)): 15 days, last day 04/09/2026. Protest
(Art. 337(1)): the same-level procuracy 15 days (04/09/2026), the higher procuracy 30 days
(19/09/2026). Appellate trial (Art. 346(1)): 60 days from the appeal entered on 01/09/2026,
to 31/10/2026.
"""

from datetime import date

import pytest
import time_machine

from pctp.cases import appeals as ap
from pctp.cases import services as s
from pctp.cases.models import Appeal, Verdict
from pctp.core.errors import DomainError, InvalidTransition, PermissionRefused
from pctp.core.models import AuditEvent
from tests.cases.conftest import CUONG, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def appellate_judge(make_user):
    return make_user("court_officer", "P80-TAND", name="Thẩm phán TAND tỉnh")


@pytest.fixture
def judged(initiate, add_accused, investigator, procurator, judge):
    """Two defendants held for trial; Bình declared not guilty and released at the hearing,
    Cường convicted and kept in detention (Art. 329)."""
    with time_machine.travel(at(2026, 8, 21, 9, 0), tick=False):
        case = initiate(on=date(2026, 6, 1))
        binh = add_accused(case)
        cuong = add_accused(case, person=CUONG)
        s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 7, 1))
        s.case_receive(actor=procurator, case=case, on=date(2026, 7, 2))
        s.case_indict(actor=procurator, case=case, document_number="1/CT", on=date(2026, 7, 10))
        s.case_accept(actor=judge, case=case, on=date(2026, 7, 13))
        for a in (binh, cuong):
            s.measure_order(actor=judge, accused=a, kind="detention",
                            order_number=f"{a.position}/LTG-TA", start_on=date(2026, 7, 13))
        s.case_commit_to_trial(actor=judge, case=case, decision_number="5/QĐXX",
                               trial_on=date(2026, 8, 18), on=date(2026, 8, 10))
        s.case_open_trial(actor=judge, case=case, on=date(2026, 8, 18))
        s.case_judgment(actor=judge, case=case, judgment_number="12/HSST", summary="Xử",
                        acquitted=[binh.pk], detain=[cuong.pk], on=date(2026, 8, 20))
    case.refresh_from_db()
    binh.refresh_from_db()
    cuong.refresh_from_db()
    return case, binh, cuong


def test_the_judgment_records_each_defendants_finding_and_frees_the_acquitted(judged):
    case, binh, cuong = judged
    assert (binh.verdict, binh.verdict_on) == (Verdict.ACQUITTED, date(2026, 8, 20))
    assert cuong.verdict == Verdict.CONVICTED
    held = {m.accused_id: m for m in case.measures.filter(released_on__isnull=True)}
    assert list(held) == [cuong.pk]  # Bình released at the hearing, Cường held (Art. 329)
    row = AuditEvent.objects.filter(object_id=str(case.pk), action="case.judgment").get()
    assert row.changes["acquitted"] == [None, [binh.position]]


def test_an_acquitted_defendant_cannot_be_kept_in_detention(
        initiate, add_accused, investigator, procurator, judge):
    with time_machine.travel(at(2026, 8, 21, 9, 0), tick=False):
        case = initiate(on=date(2026, 6, 1))
        binh = add_accused(case)
        s.case_conclude(actor=investigator, case=case, document_number="1", on=date(2026, 7, 1))
        s.case_receive(actor=procurator, case=case, on=date(2026, 7, 2))
        s.case_indict(actor=procurator, case=case, document_number="1/CT", on=date(2026, 7, 10))
        s.case_accept(actor=judge, case=case, on=date(2026, 7, 13))
        s.measure_order(actor=judge, accused=binh, kind="detention", order_number="1/LTG",
                        start_on=date(2026, 7, 13))
        s.case_commit_to_trial(actor=judge, case=case, decision_number="5/QĐXX",
                               trial_on=date(2026, 8, 18), on=date(2026, 8, 10))
        s.case_open_trial(actor=judge, case=case, on=date(2026, 8, 18))
        with pytest.raises(DomainError) as err:
            s.case_judgment(actor=judge, case=case, judgment_number="12/HSST", summary="Xử",
                            acquitted=[binh.pk], detain=[binh.pk], on=date(2026, 8, 20))
        assert "detain" in err.value.details
        with pytest.raises(DomainError):
            s.case_judgment(actor=judge, case=case, judgment_number="12/HSST", summary="Xử",
                            acquitted=[binh.pk], exempted=[binh.pk], on=date(2026, 8, 20))
    case.refresh_from_db()
    assert case.status == "trial_open"  # nothing was kept of the refused judgment


def test_appeal_windows_by_hand(judged, judge, procurator):
    case, binh, cuong = judged
    assert ap.appeal_window(case, "appeal", "defendant") == date(2026, 9, 4)
    assert ap.appeal_window(case, "protest", "procuracy") == date(2026, 9, 4)
    assert ap.appeal_window(case, "protest", "higher_procuracy") == date(2026, 9, 19)
    with time_machine.travel(at(2026, 9, 10, 9, 0), tick=False):
        appeal = ap.case_appeal(actor=judge, case=case, appellant="defendant",
                                document_number="01/KC", grounds="Xin giảm nhẹ hình phạt",
                                accused=cuong.pk, on=date(2026, 9, 1))
        assert appeal.due_date == date(2026, 10, 31)
        # Late: entered only with the reason, for the appellate court to weigh (Art. 335).
        with pytest.raises(DomainError) as err:
            ap.case_appeal(actor=judge, case=case, appellant="victim", document_number="02/KC",
                           grounds="Tăng bồi thường", on=date(2026, 9, 5))
        assert err.value.code == "appeal_late" and "04/09/2026" in err.value.message
        late = ap.case_appeal(actor=judge, case=case, appellant="victim", document_number="02/KC",
                              grounds="Tăng bồi thường", late_reason="Nằm viện", on=date(2026, 9, 5))
        assert late.late_reason == "Nằm viện"
        # A protest after its 15 days is refused outright (Art. 337).
        with pytest.raises(InvalidTransition) as err:
            ap.case_protest(actor=procurator, case=case, document_number="1/KN",
                            grounds="Bỏ lọt", on=date(2026, 9, 5))
        assert err.value.code == "protest_late"
        protest = ap.case_protest(actor=procurator, case=case, document_number="1/KN",
                                  grounds="Tuyên không phạm tội là sai", accused=binh.pk,
                                  on=date(2026, 9, 4))
        assert protest.kind == "protest" and protest.appellant == "procuracy"
        # Before the judgment, or a defendant of another case: refused.
        with pytest.raises(DomainError):
            ap.case_appeal(actor=judge, case=case, appellant="defendant", document_number="3",
                           grounds="x", on=date(2026, 8, 19))
        with pytest.raises(DomainError):
            ap.case_appeal(actor=judge, case=case, appellant="defendant", document_number="3",
                           grounds="x", accused=999999, on=date(2026, 9, 1))
    assert AuditEvent.objects.filter(object_id=str(case.pk), action__in=[
        "case.appeal", "case.protest"]).count() == 3


def test_who_enters_appeals_and_decisions(judged, judge, procurator, appellate_judge,
                                          investigator, other_judge):
    case, binh, cuong = judged
    with time_machine.travel(at(2026, 9, 10, 9, 0), tick=False):
        for actor in (investigator, procurator, other_judge):
            with pytest.raises(PermissionRefused):
                ap.case_appeal(actor=actor, case=case, appellant="defendant",
                               document_number="01/KC", grounds="x", on=date(2026, 9, 1))
        with pytest.raises(PermissionRefused):
            ap.case_protest(actor=judge, case=case, document_number="1/KN", grounds="x",
                            on=date(2026, 9, 1))
        appeal = ap.case_appeal(actor=judge, case=case, appellant="defendant",
                                document_number="01/KC", grounds="x", on=date(2026, 9, 1))
        # The regional court does not decide the appeal against its own judgment.
        with pytest.raises(PermissionRefused):
            ap.appeal_decide(actor=judge, appeal=appeal, outcome="upheld",
                             decision_number="1/HSPT", on=date(2026, 9, 10))
        ap.appeal_decide(actor=appellate_judge, appeal=appeal, outcome="upheld",
                         decision_number="1/HSPT", on=date(2026, 9, 10))
        with pytest.raises(InvalidTransition):  # decided once
            ap.appeal_decide(actor=appellate_judge, appeal=appeal, outcome="amended",
                             reason="sentence", decision_number="2/HSPT", on=date(2026, 9, 10))


def test_appellate_decisions_move_the_case(judged, judge, appellate_judge):
    case, binh, cuong = judged
    with time_machine.travel(at(2026, 10, 1, 9, 0), tick=False):
        first = ap.case_appeal(actor=judge, case=case, appellant="defendant",
                               document_number="01/KC", grounds="Oan", accused=cuong.pk,
                               on=date(2026, 9, 1))
        # A change needs its reason; an upheld judgment has none.
        with pytest.raises(DomainError):
            ap.appeal_decide(actor=appellate_judge, appeal=first, outcome="amended",
                             decision_number="1/HSPT", on=date(2026, 9, 25))
        with pytest.raises(DomainError):
            ap.appeal_decide(actor=appellate_judge, appeal=first, outcome="upheld",
                             reason="sentence", decision_number="1/HSPT", on=date(2026, 9, 25))
        with pytest.raises(DomainError):  # before it was filed
            ap.appeal_decide(actor=appellate_judge, appeal=first, outcome="upheld",
                             decision_number="1/HSPT", on=date(2026, 8, 30))
        # Amended: Cường declared not guilty on appeal, released that day.
        ap.appeal_decide(actor=appellate_judge, appeal=first, outcome="amended",
                         reason="no_crime", acquitted=[cuong.pk], decision_number="1/HSPT",
                         note="Không đủ chứng cứ", on=date(2026, 9, 25))
    cuong.refresh_from_db()
    case.refresh_from_db()
    assert (cuong.verdict, cuong.verdict_on) == (Verdict.ACQUITTED, date(2026, 9, 25))
    assert not case.measures.filter(released_on__isnull=True).exists()
    assert case.status == "judged"
    # The judgment is final now: a further appeal, however late its reason, is refused.
    with time_machine.travel(at(2026, 10, 1, 9, 0), tick=False):
        with pytest.raises(InvalidTransition) as err:
            ap.case_appeal(actor=judge, case=case, appellant="victim", document_number="02/KC",
                           grounds="x", late_reason="Ốm", on=date(2026, 9, 26))
    assert err.value.code == "judgment_final"


def test_annulled_and_terminated_on_appeal(judged, judge, appellate_judge):
    case, binh, cuong = judged
    with time_machine.travel(at(2026, 10, 1, 9, 0), tick=False):
        appeal = ap.case_appeal(actor=judge, case=case, appellant="defendant",
                                document_number="01/KC", grounds="Oan", on=date(2026, 9, 1))
        with pytest.raises(DomainError):  # the ground of Art. 157 is required
            ap.appeal_decide(actor=appellate_judge, appeal=appeal,
                             outcome="annulled_terminated", reason="no_crime",
                             decision_number="1/HSPT", on=date(2026, 9, 20))
        ap.appeal_decide(actor=appellate_judge, appeal=appeal, outcome="annulled_terminated",
                         reason="no_crime", ground="no_crime", decision_number="1/HSPT",
                         on=date(2026, 9, 20))
    case.refresh_from_db()
    assert (case.status, case.terminate_ground, case.closed_on) == (
        "terminated", "no_crime", date(2026, 9, 20))
    assert not case.measures.filter(released_on__isnull=True).exists()  # Cường freed


def test_the_case_page_and_the_api(judged, judge, procurator, appellate_judge):
    """The first-instance court enters an appeal from the case page; the procuracy protests
    through the API; the provincial court decides on the page and through the API. The page
    lists them, with the late appeal marked."""
    from tests.personas import api_client, login_verified

    case, binh, cuong = judged
    with time_machine.travel(at(2026, 9, 10, 9, 0), tick=False):
        client = login_verified(judge)
        page = client.get(f"/cases/{case.pk}/").content.decode()
        assert "Ghi nhận kháng cáo bản án" in page and "tuyên không có tội" in page
        refused = client.post(f"/cases/{case.pk}/appeal/", {
            "appellant": "victim", "document_number": "02/KC", "grounds": "Tăng bồi thường",
            "on": "05/09/2026"})
        assert refused.status_code == 400 and "04/09/2026" in refused.content.decode()
        assert not Appeal.objects.exists()
        done = client.post(f"/cases/{case.pk}/appeal/", {
            "appellant": "victim", "document_number": "02/KC", "grounds": "Tăng bồi thường",
            "late_reason": "Nằm viện", "on": "05/09/2026"})
        assert done.status_code == 302
        api = api_client(procurator)
        created = api.post(f"/api/v1/cases/{case.pk}/appeals/", {
            "kind": "protest", "document_number": "1/KN", "grounds": "Sai tội danh",
            "accused": binh.pk, "on": "2026-09-04"}, format="json")
        assert created.status_code == 201, created.content
        protest = created.json()
        assert (protest["appellant"], protest["accused"], protest["due_date"]) == (
            "procuracy", binh.pk, "2026-11-03")
        upper = login_verified(appellate_judge)
        late = Appeal.objects.get(document_number="02/KC")
        page = upper.post(f"/cases/{case.pk}/decide_appeal/", {
            "appeal": late.pk, "outcome": "withdrawn", "decision_number": "2/HSPT",
            "retrial_at": "court", "on": "08/09/2026"})
        assert page.status_code == 302
        # The regional court may not decide it; the provincial court may.
        assert api_client(judge).post(f"/api/v1/cases/appeals/{protest['id']}/decision/", {
            "outcome": "upheld", "decision_number": "1/HSPT"}, format="json").status_code == 403
        decided = api_client(appellate_judge).post(
            f"/api/v1/cases/appeals/{protest['id']}/decision/",
            {"outcome": "amended", "reason": "charge", "decision_number": "1/HSPT",
             "on": "2026-09-09"}, format="json")
        assert decided.status_code == 200 and decided.json()["outcome"] == "amended"
        shown = upper.get(f"/cases/{case.pk}/").content.decode()
        assert "quá hạn" in shown and "sửa bản án sơ thẩm" in shown and "tội danh" in shown
        listed = api_client(procurator).get("/api/v1/cases/appeals/").json()
        assert {r["document_number"] for r in listed["results"]} == {"02/KC", "1/KN"}


# ----------------------------------------------------------------------------- QA findings

def test_qa_only_the_higher_procuracy_protests_in_30_days(judged, procurator,
                                                          provincial_procurator):
    """A regional procurator cannot claim the higher procuracy's 30 days; the provincial
    procuracy's protest is the higher one whatever it says (Art. 337(1))."""
    case, binh, cuong = judged
    with time_machine.travel(at(2026, 9, 25, 9, 0), tick=False):
        with pytest.raises(InvalidTransition):  # 25/09: past the same level's 04/09
            ap.case_protest(actor=procurator, case=case, document_number="1/KN", grounds="x",
                            on=date(2026, 9, 10))
        protest = ap.case_protest(actor=provincial_procurator, case=case,
                                  document_number="2/KN", grounds="Sai tội danh",
                                  on=date(2026, 9, 15))
    assert protest.appellant == "higher_procuracy"


def test_qa_appeals_belong_to_one_judgment_decided_together(judged, judge, appellate_judge,
                                                            procurator):
    """One appellate trial decides every appeal against the judgment at once; after it the
    judgment is final (no new appeal); an annulment voids the findings and the judgment, and
    a retrial's judgment is appealed afresh."""
    case, binh, cuong = judged
    with time_machine.travel(at(2026, 10, 20, 9, 0), tick=False):
        first = ap.case_appeal(actor=judge, case=case, appellant="defendant",
                               document_number="01/KC", grounds="Oan", accused=cuong.pk,
                               on=date(2026, 9, 1))
        with pytest.raises(DomainError):  # the same document twice
            ap.case_appeal(actor=judge, case=case, appellant="defendant",
                           document_number="01/KC", grounds="Oan", on=date(2026, 9, 2))
        protest = ap.case_protest(actor=procurator, case=case, document_number="1/KN",
                                  grounds="Bỏ lọt tình tiết", on=date(2026, 9, 3))
        with pytest.raises(DomainError):  # a ground belongs to a termination only
            ap.appeal_decide(actor=appellate_judge, appeal=first, outcome="upheld",
                             ground="no_crime", decision_number="1/HSPT", on=date(2026, 9, 20))
        ap.appeal_decide(actor=appellate_judge, appeal=first, outcome="annulled_retrial",
                         reason="procedure", retrial_at="court", decision_number="1/HSPT",
                         on=date(2026, 9, 20))
        protest.refresh_from_db()
        assert (protest.outcome, protest.decision_number) == ("annulled_retrial", "1/HSPT")
        case.refresh_from_db()
        assert (case.judgment_number, case.judgment_on) == ("", None)
        assert set(case.accused.values_list("verdict", "sentence")) == {("", "")}
        with pytest.raises(InvalidTransition):  # no judgment to appeal until the retrial
            ap.case_appeal(actor=judge, case=case, appellant="victim", document_number="9/KC",
                           grounds="x", on=date(2026, 9, 21))
        s.case_commit_to_trial(actor=judge, case=case, decision_number="6/QĐXX",
                               trial_on=date(2026, 10, 5), on=date(2026, 9, 25))
        s.case_open_trial(actor=judge, case=case, on=date(2026, 10, 5))
        s.case_judgment(actor=judge, case=case, judgment_number="20/HSST", summary="Xử lại",
                        on=date(2026, 10, 5))
        second = ap.case_appeal(actor=judge, case=case, appellant="defendant",
                                document_number="01/KC", grounds="Xin giảm án",
                                on=date(2026, 10, 8))
        assert (second.judgment_number, second.judgment_on) == ("20/HSST", date(2026, 10, 5))
        ap.appeal_decide(actor=appellate_judge, appeal=second, outcome="upheld",
                         decision_number="2/HSPT", on=date(2026, 10, 15))
        with pytest.raises(InvalidTransition):  # final: the appellate court has decided
            ap.case_appeal(actor=judge, case=case, appellant="victim", document_number="7/KC",
                           grounds="x", late_reason="Ốm", on=date(2026, 10, 16))
    assert Appeal.objects.filter(outcome="").count() == 0


def test_qa_a_withdrawal_decides_one_appeal_only(judged, judge, appellate_judge, procurator):
    case, binh, cuong = judged
    with time_machine.travel(at(2026, 9, 20, 9, 0), tick=False):
        first = ap.case_appeal(actor=judge, case=case, appellant="defendant",
                               document_number="01/KC", grounds="x", on=date(2026, 9, 1))
        other = ap.case_protest(actor=procurator, case=case, document_number="1/KN",
                                grounds="y", on=date(2026, 9, 2))
        ap.appeal_decide(actor=appellate_judge, appeal=first, outcome="withdrawn",
                         decision_number="1/QĐ-PT", on=date(2026, 9, 10))
        other.refresh_from_db()
        assert other.outcome == ""
        with pytest.raises(DomainError):  # grounds past 5,000 characters
            ap.case_appeal(actor=judge, case=case, appellant="victim", document_number="2/KC",
                           grounds="x" * 5001, on=date(2026, 9, 3))
