"""Django admin for reference data. Every save and delete is written to the audit journal."""

from django.contrib import admin

from pctp.core.admin import AuditedAdmin
from pctp.units.models import Commune, CommuneBoundary, Membership, Province, Role, Unit


@admin.register(Province)
class ProvinceAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "province", "remote"]
    list_filter = ["kind", "remote", "province"]
    search_fields = ["code", "name"]
    list_editable = ["remote"]


@admin.register(CommuneBoundary)
class CommuneBoundaryAdmin(AuditedAdmin):
    list_display = ["commune", "source", "loaded_at"]
    search_fields = ["commune__name", "commune__code"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    readonly_fields = ["path"]
    filter_horizontal = ["communes"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]

    def has_add_permission(self, request):
        return False  # roles come from the data migration (pctp/units/roles.py)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "unit", "role", "is_head", "valid_from", "valid_to"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]
