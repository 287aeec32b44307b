from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "pctp.plans"
    label = "plans"
    verbose_name = _("Plans, tasks and unit reports")

    def ready(self) -> None:
        from pctp.core.home import register
        from pctp.plans.home import tasks_card

        register(tasks_card)
