"""The one domain error type. The API maps it to {"error": {code, message, details}}."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refuses the request. `status` is the HTTP status to answer with."""

    status = 400

    def __init__(self, code: str, message: str, *, details: dict[str, Any] | None = None,
                 status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        if status is not None:
            self.status = status


class InvalidTransition(DomainError):
    """A step that the current state does not permit (HTTP 409)."""

    status = 409


class PermissionRefused(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404
