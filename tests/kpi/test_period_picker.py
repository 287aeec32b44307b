"""Issue 17: the KPI period is chosen from a picker (kind, year, part, or two days), never
typed as a code like "tk:2026-03"."""

import pytest

from pctp.kpi.periods import PeriodError, compose, parse


@pytest.mark.parametrize(("fields", "key", "start", "end"), [
    (("year", "2025"), "2025", "2025-01-01", "2025-12-31"),
    (("quarter", "2026", "2"), "2026-Q2", "2026-04-01", "2026-06-30"),
    (("half", "2026", "1"), "2026-H1", "2026-01-01", "2026-06-30"),
    (("month", "2026", "3"), "2026-03", "2026-03-01", "2026-03-31"),
    # Statistical month 3/2026: 15/02/2026 to 14/03/2026.
    (("stat_month", "2026", "3"), "tk:2026-03", "2026-02-15", "2026-03-14"),
    (("stat_year", "2026"), "tk:2026", "2025-12-15", "2026-12-14"),
    (("court_year", "2026"), "ta:2026", "2025-10-01", "2026-09-30"),
    (("range", "", "", "09/08/2026", "31/08/2026"), "2026-08-09..2026-08-31",
     "2026-08-09", "2026-08-31"),
])
def test_the_pickers_fields_name_the_period(fields, key, start, end):
    assert compose(*fields) == key
    period = parse(key)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize("fields", [("", "2026"), ("quarter", "2026", "5"), ("month", "", "3"),
                                    ("range", "", "", "31/02/2026", "01/03/2026"),
                                    ("week", "2026")])
def test_an_incomplete_pick_is_refused_with_the_reason(fields):
    with pytest.raises(PeriodError):
        compose(*fields)
