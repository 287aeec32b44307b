"""Each quality indicator on the records counted by hand in conftest.py; scope; the page,
the API and the home alert; who may see them (issue 21)."""

from __future__ import annotations

import pytest
import time_machine

from pctp.quality import selectors as q
from tests.kpi.conftest import TODAY
from tests.personas import api_client, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(make_user):
    return make_user("provincial_leader", "P80-UBND", name="Lãnh đạo tỉnh")


def _figures(user, period="2026"):
    req = q.resolve(user, period=period)
    return {f.result.code: f for f in q.figures(req)}


@time_machine.travel(TODAY, tick=False)
def test_each_indicator_counts_the_records_by_hand(quality_records, leader):
    f = _figures(leader)
    got = {code: (fig.result.numerator, fig.result.denominator, fig.value)
           for code, fig in f.items()}
    assert got == {"Q1": (2, 2, 100.0), "Q2": (1, 1, 100.0), "Q3": (1, 2, 50.0),
                   "Q4": (1, 2, 50.0), "Q5": (1, 2, 50.0), "Q6": (0, 0, None),
                   "Q7": (0, 0, None), "Q8": (0, 0, None), "Q9": (0, 0, None),
                   "Q10": (0, 0, None)}
    c = quality_records
    assert list(f["Q3"].result.numerator_records.values_list("pk", flat=True)) == [c["C3"].pk]
    assert list(f["Q4"].result.numerator_records.values_list("pk", flat=True)) == [c["C2"].pk]
    assert list(f["Q5"].result.numerator_records.values_list("pk", flat=True)) == [c["C5"].pk]
    # Before the second return (as known on 30/09) C3 was returned once: no alert yet.
    with time_machine.travel(TODAY.replace(month=9, day=30), tick=False):
        early = _figures(leader, period="2026")
    assert (early["Q1"].result.numerator, early["Q3"].result.numerator) == (1, 0)


@time_machine.travel(TODAY, tick=False)
def test_breakdown_by_unit_and_by_investigator(quality_records, leader, units, make_user):
    from pctp.cases.models import Case

    investigator = make_user("investigator", units["body"], name="Điều tra viên Năm")
    Case.objects.filter(pk=quality_records["C3"].pk).update(investigator=investigator)
    fig = q.figure(q.resolve(leader, period="2026"), "Q1")
    by_unit = q.breakdown(fig, "unit")
    assert [(r["name"], r["numerator"], r["denominator"]) for r in by_unit] == [
        (units["body"].name, 2, 2)]
    by_person = {r["name"]: (r["numerator"], r["denominator"]) for r in q.breakdown(fig, "person")}
    assert by_person == {"Điều tra viên Năm": (2, 1), "chưa phân công": (0, 1)}


@time_machine.travel(TODAY, tick=False)
def test_scope_a_court_sees_nothing_and_an_outsider_is_refused(quality_records, make_user,
                                                               units, communes):
    from pctp.core.errors import PermissionRefused

    procurator = make_user("procurator", units["vks"])
    assert _figures(procurator)["Q4"].result.numerator == 1  # its own supervised cases
    judge = make_user("court_officer", units["court"])
    with pytest.raises(PermissionRefused):
        q.resolve(judge)
    assert login_verified(judge).get("/quality/").status_code == 403
    assert api_client(judge).get("/api/v1/quality/").status_code == 403
    commune_chief = make_user("unit_leader", communes["police_a"])
    assert _figures(commune_chief)["Q4"].result.denominator == 0  # no case of its own
    from pctp.core.errors import DomainError

    with pytest.raises(DomainError):  # a unit outside the reader's scope
        q.resolve(commune_chief, unit="P80-CA-CSDT")


@time_machine.travel(TODAY, tick=False)
def test_the_page_api_and_home_alert(quality_records, leader, make_user, units):
    client = login_verified(leader)
    page = client.get("/quality/?period=2026")
    html = page.content.decode()
    assert page.status_code == 200 and "Giam giữ oan" in html
    detail = client.get("/quality/Q4/?period=2026").content.decode()
    assert quality_records["C2"].register_code in detail
    assert quality_records["C8"].register_code not in detail
    assert quality_records["C8"].register_code in client.get(
        "/quality/Q4/?period=2026&part=denominator").content.decode()
    api = api_client(leader).get("/api/v1/quality/?period=2026").json()
    q4 = next(i for i in api["indicators"] if i["code"] == "Q4")
    assert (q4["numerator"], q4["denominator"], q4["alert"]) == (1, 2, True)
    records = api_client(leader).get("/api/v1/quality/Q4/records/?period=2026").json()
    assert records["count"] == 1 and records["records"][0]["url"].endswith(
        f"/cases/{quality_records['C2'].pk}/")
    assert client.get("/quality/Q99/").status_code == 404
    assert client.get("/quality/?period=2026-Q9").status_code == 400
    home = client.get("/").content.decode()
    assert 'id="quality-alerts"' in home and quality_records["C2"].register_code in home
    analyst = make_user("statistics_analyst", "P80-CA")
    assert 'id="quality-alerts"' not in login_verified(analyst).get("/").content.decode()


@time_machine.travel(TODAY, tick=False)
def test_qa2_unknown_codes_and_periods_not_begun_agree_on_page_and_api(quality_records,
                                                                     leader):
    client, api = login_verified(leader), api_client(leader)
    assert client.get("/quality/Q99/").status_code == 404
    assert api.get("/api/v1/quality/Q99/").status_code == 404
    assert api.get("/api/v1/quality/Q99/records/").status_code == 404
    assert client.get("/quality/?period=2099").status_code == 400
    assert api.get("/api/v1/quality/?period=2099").status_code == 400


def test_q6_suspensions_cancelled_by_the_procuracy_read_from_the_journal(quality_records,
                                                                        leader, make_user,
                                                                        units):
    """S2 suspended 01/06/2026 and its suspension cancelled by the procuracy 10/06; S3
    suspended 01/07; S6 suspended 05/12/2025 (another year): Q6 2026 = 1/2 = 50."""
    from datetime import datetime

    from pctp.core.audit import audit_record
    from tests.kpi.conftest import VN

    c = quality_records
    procurator = make_user("procurator", units["vks"])
    for source, action, at in ((c["S2"], "source.suspend", datetime(2026, 6, 1, 9, tzinfo=VN)),
                               (c["S2"], "source.cancel_suspension",
                                datetime(2026, 6, 10, 9, tzinfo=VN)),
                               (c["S3"], "source.suspend", datetime(2026, 7, 1, 9, tzinfo=VN)),
                               (c["S6"], "source.suspend", datetime(2025, 12, 5, 9, tzinfo=VN))):
        with time_machine.travel(at, tick=False):
            audit_record(actor=procurator, action=action, obj=source)
    with time_machine.travel(TODAY, tick=False):
        f = _figures(leader)["Q6"]
        assert (f.result.numerator, f.result.denominator, f.value) == (1, 2, 50.0)
        assert list(f.result.numerator_records.values_list("pk", flat=True)) == [c["S2"].pk]
        assert q.breakdown(f, "unit")[0]["name"] == units["body"].name
        assert _figures(procurator)["Q6"].result.denominator == 2  # the sources it supervises


@pytest.fixture
def appeal_records(quality_records, units, make_user):
    """On top of conftest.py's history, counted by hand:

    C1 judged by the regional court on 01/08/2026: defendant 1, held in custody and then
    declared not guilty; defendant 2 convicted. Its appeals: one decided 10/09/2026, the
    sentence amended; one decided 10/09, upheld; one withdrawn 15/09; one not yet decided.
    C4 judged on 20/10/2025 (another year), its appeal annulled 05/02/2026 and the case
    terminated for no crime (Art. 359); nobody held.
      Q4 = C2 (not a crime, held), C1 (acquitted, held) / C2, C8, C1 closed with someone
           held = 2/3 = 66.7
      Q7 = C1 (acquitted), C4 (no crime on appeal) / C1 (judged), C4 (appeal decided) = 2/2
      Q8 = C1's amended one, C4's annulled one / those two and C1's upheld one (withdrawn
           aside) = 2/3 = 66.7; by reason: the sentence 1, no crime 1
    """
    from datetime import date

    from pctp.cases.models import Accused, Appeal, Case, Measure

    c = quality_records
    clerk = make_user("court_officer", units["court"])
    Case.objects.filter(pk=c["C1"].pk).update(status="judged", judgment_on=date(2026, 8, 1),
                                               closed_on=date(2026, 8, 1), court=units["court"])
    freed = Accused.objects.create(case=c["C1"], position=1, person_index="a1", sex="male",
                                   charged_on=date(2026, 3, 1), verdict="acquitted",
                                   verdict_on=date(2026, 8, 1))
    Accused.objects.create(case=c["C1"], position=2, person_index="a2", sex="male",
                           charged_on=date(2026, 3, 1), verdict="convicted",
                           verdict_on=date(2026, 8, 1))
    Measure.objects.create(case=c["C1"], accused=freed, kind="custody", order_number="2/QĐ",
                           ordered_by_unit=units["body"], ordered_by=clerk,
                           start_on=date(2026, 3, 1), severity="serious",
                           due_date=date(2026, 3, 4), released_on=date(2026, 3, 4))

    def appeal(case, n, outcome="", reason="", decided=None):
        return Appeal.objects.create(
            case=case, kind="appeal", appellant="defendant", document_number=n,
            filed_on=date(2026, 8, 10) if case == c["C1"] else date(2025, 11, 1),
            grounds="x", due_date=date(2026, 10, 9), entered_by=clerk, decided_on=decided,
            decision_number=n if decided else "", outcome=outcome, reason=reason)

    appeal(c["C1"], "1", "amended", "sentence", date(2026, 9, 10))
    appeal(c["C1"], "2", "upheld", "", date(2026, 9, 10))
    appeal(c["C1"], "3", "withdrawn", "", date(2026, 9, 15))
    appeal(c["C1"], "4")
    Case.objects.filter(pk=c["C4"].pk).update(status="terminated", terminate_ground="no_crime",
                                               judgment_on=date(2025, 10, 20),
                                               closed_on=date(2026, 2, 5), court=units["court"])
    appeal(c["C4"], "5", "annulled_terminated", "no_crime", date(2026, 2, 5))
    return c


@time_machine.travel(TODAY, tick=False)
def test_acquittals_appeals_and_wrongful_detention_by_hand(appeal_records, leader):
    c = appeal_records
    f = _figures(leader)
    got = {code: (f[code].result.numerator, f[code].result.denominator, f[code].value)
           for code in ("Q4", "Q7", "Q8")}
    assert got == {"Q4": (2, 3, 66.7), "Q7": (2, 2, 100.0), "Q8": (2, 3, 66.7)}
    assert set(f["Q4"].result.numerator_records.values_list("pk", flat=True)) == {
        c["C1"].pk, c["C2"].pk}
    assert set(f["Q7"].result.numerator_records.values_list("pk", flat=True)) == {
        c["C1"].pk, c["C4"].pk}
    assert {(r["key"], r["numerator"]) for r in q.breakdown(f["Q8"], "reason")} == {
        ("sentence", 1), ("no_crime", 1)}
    from pctp.core.errors import DomainError

    with pytest.raises(DomainError):  # only an indicator whose records carry a reason
        q.breakdown(f["Q4"], "reason")
    # As known on 05/09/2026: the appeals were not decided yet.
    with time_machine.travel(TODAY.replace(month=9, day=5), tick=False):
        early = _figures(leader)
    assert (early["Q8"].result.numerator, early["Q8"].result.denominator) == (1, 1)  # C4's


@time_machine.travel(TODAY, tick=False)
def test_acquittals_on_the_page_the_api_and_the_home_alerts(appeal_records, leader):
    c = appeal_records
    client = login_verified(leader)
    detail = client.get("/quality/Q8/?period=2026").content.decode()
    assert "Theo lý do thay đổi" in detail and c["C1"].register_code in detail
    api = api_client(leader).get("/api/v1/quality/Q8/?period=2026&by=reason").json()
    assert {(r["name"], r["numerator"]) for r in api["breakdown"]} == {
        ("hình phạt", 1), ("không có tội phạm: bị cáo không có tội", 1)}
    records = api_client(leader).get("/api/v1/quality/Q7/records/?period=2026").json()
    assert records["count"] == 2
    home = client.get("/").content.decode()
    assert "Tuyên bị cáo không có tội" in home and c["C4"].register_code in home


@time_machine.travel(TODAY, tick=False)
def test_time_in_each_stage_by_hand(quality_records, leader, units, make_user):
    """2026, from conftest.py: investigation C1 12/02 → 01/06 = 109 days, its base limit
    (serious, 3 months, Art. 172) 12/05 = 89 days, past it; C3 02/07 → 01/09 = 61 days,
    limit (very serious, 4 months) 02/11 = 123 days. Prosecution R1 01/06 → 15/06 = 14 days
    (due 21/06), R3 01/09 → 01/10 = 30 days (due 21/09: past it). Trial I1 20/06 → 01/08 =
    42 days. Five more decisions of the procuracy on C4 (initiated 01/03/2026), received on
    01/04/2026 with 20 days, taking 10, 20, 30, 40 and 50 days: prosecution = 10, 14, 20, 30,
    30, 40, 50 → median 30, 90th percentile (nearest rank: the 7th of 7) 50; past the limit:
    R3 and the 30, 40, 50 days ones = 4. C4's investigation 01/03 → 01/04 = 31 days (limit,
    especially serious, 4 months: 01/07). Three files are too few for a median."""
    from datetime import date, timedelta

    from pctp.cases.models import Referral

    c = quality_records
    clerk = make_user("procurator", units["vks"])
    for days in (10, 20, 30, 40, 50):
        received = date(2026, 4, 1)
        Referral.objects.create(case=c["C4"], kind="conclusion", from_unit=units["body"],
                                to_unit=units["vks"], document_number="x", sent_on=received,
                                sent_by=clerk, received_on=received,
                                due_date=received + timedelta(days=20),
                                closed_on=received + timedelta(days=days), outcome="return")
    req = q.resolve(leader, period="2026")
    table = {t["stage"]: t for t in q.stage_table(req)}
    inv = table["investigation"]["all"]
    assert (inv["n"], inv["enough"], inv["over"]) == (3, False, 1)
    pro = table["prosecution"]["all"]
    assert (pro["n"], pro["median"], pro["p90"], pro["over"]) == (7, 30, 50, 4)
    assert [(u["name"], u["n"]) for u in table["prosecution"]["units"]] == [(units["vks"].name, 7)]
    assert table["trial"]["all"]["n"] == 1 and table["trial"]["all"]["median"] is None
    rows = q.stage_records(req, "investigation", None)
    assert [(r["case"].pk, r["interval"].days, r["interval"].over) for r in rows] == [
        (c["C1"].pk, 109, True), (c["C3"].pk, 61, False), (c["C4"].pk, 31, False)]
    assert rows[0]["interval"].due == date(2026, 5, 12)
    client = login_verified(leader)
    page = client.get("/quality/stages/?period=2026&stage=prosecution").content.decode()
    assert "chưa đủ số liệu" in page and c["C3"].register_code in page
    assert client.get("/quality/stages/?period=2026&stage=nothing").status_code == 404
    api = api_client(leader).get("/api/v1/quality/stages/?period=2026").json()
    assert {s["stage"]: s["all"]["n"] for s in api["stages"]} == {
        "investigation": 3, "prosecution": 7, "trial": 1, "appeal": 0}
    listed = api_client(leader).get(
        f"/api/v1/quality/stages/?period=2026&stage=prosecution&holder={units['vks'].pk}").json()
    assert listed["count"] == 7 and listed["records"][0]["days"] == 50


def test_q9_declines_cancelled_by_the_procuracy_read_from_the_journal(quality_records, leader,
                                                                     make_user, units):
    """S3 declined 10/05/2026 and the decline cancelled by the procuracy 01/06; S2 declined
    01/07/2026; S6 declined 01/12/2025 (another year): Q9 2026 = 1/2 = 50."""
    from datetime import datetime

    from pctp.core.audit import audit_record
    from tests.kpi.conftest import VN

    c = quality_records
    procurator = make_user("procurator", units["vks"])
    for source, action, at in ((c["S3"], "source.decline", datetime(2026, 5, 10, 9, tzinfo=VN)),
                               (c["S3"], "source.cancel_decline",
                                datetime(2026, 6, 1, 9, tzinfo=VN)),
                               (c["S2"], "source.decline", datetime(2026, 7, 1, 9, tzinfo=VN)),
                               (c["S6"], "source.decline", datetime(2025, 12, 1, 9, tzinfo=VN))):
        with time_machine.travel(at, tick=False):
            audit_record(actor=procurator, action=action, obj=source)
    with time_machine.travel(TODAY, tick=False):
        f = _figures(leader)["Q9"]
        assert (f.result.numerator, f.result.denominator, f.value) == (1, 2, 50.0)
        assert list(f.result.numerator_records.values_list("pk", flat=True)) == [c["S3"].pk]
    # As known on 20/05/2026, nothing was cancelled yet.
    with time_machine.travel(datetime(2026, 5, 20, 9, tzinfo=VN), tick=False):
        f = _figures(leader)["Q9"]
        assert (f.result.numerator, f.result.denominator) == (0, 1)


def test_q10_sources_reclassified_lighter_read_from_the_journal(quality_records, leader,
                                                                 make_user, units):
    """Classified in 2026: S1, S2, S3, S5. S2 from serious to less serious 10/04/2026; S3
    from serious to very serious 05/05; S5 from serious to less serious 10/06 and back to
    serious 20/06 (no net change); S1 changed 01/12/2025 (another year): Q10 2026 = 1/4."""
    from datetime import datetime

    from pctp.core.audit import audit_record
    from tests.kpi.conftest import VN

    c = quality_records
    investigator = make_user("investigator", units["body"])
    S, LS, VS = "serious", "less_serious", "very_serious"
    rows = [(c[k], "source.classify", datetime(2026, m, 1, 9, tzinfo=VN), [None, S])
            for k, m in (("S1", 3), ("S2", 4), ("S3", 5), ("S5", 6))]
    rows += [(c["S2"], "source.reclassify", datetime(2026, 4, 10, 9, tzinfo=VN), [S, LS]),
             (c["S3"], "source.reclassify", datetime(2026, 5, 5, 9, tzinfo=VN), [S, VS]),
             (c["S5"], "source.reclassify", datetime(2026, 6, 10, 9, tzinfo=VN), [S, LS]),
             (c["S5"], "source.reclassify", datetime(2026, 6, 20, 9, tzinfo=VN), [LS, S]),
             (c["S1"], "source.reclassify", datetime(2025, 12, 1, 9, tzinfo=VN), [S, LS])]
    for source, action, at, severity in rows:
        with time_machine.travel(at, tick=False):
            audit_record(actor=investigator, action=action, obj=source,
                         changes={"severity": severity})
    with time_machine.travel(TODAY, tick=False):
        f = _figures(leader)["Q10"]
        assert (f.result.numerator, f.result.denominator, f.value) == (1, 4, 25.0)
        assert list(f.result.numerator_records.values_list("pk", flat=True)) == [c["S2"].pk]
