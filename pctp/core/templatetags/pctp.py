from datetime import date

from django import template

from pctp.core.labels import access_label, action_label, object_label, state_label

register = template.Library()
register.filter("action_label", action_label)
register.filter("state_label", state_label)
register.filter("object_label", object_label)
register.filter("access_label", access_label)


@register.filter
def iso_date(value):
    """A date from an ISO 8601 text ("2025-11-30" or "2025-11-30T00:00:00"), for |date."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@register.filter
def days_before(earlier, later) -> int:
    """Whole days from ``earlier`` to ``later`` (how many days a limit is past)."""
    try:
        return max(0, (later - earlier).days)
    except TypeError:
        return 0
