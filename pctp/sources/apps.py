from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "pctp.sources"
    label = "sources"
    verbose_name = _("Crime sources")

    def ready(self) -> None:
        from pctp.core.home import register
        from pctp.sources.home import source_card

        register(source_card)
