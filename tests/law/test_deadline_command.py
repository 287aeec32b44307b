"""`pctp deadline`: the law module behind a command, with the deployment's calendar."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pctp.law.models import DayOff

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    call_command("deadline", *args, "--json")
    return json.loads(capsys.readouterr().out)


def test_investigation_limit_for_a_serious_crime(capsys):
    # 30/01/2026 + 3 months = 30/04/2026, Reunification Day; 01/05 Labour Day;
    # 02–03/05 weekend → Monday 04/05/2026. Request ≥ 10 days before: 24/04/2026.
    data = run(capsys, "investigation", "--from", "2026-01-30", "--severity", "serious")
    assert data["due"] == "2026-05-04" and data["rollover"] is True
    assert data["request_by"] == "2026-04-24"
    assert data["can_extend"] is True and "172" in data["basis"]
    # 3 + 3 + 2 months = 30/09/2026, a Wednesday.
    assert data["max_due"] == "2026-09-30"


def test_announced_day_off_moves_a_month_limit(capsys):
    # 15/01/2026 + 2 months = Sunday 15/03/2026 → Monday 16/03; announce 16/03 off → 17/03.
    before = run(capsys, "investigation", "--from", "2026-01-15", "--severity", "less_serious")
    assert before["due"] == "2026-03-16"
    DayOff.objects.create(date=date(2026, 3, 16), note="nghỉ bù")
    after = run(capsys, "investigation", "--from", "2026-01-15", "--severity", "less_serious")
    assert after["due"] == "2026-03-17"


def test_day_rollover_setting_applies(capsys, settings):
    # 20 days from 01/02/2026 = Saturday 21/02/2026.
    assert run(capsys, "source.resolve", "--from", "2026-02-01")["due"] == "2026-02-21"
    settings.PCTP_DAY_LIMIT_ROLLOVER = True
    data = run(capsys, "source.resolve", "--from", "2026-02-01")
    assert data["due"] == "2026-02-23" and data["rollover"] is True


@pytest.mark.parametrize(("args", "message"), [
    (["nonsense", "--from", "2026-01-01"], "nonsense"),
    (["investigation", "--from", "2026-01-01"], "severity"),
    (["investigation", "--from", "2026-01-01", "--severity", "serious", "--extensions", "3"],
     "at most 2 extension"),
    (["custody", "--from", "01/01/2026"], "YYYY-MM-DD"),
    (["custody", "--from", "9999-12-30"], "9999"),
    # Counted in months (QA): date(10000, ...) raised a bare ValueError, a traceback.
    (["investigation", "--from", "9999-01-01", "--severity", "especially_serious"], "9999"),
    (["source.resolve", "--from", "9999-12-30", "--extensions", "1"], "9999"),
    (["investigation", "--from", "2026-02-14T14:00", "--severity", "serious"], "counts days"),
])
def test_bad_input_exits_with_code_2_and_names_the_problem(args, message):
    with pytest.raises(CommandError, match=message) as err:
        call_command("deadline", *args)
    assert err.value.returncode == 2


def test_custody_from_the_hour_and_from_a_day(capsys):
    # 3 days from 14:00 on 14/02/2026 end at 14:00 on 17/02/2026.
    data = run(capsys, "custody", "--from", "2026-02-14T14:00")
    assert (data["due"], data["due_at"]) == ("2026-02-17", "2026-02-17T14:00")
    # A day alone still works: from 00:00 on 14/02 (day 1), to 24:00 on 16/02.
    data = run(capsys, "custody", "--from", "2026-02-14")
    assert (data["due"], data["due_at"]) == ("2026-02-16", "2026-02-17T00:00")


def test_detention_ends_on_the_last_day_of_its_count(capsys):
    # Two months = 60 days from 10/01/2026, day 1 being 10/01: 10/03/2026 (DOMAIN.md §4).
    data = run(capsys, "detention.investigation", "--from", "2026-01-10", "--severity",
               "less_serious")
    assert data["due"] == "2026-03-10"


def test_the_grantor_follows_the_day_of_the_decision(capsys):
    data = run(capsys, "investigation", "--from", "2025-05-10", "--severity", "serious",
               "--decided-on", "2025-08-10")
    assert data["granted_by"].startswith("Viện trưởng VKSND khu vực")
