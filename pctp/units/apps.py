from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "pctp.units"
    label = "units"
    verbose_name = _("Units and people")

    def ready(self) -> None:
        from pctp.core.permissions import provide
        from pctp.units.roles import sync_roles_after_migrate
        from pctp.units.selectors import (
            units_in_scope,
            user_has_perm_in_unit,
            user_memberships,
            user_role_codes,
        )

        provide(role_codes=user_role_codes, has_perm_in_unit=user_has_perm_in_unit,
                memberships=user_memberships, units_in_scope=units_in_scope)

        # Later apps add permissions; keep every role's group complete after each migrate.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="pctp-sync-roles")
