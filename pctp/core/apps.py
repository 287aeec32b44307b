from django.apps import AppConfig
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
