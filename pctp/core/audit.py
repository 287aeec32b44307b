"""Writing the journals. Call these inside the same transaction as the change itself."""

from __future__ import annotations

from typing import Any

from django.db import models

from pctp.core.context import client_address
from pctp.core.models import AccessLog, AuditEvent


def _object_type(obj: models.Model | type[models.Model] | str) -> str:
    if isinstance(obj, str):
        return obj
    return obj._meta.label_lower


def _address(user) -> str | None:
    """The client address of a signed-in official's request; never a citizen's (the
    portal promises to keep no address: an event without a user records none)."""
    return client_address.get() if user is not None else None


def audit_record(*, actor: Any, action: str, obj: models.Model, from_state: str = "",
                 to_state: str = "", changes: dict[str, Any] | None = None,
                 note: str = "") -> AuditEvent:
    """Append one audit event for a state change of `obj` by `actor`."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        action=action,
        object_type=_object_type(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        from_state=from_state or "",
        to_state=to_state or "",
        changes=changes or {},
        note=note,
        client_address=_address(user),
    )


def access_record(*, actor: Any, obj: models.Model, fields: str, purpose: str = "",
                  kind: str = AccessLog.Kind.VIEW) -> AccessLog:
    """Append one row to the access log for a view or export of personal data."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AccessLog.objects.create(
        actor=user,
        kind=kind,
        object_type=_object_type(obj),
        object_id=str(obj.pk),
        fields=fields[:300],
        purpose=purpose[:300],
        client_address=_address(user),
    )


def access_records(*, actor: Any, objs: list[models.Model], fields: str, purpose: str = "",
                   kind: str = AccessLog.Kind.VIEW) -> None:
    """One access-log row per object, written in one statement (a page of identities)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    address = _address(user)
    AccessLog.objects.bulk_create([
        AccessLog(actor=user, kind=kind, object_type=_object_type(obj), object_id=str(obj.pk),
                  fields=fields[:300], purpose=purpose[:300], client_address=address)
        for obj in objs])


def model_changes(instance: models.Model, fields: list[str],
                  before: dict[str, Any] | None) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs from `before`."""
    before = before or {}
    out: dict[str, list[Any]] = {}
    for name in fields:
        new = getattr(instance, name)
        old = before.get(name)
        if old != new:
            out[name] = [_jsonable(old), _jsonable(new)]
    return out


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)
