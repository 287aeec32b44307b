"""Django admin for plans and their records. Every save and delete is written to the audit
journal; state changes go through the services, so states are read-only here."""

from django.contrib import admin

from pctp.core.admin import AuditedAdmin
from pctp.core.models import Notification
from pctp.plans.models import Plan, Task, TaskUpdate, UnitReport


@admin.register(Plan)
class PlanAdmin(AuditedAdmin):
    list_display = ["number", "title", "issuing_unit", "issued_on", "status"]
    list_filter = ["status"]
    search_fields = ["number", "title"]
    readonly_fields = ["status", "created_by"]
    autocomplete_fields = ["issuing_unit", "steering_unit"]


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ["code", "title", "plan", "lead_unit", "deadline", "recurrence", "status"]
    list_filter = ["status", "recurrence", "target_code", "priority"]
    search_fields = ["title", "content"]
    readonly_fields = ["status", "progress", "submitted_at", "submitted_on", "accepted_at",
                       "return_reason", "cancel_reason", "created_by"]
    autocomplete_fields = ["lead_unit"]
    filter_horizontal = ["coordinating_units"]


@admin.register(TaskUpdate)
class TaskUpdateAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "unit", "author", "at", "percent"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UnitReport)
class UnitReportAdmin(AuditedAdmin):
    list_display = ["task", "unit", "period_start", "period_end", "due_date", "status",
                    "submitted_on"]
    list_filter = ["status", "kind"]
    search_fields = ["unit__name", "task__title"]
    readonly_fields = ["status", "submitted_at", "submitted_on", "submitted_by", "task", "unit"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "text", "created_at", "read_at", "emailed_at"]
    search_fields = ["user__username", "text", "key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
