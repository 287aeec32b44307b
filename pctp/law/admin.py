from django.contrib import admin

from pctp.core.admin import AuditedAdmin
from pctp.law.models import DayOff, Offence, OffenceClause, OffenceGroup


class ClauseInline(admin.TabularInline):
    model = OffenceClause
    extra = 0
    readonly_fields = ["clause", "max_penalty", "max_years", "severity", "preparation"]
    can_delete = False


class GroupInline(admin.TabularInline):
    model = OffenceGroup
    extra = 0


@admin.register(Offence)
class OffenceAdmin(AuditedAdmin):
    list_display = ["article", "title", "chapter", "repealed", "verified"]
    list_filter = ["chapter", "repealed", "verified"]
    search_fields = ["article", "title"]
    readonly_fields = ["article", "number", "suffix", "title", "chapter", "chapter_title",
                       "section", "is_offence", "repealed"]
    inlines = [GroupInline, ClauseInline]


@admin.register(DayOff)
class DayOffAdmin(AuditedAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
