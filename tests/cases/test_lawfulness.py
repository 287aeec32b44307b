"""`pctp check-lawful` finds what the services would have refused, in rows that got in some
other way (an import, an old version, a hand edit), and says so with exit code 1."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from pctp.cases import services as s
from pctp.cases.lawfulness import WARNINGS, sweep
from pctp.cases.models import Measure, Referral
from pctp.sources.models import Source
from pctp.units.models import Unit
from tests.cases.conftest import at

pytestmark = pytest.mark.django_db


def codes():
    return {code: len(rows) for code, rows in sweep().items()
             if rows and code not in WARNINGS}


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_a_clean_database_passes_and_each_unlawful_row_is_named(
        initiate, add_accused, investigator, procurator, capsys):
    case = initiate(charges=(("251", 4),))
    accused = add_accused(case, charges=(("251", 4),))
    measure = s.measure_order(actor=investigator, accused=accused, kind="detention",
                              order_number="1/LTG", start_on=date(2026, 4, 1))
    assert codes() == {}
    call_command("check-lawful")
    # A stored limit a day late (as before issue 15), then one already passed.
    Measure.objects.filter(pk=measure.pk).update(due_date=measure.due_date + timedelta(days=1))
    assert codes() == {"stored_limit": 1}
    Measure.objects.filter(pk=measure.pk).update(due_at=at(2026, 5, 10, 8, 0))
    assert set(codes()) == {"stored_limit", "held_past_limit"}
    # A case sent to a regional court though its bracket is life or death.
    court = Unit.objects.get(kind="regional_court", communes=case.commune)
    Referral.objects.create(case=case, kind="indictment", from_unit=case.procuracy, to_unit=court,
                            document_number="1/CT", sent_on=date(2026, 5, 1), sent_by=procurator)
    assert "wrong_court" in codes()
    with pytest.raises(CommandError) as err:
        call_command("check-lawful")
    assert err.value.returncode == 1
    out = capsys.readouterr().out
    assert case.register_code in out and "TAND cấp tỉnh" in out


@time_machine.travel(at(2026, 5, 10, 9, 0), tick=False)
def test_an_initiated_source_without_its_case_is_found(initiate):
    case = initiate()
    source = Source.objects.filter(status="initiated").first()
    assert source is None  # nothing yet; make one the way an old import did
    from pctp.sources.models import Source as S

    row = S.objects.create(unit=case.investigation_body, register_year=2026, register_number=999,
                           holder=case.investigation_body, kind="denunciation", channel="phone",
                           status="initiated", received_at=at(2026, 4, 1, 9, 0),
                           holder_received_at=at(2026, 4, 1, 9, 0), summary="x", content="x",
                           reporter_type="anonymous", clock_start=date(2026, 4, 1),
                           due_date=date(2026, 4, 21))
    found = sweep(["initiated_without_case"])["initiated_without_case"]
    assert [f.record for f in found] == [f"nguồn tin {row.register_code} (id {row.pk})"]
