from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission

from pctp.core.models import AccessLog, AuditEvent
from pctp.core.selectors import access_log_list, audit_event_list


class CanViewJournal(BasePermission):
    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("core.view_journal")


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "action", "object_type", "object_id", "object_repr",
                  "from_state", "to_state", "changes", "note", "client_address"]


class AccessLogSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)

    class Meta:
        model = AccessLog
        fields = ["id", "at", "actor", "kind", "object_type", "object_id", "fields", "purpose",
                  "client_address"]


def _filters(request) -> dict:
    return {k: request.query_params.get(k, "") for k in ("action", "object_type", "actor",
                                                         "date_from", "date_to")}


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit journal (read-only: nobody can edit it)."""

    serializer_class = AuditEventSerializer
    permission_classes = [CanViewJournal]

    def get_queryset(self):
        return audit_event_list(user=self.request.user, **_filters(self.request))


class AccessLogViewSet(viewsets.ReadOnlyModelViewSet):
    """Every view or export of sensitive personal data."""

    serializer_class = AccessLogSerializer
    permission_classes = [CanViewJournal]

    def get_queryset(self):
        return access_log_list(user=self.request.user, **_filters(self.request))
