import pytest
from django.apps import apps
from django.core.management import call_command

from pctp.units.models import Unit

pytestmark = pytest.mark.django_db

# The demo at a twentieth of its size (PCTP_DEMO_SCALE, docs/operations.md): every seeder
# runs through the same code on about 770 crime sources and 350 cases over three years, so
# that seeding twice takes seconds instead of minutes. The plan, key areas, forecasts and the
# fixed persona scenarios do not scale; the unit tree (96 communes) is the session's.
SMALL_SCALE = 0.05


def _rows() -> dict[str, list]:
    """Every table's ids, in order: a second run that adds, deletes or replaces a row shows."""
    return {model._meta.label: list(model._base_manager.order_by("pk")
                                    .values_list("pk", flat=True))
            for model in apps.get_models()}


def _journal_breaks(object_type: str, model, table: dict) -> list:
    """Journal steps of the demo's records that the services' transition table forbids, and
    records whose last journaled state is not their state (issue 18: the sources demo writes
    rows directly; it must still hold only what the services allow)."""
    from collections import defaultdict

    from pctp.core.models import AuditEvent

    steps = defaultdict(list)
    for e in (AuditEvent.objects.filter(object_type=object_type).order_by("at", "pk")
              .values("object_id", "action", "from_state", "to_state")):
        steps[e["object_id"]].append(e)
    breaks = []
    for pk, status in model.objects.values_list("pk", "status"):
        state = None
        for e in steps[str(pk)]:
            allowed, target = table.get(e["action"].partition(".")[2], (None, None))
            if allowed is not None and e["from_state"] and e["from_state"] not in allowed:
                breaks.append((pk, e["action"], "from", e["from_state"]))
            if target and e["to_state"] and e["to_state"] != target:
                breaks.append((pk, e["action"], "to", e["to_state"]))
            state = e["to_state"] or state
        if state and state != status:
            breaks.append((pk, "last state", state, status))
    return breaks


def test_demo_seed_is_safe_to_run_twice(capsys, settings):
    from pctp.core.models import AuditEvent

    settings.PCTP_DEMO_SCALE = SMALL_SCALE
    call_command("seed-demo")
    first = _rows()
    journal = list(AuditEvent.objects.order_by("pk").values_list(
        "pk", "action", "object_type", "object_id", "from_state", "to_state"))
    # Every seeder wrote its records, small as they are.
    for label in ("core.User", "units.Membership", "sources.Source", "cases.Case",
                  "cases.Accused", "plans.Plan", "plans.Task", "areas.KeyArea",
                  "analytics.Forecast", "cases.Appeal"):
        assert first[label], f"the small demo has no {label}"
    from pctp.cases.models import Case
    from pctp.cases.transitions import TRANSITIONS as CASE_STEPS
    from pctp.sources.models import Source
    from pctp.sources.transitions import TRANSITIONS as SOURCE_STEPS

    assert _journal_breaks("sources.source", Source, SOURCE_STEPS) == []
    assert _journal_breaks("cases.case", Case, CASE_STEPS) == []
    # Each red-flag rule's precision on the demo (issue 21): the flags planted are raised,
    # and no other flag of the rules that read data of their own.
    from collections import Counter

    from pctp.quality.models import Flag

    raised = Counter(Flag.objects.values_list("rule", flat=True))
    assert {k: raised[k] for k in ("repeat_reports", "loss_without_recovery",
                                   "closed_after_reassignment", "same_person_terminated")} == {
        "repeat_reports": 2, "loss_without_recovery": 1, "closed_after_reassignment": 1,
        "same_person_terminated": 1}
    # The demo's refutations rest on records (QA of issue 22): the public page counts them.
    from pctp.outreach.models import FalseClaim

    checked = FalseClaim.objects.filter(status__in=["verified", "refuted", "closed"])
    assert checked.exists() and all(c.evidence for c in checked)
    call_command("seed-demo")
    assert _rows() == first  # no table gained, lost or replaced a row (both journals too)
    assert list(AuditEvent.objects.order_by("pk").values_list(
        "pk", "action", "object_type", "object_id", "from_state", "to_state")) == journal
    out = capsys.readouterr().out
    assert "lanhdao" in out and "provincial_leader" in out
    # The demo obeys the law it teaches (issue 15): the sweep finds no unlawful state, and
    # every initiated source has its case.
    from pctp.cases.lawfulness import WARNINGS, sweep

    found = {code: [f.message for f in rows[:3]] for code, rows in sweep().items()
             if rows and code not in WARNINGS}
    assert found == {}
    call_command("check-lawful")  # exits 0


def test_demo_province_has_every_kind_of_unit():
    kinds = set(Unit.objects.filter(province__code="80").values_list("kind", flat=True))
    assert kinds == set(Unit.Kind.values)
    assert Unit.objects.current().filter(kind="commune_police").count() == 96
    # Closed with the reform: 5 district police and 6 town police, each with its successor.
    closed = Unit.objects.filter(province__code="80", valid_to__isnull=False)
    assert closed.count() == 11 and not closed.filter(successor__isnull=True).exists()
    assert Unit.objects.filter(kind="commune_committee").count() == 96


def test_the_wards_regional_procuracy_and_court_have_demo_accounts(db):
    """Issue 17: tiepnhan1's ward sends its cases to khu vực 2, whose accounts were missing."""
    from pctp.units.demo import demo_accounts, seed_units
    from pctp.units.models import Commune, Unit

    seed_units()
    accounts = {a.username: a.unit_code for a in demo_accounts()}
    ward = Commune.objects.get(code=Unit.objects.get(code=accounts["tiepnhan1"])
                               .code.rsplit("-", 1)[-1])
    for kind in ("regional_procuracy", "regional_court"):
        region = Unit.objects.get(kind=kind, communes=ward)
        assert region.code in accounts.values(), region.code
