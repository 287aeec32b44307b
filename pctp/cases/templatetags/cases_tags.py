from datetime import date

from django import template

register = template.Library()


@register.filter
def vnd(value) -> str:
    """12500000 → '12.500.000 đ' (Vietnamese thousands separator)."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,} đ".replace(",", ".")  # i18n: data (the currency sign)


@register.filter
def isodate(value):
    """'1992-05-17' → a date, for the |date filter (identities are stored as JSON)."""
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@register.filter
def decision_day(event):
    """The date of the decision an audit event records (changes['on']), if any."""
    value = (event.changes or {}).get("on")
    if isinstance(value, list) and value and value[-1]:
        try:
            return date.fromisoformat(value[-1])
        except (TypeError, ValueError):
            return None
    return None


@register.filter
def hours_to_days(hours) -> int:
    """Whole days in a number of hours past a limit (a started day counts: 25 h -> 2)."""
    try:
        return -(-int(hours) // 24)
    except (TypeError, ValueError):
        return 0
