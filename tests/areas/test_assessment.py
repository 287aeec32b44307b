"""An assessment whose computed criteria match values computed by hand; signing freezes it."""

from datetime import date

import pytest

from pctp.areas import services as s
from pctp.areas.models import Assessment, Status
from pctp.core.errors import DomainError, InvalidTransition
from pctp.core.models import AuditEvent
from tests.areas.conftest import ALL_MET, make_case, make_group, make_source

AS_OF = date(2026, 11, 15)


@pytest.fixture
def area_a(three, leader, select):
    a, _b, _c = three
    area = select(a, on=date(2026, 1, 5))
    return s.area_start(actor=leader, area=area, on=date(2026, 1, 10))


@pytest.fixture
def records_a(three, leader):
    a = three[0]
    ids = {}
    ids["c1"] = make_case(a, date(2026, 2, 1), detected=date(2026, 2, 10))
    ids["c2"] = make_case(a, date(2026, 3, 1), detected=date(2026, 3, 5))
    ids["c3"] = make_case(a, date(2026, 4, 1), detected=date(2026, 4, 20))
    ids["c4"] = make_case(a, date(2026, 5, 1), severity="very_serious",
                          detected=date(2026, 5, 2))
    ids["c5"] = make_case(a, date(2026, 6, 1), severity="very_serious")
    ids["c6"] = make_case(a, date(2026, 7, 1), terminate_ground="no_crime")
    ids["c7"] = make_case(a, date(2025, 12, 20), detected=date(2025, 12, 21))
    ids["c8"] = make_case(a, date(2026, 10, 20), detected=date(2026, 10, 25))
    ids["s1"] = make_source(a, date(2026, 3, 1), status="declined", decided=date(2026, 3, 15))
    ids["s2"] = make_source(a, date(2026, 4, 1), status="transferred")
    ids["s3"] = make_source(a, date(2026, 5, 1), due=date(2026, 5, 21))
    ids["s4"] = make_source(a, date(2026, 10, 30), due=date(2026, 11, 19))
    ids["s5"] = make_source(a, date(2026, 2, 1), status="initiated", due=date(2026, 2, 21),
                            decided=date(2026, 11, 20))
    ids["s6"] = make_source(a, date(2025, 12, 15), due=date(2026, 1, 4))
    ids["g1"] = make_group(a, leader, dangerous=True)
    make_group(a, leader, dangerous=False)
    make_group(a, leader, dangerous=True, status="dismantled")
    return {k: v.pk for k, v in ids.items()}


def test_the_computed_criteria_match_the_values_computed_by_hand(leader, area_a, records_a):
    r = records_a
    draft = s.assessment_draft(actor=leader, area=area_a, period_start=date(2026, 1, 1),
                               period_end=date(2026, 10, 31), recorded=ALL_MET, as_of=AS_OF)
    c = draft.computed["criteria"]
    # Initiated in the period: c1 c2 c3 c4 c5 c8 (c6 no crime, c7 before); detected: all but c5.
    assert (c["detection"]["numerator"], c["detection"]["denominator"]) == (5, 6)
    assert c["detection"]["rate"] == 83.33 and c["detection"]["passed"] is True
    assert c["detection"]["denominator_ids"] == sorted(
        r[k] for k in ("c1", "c2", "c3", "c4", "c5", "c8"))
    # Very serious: c4 detected, c5 not: 50% < 95%.
    assert (c["severe_detection"]["numerator"], c["severe_detection"]["denominator"]) == (1, 2)
    assert c["severe_detection"]["passed"] is False
    # Sources: s1 declined and s2 transferred are handled; s3 open past its limit and s5
    # decided only after the day of the figures are not; s4 is still within its limit.
    assert (c["sources"]["numerator"], c["sources"]["denominator"]) == (2, 4)
    assert c["sources"]["numerator_ids"] == sorted([r["s1"], r["s2"]])
    assert c["sources"]["rate"] == 50.0 and c["sources"]["passed"] is False
    # One active dangerous group (the harmless and the dismantled ones do not count).
    assert c["dangerous_groups"] == {"count": 1, "ids": [r["g1"]], "passed": False}
    assert draft.result == "not_transformed" and draft.state == "draft"


def test_signing_freezes_the_result_and_the_evidence(leader, area_a, records_a):
    draft = s.assessment_draft(actor=leader, area=area_a, period_start=date(2026, 1, 1),
                               period_end=date(2026, 10, 31), recorded=ALL_MET, as_of=AS_OF)
    signed = s.assessment_sign(actor=leader, assessment=draft, on=AS_OF)
    assert signed.state == "signed" and signed.signed_by == leader
    assert signed.result == "not_transformed"
    assert signed.computed["criteria"]["sources"]["denominator"] == 4
    area_a.refresh_from_db()
    assert (area_a.status, area_a.assessed_on, area_a.assessment_result) == (
        Status.NOT_TRANSFORMED, AS_OF, "not_transformed")
    assert area_a.watch_from is None
    assert AuditEvent.objects.filter(action="assessment.sign", object_id=str(signed.pk)).exists()
    signed.community_model_evidence = "changed"
    with pytest.raises(ValueError):
        signed.save()
    with pytest.raises(InvalidTransition):
        s.assessment_sign(actor=leader, assessment=signed, on=AS_OF)
    with pytest.raises(InvalidTransition) as exc:
        s.assessment_draft(actor=leader, area=area_a, recorded=ALL_MET, as_of=AS_OF)
    assert exc.value.status == 409
    assert Assessment.objects.get(pk=signed.pk).community_model_evidence == "Tổ tự quản khu phố 3"


def test_an_area_meeting_every_criterion_is_transformed_and_watched(three, leader, select):
    b = three[1]
    area = select(b, on=date(2026, 1, 5))
    s.area_start(actor=leader, area=area, on=date(2026, 1, 10))
    make_case(b, date(2026, 4, 1), detected=date(2026, 4, 3))
    draft = s.assessment_draft(actor=leader, area=area, recorded=ALL_MET, as_of=AS_OF)
    s.assessment_sign(actor=leader, assessment=draft, on=AS_OF)
    area.refresh_from_db()
    assert area.status == Status.TRANSFORMED and area.assessment_result == "transformed"
    assert (area.watch_from, area.watch_until) == (AS_OF, date(2028, 11, 15))


def test_a_recorded_criterion_needs_its_evidence(three, leader, select):
    area = select(three[1], on=date(2026, 1, 5))
    s.area_start(actor=leader, area=area, on=date(2026, 1, 10))
    with pytest.raises(DomainError) as exc:
        s.assessment_draft(actor=leader, area=area,
                           recorded=s.Recorded(community_model=True), as_of=AS_OF)
    assert "community_model_evidence" in exc.value.details


def test_a_missing_recorded_criterion_means_not_transformed(three, leader, select):
    area = select(three[1], on=date(2026, 1, 5))
    s.area_start(actor=leader, area=area, on=date(2026, 1, 10))
    draft = s.assessment_draft(actor=leader, area=area, as_of=AS_OF,
                               recorded=s.Recorded(conventions=True,
                                                   conventions_evidence="Hương ước"))
    assert draft.computed_ok and draft.result == "not_transformed"


def test_unlawful_transitions_are_refused_with_the_reason(three, leader, select):
    area = select(three[0], on=date(2026, 1, 5))
    with pytest.raises(InvalidTransition) as exc:
        s.area_remove(actor=leader, area=area, decision_number="1/QĐ", on=date(2026, 2, 1))
    assert exc.value.status == 409 and "Chỉ đưa ra khỏi danh sách" in exc.value.message
    with pytest.raises(InvalidTransition):
        s.assessment_draft(actor=leader, area=area)
    with pytest.raises(InvalidTransition):
        s.area_relapse(actor=leader, area=area, reason="x")
    s.area_start(actor=leader, area=area, on=date(2026, 1, 10))
    with pytest.raises(InvalidTransition):
        s.area_start(actor=leader, area=area, on=date(2026, 1, 11))
