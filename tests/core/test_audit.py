"""Every state change writes one audit row; nobody can edit the journals."""

import pytest
from django.db import connection, transaction

from pctp.core.audit import access_record
from pctp.core.models import AccessLog, AuditEvent
from pctp.units.models import Unit
from pctp.units.services import (
    membership_end,
    membership_grant,
    unit_close,
    unit_create,
    unit_update,
)
from tests.personas import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("system_admin", "P80", is_staff=True)


def _count(action):
    return AuditEvent.objects.filter(action=action).count()


def test_each_unit_change_writes_exactly_one_audit_row(admin):
    parent = Unit.objects.get(code="P80-UBND")
    before = AuditEvent.objects.count()
    unit = unit_create(actor=admin, code="P80-SO-TEST", name="Sở Thử nghiệm",
                       kind=Unit.Kind.DEPARTMENT, province=parent.province, parent=parent)
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.get(action="unit.create", object_id=str(unit.pk))
    assert event.actor == admin and event.to_state == "open"
    unit_update(actor=admin, unit=unit, name="Sở Thử nghiệm mới")
    assert AuditEvent.objects.count() == before + 2
    event = AuditEvent.objects.get(action="unit.update")
    assert event.changes == {"name": ["Sở Thử nghiệm", "Sở Thử nghiệm mới"]}
    unit_update(actor=admin, unit=unit, name="Sở Thử nghiệm mới")  # no change, no row
    assert AuditEvent.objects.count() == before + 2
    unit_close(actor=admin, unit=unit, on=unit.valid_from or __import__("datetime").date(2026, 1, 1))
    assert AuditEvent.objects.count() == before + 3
    closed = AuditEvent.objects.get(action="unit.close", object_id=str(unit.pk))
    assert (closed.from_state, closed.to_state) == ("open", "closed")


def test_membership_grant_and_end_are_audited(admin, officer_a, communes):
    before = AuditEvent.objects.count()
    m = membership_grant(actor=admin, user=officer_a, unit=communes["police_b"],
                         role_code="intake_officer")
    membership_end(actor=admin, membership=m)
    assert AuditEvent.objects.count() == before + 2
    assert _count("membership.grant") >= 1 and _count("membership.end") == 1


def test_a_refused_change_writes_nothing(officer_a):
    from pctp.core.errors import PermissionRefused

    parent = Unit.objects.get(code="P80-UBND")
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionRefused):
        unit_create(actor=officer_a, code="X", name="X", kind=Unit.Kind.DEPARTMENT,
                    province=parent.province, parent=parent)
    assert AuditEvent.objects.count() == before
    assert not Unit.objects.filter(code="X").exists()


def test_audit_rows_record_the_client_address(admin):
    client = login(admin)
    client.defaults["REMOTE_ADDR"] = "10.1.2.3"
    from pctp.core.context import client_address

    token = client_address.set("10.1.2.3")
    try:
        parent = Unit.objects.get(code="P80-UBND")
        unit_create(actor=admin, code="P80-SO-IP", name="Sở IP", kind=Unit.Kind.DEPARTMENT,
                    province=parent.province, parent=parent)
    finally:
        client_address.reset(token)
    assert AuditEvent.objects.get(action="unit.create", object_repr="Sở IP").client_address == "10.1.2.3"


def test_journal_rows_cannot_be_edited_or_deleted(admin):
    event = AuditEvent.objects.first()
    event.note = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(note="x")
    with pytest.raises(PermissionError):
        AccessLog.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_raw_updates_of_the_journal(admin):
    from django.db import DatabaseError

    access_record(actor=admin, obj=admin, fields="personal_id")

    event_id = AuditEvent.objects.values_list("id", flat=True).first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET note = 'x' WHERE id = %s", [event_id])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_accesslog")


def test_auditor_browses_and_exports_both_journals(auditor, officer_a):
    access_record(actor=officer_a, obj=officer_a, fields="personal_id", purpose="test")
    client = login(auditor)
    page = client.get("/journal/")
    assert page.status_code == 200 and "membership.grant" in page.content.decode()
    access = client.get("/journal/access/").content.decode()
    assert "personal_id" in access
    export = client.get("/journal/export/events.csv")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv")
    assert body.splitlines()[0].startswith("id,at,actor,action")
    assert "membership.grant" in body
    exported = client.get("/journal/export/access.csv")
    assert "personal_id" in b"".join(exported.streaming_content).decode("utf-8-sig")
    assert AccessLog.objects.filter(actor=auditor, kind="export").count() == 2


def test_officer_cannot_read_the_journal(officer_a):
    client = login(officer_a)
    assert client.get("/journal/").status_code == 403
    assert client.get("/journal/export/events.csv").status_code == 403


def test_journal_api_is_read_only_and_for_auditors(auditor, officer_a):
    from tests.personas import api_client

    assert api_client(officer_a).get("/api/v1/audit/events/").status_code == 403
    client = api_client(auditor)
    listing = client.get("/api/v1/audit/events/?action=membership")
    assert listing.status_code == 200 and listing.json()["count"] >= 1
    event_id = listing.json()["results"][0]["id"]
    assert client.delete(f"/api/v1/audit/events/{event_id}/").status_code == 405
    assert client.patch(f"/api/v1/audit/events/{event_id}/", {"note": "x"}).status_code == 405


@pytest.mark.parametrize("bad", ["2026-02-30", "xyz"])
def test_an_impossible_journal_date_is_refused_clearly(auditor, officer_a, bad):
    """A day that is not on the calendar is neither a server error nor silently ignored:
    the page says so and lists without that filter; the export and the API answer 400."""
    from tests.personas import api_client

    client = login(auditor)
    page = client.get(f"/journal/?date_from={bad}&date_to=2026-13-01")
    assert page.status_code == 200
    text = page.content.decode()
    assert "membership.grant" in text  # listed without the refused filters
    assert text.count('class="error"') == 2  # one message per refused date
    export = client.get(f"/journal/export/events.csv?date_to={bad}")
    assert export.status_code == 400
    assert client.get(f"/journal/access/?date_to={bad}").status_code == 200
    api = api_client(auditor).get(f"/api/v1/audit/events/?date_from={bad}")
    assert api.status_code == 400
    assert api.json()["error"]["details"] == {"date_from": [bad]}
