"""The register counts thousands of limits at one instant with `alert_levels`; it must give
each limit the level `alert_level` gives it, at every boundary (issue 23)."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from pctp.core.deadlines import CRITICAL, NOTICE, WARNING, alert_level, alert_levels, end_of_day


def test_alert_levels_agree_with_alert_level_around_every_boundary():
    tz = timezone.get_current_timezone()
    now = datetime(2026, 8, 1, 9, 30, tzinfo=tz)
    level_of = alert_levels(now)
    checked = 0
    for days in range(-2, 14):
        day = date(2026, 8, 1) + timedelta(days=days)
        for instant in (end_of_day(day), end_of_day(day) - timedelta(microseconds=1),
                        end_of_day(day) + timedelta(microseconds=1),
                        datetime.combine(day, datetime.min.time(), tz) + timedelta(hours=9, minutes=30)):
            assert level_of(instant) == alert_level(instant, now), instant
            checked += 1
    assert level_of(None) == alert_level(None, now) == ""
    assert checked == 64


def test_the_levels_by_hand():
    tz = timezone.get_current_timezone()
    now = datetime(2026, 8, 1, 9, 30, tzinfo=tz)
    level_of = alert_levels(now)
    assert level_of(now) == CRITICAL  # expires this instant: past it
    assert level_of(end_of_day(date(2026, 8, 4))) == WARNING  # last day 4/8: 3 days left
    assert level_of(end_of_day(date(2026, 8, 5))) == NOTICE  # 4 days left
    assert level_of(end_of_day(date(2026, 8, 11))) == NOTICE  # 10 days left
    assert level_of(end_of_day(date(2026, 8, 12))) == ""  # 11 days left
