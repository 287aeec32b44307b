"""The demo's year of crime sources: every state, lawful limits, the personas' queues filled,
identities encrypted as services store them, and a second run that changes nothing."""

import io
import math
from collections import defaultdict

import pytest
from django.test import override_settings
from django.utils import timezone

from pctp.core.crypto import decrypt_json
from pctp.core.identity import parse_personal_id
from pctp.core.models import AuditEvent, User
from pctp.law.services import deadline
from pctp.sources import demo
from pctp.sources.models import (
    OPEN_STATUSES,
    ExtensionRequest,
    ReporterType,
    Source,
    Status,
    VerificationNote,
)
from pctp.sources.selectors import source_list
from pctp.units.demo import seed_people
from tests.once import built_once
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

SCALE = 0.04  # about 200 sources plus the fixed persona scenarios


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo's sources, seeded once for the module; each test's writes roll back after it."""
    with built_once(django_db_blocker):
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            seed_people(PASSWORD)
            summary = demo.seed(password=PASSWORD, stdout=io.StringIO(), scale=SCALE)
        yield summary


def _counts():
    return (Source.objects.count(), AuditEvent.objects.count(), ExtensionRequest.objects.count(),
            VerificationNote.objects.count(), User.objects.count())


def test_a_second_run_creates_nothing(seeded):
    before = _counts()
    again = demo.seed(password=PASSWORD, stdout=io.StringIO(), scale=SCALE)
    assert _counts() == before
    assert "kept" in str(again["crime sources"])
    assert seeded["crime sources"] == before[0]


def test_every_state_with_due_soon_overdue_and_pending_requests(seeded):
    sources = Source.objects.all()
    assert set(sources.values_list("status", flat=True)) == set(Status.values)
    today = timezone.localdate()
    open_ = sources.filter(status__in=OPEN_STATUSES)
    assert open_.filter(due_date__lt=today).exists()
    assert open_.filter(due_date__gte=today, due_date__lte=today + timezone.timedelta(days=5)).exists()
    assert ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING).exists()
    assert sources.filter(extensions=2).exists()
    assert sources.filter(unit__code__startswith="P80-CAX-").exists()
    assert sources.filter(unit__code="P80-CA-CSDT").exists()
    accepted = sources.filter(status=Status.TRANSFERRED, transferred_to__isnull=False).first()
    assert accepted is not None and accepted.transferred_to.channel == "transfer"
    assert accepted.transferred_to.unit == accepted.transfer_target
    assert sources.filter(status=Status.TRANSFERRED, transferred_to__isnull=True).exists()
    merged = sources.filter(status=Status.MERGED).first()
    assert merged.merged_into_id and merged.merged_into.received_at <= merged.received_at


PERSONA_QUEUES = {
    "tiepnhan1": ["unit", "due_soon", "overdue", "procuracy"],  # intake, first commune
    "dieutra": ["mine", "unit", "due_soon", "overdue", "procuracy"],
    "thutruong": ["mine", "unit", "due_soon", "overdue", "procuracy"],
    "kiemsat.kv1": ["due_soon", "overdue", "procuracy"],  # procurator, region 1
}


def test_each_persona_has_work_in_each_of_their_queues(seeded):
    empty = [(username, queue) for username, queues in PERSONA_QUEUES.items()
             for queue in queues
             if not source_list(user=User.objects.get(username=username), queue=queue).exists()]
    assert empty == []


def test_every_stored_identity_decrypts(seeded):
    for source in Source.objects.all():
        if source.reporter_type == ReporterType.ANONYMOUS:
            assert source.reporter_identity is None and source.reporter_index == ""
            continue
        identity = decrypt_json(source.reporter_identity, context=f"source:{source.pk}")
        assert identity["name"] or identity["agency"]
        assert source.reporter_index
        if identity["personal_id"]:
            parse_personal_id(identity["personal_id"])


def test_register_numbers_run_per_unit_and_year_in_order_of_receipt(seeded):
    registers = defaultdict(list)
    for source in Source.objects.order_by("received_at", "id"):
        registers[(source.unit_id, source.register_year)].append(source.register_number)
    for numbers in registers.values():
        assert numbers == list(range(1, len(numbers) + 1))


def test_limits_timelines_and_places_are_consistent(seeded):
    now = timezone.now()
    events = defaultdict(list)
    for event in AuditEvent.objects.filter(object_type="sources.source").order_by("at", "id"):
        events[int(event.object_id)].append(event)
    for source in Source.objects.select_related("commune"):
        assert source.due_date == deadline(source.clock_rule, start=source.clock_start,
                                           extensions=source.extensions).due
        assert source.occurred_at is None or source.occurred_at <= source.received_at
        assert source.received_at <= source.holder_received_at <= now
        timeline = events[source.pk]
        assert timeline[0].action == "source.receive" and timeline[0].at == source.received_at
        assert all(e.at <= now for e in timeline)
        changes = [e for e in timeline if e.from_state != e.to_state]
        assert (changes[-1].to_state if changes else Status.RECEIVED) == source.status
        if source.status in (Status.INITIATED, Status.DECLINED):
            assert source.assignee_id and source.decided_at and source.decision_number
        if source.status != Status.RECEIVED and source.status not in (Status.TRANSFERRED,
                                                                       Status.MERGED):
            assert source.offence_id and source.clause.offence_id == source.offence_id
        dy = (source.lat - source.commune.lat) * 111.32
        dx = (source.lon - source.commune.lon) * 111.32 * math.cos(math.radians(source.commune.lat))
        assert math.hypot(dx, dy) <= 1.6
