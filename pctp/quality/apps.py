from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "pctp.quality"
    label = "quality"
    verbose_name = _("Quality of investigation, prosecution and trial")

    def ready(self):
        from pctp.core.home import register
        from pctp.quality.home import alerts_card

        register(alerts_card)
