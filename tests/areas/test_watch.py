"""The relapse watch: a relapse found in new crime data, none where the counts stay low."""

from datetime import date

import pytest
from django.core.management import call_command

from pctp.areas import services as s
from pctp.areas.models import Status, WatchCheck
from pctp.core.models import Notification
from tests.areas.conftest import make_case, make_source

TODAY = date(2026, 7, 5)


def baseline(commune, n=4):
    """n crimes in the 12 months before the selection decision of 1/3/2025."""
    for i in range(n):
        make_case(commune, date(2024, 5 + i, 1), detected=date(2024, 5 + i, 3))


def new_crimes(commune, n):
    for i in range(n):
        make_case(commune, date(2026, 3, 10 + i), detected=date(2026, 3, 20))


def test_crimes_back_at_the_level_of_selection_are_a_relapse(three, leader, transformed):
    a = three[0]
    baseline(a)
    area = transformed(a)
    assert area.baseline_crimes == 4 and area.status == Status.REMOVED
    assert area.watch_until == date(2028, 1, 15)
    new_crimes(a, 4)
    run = s.watch_run(today=TODAY, commit=True)
    area.refresh_from_db()
    assert area.status == Status.RELAPSED and area.relapsed_on == date(2026, 3, 31)
    levels = list(area.watch_checks.order_by("month").values_list("month", "crimes", "level"))
    # December 2025 to February 2026 within the levels; March 2026 back at 4 of 4.
    assert levels == [(date(2025, 12, 1), 0, "ok"), (date(2026, 1, 1), 0, "ok"),
                      (date(2026, 2, 1), 0, "ok"), (date(2026, 3, 1), 4, "relapse")]
    assert [x.pk for x in run.relapsed] == [area.pk]
    from tests.personas import api_client

    checks = api_client(leader).get(f"/api/v1/areas/{area.pk}/").json()["watch_checks"]
    assert [(c["month"], c["level"]) for c in checks] == [("2026-03-01", "relapse"),
                                                           ("2026-02-01", "ok"),
                                                           ("2026-01-01", "ok"),
                                                           ("2025-12-01", "ok")]
    assert area.relapse_evidence["crimes"]["count"] == 4
    assert Notification.objects.filter(user=leader, key=f"area:{area.pk}:relapse:2026-03-31"
                                       ).exists()
    # Run again: nothing more happens to a relapsed area.
    assert s.watch_run(today=TODAY, commit=True).checks == []


def test_no_relapse_while_the_counts_stay_low(three, leader, transformed):
    b = three[1]
    baseline(b)
    area = transformed(b)
    new_crimes(b, 1)
    s.watch_run(today=TODAY, commit=True)
    area.refresh_from_db()
    assert area.status == Status.REMOVED and area.relapsed_on is None
    checks = area.watch_checks.order_by("month")
    assert checks.count() == 7  # December 2025 to June 2026
    assert set(checks.values_list("level", flat=True)) == {"ok"}
    assert checks.last().crimes == 1
    assert not Notification.objects.filter(key__startswith=f"area:{area.pk}:").exists()


def test_leaders_are_alerted_when_an_area_trends_towards_relapse(three, leader, transformed):
    c = three[2]
    baseline(c)
    area = transformed(c)
    new_crimes(c, 3)  # 3 ≥ 0.75 × 4, below 4
    s.watch_run(today=TODAY, commit=True)
    area.refresh_from_db()
    assert area.status == Status.REMOVED
    march = area.watch_checks.get(month=date(2026, 3, 1))
    assert (march.crimes, march.level) == (3, WatchCheck.Level.WARNING)
    assert Notification.objects.filter(user=leader, key=f"area:{area.pk}:warning:2026-03"
                                       ).exists()


def test_a_failed_criterion_is_a_relapse_even_with_few_crimes(three, transformed):
    a = three[0]
    baseline(a)
    area = transformed(a)
    make_source(a, date(2026, 4, 1), due=date(2026, 4, 21))  # left open past its limit
    s.watch_run(today=TODAY, commit=True)
    area.refresh_from_db()
    assert area.status == Status.RELAPSED and area.relapsed_on == date(2026, 4, 30)
    assert area.watch_checks.get(month=date(2026, 4, 1)).reasons == ["criterion:sources"]


def test_an_area_selected_again_within_the_watch_relapses(three, leader, transformed, select):
    b = three[1]
    baseline(b)
    area = transformed(b)
    again = select(b, year=2026, on=date(2026, 2, 1))
    area.refresh_from_db()
    assert area.status == Status.RELAPSED and area.relapsed_on == date(2026, 2, 1)
    assert area.relapse_evidence["selected_again"] == again.pk
    assert again.previous == area


def test_a_dry_run_writes_nothing(three, transformed, capsys):
    a = three[0]
    baseline(a)
    area = transformed(a)
    new_crimes(a, 4)
    call_command("areas-watch", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "relapse" in out and "Dry run" in out
    area.refresh_from_db()
    assert area.status == Status.REMOVED and not area.watch_checks.exists()


@pytest.mark.parametrize("months", [12])
def test_the_watch_window_is_a_setting(three, transformed, settings, months):
    settings.PCTP_AREA_WATCH_MONTHS = months
    area = transformed(three[0])
    assert area.watch_until == date(2027, 1, 15)
