from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "pctp.sources"
    label = "sources"
    verbose_name = _("Crime sources")

    def ready(self) -> None:
        from pctp.core.home import register
        from pctp.core.labels import register_states
        from pctp.sources.home import source_card
        from pctp.sources.models import Status

        register(source_card)
        register_states("sources.source", Status)
