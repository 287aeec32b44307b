"""The legal calendar: rest days, working days, Tết.

Weekdays below were read off a printed calendar (python -m calendar), and the holiday
dates from ``holidays.country_holidays("VN", years=...)`` printed once (0.109):
  2025: 01/01; Tết 27/01 (Mon) to 01/02 (Sat); 07/04; 30/04; 01/05; 02/05 (swapped for
        Saturday 26/04, which is worked); 01/09; 02/09.
  2026: 01/01 (Thu); Tết 16/02 (Mon) to 20/02 (Fri), so with the weekends around it
        14/02 (Sat) to 22/02 (Sun) is off; 26/04 (Sun) + 27/04 (Mon, observed); 30/04
        (Thu); 01/05 (Fri); 31/08 (swapped for Saturday 22/08); 01/09; 02/09; 24/11.
"""

from datetime import date, datetime

import pytest

from pctp.law import calendar as legal_calendar
from pctp.law.calendar import LegalCalendar, default_calendar


@pytest.fixture
def cal() -> LegalCalendar:
    return LegalCalendar()


def test_saturday_and_sunday_are_rest_days(cal):
    assert cal.is_rest_day(date(2026, 1, 3))  # Saturday
    assert cal.is_rest_day(date(2026, 1, 4))  # Sunday
    assert not cal.is_rest_day(date(2026, 1, 5))  # Monday
    assert cal.is_working_day(date(2026, 1, 9))  # Friday


def test_new_year_is_a_rest_day(cal):
    assert cal.is_rest_day(date(2026, 1, 1))  # Thursday, Tết Dương lịch
    assert not cal.is_rest_day(date(2026, 1, 2))  # Friday


def test_every_day_of_tet_2026_is_a_rest_day(cal):
    for day in range(14, 23):  # Sat 14/02 to Sun 22/02/2026
        assert cal.is_rest_day(date(2026, 2, day)), day
    assert not cal.is_rest_day(date(2026, 2, 13))  # Friday before Tết
    assert not cal.is_rest_day(date(2026, 2, 23))  # Monday after Tết


def test_the_swapped_saturday_is_worked_and_the_bridge_day_is_off(cal):
    assert not cal.is_rest_day(date(2025, 4, 26))  # Saturday worked for Friday 02/05/2025
    assert cal.is_rest_day(date(2025, 5, 2))
    assert not cal.is_rest_day(date(2026, 8, 22))  # Saturday worked for Monday 31/08/2026
    assert cal.is_rest_day(date(2026, 8, 31))


def test_package_swaps_can_be_switched_off():
    cal = LegalCalendar(package_swaps=False)
    assert cal.is_rest_day(date(2025, 4, 26))  # back to an ordinary Saturday
    assert cal.is_rest_day(date(2025, 5, 2))  # the day off stays off


def test_extra_days_off_are_rest_days():
    cal = LegalCalendar(extra_days_off=[date(2026, 1, 2)])  # a Friday the government adds
    assert cal.is_rest_day(date(2026, 1, 2))
    assert not LegalCalendar().is_rest_day(date(2026, 1, 2))


def test_extra_working_days_beat_weekends_and_holidays():
    cal = LegalCalendar(extra_working_days=[date(2026, 1, 10), date(2026, 2, 16)])
    assert not cal.is_rest_day(date(2026, 1, 10))  # a compensatory working Saturday
    assert not cal.is_rest_day(date(2026, 2, 16))  # declared working although Tết


def test_an_explicit_day_off_beats_a_package_swap():
    cal = LegalCalendar(extra_days_off=[date(2025, 4, 26)])
    assert cal.is_rest_day(date(2025, 4, 26))


def test_a_day_both_off_and_working_is_refused():
    with pytest.raises(ValueError, match="2026-01-10"):
        LegalCalendar(extra_days_off=[date(2026, 1, 10)], extra_working_days=[date(2026, 1, 10)])


def test_next_working_day_is_the_day_itself_when_working(cal):
    assert cal.next_working_day(date(2026, 1, 5)) == date(2026, 1, 5)  # Monday
    assert cal.next_working_day(date(2025, 12, 31)) == date(2025, 12, 31)  # Wednesday


def test_next_working_day_skips_a_weekend(cal):
    # Saturday 03/01/2026 -> Sunday 04/01 -> Monday 05/01/2026.
    assert cal.next_working_day(date(2026, 1, 3)) == date(2026, 1, 5)


def test_next_working_day_skips_new_year(cal):
    # Thursday 01/01/2026 is off -> Friday 02/01/2026.
    assert cal.next_working_day(date(2026, 1, 1)) == date(2026, 1, 2)


def test_next_working_day_skips_all_of_tet(cal):
    # Saturday 14/02/2026 ... Sunday 22/02 all off -> Monday 23/02/2026.
    assert cal.next_working_day(date(2026, 2, 14)) == date(2026, 2, 23)
    assert cal.next_working_day(date(2026, 2, 17)) == date(2026, 2, 23)


def test_add_working_days_over_a_weekend(cal):
    # Friday 09/01/2026 + 3 working days: Mon 12 (1), Tue 13 (2), Wed 14 (3).
    assert cal.add_working_days(date(2026, 1, 9), 3) == date(2026, 1, 14)


def test_add_working_days_over_tet(cal):
    # Friday 13/02/2026 + 3: 14-22/02 off; Mon 23 (1), Tue 24 (2), Wed 25 (3).
    assert cal.add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)


def test_add_working_days_over_30_april_and_1_may(cal):
    # Wednesday 29/04/2026 + 2: Thu 30/04 off, Fri 01/05 off, Sat 02, Sun 03;
    # Mon 04/05 (1), Tue 05/05 (2).
    assert cal.add_working_days(date(2026, 4, 29), 2) == date(2026, 5, 5)


def test_add_working_days_counts_a_swapped_saturday(cal):
    # Friday 25/04/2025 + 1: Saturday 26/04/2025 was a working day.
    assert cal.add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)


def test_add_working_days_from_a_rest_day(cal):
    # Saturday 03/01/2026 + 1: Sunday 04 off, Monday 05/01 (1).
    assert cal.add_working_days(date(2026, 1, 3), 1) == date(2026, 1, 5)


def test_adding_zero_working_days_gives_the_same_day(cal):
    assert cal.add_working_days(date(2026, 1, 3), 0) == date(2026, 1, 3)


def test_adding_negative_working_days_is_refused(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 1, 5), -1)


def test_a_datetime_is_refused(cal):
    with pytest.raises(TypeError, match="Asia/Ho_Chi_Minh"):
        cal.is_rest_day(datetime(2026, 1, 5, 9, 0))


def test_holiday_years_are_fetched_once(monkeypatch):
    calls = []
    real = legal_calendar.holidays.country_holidays

    def counting(country, years):
        calls.append(years)
        return real(country, years=years)

    legal_calendar._public_holidays.cache_clear()
    monkeypatch.setattr(legal_calendar.holidays, "country_holidays", counting)
    try:
        cal = LegalCalendar()
        for day in range(1, 29):
            cal.is_rest_day(date(2031, 2, day))
        LegalCalendar().is_rest_day(date(2031, 3, 2))
        assert calls == [2031]
    finally:
        legal_calendar._public_holidays.cache_clear()


def test_default_calendar_is_shared():
    assert default_calendar() is default_calendar()
