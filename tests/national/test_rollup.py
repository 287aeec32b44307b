"""The national roll-up (issue 23): what a province publishes (counts by month, commune and
crime group; closed figures), how a revision shows, that nothing of a person is in it, the
signed export, and the national page and API. Counts are made by hand here."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pctp.core.errors import DomainError
from pctp.national import services as s
from pctp.national.models import RollupCount, RollupFigure
from tests.personas import api_client, login_verified

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 7, 10, 9, tzinfo=VN)


def _source(communes, n, received, group="social_order", status="received"):
    from pctp.sources.models import Source

    police = communes["police_a"]
    return Source.objects.create(
        unit=police, holder=police, register_year=2026, register_number=n,
        kind="crime_report", channel="in_person", received_at=received,
        holder_received_at=received, summary="Trộm cắp", content="Nguyễn Văn An báo mất xe.",
        reporter_type="anonymous", clock_start=received.date(),
        due_date=date(2026, 8, 1), commune=communes["a"], status=status, crime_group=group)


def key(communes, month, measure="sources_received", group="social_order"):
    return f"80:{month}:{measure}:{communes['a'].code}:{group}"


@time_machine.travel(NOW, tick=False)
def test_counts_are_published_revised_and_fall_to_zero(communes):
    """Three sources in June 2026 (one received at 23:30 on 30 June, Hà Nội time: June), one
    drug source in July; published: June 3, July 1. One more in June: revision 2, count 4.
    The July one merged into another: its count falls to 0, revision 2, kept."""
    _source(communes, 1, datetime(2026, 6, 2, 8, tzinfo=VN))
    _source(communes, 2, datetime(2026, 6, 15, 8, tzinfo=VN))
    _source(communes, 3, datetime(2026, 6, 30, 23, 30, tzinfo=VN))
    july = _source(communes, 4, datetime(2026, 7, 1, 8, tzinfo=VN), group="drugs")
    done = s.publish(months=2)
    assert done["counts"]["new"] == 2 and done["since"] == "2026-06-01"
    june = RollupCount.objects.get(key=key(communes, "2026-06"))
    assert (june.count, june.revision, june.month) == (3, 1, date(2026, 6, 1))
    assert RollupCount.objects.get(key=key(communes, "2026-07", group="drugs")).count == 1
    assert s.publish(months=2)["counts"] == {"new": 0, "revised": 0, "fallen": 0,
                                            "unchanged": 2}
    _source(communes, 5, datetime(2026, 6, 20, 8, tzinfo=VN))
    july.status = "merged"
    july.save(update_fields=["status"])
    done = s.publish(months=2)
    assert done["counts"] == {"new": 0, "revised": 1, "fallen": 1, "unchanged": 0}
    june.refresh_from_db()
    assert (june.count, june.revision) == (4, 2)
    fallen = RollupCount.objects.get(key=key(communes, "2026-07", group="drugs"))
    assert (fallen.count, fallen.revision) == (0, 2)
    with pytest.raises(DomainError):
        s.publish(months=0)


def test_no_column_of_the_roll_up_can_hold_a_person():
    """The tables that travel to the nation: counts, codes, periods and figures only."""
    allowed = {"key", "province", "month", "measure", "commune", "crime_group", "count",
               "revision", "published_at", "plan", "target", "period_key", "period_start",
               "period_end", "numerator", "denominator", "value", "threshold", "comparator",
               "status", "as_of"}
    for model in (RollupCount, RollupFigure):
        assert {f.column for f in model._meta.get_fields()} <= allowed, model.__name__


@time_machine.travel(NOW, tick=False)
def test_closed_figures_are_published_and_their_revision_shows(communes):
    from pctp.core.models import User
    from pctp.kpi.models import KpiSnapshot
    from pctp.kpi.services import plan_targets_default
    from pctp.plans.models import Plan
    from pctp.units.models import Unit

    admin = User.objects.create_superuser("rollup.admin", password="x" * 12)
    plan = Plan.objects.create(number="120/KH-UBND", title="Kế hoạch 2026",
                               issuing_unit=Unit.objects.get(code="P80-UBND"),
                               issued_on=date(2026, 1, 10), period_start=date(2026, 1, 1),
                               period_end=date(2026, 12, 31))
    plan_targets_default(actor=admin, plan=plan)
    target = plan.targets.order_by("position").first()
    snap = KpiSnapshot.objects.create(
        plan=plan, target=target, period_key="2026-Q2", period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30), measured_start=date(2026, 4, 1),
        measured_end=date(2026, 6, 30), numerator=45, denominator=50, value=Decimal("90.00"),
        status="met", numerator_model="sources.source", denominator_model="sources.source",
        numerator_ids=[1, 2, 3], denominator_ids=[1, 2, 3, 4], as_of=date(2026, 7, 5),
        closed_by=admin, closed_at=NOW)
    s.publish(months=1)
    row = RollupFigure.objects.get(key=f"80:120/KH-UBND:{target.code}:2026-Q2")
    assert (row.numerator, row.denominator, row.value, row.revision) == (45, 50,
                                                                        Decimal("90.00"), 1)
    KpiSnapshot.objects.filter(pk=snap.pk).update(numerator=44, value=Decimal("88.00"))
    s.publish(months=1)
    row.refresh_from_db()
    assert (row.numerator, row.value, row.revision) == (44, Decimal("88.00"), 2)
    assert "numerator_ids" not in json.dumps(s.export(key="k")["body"])


@time_machine.travel(NOW, tick=False)
def test_a_signed_export_is_applied_only_with_the_provinces_key(communes):
    _source(communes, 1, datetime(2026, 7, 2, 8, tzinfo=VN))
    s.publish(months=1)
    document = s.export(key="secret-80")
    assert "Nguyễn Văn An" not in document["body"]  # the reporter's name never travels
    RollupCount.objects.all().delete()  # the nation has nothing yet
    with pytest.raises(DomainError) as refused:
        s.import_export(document, keys={"80": "another key"})
    assert refused.value.status == 403
    tampered = {**document, "body": document["body"].replace('"count": 1', '"count": 9')}
    with pytest.raises(DomainError):
        s.import_export(tampered, keys={"80": "secret-80"})
    assert s.import_export(document, keys={"80": "secret-80"}) == {
        "province": "80", "counts": 1, "figures": 0}
    assert RollupCount.objects.get(key=key(communes, "2026-07")).count == 1
    # The same export again: nothing newer, nothing applied.
    assert s.import_export(document, keys={"80": "secret-80"})["counts"] == 0
    with pytest.raises(DomainError):
        s.import_export({"body": "not json", "signature": ""}, keys={})


@time_machine.travel(NOW, tick=False)
def test_the_national_page_and_api_show_every_province_to_those_who_may_see(
        communes, make_user):
    published = NOW
    for province, n in (("80", 12), ("72", 30)):
        for measure, count in (("sources_received", n), ("cases_initiated", 10),
                               ("cases_detected", 8)):
            RollupCount.objects.create(key=f"{province}:2026-06:{measure}:x:", province=province,
                                       month=date(2026, 6, 1), measure=measure, commune="x",
                                       count=count, published_at=published)
    leader = make_user("provincial_leader", "P80")
    page = login_verified(leader).get("/national/?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Tây Ninh" in text and "80,0" in text  # 8 of 10 detected
    data = api_client(leader).get("/api/v1/national/?year=2026").json()
    assert {p["province"]: p["counts"]["sources_received"] for p in data["provinces"]} == {
        "80": 12, "72": 30}
    officer = make_user("intake_officer", communes["police_a"])
    assert login_verified(officer).get("/national/").status_code == 403
    assert api_client(officer).get("/api/v1/national/").status_code == 403
