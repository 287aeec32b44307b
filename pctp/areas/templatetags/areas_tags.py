from django import template
from django.utils.translation import gettext_lazy as _

from pctp.areas.models import Status

register = template.Library()

CRITERIA = {
    "detection": _("Detection of initiated cases"),
    "severe_detection": _("Detection of very and especially serious cases"),
    "sources": _("Crime sources received and handled"),
    "dangerous_groups": _("No active dangerous criminal group"),
}
RESULTS = {"transformed": _("transformed"), "not_transformed": _("not transformed")}


@register.filter
def area_state(code: str) -> str:
    return str(dict(Status.choices).get(code, code or "—"))


@register.filter
def criteria_rows(computed) -> list:
    """The criteria of a stored figure in a fixed order (JSON storage may reorder keys)."""
    found = (computed or {}).get("criteria", {})
    return [(code, found[code]) for code in CRITERIA if code in found]


@register.filter
def criterion_label(code: str) -> str:
    return str(CRITERIA.get(code, code))


@register.filter
def result_label(code: str) -> str:
    return str(RESULTS.get(code, code or "—"))


FACTORS = {
    "crimes": _("crimes"), "rate": _("crimes per km²"), "trend": _("rising trend"),
    "severe": _("very/especially serious crimes"), "drugs": _("drug offences"),
    "groups": _("active groups"), "overdue": _("overdue sources"),
}


@register.filter
def factor_label(code: str) -> str:
    return str(FACTORS.get(code, code))


@register.filter
def isodate(value):
    """A date kept as ISO text in an audit row's changes, as a date."""
    from datetime import date

    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
