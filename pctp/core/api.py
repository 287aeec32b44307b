"""One JSON error shape for the whole API: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from pctp.core.errors import DomainError

logger = logging.getLogger(__name__)


def error_response(code: str, message: str, details=None, http_status: int = 400) -> Response:
    return Response({"error": {"code": code, "message": message, "details": details or {}}},
                    status=http_status)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return error_response(exc.code, exc.message, exc.details, exc.status)
    if isinstance(exc, ValidationError):
        details = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return error_response("invalid", _("Invalid data."), details, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DataError | OverflowError):
        # A value the database cannot hold (a NUL byte, a number past bigint: DataError on
        # PostgreSQL, OverflowError from SQLite's driver) that came in with the request: the
        # caller's fault, so 400, not 500; logged in case it was ours.
        logger.warning("database refused a value: %s", exc)
        return error_response("invalid", _("Invalid data."), {}, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, RecursionError):
        # A body nested past the JSON parser's depth: DRF's parser catches only ValueError.
        return error_response("parse_error", _("The JSON is nested too deeply."), {},
                              status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        code, message, details = "invalid", _("Invalid data."), response.data
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        message, details = str(detail or exc), {}
        # DRF writes these two in English whatever the language (not through gettext).
        if message.startswith("JSON parse error"):
            message = str(_("The body is not valid JSON."))
        elif message.startswith("CSRF Failed"):
            message = str(_("The request lacks a valid CSRF token: reload the page and try "
                            "again, or call the API with a token."))
    response.data = {"error": {"code": code, "message": message, "details": details}}
    return response


def query_date(params, name: str, default=None):
    """A date from the query string. Absent gives the default; anything but a calendar date
    ("xyz", 2026-02-30, where Django's parse_date passes None or raises) gives 400."""
    value = params.get(name)
    if not value:
        return default
    try:
        return serializers.DateField().to_internal_value(value)
    except exceptions.ValidationError as exc:
        raise exceptions.ValidationError({name: exc.detail}) from exc


class DateTimeField(serializers.DateTimeField):
    """DRF's field, but a moment near year 1 or 9999 that leaves the calendar when moved to
    UTC is refused as invalid (DRF lets its OverflowError through as a 500)."""

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]")


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:\d{2})?")


@extend_schema_field({"type": "string", "example": "2026-02-14T14:00",
                     "description": "YYYY-MM-DD or YYYY-MM-DDTHH:MM (local time)"})
class DayOrMomentField(serializers.Field):
    """A day (YYYY-MM-DD) or a moment (YYYY-MM-DDTHH:MM, local time unless a zone is
    given): custody and the hour limits count from the hour, the rest from the day. Only
    years 1900 to 2999 (a moment outside leaves the calendar when moved between zones)."""

    default_error_messages = {"invalid": gettext_lazy(
        "Write a day as YYYY-MM-DD or a moment as YYYY-MM-DDTHH:MM, a year from 1900 to 2999.")}

    def to_internal_value(self, data):
        from datetime import date, datetime

        from django.utils import timezone

        text = str(data).strip()
        if not _MOMENT.fullmatch(text) or not 1900 <= int(text[:4]) <= 2999:
            self.fail("invalid")
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            value = datetime.fromisoformat(text.replace(" ", "T", 1).replace("Z", "+00:00"))
            value = value if timezone.is_aware(value) else timezone.make_aware(value)
            timezone.localtime(value)  # a moment the local zone cannot show is refused here
            return value
        except (ValueError, OverflowError):
            self.fail("invalid")

    def to_representation(self, value):
        return value.isoformat()


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """limit and offset are whole numbers a database can hold; anything else is 400 (a
    number past the 64-bit integer is refused the same on PostgreSQL and SQLite)."""

    max_limit = 1000
    BOUND = 2**31

    def _bounded(self, request, name: str):
        raw = request.query_params.get(name)
        if raw is None or raw == "":
            return
        try:
            value = int(raw)
        except ValueError:
            raise exceptions.ValidationError({name: ["A whole number."]}) from None
        if value < 0 or value >= self.BOUND:
            raise exceptions.ValidationError({name: [f"0 to {self.BOUND - 1}."]})

    def paginate_queryset(self, queryset, request, view=None):
        self._bounded(request, self.limit_query_param)
        self._bounded(request, self.offset_query_param)
        return super().paginate_queryset(queryset, request, view)


class BlankChoicesMixin:
    """For a ModelSerializer: a model's choice field that may be blank keeps "" among its
    values when read-only. DRF drops allow_blank from read-only fields, so the schema said
    "" could never come back while the API answered it (issue 16, finding 16)."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        keep = bool(kwargs.get("allow_blank")) and "choices" in kwargs
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if keep:
            kwargs["allow_blank"] = True
        return kwargs


def requires(perm: str) -> type:
    """A DRF permission class that asks the same named permission as the page (an API view
    is never a wider door than its page). A refused caller gets 403 in the error shape."""
    from rest_framework.permissions import BasePermission

    class HasPerm(BasePermission):
        message = gettext_lazy("You do not have access to these data.")

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated
                        and request.user.has_perm(perm))

    HasPerm.__name__ = HasPerm.__qualname__ = f"Requires_{perm.replace('.', '_')}"
    return HasPerm
