from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "pctp.units"
    label = "units"
    verbose_name = _("Units and people")

    def ready(self) -> None:
        from pctp.units.roles import sync_roles_after_migrate

        # Later apps add permissions; keep every role's group complete after each migrate.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="pctp-sync-roles")
