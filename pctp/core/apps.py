from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pctp.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from pctp.core.home import register
        from pctp.core.home_tools import tools_card
        from pctp.core.thirdparty import name_libraries

        register(tools_card)
        name_libraries()
        post_migrate.connect(_create_cache_table, sender=self)


def _create_cache_table(sender, using="default", verbosity=1, **kwargs) -> None:
    """`pctp migrate` creates the shared cache's table (PCTP_CACHE_URL=db) beside the
    others; Django's createcachetable leaves an existing one alone."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
