from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class LawConfig(AppConfig):
    name = "pctp.law"
    label = "law"
    verbose_name = _("The law")

    def ready(self) -> None:
        from django.conf import settings

        from pctp.law.timelimits import with_levels

        try:  # a typo in the granting levels stops the process at start, not at a decision
            with_levels(settings.PCTP_GRANTING_LEVELS)
        except ValueError as exc:
            raise ImproperlyConfigured(f"PCTP_GRANTING_LEVELS: {exc}") from None
