"""Admin for users; every admin save and delete is written to the audit journal."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms.models import model_to_dict

from pctp.core.audit import audit_record
from pctp.core.models import User


class AuditedAdminMixin:
    def save_model(self, request, obj, form, change):
        before = model_to_dict(type(obj).objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        after = model_to_dict(obj)
        # Never copy a password hash into the journal.
        changes = {k: [str(before.get(k)), str(v)] for k, v in after.items()
                   if k in form.changed_data and k != "password"}
        audit_record(actor=request.user, action=f"admin.{'change' if change else 'add'}",
                     obj=obj, changes=changes)

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="admin.delete", obj=obj)
        super().delete_model(request, obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects + [o for o, _ in formset.changed_objects]:
            audit_record(actor=request.user, action="admin.change", obj=obj)




class AuditedAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("PCTP", {"fields": ("full_name", "position", "phone")}))
    list_display = ["username", "full_name", "position", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
