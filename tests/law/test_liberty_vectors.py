"""Liberty limits to the day and the hour (issue 15), vector by vector.

Every expected value is worked out by hand in the comment next to it, from DOMAIN.md §4:
the day a measure starts is day 1, so N days from D end at 24:00 of D + N - 1; a month of
detention is 30 days; nothing moves off a rest day; custody and the hour limits (Arts.
110(4), 114(1), 117(4), 118(2)) run from the hour. Weekdays were read off a calendar.
Rest days of 2026 used below: Tết 14/02–22/02; 30/04, 01/05; 31/08, 01/09, 02/09.
"""

from datetime import date, datetime, time, timedelta

import pytest

from pctp.law.timelimits import LawError, Severity, evaluate, with_levels

LS, S, VS, ES = Severity.ALL


def at(*parts):
    return datetime(*parts)


# ------------------------------------------------------------------ hours

HOURLY = [
    # (rule, start, extensions, due_at)
    # 1. 23:30 on 31/12/2025 + 72 h, across the year: 23:30 on 03/01/2026.
    ("custody", at(2025, 12, 31, 23, 30), 0, at(2026, 1, 3, 23, 30)),
    # 2. Leap year: 22:00 on 28/02/2028 + 72 h = 29/02, 01/03, 02/03 -> 22:00 02/03/2028.
    ("custody", at(2028, 2, 28, 22, 0), 0, at(2028, 3, 2, 22, 0)),
    # 3. The same in 2026 (no 29/02): 22:00 on 03/03/2026.
    ("custody", at(2026, 2, 28, 22, 0), 0, at(2026, 3, 3, 22, 0)),
    # 4. Twice extended from 22:00 28/02/2028: 9 days -> 22:00 08/03/2028.
    ("custody", at(2028, 2, 28, 22, 0), 2, at(2028, 3, 8, 22, 0)),
    # 5. Across 30/4 and 1/5: 21:45 on 30/04/2026 -> 21:45 on 03/05; + 3 days -> 06/05.
    ("custody", at(2026, 4, 30, 21, 45), 0, at(2026, 5, 3, 21, 45)),
    ("custody", at(2026, 4, 30, 21, 45), 1, at(2026, 5, 6, 21, 45)),
    # 6. Emergency hold (Art. 110(4)), 12 h from 20:00 on 29/04/2026: 08:00 on 30/04 (a
    #    holiday: hours never move).
    ("hold.emergency", at(2026, 4, 29, 20, 0), 0, at(2026, 4, 30, 8, 0)),
    # 7. After an arrest in the act (Art. 114(1)), 12 h from 23:15 on 01/09/2026:
    #    11:15 on 02/09/2026.
    ("arrest.decide", at(2026, 9, 1, 23, 15), 0, at(2026, 9, 2, 11, 15)),
    # 8. The procuracy approves an extension of custody within 12 h of receiving it
    #    (Art. 118(2)): received 18:00 on Sat 14/02/2026 -> 06:00 on 15/02/2026.
    ("custody.approval", at(2026, 2, 14, 18, 0), 0, at(2026, 2, 15, 6, 0)),
    # 9. The custody decision reaches the procuracy within 12 h (Art. 117(4)):
    #    09:30 on 05/01/2026 -> 21:30 the same day.
    ("custody.send", at(2026, 1, 5, 9, 30), 0, at(2026, 1, 5, 21, 30)),
]


@pytest.mark.parametrize(("code", "start", "extensions", "due_at"), HOURLY)
def test_hour_limits_run_from_the_hour(code, start, extensions, due_at):
    d = evaluate(code, start=start, extensions=extensions, day_rollover=True)
    assert d.due_at == due_at
    assert d.due == due_at.date()  # a limit ending at a time of day covers that day
    assert d.rollover is False


def test_the_issues_custody_example():
    # 3 days from 14:00 on 14/02/2026 end at 14:00 on 17/02/2026.
    d = evaluate("custody", start=at(2026, 2, 14, 14, 0))
    assert d.to_dict()["due_at"] == "2026-02-17T14:00"
    assert d.expired(at(2026, 2, 17, 13, 59)) is False
    assert d.expired(at(2026, 2, 17, 14, 0)) is True


def test_an_hour_limit_given_a_day_runs_from_midnight():
    # 12 hours from 05/01/2026 (no time given) end at 12:00 that day.
    d = evaluate("hold.emergency", start=date(2026, 1, 5))
    assert (d.due, d.due_at) == (date(2026, 1, 5), at(2026, 1, 5, 12, 0))


# ------------------------------------------------------------------ detention days

DAYS = [
    # (rule, start, severity, extensions, credit, due)
    # 10. Month end: 60 days from 31/12/2025: 31/12 is day 1, 31/01 day 32, 28/02 day 60.
    ("detention.investigation", date(2025, 12, 31), LS, 0, 0, date(2026, 2, 28)),
    # 11. Leap year: 60 days from 01/01/2028: 31/01 day 31, 29/02/2028 day 60.
    ("detention.investigation", date(2028, 1, 1), LS, 0, 0, date(2028, 2, 29)),
    # 12. Not a leap year: 60 days from 01/01/2026: 28/02 day 59, 01/03/2026 day 60.
    ("detention.investigation", date(2026, 1, 1), LS, 0, 0, date(2026, 3, 1)),
    # 13. Through Tết: 90 days from 17/02/2026: 28/02 day 12, 31/03 day 43, 30/04 day 73,
    #     17/05/2026 day 90.
    ("detention.investigation", date(2026, 2, 17), S, 0, 0, date(2026, 5, 17)),
    # 14. Custody of 3 days deducted (TTLT 04/2018 Art. 17): 60 - 3 = 57 days from
    #     17/02/2026: 28/02 day 12, 31/03 day 43, 14/04/2026 day 57.
    ("detention.investigation", date(2026, 2, 17), LS, 0, 3, date(2026, 4, 14)),
    # 15. After a first-instance judgment (Art. 329): 45 days from 20/08/2026, across
    #     2/9: 31/08 day 12, 30/09 day 42, 03/10/2026 day 45.
    ("detention.judgment", date(2026, 8, 20), None, 0, 0, date(2026, 10, 3)),
    # 16. The same in a leap year: 45 days from 01/01/2028: 14/02/2028.
    ("detention.judgment", date(2028, 1, 1), None, 0, 0, date(2028, 2, 14)),
    # 17. Supplementary investigation returned by the court (Art. 174(4)): 30 days from
    #     15/04/2026, across 30/4: 14/05/2026.
    ("detention.supplementary.court", date(2026, 4, 15), None, 0, 0, date(2026, 5, 14)),
    # 18. Returned by the procuracy: 60 days from 01/04/2026: 30/04 day 30, 30/05 day 60.
    ("detention.supplementary.procuracy", date(2026, 4, 1), None, 0, 0, date(2026, 5, 30)),
    # 19. Trial preparation, very serious (Art. 278(2) within Art. 277): 2 months = 60
    #     days from 10/11/2026: 30/11 day 21, 31/12 day 52, 08/01/2027 day 60.
    ("detention.trial", date(2026, 11, 10), VS, 0, 0, date(2027, 1, 8)),
    # 20. ... extended by 30 days: 08/01 + 30 = 07/02/2027.
    ("detention.trial", date(2026, 11, 10), VS, 1, 0, date(2027, 2, 7)),
    # 21. Less serious: 30 days from 20/01/2026 = 18/02/2026 (Tết, no move); + 15 days:
    #     28/02 (+10), 05/03/2026.
    ("detention.trial", date(2026, 1, 20), LS, 0, 0, date(2026, 2, 18)),
    ("detention.trial", date(2026, 1, 20), LS, 1, 0, date(2026, 3, 5)),
    # 22. Especially serious: 3 months = 90 days from 30/11/2025: 31/12 day 32, 31/01 day
    #     63, 27/02/2026 day 90 (the trial-preparation limit itself ends Mon 02/03).
    ("detention.trial", date(2025, 11, 30), ES, 0, 0, date(2026, 2, 27)),
    # 23. Resumed investigation (Art. 174(4)), especially serious: 90 days from
    #     01/07/2026: 31/07 day 31, 31/08 day 62, 28/09/2026 day 90; + 90: 30/09 (2),
    #     31/10 (33), 30/11 (63), 27/12/2026 (90).
    ("detention.resumed", date(2026, 7, 1), ES, 0, 0, date(2026, 9, 28)),
    ("detention.resumed", date(2026, 7, 1), ES, 1, 0, date(2026, 12, 27)),
    # 24. Resumed, less serious: 60 days from 31/01/2026: 28/02 day 29, 31/03 day 60.
    ("detention.resumed", date(2026, 1, 31), LS, 0, 0, date(2026, 3, 31)),
    # 25. For prosecution (Art. 241), less serious: 20 days from 15/04/2026, across 30/4
    #     and 1/5: 04/05/2026.
    ("detention.prosecution", date(2026, 4, 15), LS, 0, 0, date(2026, 5, 4)),
]


@pytest.mark.parametrize(("code", "start", "severity", "extensions", "credit", "due"), DAYS)
def test_detention_counts_the_first_day_as_day_one(code, start, severity, extensions, credit,
                                                   due):
    d = evaluate(code, start=start, severity=severity, extensions=extensions,
                 credit_days=credit, day_rollover=True)
    assert d.due == due
    assert d.due_at == datetime.combine(due + timedelta(days=1), time.min)  # 24:00 of it
    assert d.rollover is False


def test_a_deduction_moves_the_request_day_too():
    # 57 days from 17/02/2026 end 14/04; the request is due 10 days before: 04/04/2026.
    d = evaluate("detention.investigation", start=date(2026, 2, 17), severity=LS,
                 credit_days=3)
    assert (d.due, d.request_by, d.credit_days) == (date(2026, 4, 14), date(2026, 4, 4), 3)


def test_credit_is_only_for_detention():
    with pytest.raises(LawError) as err:
        evaluate("investigation", start=date(2026, 1, 5), severity=LS, credit_days=2)
    assert err.value.code == "invalid_credit"


# ------------------------------------------------------------------ national security

def test_detention_for_national_security_gets_the_supreme_procuracys_extensions():
    # Art. 173(5), especially serious: 4 + 4 + 4 months, then + 4 and + 4 by the
    # Procurator General: 20 months = 600 days from 01/01/2026: 01/01/2027 is day 366,
    # then + 234 days: 31/01 (+30), 28/02 (+58), 31/03 (+89), 30/04 (+119), 31/05 (+150),
    # 30/06 (+180), 31/07 (+211), 23/08/2027 (+234).
    d = evaluate("detention.investigation", start=date(2026, 1, 1), severity=ES,
                 extensions=4, national_security=True)
    assert (d.due, d.can_extend) == (date(2027, 8, 23), False)
    third = evaluate("detention.investigation", start=date(2026, 1, 1), severity=ES,
                     extensions=2, national_security=True)
    assert third.authority == "procuracy_supreme"
    assert third.granted_by == "Viện trưởng VKSND tối cao (tội xâm phạm an ninh quốc gia)"
    # Without the national-security chain, two extensions are the most.
    with pytest.raises(LawError):
        evaluate("detention.investigation", start=date(2026, 1, 1), severity=ES, extensions=3)


def test_investigation_for_national_security_gets_one_more_extension():
    # Art. 172(3), serious: 3 months from 15/03/2026 -> 15/06; + 3 -> 15/09; + 2 ->
    # 15/11; + 4 (national security) -> Mon 15/03/2027.
    d = evaluate("investigation", start=date(2026, 3, 15), severity=S, extensions=3,
                 national_security=True)
    assert d.due == date(2027, 3, 15)
    before = evaluate("investigation", start=date(2026, 3, 15), severity=S, extensions=2,
                      national_security=True)
    assert before.granted_by == "Viện trưởng VKSND tối cao (tội xâm phạm an ninh quốc gia)"
    with pytest.raises(LawError):
        evaluate("investigation", start=date(2026, 3, 15), severity=S, extensions=3)


# ------------------------------------------------------------------ who grants, by date

def test_the_grantor_is_the_one_in_force_on_the_day_of_the_decision():
    # Serious, initiated 10/05/2025: 3 months -> Sun 10/08/2025 -> Mon 11/08/2025. The
    # first extension, decided on 08/08/2025, belongs to the regional procuracy: the
    # district procuracy was abolished on 01/07/2025.
    d = evaluate("investigation", start=date(2025, 5, 10), severity=S,
                 decided_on=date(2025, 8, 8))
    assert d.due == date(2025, 8, 11)
    assert d.granted_by == "Viện trưởng VKSND khu vực (Viện kiểm sát có thẩm quyền)"
    assert d.authority == "procuracy_regional"
    # Decided before the reform, the 2015 text applies.
    early = evaluate("investigation", start=date(2025, 5, 10), severity=S,
                     decided_on=date(2025, 6, 20))
    assert early.granted_by.startswith("Viện trưởng VKSND cấp huyện")
    assert early.authority == "procuracy_local"


def test_custody_extended_across_the_reform_uses_the_new_words():
    d = evaluate("custody", start=date(2025, 6, 30), decided_on=date(2025, 7, 1))
    assert d.granted_by.startswith("Người ra quyết định tạm giữ gia hạn; Viện kiểm sát có "
                                   "thẩm quyền")


def test_especially_serious_third_and_fourth_investigation_extensions_are_supreme():
    for n in (2, 3):
        d = evaluate("investigation", start=date(2026, 1, 5), severity=ES, extensions=n)
        assert (d.authority, d.procuracy_level) == ("procuracy_supreme", "supreme")
    second = evaluate("investigation", start=date(2026, 1, 5), severity=ES, extensions=1)
    assert second.procuracy_level == "provincial"


def test_a_deployment_sets_the_post_reform_level_per_extension():
    rules = with_levels({"detention.investigation:serious:1": "provincial"})
    d = evaluate("detention.investigation", start=date(2026, 1, 5), severity=S, rules=rules)
    assert (d.authority, d.granted_by) == ("procuracy_provincial", "Viện trưởng VKSND cấp tỉnh")
    # The 2015 text is left as it was.
    old = evaluate("detention.investigation", start=date(2025, 1, 5), severity=S, rules=rules)
    assert old.authority == "procuracy_local"
    with pytest.raises(ValueError):
        with_levels({"detention.investigation:serious:9": "provincial"})
    with pytest.raises(ValueError):
        with_levels({"detention.investigation": "district"})


# ------------------------------------------------------------------ procedural, for contrast

def test_source_resolve_extended_across_national_day():
    # Received Thu 02/07/2026: 20 days -> Wed 22/07/2026. First extension, counted from
    # receipt, 2 months -> Wed 02/09/2026, National Day -> Thu 03/09/2026. Second
    # extension from the un-moved 02/09: 2 months -> Mon 02/11/2026.
    start = date(2026, 7, 2)
    assert evaluate("source.resolve", start=start).due == date(2026, 7, 22)
    first = evaluate("source.resolve", start=start, extensions=1)
    assert (first.due, first.rollover) == (date(2026, 9, 3), True)
    assert evaluate("source.resolve", start=start, extensions=2).due == date(2026, 11, 2)
