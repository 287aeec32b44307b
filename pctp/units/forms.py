"""Form fields shared by the apps' pages for reference data (issue 17)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def commune_choices() -> list[tuple[str, str]]:
    """The deployed province's communes, by name, valued by code (for filters)."""
    from pctp.units.models import Commune

    rows = (Commune.objects.filter(province__code=settings.PCTP_PROVINCE_CODE)
            .order_by("name").values_list("code", "name"))
    return [("", "—"), *rows]


class CommuneFilterField(forms.ChoiceField):
    """A commune chosen from the list of the province's communes, never a typed code."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Commune"))
        kwargs.setdefault("required", False)
        super().__init__(choices=commune_choices, **kwargs)
