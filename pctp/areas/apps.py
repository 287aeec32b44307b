from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "pctp.areas"
    label = "areas"
    verbose_name = _("Key and complex areas")

    def ready(self) -> None:
        from pctp.areas.home import areas_card
        from pctp.core.home import register

        register(areas_card)
