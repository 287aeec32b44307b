"""T2, T3 and the overdue rate on a fixture whose values were counted by hand.

Period 01/03–31/03/2026.
S1 received 20/02, still being verified              → T3 denominator (carry-over)
S2 received 25/02, declined 28/02                    → outside T3 (resolved before)
S3 received 02/03 09:00, classified 15:00, initiated 10/03   → T2 num, T3 num
S4 received 03/03 09:00, classified 05/03 09:00 (48 h), declined 20/03 → T2 den only, T3 num
S5 received 04/03 09:00, transferred 12:00           → T2 num, outside T3 (transferred)
S6 received 05/03 09:00 at the commune, passed on 06/03 10:00 (25 h: late), classified
   16:00, verifying                                  → T2 den only (the commune's 24 h were
                                                       missed, DOMAIN.md §3), T3 den
S7 received 02/04                                    → outside both
T2 = 2/4 = 50%. T3 = 2/4 = 50% (S1, S3, S4, S6 to resolve; S3, S4 resolved).
Overdue on 20/03: unresolved S1 (due 12/03, overdue) and S6 (due 25/03) → 1/2 = 50%.
"""

from datetime import date

import pytest
import time_machine

from pctp.sources import services as s
from pctp.sources.indicators import overdue_rate, t2_received_classified, t3_resolution
from pctp.sources.models import Source
from tests.sources.conftest import at

pytestmark = pytest.mark.django_db


def step(when, fn, **kwargs):
    with time_machine.travel(when, tick=False):
        return fn(**kwargs)


@pytest.fixture
def fixture(intake_body, head, investigator, officer_a, receive, body, make_user):
    recv = lambda when, actor=intake_body, unit=body, **kw: step(  # noqa: E731
        when, receive, actor=actor, unit=unit, **kw)
    cls = lambda when, src, art="173": step(when, s.source_classify, actor=intake_body,  # noqa: E731
                                            source=src, article=art)
    asg = lambda when, src: step(when, s.source_assign, actor=head, source=src,  # noqa: E731
                                 investigator=investigator)
    out = {}
    out["S1"] = recv(at(2026, 2, 20, 9, 0))
    cls(at(2026, 2, 20, 10, 0), out["S1"])
    asg(at(2026, 2, 20, 11, 0), out["S1"])
    out["S2"] = recv(at(2026, 2, 25, 9, 0))
    cls(at(2026, 2, 25, 10, 0), out["S2"])
    asg(at(2026, 2, 25, 11, 0), out["S2"])
    step(at(2026, 2, 28, 9, 0), s.source_decline, actor=investigator, source=out["S2"],
         ground="no_crime", decision_number="1", note="Không có sự việc")
    out["S3"] = recv(at(2026, 3, 2, 9, 0))
    cls(at(2026, 3, 2, 15, 0), out["S3"])
    asg(at(2026, 3, 2, 16, 0), out["S3"])
    step(at(2026, 3, 10, 9, 0), s.source_initiate, actor=investigator, source=out["S3"],
         decision_number="2")
    out["S4"] = recv(at(2026, 3, 3, 9, 0))
    cls(at(2026, 3, 5, 9, 0), out["S4"])
    asg(at(2026, 3, 5, 10, 0), out["S4"])
    step(at(2026, 3, 20, 10, 0), s.source_decline, actor=investigator, source=out["S4"],
         ground="not_a_crime", decision_number="3", note="Không cấu thành")
    out["S5"] = recv(at(2026, 3, 4, 9, 0))
    step(at(2026, 3, 4, 12, 0), s.source_transfer, actor=intake_body, source=out["S5"],
         to_unit=make_user("intake_officer", "P80-CA-ANDT").memberships.get().unit,
         reason="Thẩm quyền ANĐT")
    out["S6"] = recv(at(2026, 3, 5, 9, 0), actor=officer_a, unit=None)
    step(at(2026, 3, 6, 10, 0), s.source_forward, actor=officer_a, source=out["S6"])
    cls(at(2026, 3, 6, 16, 0), out["S6"])
    asg(at(2026, 3, 6, 17, 0), out["S6"])
    out["S7"] = recv(at(2026, 4, 2, 9, 0))
    return out


def names(qs, fixture):
    by_pk = {v.pk: k for k, v in fixture.items()}
    return sorted(by_pk[pk] for pk in qs.values_list("pk", flat=True) if pk in by_pk)


def test_t2_counts_sources_handled_within_24_hours(fixture):
    result = t2_received_classified(Source.objects.all(), date(2026, 3, 1), date(2026, 3, 31))
    assert (result.numerator, result.denominator, result.value) == (2, 4, 50.0)
    assert names(result.numerator_records, fixture) == ["S3", "S5"]
    assert names(result.denominator_records, fixture) == ["S3", "S4", "S5", "S6"]


def test_t3_counts_resolved_of_those_to_resolve_including_carry_over(fixture):
    result = t3_resolution(Source.objects.all(), date(2026, 3, 1), date(2026, 3, 31))
    assert (result.numerator, result.denominator, result.value) == (2, 4, 50.0)
    assert names(result.numerator_records, fixture) == ["S3", "S4"]
    assert names(result.denominator_records, fixture) == ["S1", "S3", "S4", "S6"]


def test_overdue_rate_on_a_day(fixture):
    result = overdue_rate(Source.objects.all(), date(2026, 3, 20))
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50.0)
    assert names(result.numerator_records, fixture) == ["S1"]


def test_an_empty_period_has_no_value_not_zero(fixture):
    result = t3_resolution(Source.objects.all(), date(2020, 1, 1), date(2020, 1, 31))
    assert result.denominator == 0 and result.value is None


def test_scope_limits_the_indicator_to_a_unit(fixture, communes):
    scope = Source.objects.filter(unit=communes["police_a"])
    result = t2_received_classified(scope, date(2026, 3, 1), date(2026, 3, 31))
    assert names(result.denominator_records, fixture) == ["S6"]


def test_a_commune_forwarding_in_time_counts_as_on_time(officer_a, intake_body, receive):
    """Received at the commune 05/03 09:00, passed on 06/03 08:30 (23.5 h), classified by
    the body at 16:00: on time."""
    src = step(at(2026, 3, 5, 9, 0), receive, actor=officer_a, unit=None)
    step(at(2026, 3, 6, 8, 30), s.source_forward, actor=officer_a, source=src)
    step(at(2026, 3, 6, 16, 0), s.source_classify, actor=intake_body, source=src, article="173")
    result = t2_received_classified(Source.objects.filter(pk=src.pk), date(2026, 3, 1),
                                    date(2026, 3, 31))
    assert (result.numerator, result.denominator) == (1, 1)


def test_a_source_suspended_before_the_period_stays_to_resolve(
        intake_body, head, investigator, receive, body):
    """Received 02/01/2026: 20 days -> 22/01; suspended 26/01 (after the limit, Art. 148).
    In March it is still to resolve (T3 denominator 1, numerator 0) and unresolved on
    20/03, but not overdue: its clock stopped lawfully."""
    src = step(at(2026, 1, 2, 9, 0), receive, actor=intake_body, unit=body)
    step(at(2026, 1, 2, 10, 0), s.source_classify, actor=intake_body, source=src, article="173")
    step(at(2026, 1, 2, 11, 0), s.source_assign, actor=head, source=src,
         investigator=investigator)
    step(at(2026, 1, 26, 9, 0), s.source_suspend, actor=investigator, source=src,
         ground="expert_examination", decision_number="9/QĐ-TĐC", note="Chờ giám định")
    scope = Source.objects.filter(pk=src.pk)
    t3 = t3_resolution(scope, date(2026, 3, 1), date(2026, 3, 31))
    assert (t3.numerator, t3.denominator) == (0, 1)
    rate = overdue_rate(scope, date(2026, 3, 20))
    assert (rate.numerator, rate.denominator) == (0, 1)
