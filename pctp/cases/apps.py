from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "pctp.cases"
    label = "cases"
    verbose_name = _("Criminal cases")

    def ready(self) -> None:
        from pctp.cases.home import detention_card, work_card
        from pctp.core.home import register

        register(work_card)
        register(detention_card)

        from pctp.cases.models import Status
        from pctp.core.labels import register_states

        register_states("cases.case", Status)

        from pctp.cases.services import open_case_for_initiated_source
        from pctp.sources.signals import source_initiated

        source_initiated.connect(open_case_for_initiated_source,
                                 dispatch_uid="pctp-cases-open-on-initiation")
