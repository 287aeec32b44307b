from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    name = "pctp.kpi"
    label = "kpi"
    verbose_name = _("The plan's targets and their figures")

    def ready(self) -> None:
        from pctp.core.home import register
        from pctp.kpi.home import targets_card

        register(targets_card)
