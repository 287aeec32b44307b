"""The dashboard, `pctp kpi`, the API and the .xlsx show the same figures (the hand-counted
fixture of conftest.py); closing a period freezes it and a later edit shows as a revision;
who may see what."""

import io
import json
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from pctp.cases import services as cs
from pctp.cases.models import Case
from pctp.kpi.models import KpiRevision, KpiSnapshot
from pctp.plans.models import Plan
from tests.kpi.conftest import TODAY
from tests.kpi.test_engine import EXPECTED_2026
from tests.personas import api_client, login, login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(make_user):
    return make_user("provincial_leader", "P80-UBND", name="Lãnh đạo tỉnh")


@pytest.fixture
def analyst(make_user):
    return make_user("statistics_analyst", "P80-CA", name="Cán bộ thống kê")


def _by_code(targets):
    return {t["target"]: t for t in targets}


@time_machine.travel(TODAY, tick=False)
def test_dashboard_cli_api_and_xlsx_agree(plan, leader):
    client = login_verified(leader)
    page = client.get(f"/kpi/?plan={plan.pk}&period=2026")
    assert page.status_code == 200
    shown = {f.target.code: f for f, _trend in page.context["figures"]}

    out = io.StringIO()
    call_command("kpi", "--plan", str(plan.pk), "--period", "2026", "--json", stdout=out)
    cli = _by_code(json.loads(out.getvalue())["targets"])

    api = api_client(leader).get(f"/api/v1/kpi/dashboard/?plan={plan.pk}&period=2026")
    assert api.status_code == 200
    from_api = _by_code(api.json()["targets"])

    xlsx = client.get(f"/kpi/export.xlsx?plan={plan.pk}&period=2026")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header = next(i for i, row in enumerate(sheet.iter_rows(values_only=True), 1)
                  if row[0] == "Chỉ tiêu")
    assert [c.value for c in sheet[header]][:5] == [
        "Chỉ tiêu", "Chỉ số", "Giá trị", "Tử số", "Mẫu số"]
    in_xlsx = {row[0]: row for row in sheet.iter_rows(min_row=header + 1, values_only=True)}

    for code, (num, den, value, status) in EXPECTED_2026.items():
        f = shown[code]
        assert (f.result.numerator, f.result.denominator, f.value, f.status) == (
            num, den, value, status), code
        for source in (cli[code], from_api[code]):
            assert (source["numerator"], source["denominator"], source["value"],
                    source["status"]) == (num, den, value, status), code
        assert tuple(in_xlsx[code][2:5]) == (value, num, den), code
    # The definition is on the page next to the value.
    assert "Tử số: vụ án đã xác định được người phạm tội" in page.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_click_on_a_number_lists_exactly_its_records(plan, leader, kpi_records):
    client = login_verified(leader)
    page = client.get(f"/kpi/T2/records/?plan={plan.pk}&period=2026&part=numerator")
    assert page.status_code == 200
    html = page.content.decode()
    for key in ("S1", "S3", "S5"):
        assert f"/sources/{kpi_records[key].pk}/" in html
    assert f"/sources/{kpi_records['S2'].pk}/" not in html
    api = api_client(leader).get(
        f"/api/v1/kpi/records/?plan={plan.pk}&period=2026&target=T7&part=denominator")
    assert api.json()["count"] == 2 and api.json()["model"] == "cases.referral"
    assert sorted(r["id"] for r in api.json()["records"]) == sorted(
        [kpi_records["R1"].pk, kpi_records["R3"].pk])
    export = client.get(f"/kpi/T4/records.xlsx?plan={plan.pk}&period=2026&part=numerator")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[4][0] == "Số vụ án"
    assert sorted(r[0] for r in rows[5:]) == sorted(
        [kpi_records["C1"].register_code, kpi_records["C3"].register_code])


@time_machine.travel(TODAY, tick=False)
def test_target_page_breaks_down_by_unit_and_commune(plan, leader, communes):
    page = login_verified(leader).get(f"/kpi/T2/?plan={plan.pk}&period=2026")
    assert page.status_code == 200
    rows = {r["object"].code: (r["numerator"], r["denominator"]) for r in page.context["by_commune"]}
    assert rows == {communes["a"].code: (1, 2), communes["b"].code: (2, 2)}
    assert page.context["map"] is not None
    assert "Tử số" in page.content.decode()


def test_closing_freezes_and_a_later_edit_is_a_revision(plan, analyst, kpi_records, make_user,
                                                        units):
    """Q2 2026 T4: C2 occurred 05/05 and is not detected → 0/1. Closed on 20/11; C2 is
    detected on 25/11: the closed figure stays 0/1, a revision shows 1/1 and who did it."""
    with time_machine.travel(TODAY, tick=False):
        client = api_client(analyst)
        closed = client.post(f"/api/v1/kpi/close/?plan={plan.pk}&period=2026-Q2")
        assert closed.status_code == 201, closed.content
        t4 = _by_code(closed.json()["closed"])["T4"]
        assert (t4["numerator"], t4["denominator"]) == (0, 1)
        again = client.post(f"/api/v1/kpi/close/?plan={plan.pk}&period=2026-Q2")
        assert again.status_code == 409
        running = client.post(f"/api/v1/kpi/close/?plan={plan.pk}&period=2026")
        assert running.status_code == 409
    investigator = make_user("investigator", units["body"], name="Điều tra viên Lê Văn Bốn")
    with time_machine.travel(date(2026, 11, 25), tick=False):
        cs.case_detect(actor=investigator, case=Case.objects.get(pk=kpi_records["C2"].pk),
                       on=date(2026, 11, 25), method="investigation")
        body = client.get(f"/api/v1/kpi/dashboard/?plan={plan.pk}&period=2026-Q2").json()
        t4 = _by_code(body["targets"])["T4"]
        assert (t4["numerator"], t4["denominator"]) == (1, 1)   # today's records
        assert t4["closed_value"] == 0.0 and t4["revised"] is True
        snap = KpiSnapshot.objects.get(plan=plan, period_key="2026-Q2", target__code="T4")
        assert (snap.numerator, snap.denominator, snap.value) == (0, 1, 0)
        revision = KpiRevision.objects.get(snapshot=snap)
        assert (revision.old_numerator, revision.new_numerator) == (0, 1)
        assert revision.changes["numerator"]["added"] == [kpi_records["C2"].pk]
        assert [e["actor"] for e in revision.edits] == ["Điều tra viên Lê Văn Bốn"]
        # Seeing the dashboard again records no second revision.
        client.get(f"/api/v1/kpi/dashboard/?plan={plan.pk}&period=2026-Q2")
        assert KpiRevision.objects.filter(snapshot=snap).count() == 1
        # Unchanged figures have no revision.
        t2 = KpiSnapshot.objects.get(plan=plan, period_key="2026-Q2", target__code="T2")
        assert not t2.revisions.exists()
        page = login_verified(analyst).get(f"/kpi/T4/?plan={plan.pk}&period=2026-Q2")
        html = page.content.decode()
        assert "Điều tra viên Lê Văn Bốn" in html and "case.detect" in html


@time_machine.travel(TODAY, tick=False)
def test_outsiders_and_unit_leaders(plan, make_user, units, communes):
    judge = make_user("court_officer", units["court"])
    assert login(judge).get(f"/kpi/?plan={plan.pk}").status_code == 403
    assert api_client(judge).get("/api/v1/kpi/dashboard/").status_code == 403
    head = make_user("unit_leader", units["body"], is_head=True)
    client = api_client(head)
    own = client.get(f"/api/v1/kpi/dashboard/?plan={plan.pk}&period=2026")
    assert own.status_code == 200 and own.json()["scope"]["key"] == "unit:P80-CA-CSDT"
    assert _by_code(own.json()["targets"])["T4"]["numerator"] == 2
    other = client.get(f"/api/v1/kpi/dashboard/?plan={plan.pk}&period=2026&unit="
                       f"{units['vks'].code}")
    assert other.status_code == 403
    by_commune = client.get(f"/api/v1/kpi/dashboard/?plan={plan.pk}&commune="
                            f"{communes['a'].code}")
    assert by_commune.status_code == 403
    assert client.post(f"/api/v1/kpi/close/?plan={plan.pk}&period=2026-Q1").status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_bad_parameters_say_what_is_wrong(plan, leader):
    client = api_client(leader)
    bad = client.get(f"/api/v1/kpi/dashboard/?plan={plan.pk}&period=2026-13")
    assert bad.status_code == 400 and bad.json()["error"]["details"]["field"] == "period"
    assert client.get("/api/v1/kpi/dashboard/?plan=99999").status_code == 400
    assert client.get(f"/api/v1/kpi/records/?plan={plan.pk}&target=T99").status_code == 400
    page = login_verified(leader).get(f"/kpi/?plan={plan.pk}&period=2026-13")
    assert page.status_code == 200
    assert "Tháng" in page.context["warning"] or "01" in page.context["warning"]
    with pytest.raises(CommandError) as err:
        call_command("kpi", "--period", "năm ngoái", stdout=io.StringIO())
    assert err.value.returncode == 2 and "--period" in str(err.value)
    with pytest.raises(CommandError) as err:
        call_command("kpi", "--unit", "P99-XX", stdout=io.StringIO())
    assert err.value.returncode == 2


@time_machine.travel(TODAY, tick=False)
def test_next_year_plan_and_target_changes_are_audited(plan, leader):
    from pctp.core.models import AuditEvent

    client = login_verified(leader)
    response = client.post(f"/kpi/plans/{plan.pk}/", {
        "action": "copy", "number": "130/KH-UBND", "issued_on": "2026-12-20"})
    assert response.status_code == 302
    new = Plan.objects.get(number="130/KH-UBND")
    assert (new.period_start, new.period_end, new.status) == (
        date(2027, 1, 1), date(2027, 12, 31), "draft")
    assert new.targets.count() == 10
    client.post(f"/kpi/plans/{new.pk}/", {"action": "set", "code": "T4", "comparator": ">",
                                          "threshold": "78,5"})
    assert float(new.targets.get(code="T4").threshold) == 78.5
    event = AuditEvent.objects.filter(action="plan.target_set", object_id=str(new.pk)).last()
    assert event.changes["before"]["threshold"] == "75.00"
    bad = client.post(f"/kpi/plans/{new.pk}/", {"action": "set", "code": "T4",
                                                "comparator": ">", "threshold": "abc"},
                      follow=True)
    assert "ngưỡng" in bad.content.decode().lower() or "threshold" in bad.content.decode()
    assert float(new.targets.get(code="T4").threshold) == 78.5


@time_machine.travel(TODAY, tick=False)
def test_accountability_ranks_units_with_their_figures(plan, leader, units):
    page = login_verified(leader).get(f"/kpi/units/?plan={plan.pk}&period=2026")
    assert page.status_code == 200
    rows = {r["unit"].code: r for r in page.context["rows"]}
    body = rows["P80-CA-CSDT"]
    assert set(body["missed"]) >= {"T2", "T3", "T4", "T6"}
    assert rows[units["vks"].code]["figures"]["T7"]["numerator"] == 1
    # The investigation body misses the most targets: first.
    assert page.context["rows"][0]["unit"].code == "P80-CA-CSDT"


@time_machine.travel(TODAY, tick=False)
def test_the_period_is_picked_not_typed(plan, leader):
    """Issue 17: statistical month 3 of 2026 picked from the form is 15/02–14/03/2026; an
    incomplete pick shows the default period with the reason."""
    client = login_verified(leader)
    page = client.get(f"/kpi/?plan={plan.pk}&pkind=stat_month&pyear=2026&ppart=3")
    assert page.context["req"].period.key == "tk:2026-03"
    assert 'name="pkind"' in page.content.decode() and "period_key" not in page.content.decode()
    bad = client.get(f"/kpi/?plan={plan.pk}&pkind=quarter&pyear=2026")
    assert bad.status_code == 200 and "Chọn nửa năm, quý hoặc tháng" in bad.context["warning"]


@time_machine.travel(TODAY, tick=False)
def test_the_records_behind_a_figure_are_filtered_sorted_and_keep_it_in_the_url(
        plan, leader, kpi_records, communes):
    """Issue 17: T2's numerator (S1 in commune A, S3 and S5 in commune B) narrowed to
    commune B, newest first; the .xlsx and the pager carry the same filter."""
    client = login_verified(leader)
    base = f"/kpi/T2/records/?plan={plan.pk}&period=2026&part=numerator"
    html = client.get(f"{base}&in_commune={communes['b'].code}&sort=received&dir=desc"
                      ).content.decode()
    s1, s3, s5 = (f"/sources/{kpi_records[k].pk}/" for k in ("S1", "S3", "S5"))
    assert s1 not in html and html.index(s5) < html.index(s3)
    assert "trong số 3 được tính" in html
    assert f"in_commune={communes['b'].code}" in html  # the export link keeps the filter
    export = client.get(f"/kpi/T2/records.xlsx?plan={plan.pk}&period=2026&part=numerator"
                        f"&in_commune={communes['b'].code}")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    codes = {r[0] for r in rows[5:]}
    assert codes == {kpi_records["S3"].register_code, kpi_records["S5"].register_code}


@pytest.mark.parametrize("query", ["period=2026-Q2&unit=NOPE", "period=2026-13",
                                   "pkind=quarter&pyear=2026&ppart=9"])
def test_closing_with_a_bad_scope_or_period_closes_nothing(plan, analyst, query):
    """QA of issue 18: the dashboard falls back to the defaults on a bad parameter, but a
    close cannot be undone: a unit or period that does not exist must be refused, never
    read as the whole province or the default period."""
    with time_machine.travel(TODAY, tick=False):
        response = login_verified(analyst).post(f"/kpi/close/?plan={plan.pk}&{query}",
                                                {"note": "x"}, follow=True)
    assert response.status_code == 200
    assert not KpiSnapshot.objects.exists()
    assert "đã được chốt" not in response.content.decode()


def test_the_trend_hover_reads_like_the_page():
    """QA of issue 18: the trend's hover showed '90.61%%' (the axis suffix added to a unit
    already there) with an English decimal point on Vietnamese pages."""
    from decimal import Decimal
    from types import SimpleNamespace

    from django.utils import translation

    from pctp.kpi.maps import trend_figure

    fig = SimpleNamespace(indicator=SimpleNamespace(value_unit="%"),
                          target=SimpleNamespace(threshold=Decimal("90")))
    series = [{"end": date(2025, 5, 14), "value": 90.61, "numerator": 1193,
               "denominator": 1213}]
    with translation.override("vi"):
        vi = json.loads(trend_figure(fig, series))
    with translation.override("en"):
        en = json.loads(trend_figure(fig, series))
    assert vi["data"][0]["text"] == ["90,61% (1.193 / 1.213)"]
    assert en["data"][0]["text"] == ["90.61% (1,193 / 1,213)"]
    assert (vi["layout"]["separators"], en["layout"]["separators"]) == (",.", ".,")
    assert "%{y}" not in vi["data"][0]["hovertemplate"]


def test_typed_rows_are_the_drill_downs_rows_typed(plan, kpi_records):
    """The reports' annex reads records as plain values (kpi.records.typed_rows): each
    row holds exactly what the drill-down shows, dates as dates."""
    from datetime import date, datetime

    from pctp.cases.models import Case, Recovery, Referral
    from pctp.kpi import records as kr
    from pctp.sources.models import Source

    def shown(cell):
        if isinstance(cell, datetime):
            return f"{cell:%d/%m/%Y %H:%M}"
        if isinstance(cell, date):
            return f"{cell:%d/%m/%Y}"
        return "" if cell is None else cell

    for model in (Source, Case, Referral, Recovery):
        qs = model.objects.order_by("pk")
        slow = [cells for _url, cells in kr.rows(qs)]
        fast = [[shown(c) for c in cells] for _pk, cells in kr.typed_rows(qs)]
        assert fast == slow and slow, model.__name__
