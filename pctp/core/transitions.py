"""The steps every transition service repeats, written once (issue 18).

A record with a workflow (a crime source, a criminal case) describes it in its app's
``transitions.py``: ``TRANSITIONS`` (action -> the states it may start from, the state
after; None keeps the state), the ``Step`` of each action a user may be offered (the
states, a condition on the record) and one ``who(user, obj, action)`` that says who may
take it (the named permission in one of the record's units, the person handling it), as
the refusal to raise or None. From these a ``Workflow`` gives:

- ``begin``: lock the row (``select_for_update``, inside the caller's transaction), check
  its state against the table, and, given the actor, refuse whoever may not take the step;
- ``require``: the same refusal alone, for a service that checks something else first;
- ``record``: the audit row of the step, with the state before and after;
- ``actions``: the steps a user may take now, which the page offers, the API's refusals
  and the services' guards agree with (they read the same table and the same ``who``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models

from pctp.core.audit import audit_record
from pctp.core.errors import DomainError, InvalidTransition, NotFound, PermissionRefused
from pctp.core.permissions import has_perm_in_unit

Table = dict[str, tuple[frozenset[str], str | None]]


@dataclass(frozen=True)
class Step:
    """An action a user may be offered: the key of its transition in the table (its own
    name by default) or, for a step outside the table, its own ``states``; and ``when``, a
    condition on the record beyond its state (``when(obj, context)``), which the service
    checks again with its own refusal."""

    transition: str | None = None
    states: frozenset[str] | None = None
    when: Callable[[Any, dict], bool] | None = None


def require_perm(actor, perm: str, unit, message: str) -> None:
    """Refuse (403) unless the actor holds the named permission in the unit."""
    if unit is None or not has_perm_in_unit(actor, perm, unit):
        raise PermissionRefused("forbidden", message)


@dataclass(frozen=True)
class Workflow:
    model: type[models.Model]
    audit_prefix: str  # "source" -> audit actions "source.classify"…
    table: Table
    steps: dict[str, Step]
    # who(user, obj, action) -> the refusal to raise, or None when the user may take it.
    who: Callable[[Any, Any, str], DomainError | None]
    # invalid(obj, action) -> the message of a step the record's state does not permit.
    invalid: Callable[[Any, str], str]
    not_found: str  # or a lazy translation, resolved when raised
    related: tuple[str, ...] = ()

    def lock(self, obj: models.Model | int):
        """The row again, locked until the end of the transaction."""
        pk = obj.pk if isinstance(obj, models.Model) else obj
        try:
            return (self.model.objects.select_for_update(of=("self",))
                    .select_related(*self.related).get(pk=pk))
        except self.model.DoesNotExist:
            raise NotFound("not_found", str(self.not_found)) from None

    def permits(self, obj, action: str) -> bool:
        step = self.steps.get(action, Step())
        allowed = step.states if step.states is not None else self.table[
            step.transition or action][0]
        return obj.status in allowed

    def check(self, obj, action: str) -> str | None:
        """The state after ``action``, or 409 when the record's state does not permit it."""
        allowed, target = self.table[action]
        if obj.status not in allowed:
            raise InvalidTransition("invalid_transition", self.invalid(obj, action),
                                    details={"action": action, "state": obj.status})
        return target

    def require(self, actor, obj, action: str) -> None:
        refusal = self.who(actor, obj, action)
        if refusal is not None:
            raise refusal

    def begin(self, obj, action: str, *, actor=None) -> tuple[Any, str, str | None]:
        """Lock the record and check the step: (the record locked, its state before, the
        state after). With ``actor``, refuse whoever may not take the step."""
        obj = self.lock(obj)
        before = obj.status
        target = self.check(obj, action)
        if actor is not None:
            self.require(actor, obj, action)
        return obj, before, target

    def record(self, actor, obj, action: str, before: str, *, note: str = "",
               changes: dict[str, Any] | None = None) -> None:
        audit_record(actor=actor, action=f"{self.audit_prefix}.{action}", obj=obj,
                     from_state=before, to_state=obj.status, changes=changes, note=note)

    def actions(self, user, obj, context: dict | None = None) -> set[str]:
        """The steps ``user`` may take on ``obj`` now: its state permits them, ``who``
        does not refuse the user and their condition holds (asked last: it may query)."""
        context = {} if context is None else context
        return {action for action, step in self.steps.items()
                if self.permits(obj, action)
                and self.who(user, obj, action) is None
                and (step.when is None or step.when(obj, context))}
