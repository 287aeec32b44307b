"""Permissions come from the roles of a user's active memberships."""

from __future__ import annotations

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import Permission


class MembershipBackend(BaseBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_pctp_perm_cache"):
            from pctp.units.models import Membership

            groups = Membership.objects.active().filter(user=user_obj).values("role__group")
            perms = Permission.objects.filter(group__in=groups).values_list(
                "content_type__app_label", "codename"
            )
            user_obj._pctp_perm_cache = {f"{app}.{code}" for app, code in perms}
        return user_obj._pctp_perm_cache

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)
