"""Idempotency keys (a form's hidden token, an API client's `client_token`) belong to the
one who sent them: scoped to the user and the kind of request, so that a second officer
reusing a token gets their own record, never the first one's (issue 16, finding 12)."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from pctp.core.errors import InvalidTransition


def scoped(actor, kind: str, token: str | None) -> str | None:
    """`u<id>:<kind>:<token>`, or its hash when that would not fit in 64 characters."""
    if not token:
        return None
    who = getattr(actor, "pk", None) or 0
    key = f"u{who}:{kind}:{token}"
    if len(key) <= 64:
        return key
    return f"u{who}:{kind}:" + hashlib.sha256(token.encode()).hexdigest()[:40]


def conflict(kind: str) -> InvalidTransition:
    return InvalidTransition(
        "token_conflict", _("This duplicate-submission token was already used for another "
                            "record with different content. Reload the form and send it again."),
        details={"kind": kind})
