"""Procedural time limits, rule by rule.

Every expected date is worked out by hand in the comment next to it. Weekdays were read
off a printed calendar; rest days are those listed in test_calendar.py (Tết 2026: Saturday
14/02 to Sunday 22/02; 30/04 and 01/05/2026 off, Thursday and Friday). Day limits: D + N.
Month limits: same day number, clamped to the month's end, then the next working day if
that is a rest day. Detention: a month is 30 days, no rollover. Rules in force from
01/07/2025 are the 2025 versions (regional procuracy defaults).
"""

import json
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pctp.law.calendar import LegalCalendar
from pctp.law.timelimits import (
    RULE_CODES,
    RULES,
    Deadline,
    LawError,
    Severity,
    evaluate,
    list_rules,
    rule_for,
)

LS, S, VS, ES = (
    Severity.LESS_SERIOUS,
    Severity.SERIOUS,
    Severity.VERY_SERIOUS,
    Severity.ESPECIALLY_SERIOUS,
)


def due(code, start, **kw):
    return evaluate(code, start=start, **kw).due


# ------------------------------------------------------------------ the rule set


def test_the_rule_set_covers_exactly_the_agreed_codes():
    assert set(RULE_CODES) == {
        "source.resolve",
        "source.resume",
        "source.suspension_cancelled",
        "notify.receipt",
        "investigation",
        "investigation.supplementary.procuracy",
        "investigation.supplementary.court",
        "prosecution.decide",
        "trial.prepare",
        "trial.open",
        "custody",
        "detention.investigation",
        "detention.prosecution",
        "appeal.judgment",
        "appeal.decision",
        # Added for issue 15: liberty limits in hours and per stage, and the two case
        # clocks that lived in the cases app.
        "investigation.resumed",
        "trial.prepare.returned",
        "detention.resumed",
        "detention.supplementary.procuracy",
        "detention.supplementary.court",
        "detention.trial",
        "detention.judgment",
        "hold.emergency",
        "arrest.decide",
        "custody.send",
        "custody.approval",
        # Issue 21: protests by the procuracy (Art. 337) and the appellate trial (Art. 346).
        "protest.same_level",
        "protest.higher",
        "appeal.trial",
    }


@pytest.mark.parametrize(
    "on", [date(2018, 1, 1), date(2025, 6, 30), date(2025, 7, 1), date(2030, 1, 1)]
)
def test_exactly_one_version_of_each_rule_is_in_force_on_any_day(on):
    in_force = list_rules(on)
    assert sorted(r.code for r in in_force) == sorted(RULE_CODES)


def test_list_rules_without_a_date_gives_every_version():
    assert list_rules() == RULES
    assert len(RULES) > len(RULE_CODES)  # some rules have a pre- and a post-reform version


def test_every_rule_cites_its_basis_and_has_a_vietnamese_title():
    for rule in RULES:
        assert rule.basis.startswith(("BLTTHS 2015", "TTLT 01/2017")), rule.code
        assert rule.title_vi, rule.code


def test_post_reform_versions_document_the_open_authority_point():
    rule = rule_for("investigation", date(2025, 7, 1))
    assert "Điểm còn mở" in rule.note_vi
    assert rule.effective_from == date(2025, 7, 1)
    assert rule_for("investigation", date(2025, 6, 30)).effective_to == date(2025, 6, 30)


def test_rules_are_immutable():
    rule = rule_for("investigation", date(2026, 1, 1))
    with pytest.raises(TypeError):
        rule.base[LS] = None  # type: ignore[index]
    with pytest.raises(AttributeError):
        rule.code = "x"  # type: ignore[misc]


# ------------------------------------------------------------------ source.resolve (Art. 147)


def test_source_resolve_is_20_days_from_receipt():
    # Mon 05/01/2026 + 20 days = Sun 25/01/2026; a day limit does not roll by default.
    d = evaluate("source.resolve", start=date(2026, 1, 5))
    assert d.due == date(2026, 1, 25)
    assert d.rollover is False
    assert d.can_extend is True
    # The first extension is the investigation body's own decision: no request needed.
    assert d.request_by is None
    assert "Thủ trưởng Cơ quan điều tra" in d.granted_by
    # max: receipt + 2 months = Thu 05/03/2026, + 2 months = Tue 05/05/2026.
    assert d.max_due == date(2026, 5, 5)


def test_source_resolve_20_days_rolls_over_when_day_rollover_is_on():
    # Sun 25/01/2026 -> Mon 26/01/2026.
    d = evaluate("source.resolve", start=date(2026, 1, 5), day_rollover=True)
    assert d.due == date(2026, 1, 26)
    assert d.rollover is True


def test_source_resolve_first_extension_is_two_months_in_total_from_receipt():
    # 05/01/2026 + 2 months = Thu 05/03/2026 (not 25/01 + 2 months).
    d = evaluate("source.resolve", start=date(2026, 1, 5), extensions=1)
    assert d.due == date(2026, 3, 5)
    # The second extension needs a request to the procuracy >= 5 days before expiry:
    # 05/03/2026 - 5 days = 28/02/2026.
    assert d.request_by == date(2026, 2, 28)
    assert "Viện kiểm sát có thẩm quyền" in d.granted_by
    assert "khu vực" in d.granted_by


def test_source_resolve_second_extension_adds_two_more_months():
    # 05/03/2026 + 2 months = Tue 05/05/2026; nothing more can follow.
    d = evaluate("source.resolve", start=date(2026, 1, 5), extensions=2)
    assert d.due == date(2026, 5, 5)
    assert d.max_due == date(2026, 5, 5)
    assert d.can_extend is False
    assert d.request_by is None
    assert d.granted_by is None


def test_source_resolve_refuses_a_third_extension():
    with pytest.raises(LawError) as err:
        evaluate("source.resolve", start=date(2026, 1, 5), extensions=3)
    assert err.value.code == "too_many_extensions"
    assert "at most 2" in str(err.value)


def test_source_resolve_two_months_ending_inside_tet():
    # Sun 14/12/2025 + 2 months = Sat 14/02/2026, first day of the Tết break
    # (14/02-22/02) -> Mon 23/02/2026.
    d = evaluate("source.resolve", start=date(2025, 12, 14), extensions=1)
    assert d.due == date(2026, 2, 23)
    assert d.rollover is True
    # request_by counts back from the expiry actually in force: 23/02 - 5 = 18/02/2026.
    assert d.request_by == date(2026, 2, 18)
    # The next 2 months run from the un-rolled 14/02: 14/04/2026 (Tue), not 23/04.
    assert d.max_due == date(2026, 4, 14)


def test_source_resolve_before_the_reform_uses_the_2015_authorities():
    # Receipt Fri 20/06/2025: the pre-reform version applies.
    d = evaluate("source.resolve", start=date(2025, 6, 20), extensions=1)
    assert d.basis == "BLTTHS 2015 Điều 147; TTLT 01/2017 Điều 11"
    assert d.granted_by == "Viện trưởng Viện kiểm sát cùng cấp hoặc Viện kiểm sát có thẩm quyền"
    # 20/06/2025 + 2 months = Wed 20/08/2025.
    assert d.due == date(2025, 8, 20)


def test_on_selects_the_rule_version_in_force():
    d = evaluate("source.resolve", start=date(2025, 6, 20), extensions=1, on=date(2025, 7, 1))
    assert d.basis.startswith("BLTTHS 2015 (sửa đổi 2025)")
    assert "khu vực" in d.granted_by
    assert d.due == date(2025, 8, 20)  # same counting, other authority


# ------------------------------------------------------------------ Arts. 148, 149


def test_source_resume_is_one_month_from_the_decision():
    # Wed 10/12/2025 + 1 month = Sat 10/01/2026 -> Mon 12/01/2026.
    d = evaluate("source.resume", start=date(2025, 12, 10))
    assert d.due == date(2026, 1, 12)
    assert d.rollover is True
    assert d.can_extend is False
    assert d.max_due == d.due
    assert d.basis == "BLTTHS 2015 Điều 149"


def test_month_end_clamping_then_weekend_rollover():
    # 31/01/2026 + 1 month: February has no 31st -> Sat 28/02/2026 -> Mon 02/03/2026.
    d = evaluate("source.resume", start=date(2026, 1, 31))
    assert d.due == date(2026, 3, 2)
    assert d.rollover is True


def test_month_end_clamping_in_a_leap_year():
    # 31/01/2028 + 1 month = Tue 29/02/2028 (2028 is a leap year), a working day.
    d = evaluate("source.suspension_cancelled", start=date(2028, 1, 31))
    assert d.due == date(2028, 2, 29)
    assert d.rollover is False
    assert d.basis == "BLTTHS 2015 Điều 148 khoản 2"


def test_a_month_limit_ending_inside_tet_moves_past_tet():
    # 17/01/2026 + 1 month = Tue 17/02/2026, Tết day 1 -> Mon 23/02/2026.
    d = evaluate("source.suspension_cancelled", start=date(2026, 1, 17))
    assert d.due == date(2026, 2, 23)
    assert d.rollover is True


def test_a_month_limit_on_a_working_day_does_not_move():
    # 10/03/2026 + 1 month = Fri 10/04/2026.
    d = evaluate("source.suspension_cancelled", start=date(2026, 3, 10))
    assert d.due == date(2026, 4, 10)
    assert d.rollover is False


# ------------------------------------------------------------------ notify.receipt


def test_notify_receipt_is_three_working_days_over_a_weekend():
    # Fri 09/01/2026: Mon 12 (1), Tue 13 (2), Wed 14/01/2026 (3).
    d = evaluate("notify.receipt", start=date(2026, 1, 9))
    assert d.due == date(2026, 1, 14)
    assert d.rollover is False
    assert d.can_extend is False


def test_notify_receipt_skips_tet_2026():
    # Fri 13/02/2026: 14-22/02 off; Mon 23 (1), Tue 24 (2), Wed 25/02/2026 (3).
    assert due("notify.receipt", date(2026, 2, 13)) == date(2026, 2, 25)


def test_notify_receipt_skips_tet_2025():
    # Fri 24/01/2025: Sat 25, Sun 26, Tết 27/01-01/02, Sun 02/02;
    # Mon 03 (1), Tue 04 (2), Wed 05/02/2025 (3).
    assert due("notify.receipt", date(2025, 1, 24)) == date(2025, 2, 5)


def test_working_day_limits_respect_extra_days_off():
    # Fri 09/01/2026 with Mon 12/01 declared off: Tue 13 (1), Wed 14 (2), Thu 15 (3).
    cal = LegalCalendar(extra_days_off=[date(2026, 1, 12)])
    assert due("notify.receipt", date(2026, 1, 9), calendar=cal) == date(2026, 1, 15)


# ------------------------------------------------------------------ investigation (Art. 172)


def test_investigation_less_serious():
    # Tue 10/02/2026 + 2 months = Fri 10/04/2026; request by 10/04 - 10 = 31/03/2026.
    d = evaluate("investigation", start=date(2026, 2, 10), severity=LS)
    assert d.due == date(2026, 4, 10)
    assert d.request_by == date(2026, 3, 31)
    assert d.granted_by == "Viện trưởng VKSND khu vực (Viện kiểm sát có thẩm quyền)"
    # + 2 months = Wed 10/06/2026 (4 months in all).
    assert d.max_due == date(2026, 6, 10)
    assert d.basis == "BLTTHS 2015 (sửa đổi 2025) Điều 172"


def test_investigation_less_serious_one_extension():
    d = evaluate("investigation", start=date(2026, 2, 10), severity=LS, extensions=1)
    assert d.due == date(2026, 6, 10)
    assert d.can_extend is False
    assert d.request_by is None
    assert d.granted_by is None


def test_investigation_less_serious_refuses_a_second_extension():
    with pytest.raises(LawError) as err:
        evaluate("investigation", start=date(2026, 2, 10), severity=LS, extensions=2)
    assert err.value.code == "too_many_extensions"
    assert "less_serious" in str(err.value)
    assert err.value.details["allowed"] == 1


def test_investigation_serious_rolls_over_and_extends_from_the_unrolled_date():
    # Tue 10/02/2026 + 3 months = Sun 10/05/2026 -> Mon 11/05/2026.
    d0 = evaluate("investigation", start=date(2026, 2, 10), severity=S)
    assert d0.due == date(2026, 5, 11)
    assert d0.rollover is True
    # 11/05/2026 - 10 days = 01/05/2026 (a holiday; it is only a latest date).
    assert d0.request_by == date(2026, 5, 1)
    # + 3 months from the un-rolled 10/05 = Mon 10/08/2026 (not 11/08).
    d1 = evaluate("investigation", start=date(2026, 2, 10), severity=S, extensions=1)
    assert d1.due == date(2026, 8, 10)
    assert d1.rollover is False
    assert d1.request_by == date(2026, 7, 31)
    # + 2 months = Sat 10/10/2026 -> Mon 12/10/2026 (8 months in all).
    d2 = evaluate("investigation", start=date(2026, 2, 10), severity=S, extensions=2)
    assert d2.due == date(2026, 10, 12)
    assert d2.rollover is True
    assert d2.can_extend is False
    assert d0.max_due == d1.max_due == d2.max_due == date(2026, 10, 12)
    with pytest.raises(LawError, match="at most 2"):
        evaluate("investigation", start=date(2026, 2, 10), severity=S, extensions=3)


def test_investigation_very_serious():
    # Thu 05/03/2026 + 4 months = Sun 05/07/2026 -> Mon 06/07/2026; request by 26/06.
    d0 = evaluate("investigation", start=date(2026, 3, 5), severity=VS)
    assert (d0.due, d0.rollover, d0.request_by) == (date(2026, 7, 6), True, date(2026, 6, 26))
    assert "khu vực" in d0.granted_by
    # + 4 months from 05/07 = Thu 05/11/2026; the second extension is provincial.
    d1 = evaluate("investigation", start=date(2026, 3, 5), severity=VS, extensions=1)
    assert d1.due == date(2026, 11, 5)
    assert d1.granted_by == "Viện trưởng VKSND cấp tỉnh"
    # + 4 months = Fri 05/03/2027 (12 months in all).
    d2 = evaluate("investigation", start=date(2026, 3, 5), severity=VS, extensions=2)
    assert d2.due == date(2027, 3, 5)
    assert d2.can_extend is False
    assert d0.max_due == date(2027, 3, 5)
    with pytest.raises(LawError):
        evaluate("investigation", start=date(2026, 3, 5), severity=VS, extensions=3)


def test_investigation_especially_serious_has_three_extensions_and_the_special_one():
    start = date(2026, 3, 5)
    expected = [
        # (due, request_by = due - 10 days, who grants the next extension)
        (date(2026, 7, 6), date(2026, 6, 26), "Viện trưởng VKSND cấp tỉnh"),  # 05/07 Sun -> Mon
        (date(2026, 11, 5), date(2026, 10, 26), "Viện trưởng VKSND cấp tỉnh"),  # Thu
        (date(2027, 3, 5), date(2027, 2, 23), "Viện trưởng VKSND tối cao"),  # Fri
        (date(2027, 7, 5), date(2027, 6, 25), "Viện trưởng VKSND tối cao (gia hạn thêm"),  # Mon
        (date(2027, 11, 5), None, None),  # Fri; 4+4+4+4+4 = 20 months
    ]
    for n, (exp_due, exp_request, exp_by) in enumerate(expected):
        d = evaluate("investigation", start=start, severity=ES, extensions=n)
        assert d.due == exp_due, n
        assert d.request_by == exp_request, n
        if exp_by is None:
            assert d.granted_by is None
        else:
            assert d.granted_by.startswith(exp_by), n
        assert d.max_due == date(2027, 11, 5)
    with pytest.raises(LawError) as err:
        evaluate("investigation", start=start, severity=ES, extensions=5)
    assert err.value.code == "too_many_extensions"


def test_investigation_month_end_clamp_is_kept_through_an_extension():
    # 31/12/2025 + 2 months = Sat 28/02/2026 -> Mon 02/03/2026;
    # + 2 months from 28/02 = Tue 28/04/2026.
    assert due("investigation", date(2025, 12, 31), severity=LS) == date(2026, 3, 2)
    assert due("investigation", date(2025, 12, 31), severity=LS, extensions=1) == date(2026, 4, 28)


def test_investigation_before_the_reform_names_the_district_procuracy():
    # Sat 15/03/2025 + 2 months = Thu 15/05/2025.
    d = evaluate("investigation", start=date(2025, 3, 15), severity=LS)
    assert d.due == date(2025, 5, 15)
    assert d.basis == "BLTTHS 2015 Điều 172"
    assert d.granted_by.startswith("Viện trưởng VKSND cấp huyện")


def test_a_declared_day_off_moves_a_month_limit():
    # 31/01/2026 + 2 months = Tue 31/03/2026, declared off -> Wed 01/04/2026.
    cal = LegalCalendar(extra_days_off=[date(2026, 3, 31)])
    d = evaluate("investigation", start=date(2026, 1, 31), severity=LS, calendar=cal)
    assert (d.due, d.rollover) == (date(2026, 4, 1), True)


def test_a_declared_working_saturday_stops_the_rollover():
    # 10/12/2025 + 1 month = Sat 10/01/2026, declared a working day -> stays.
    cal = LegalCalendar(extra_working_days=[date(2026, 1, 10)])
    d = evaluate("source.resume", start=date(2025, 12, 10), calendar=cal)
    assert (d.due, d.rollover) == (date(2026, 1, 10), False)


# ------------------------------------------------------------------ Art. 174


def test_supplementary_investigation_returned_by_the_procuracy():
    # 30/12/2025 + 2 months: no 30/02 -> Sat 28/02/2026 -> Mon 02/03/2026.
    d = evaluate("investigation.supplementary.procuracy", start=date(2025, 12, 30))
    assert (d.due, d.rollover, d.can_extend) == (date(2026, 3, 2), True, False)


def test_supplementary_investigation_returned_by_the_court():
    # 31/03/2026 + 1 month = Thu 30/04/2026 (holiday), Fri 01/05 (holiday), Sat, Sun
    # -> Mon 04/05/2026.
    d = evaluate("investigation.supplementary.court", start=date(2026, 3, 31))
    assert (d.due, d.rollover) == (date(2026, 5, 4), True)


# ------------------------------------------------------------------ prosecution (Art. 240)


@pytest.mark.parametrize(
    ("severity", "due0", "due1"),
    [
        # Mon 05/01/2026 + 20 = Sun 25/01; + 10 = Wed 04/02/2026.
        (LS, date(2026, 1, 25), date(2026, 2, 4)),
        (S, date(2026, 1, 25), date(2026, 2, 4)),
        # + 30 = Wed 04/02/2026; + 15 = Thu 19/02/2026 (Tết, day limit: no move).
        (VS, date(2026, 2, 4), date(2026, 2, 19)),
        # + 30 = Wed 04/02/2026; + 30 = Fri 06/03/2026.
        (ES, date(2026, 2, 4), date(2026, 3, 6)),
    ],
)
def test_prosecution_decide(severity, due0, due1):
    start = date(2026, 1, 5)
    d0 = evaluate("prosecution.decide", start=start, severity=severity)
    assert (d0.due, d0.max_due, d0.can_extend) == (due0, due1, True)
    assert d0.request_by is None  # the procuracy extends its own limit
    assert d0.granted_by == "Viện trưởng Viện kiểm sát có thẩm quyền"
    d1 = evaluate("prosecution.decide", start=start, severity=severity, extensions=1)
    assert (d1.due, d1.can_extend, d1.granted_by) == (due1, False, None)
    with pytest.raises(LawError, match="at most 1"):
        evaluate("prosecution.decide", start=start, severity=severity, extensions=2)


def test_prosecution_day_limit_rolls_over_only_when_asked():
    # Sun 25/01/2026 -> Mon 26/01/2026 with day_rollover.
    d = evaluate("prosecution.decide", start=date(2026, 1, 5), severity=LS, day_rollover=True)
    assert (d.due, d.rollover) == (date(2026, 1, 26), True)
    # Thu 19/02/2026 (Tết) -> Mon 23/02/2026 with day_rollover.
    d = evaluate(
        "prosecution.decide", start=date(2026, 1, 5), severity=VS, extensions=1, day_rollover=True
    )
    assert (d.due, d.rollover) == (date(2026, 2, 23), True)


def test_detention_for_prosecution_equals_the_art_240_limit_and_never_rolls():
    # Same lengths as prosecution.decide, counted as detention: day 1 is 05/01/2026, so
    # 30 + 15 = 45 days end on 05/01 + 44 = Wed 18/02/2026 (Tết), never moved.
    d = evaluate(
        "detention.prosecution",
        start=date(2026, 1, 5),
        severity=VS,
        extensions=1,
        day_rollover=True,
    )
    assert (d.due, d.rollover, d.can_extend) == (date(2026, 2, 18), False, False)
    # 20 days: 05/01 + 19 = Sat 24/01/2026, stays.
    d = evaluate("detention.prosecution", start=date(2026, 1, 5), severity=LS, day_rollover=True)
    assert (d.due, d.rollover) == (date(2026, 1, 24), False)


# ------------------------------------------------------------------ trial (Art. 277)


def test_trial_prepare_less_serious_and_serious():
    start = date(2026, 1, 5)
    # 30 days: 05/01 + 30 = Wed 04/02/2026; + 15 = Thu 19/02/2026 (Tết, no move).
    assert due("trial.prepare", start, severity=LS) == date(2026, 2, 4)
    assert due("trial.prepare", start, severity=LS, extensions=1) == date(2026, 2, 19)
    # 45 days: 05/01 + 26 = 31/01, + 19 = Thu 19/02/2026; + 15 = Fri 06/03/2026.
    assert due("trial.prepare", start, severity=S) == date(2026, 2, 19)
    assert due("trial.prepare", start, severity=S, extensions=1) == date(2026, 3, 6)


def test_trial_prepare_very_serious_is_two_months_then_30_days():
    start = date(2026, 1, 5)
    # 2 months = Thu 05/03/2026; + 30 days = Sat 04/04/2026: the last step is a
    # day limit, so it stays unless day_rollover (then Mon 06/04/2026).
    d0 = evaluate("trial.prepare", start=start, severity=VS)
    assert (d0.due, d0.granted_by) == (date(2026, 3, 5), "Chánh án Tòa án đã thụ lý vụ án")
    d1 = evaluate("trial.prepare", start=start, severity=VS, extensions=1)
    assert (d1.due, d1.rollover) == (date(2026, 4, 4), False)
    d1r = evaluate("trial.prepare", start=start, severity=VS, extensions=1, day_rollover=True)
    assert (d1r.due, d1r.rollover) == (date(2026, 4, 6), True)


def test_trial_prepare_especially_serious_extends_from_the_unrolled_date():
    start = date(2026, 1, 5)
    # 3 months = Sun 05/04/2026 -> Mon 06/04/2026 (month limit).
    d0 = evaluate("trial.prepare", start=start, severity=ES)
    assert (d0.due, d0.rollover) == (date(2026, 4, 6), True)
    # + 30 days from 05/04 = Tue 05/05/2026.
    d1 = evaluate("trial.prepare", start=start, severity=ES, extensions=1)
    assert (d1.due, d1.rollover, d1.can_extend) == (date(2026, 5, 5), False, False)
    with pytest.raises(LawError):
        evaluate("trial.prepare", start=start, severity=ES, extensions=2)


def test_trial_open_within_15_days_or_30_with_force_majeure():
    # Mon 05/01/2026 + 15 = Tue 20/01/2026; + 30 = Wed 04/02/2026.
    d = evaluate("trial.open", start=date(2026, 1, 5))
    assert (d.due, d.can_extend, d.max_due) == (date(2026, 1, 20), False, date(2026, 1, 20))
    d = evaluate("trial.open", start=date(2026, 1, 5), force_majeure=True)
    assert (d.due, d.max_due) == (date(2026, 2, 4), date(2026, 2, 4))


def test_trial_open_ending_in_tet_with_and_without_day_rollover():
    # Fri 30/01/2026 + 15 = Sat 14/02/2026 (Tết break).
    assert due("trial.open", date(2026, 1, 30)) == date(2026, 2, 14)
    d = evaluate("trial.open", start=date(2026, 1, 30), day_rollover=True)
    assert (d.due, d.rollover) == (date(2026, 2, 23), True)


def test_force_majeure_does_not_change_other_rules():
    assert due("appeal.judgment", date(2026, 1, 5), force_majeure=True) == date(2026, 1, 20)


# ------------------------------------------------------------------ custody and detention


def test_custody_three_plus_three_plus_three_runs_through_tet():
    # Given a day alone, custody runs from 00:00 of it (day 1): 3 days from Sat 14/02/2026
    # end at 24:00 on 16/02; + 3 -> 19/02; + 3 -> Sun 22/02/2026; never moved.
    start = date(2026, 2, 14)  # Sat, first day of the Tết break
    for n, exp in enumerate([date(2026, 2, 16), date(2026, 2, 19), date(2026, 2, 22)]):
        d = evaluate("custody", start=start, extensions=n, day_rollover=True)
        assert (d.due, d.rollover, d.max_due) == (exp, False, date(2026, 2, 22))
        assert d.due_at == datetime(exp.year, exp.month, exp.day + 1, 0, 0)
        assert d.request_by is None
    assert "phê chuẩn trong 12 giờ" in evaluate("custody", start=start).granted_by
    with pytest.raises(LawError) as err:
        evaluate("custody", start=start, extensions=3)
    assert err.value.code == "too_many_extensions"


def test_custody_counts_hours_from_the_hour_received():
    # 3 days from 14:00 on 14/02/2026 end at 14:00 on 17/02; + 3 days -> 14:00 20/02;
    # + 3 days -> 14:00 23/02/2026 (9 days at most, Art. 118).
    start = datetime(2026, 2, 14, 14, 0)
    for n, (exp_day, exp_at) in enumerate([(date(2026, 2, 17), datetime(2026, 2, 17, 14, 0)),
                                           (date(2026, 2, 20), datetime(2026, 2, 20, 14, 0)),
                                           (date(2026, 2, 23), datetime(2026, 2, 23, 14, 0))]):
        d = evaluate("custody", start=start, extensions=n)
        assert (d.due, d.due_at, d.start_at) == (exp_day, exp_at, start)
        assert d.max_due_at == datetime(2026, 2, 23, 14, 0)


def test_detention_two_months_is_sixty_days_from_day_one():
    # The start day is day 1 (TTLT 04/2018 Art. 17): 60 days from 10/01/2026 are
    # 10/01..31/01 (22) + February (28) + 01/03..10/03 (10): they end on Tue 10/03/2026
    # at 24:00, not on 11/03.
    d = evaluate("detention.investigation", start=date(2026, 1, 10), severity=LS)
    assert d.due == date(2026, 3, 10)
    assert d.due_at == datetime(2026, 3, 11, 0, 0)
    assert (d.due - d.start).days + 1 == 60
    assert d.rollover is False
    # request >= 10 days before expiry: 10/03 - 10 = 28/02/2026.
    assert d.request_by == date(2026, 2, 28)
    assert d.granted_by == "Viện trưởng VKSND khu vực (Viện kiểm sát có thẩm quyền)"
    # + 1 month = 30 days, 90 in all: 10/03 + 21 = 31/03, + 9 = Thu 09/04/2026.
    assert d.max_due == date(2026, 4, 9)
    with pytest.raises(LawError):
        evaluate("detention.investigation", start=date(2026, 1, 10), severity=LS, extensions=2)


def test_detention_serious_and_very_serious():
    start = date(2026, 1, 10)
    # 3 months = 90 days -> Thu 09/04/2026 (as above);
    # + 2 months = 60: 09/04 + 21 = 30/04, + 31 = 31/05, + 8 = Mon 08/06/2026.
    assert due("detention.investigation", start, severity=S) == date(2026, 4, 9)
    assert due("detention.investigation", start, severity=S, extensions=1) == date(2026, 6, 8)
    # 4 months = 120 days: 09/04 + 30 = Sat 09/05/2026, no rollover for detention;
    # + 3 months = 90: 09/05 + 22 = 31/05, + 30 = 30/06, + 31 = 31/07, + 7 = Fri 07/08/2026.
    d = evaluate("detention.investigation", start=start, severity=VS)
    assert (d.due, d.rollover) == (date(2026, 5, 9), False)
    assert due("detention.investigation", start, severity=VS, extensions=1) == date(2026, 8, 7)


def test_detention_especially_serious_two_extensions_of_four_months():
    start = date(2026, 1, 10)
    # 120 days = Sat 09/05/2026; + 120: 31/05 (22), 30/06 (52), 31/07 (83), 31/08 (114),
    # + 6 = Sun 06/09/2026; + 120: 30/09 (24), 31/10 (55), 30/11 (85), 31/12 (116),
    # + 4 = Mon 04/01/2027.
    expected = [date(2026, 5, 9), date(2026, 9, 6), date(2027, 1, 4)]
    for n, exp in enumerate(expected):
        d = evaluate("detention.investigation", start=start, severity=ES, extensions=n)
        assert d.due == exp
        assert d.max_due == date(2027, 1, 4)
    first = evaluate("detention.investigation", start=start, severity=ES)
    assert first.granted_by == "Viện trưởng VKSND cấp tỉnh"
    assert (first.authority, first.procuracy_level) == ("procuracy_provincial", "provincial")
    assert first.request_by == date(2026, 4, 29)  # 09/05 - 10 days
    with pytest.raises(LawError):
        evaluate("detention.investigation", start=start, severity=ES, extensions=3)


# ------------------------------------------------------------------ appeal (Art. 333)


def test_appeal_against_a_judgment_is_15_days():
    # Mon 05/01/2026 + 15 = Tue 20/01/2026.
    d = evaluate("appeal.judgment", start=date(2026, 1, 5))
    assert (d.due, d.can_extend, d.granted_by) == (date(2026, 1, 20), False, None)
    # Fri 30/01/2026 + 15 = Sat 14/02/2026 (Tết) -> Mon 23/02/2026 only with day_rollover.
    assert due("appeal.judgment", date(2026, 1, 30)) == date(2026, 2, 14)
    assert due("appeal.judgment", date(2026, 1, 30), day_rollover=True) == date(2026, 2, 23)


def test_appeal_against_a_decision_is_7_days():
    # Tue 10/02/2026 + 7 = Tue 17/02/2026 (Tết day 1) -> Mon 23/02/2026 with day_rollover.
    d = evaluate("appeal.decision", start=date(2026, 2, 10))
    assert (d.due, d.rollover) == (date(2026, 2, 17), False)
    d = evaluate("appeal.decision", start=date(2026, 2, 10), day_rollover=True)
    assert (d.due, d.rollover) == (date(2026, 2, 23), True)


# ------------------------------------------------------------------ errors


def test_unknown_rule():
    with pytest.raises(LawError) as err:
        evaluate("investigation.forever", start=date(2026, 1, 5))
    assert err.value.code == "unknown_rule"
    assert "investigation.forever" in str(err.value)
    assert isinstance(err.value, ValueError)


def test_severity_required():
    with pytest.raises(LawError) as err:
        evaluate("investigation", start=date(2026, 1, 5))
    assert err.value.code == "severity_required"
    assert "severity" in str(err.value)


def test_unknown_severity():
    with pytest.raises(LawError) as err:
        evaluate("investigation", start=date(2026, 1, 5), severity="grave")
    assert err.value.code == "unknown_severity"
    assert "grave" in str(err.value)


def test_unknown_severity_is_refused_even_where_severity_does_not_matter():
    with pytest.raises(LawError) as err:
        evaluate("appeal.judgment", start=date(2026, 1, 5), severity="grave")
    assert err.value.code == "unknown_severity"


def test_a_flat_rule_echoes_a_given_severity():
    assert evaluate("appeal.judgment", start=date(2026, 1, 5), severity=ES).severity == ES


def test_no_rule_in_force_before_the_2015_code():
    with pytest.raises(LawError) as err:
        evaluate("investigation", start=date(2017, 12, 31), severity=LS)
    assert err.value.code == "no_rule_in_force"
    assert "2017-12-31" in str(err.value)


def test_negative_extensions_are_refused():
    with pytest.raises(LawError) as err:
        evaluate("custody", start=date(2026, 1, 5), extensions=-1)
    assert err.value.code == "invalid_extensions"


def test_a_datetime_start_is_refused_where_the_law_counts_days():
    with pytest.raises(TypeError):
        evaluate("investigation", start=datetime(2026, 1, 5, 8, 0), severity=LS)
    with pytest.raises(TypeError):  # an aware time must be converted to local time first
        from datetime import UTC

        evaluate("custody", start=datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    # Detention counts whole days: a time of day changes nothing.
    assert due("detention.judgment", datetime(2026, 1, 5, 16, 30)) == date(2026, 2, 18)


def test_rule_for_picks_the_version_and_names_unknown_codes():
    assert rule_for("custody", date(2025, 6, 30)).basis == "BLTTHS 2015 Điều 118"
    assert rule_for("custody", date(2025, 7, 1)).basis == "BLTTHS 2015 (sửa đổi 2025) Điều 118"
    with pytest.raises(LawError) as err:
        rule_for("nope", date(2026, 1, 1))
    assert err.value.code == "unknown_rule"


# ------------------------------------------------------------------ to_dict


def test_to_dict_has_exactly_the_agreed_keys_and_json_ready_values():
    d = evaluate("investigation", start=date(2026, 2, 10), severity=S)
    data = d.to_dict()
    assert data == {
        "rule": "investigation",
        "start": "2026-02-10",
        "start_at": None,
        "due": "2026-05-11",
        "due_at": "2026-05-12T00:00",
        "max_due": "2026-10-12",
        "max_due_at": "2026-10-13T00:00",
        "extensions": 0,
        "can_extend": True,
        "request_by": "2026-05-01",
        "granted_by": "Viện trưởng VKSND khu vực (Viện kiểm sát có thẩm quyền)",
        "authority": "procuracy_regional",
        "procuracy_level": "regional",
        "basis": "BLTTHS 2015 (sửa đổi 2025) Điều 172",
        "rollover": True,
        "severity": "serious",
        "credit_days": 0,
    }
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_to_dict_uses_null_when_nothing_follows():
    data = evaluate("trial.open", start=date(2026, 1, 5)).to_dict()
    assert (data["request_by"], data["granted_by"], data["severity"]) == (None, None, None)


# ------------------------------------------------------------------ properties


@st.composite
def cases(draw):
    code = draw(st.sampled_from(RULE_CODES))
    start = draw(st.dates(min_value=date(2018, 1, 1), max_value=date(2032, 12, 31)))
    rule = rule_for(code, start)
    severity = draw(st.sampled_from(Severity.ALL)) if rule.needs_severity else None
    chain = rule.extensions_for(severity)
    return {
        "code": code,
        "start": start,
        "severity": severity,
        "n_extensions": len(chain),
        "day_rollover": draw(st.booleans()),
        "force_majeure": draw(st.booleans()),
    }


def _eval(case, extensions) -> Deadline:
    return evaluate(
        case["code"],
        start=case["start"],
        severity=case["severity"],
        extensions=extensions,
        day_rollover=case["day_rollover"],
        force_majeure=case["force_majeure"],
    )


@settings(max_examples=300, deadline=None)
@given(cases())
def test_due_never_precedes_start_and_max_due_bounds_due(case):
    for n in range(case["n_extensions"] + 1):
        d = _eval(case, n)
        # An hourly limit (12 hours) may end on its first day; every other ends later.
        assert d.due > d.start or (d.rule.counting == "hourly" and d.due == d.start)
        assert d.due_at > datetime.combine(d.start, datetime.min.time())
        assert d.max_due >= d.due
        assert d.can_extend == (n < case["n_extensions"])
        if d.request_by is not None:
            assert d.request_by < d.due


@settings(max_examples=300, deadline=None)
@given(cases())
def test_every_real_extension_moves_the_due_date_later(case):
    dues = [_eval(case, n).due for n in range(case["n_extensions"] + 1)]
    assert all(a < b for a, b in zip(dues, dues[1:], strict=False))
    assert _eval(case, 0).max_due == dues[-1]


@settings(max_examples=200, deadline=None)
@given(cases())
def test_a_procedural_due_date_is_a_working_day_unless_a_day_limit_is_left_alone(case):
    d = _eval(case, case["n_extensions"])
    from pctp.law.calendar import default_calendar

    cal = default_calendar()
    if d.rule.counting == "procedural" and (case["day_rollover"] or d.rollover):
        assert not cal.is_rest_day(d.due)
