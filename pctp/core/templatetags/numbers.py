"""Numbers as a Vietnamese reader expects them: 66,67 and 1.000.000 (English: 66.67 and
1,000,000), signed changes, and which way is better."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

register = template.Library()


def _vi() -> bool:
    return (get_language() or "vi").startswith("vi")


def _swap(text: str) -> str:
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".") if _vi() else text


@register.filter
def kpi_number(value) -> str:
    if value is None or value == "":
        return "—"
    number = float(value) if isinstance(value, Decimal | int | float) else float(str(value))
    text = f"{number:,.2f}".rstrip("0").rstrip(".")
    return _swap(text)


@register.filter
def kpi_int(value) -> str:
    if value is None:
        return "—"
    return _swap(f"{int(value):,}")


@register.filter
def signed(value) -> str:
    if value is None:
        return ""
    text = kpi_number(abs(value))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


@register.filter
def better(change, direction: str) -> bool:
    """Whether a change moves the right way for the indicator."""
    if not change:
        return False
    return change > 0 if direction == "higher" else change < 0


@register.simple_tag
def status_label(labels: dict, status: str) -> str:
    return labels.get(status, status)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def period_years(today) -> list[int]:
    """The years the period picker offers: the last six and the next."""
    return list(range(today.year + 1, today.year - 6, -1))
