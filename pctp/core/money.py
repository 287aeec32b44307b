"""Amounts of money as Vietnamese offices type them (issue 16, finding 2).

VND has no minor unit. Officers group thousands with dots ("85.000.000"), sometimes with
spaces or commas, and add "đ", "đồng" or "VND". `parse_vnd` reads every one of these the
same way and refuses what could mean two things: a single separator followed by other
than three digits ("85.5", "1,25"), mixed separators ("1.000,5"), groups of the wrong
size ("85.00.000"). Nothing is ever silently truncated: "85.000.000" is 85,000,000 đồng,
never 85.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_UNITS = re.compile(r"\s*(đồng|đ|vnđ|vnd|₫)\s*$", re.IGNORECASE)  # i18n: data (parsed)
_GROUPED = re.compile(r"[0-9]{1,3}(?P<sep>[., \u00a0])[0-9]{3}(?:(?P=sep)[0-9]{3})*")
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() takes "²", which int() refuses
MAX_VND = 10**18  # a bigint holds it; no real amount comes near


class MoneyError(ValueError):
    """The text is not an amount in đồng, or could be read two ways. `code` names which."""

    def __init__(self, message: str, code: str = "invalid_amount") -> None:
        super().__init__(message)
        self.code = code


def parse_vnd(value: object) -> int:
    """An amount in đồng, from an int or from text as typed."""
    if isinstance(value, bool):
        raise MoneyError(_("Invalid amount."))
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise MoneyError(_("Amounts are in whole đồng, without decimals."))
        amount = int(value)
    else:
        text = _UNITS.sub("", str(value).strip()).strip()
        if not text:
            raise MoneyError(_("Enter an amount."))
        digits = re.sub(r"[^0-9]", "", text)
        if len(digits.lstrip("0")) > len(str(MAX_VND)):  # before int(), which refuses 4,300+
            raise MoneyError(_("The amount is too large."), "amount_too_large")
        grouped = _GROUPED.fullmatch(text)
        if grouped and grouped.group("sep") == "," and text.count(",") == 1:
            # "1,500": one and a half as Vietnamese write it, 1500 in English: ask.
            raise MoneyError(
                _("«%(value)s» could mean %(grouped)s đồng or a fraction: group thousands with "
                  "dots (e.g. %(grouped)s).") % {"value": value, "grouped": text.replace(",", ".")},
                "ambiguous_amount")
        if _DIGITS.fullmatch(text) or grouped:
            amount = int(digits)
        else:
            raise MoneyError(
                _("Cannot read «%(value)s» as an amount: write the đồng, thousands grouped with "
                  "dots (e.g. 85.000.000), without decimals.") % {"value": value})
    if amount < 0:
        raise MoneyError(_("An amount cannot be negative."), "negative_amount")
    if amount >= MAX_VND:
        raise MoneyError(_("The amount is too large."), "amount_too_large")
    return amount


def format_vnd(amount: int | None) -> str:
    """85000000 -> '85.000.000 đ'."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đ"  # i18n: data (the currency sign)


# -- form and API fields ---------------------------------------------------------------------

def money_form_field(**kwargs):
    """A Django form field for an amount in đồng (shown back with separators)."""
    from django import forms
    from django.core.exceptions import ValidationError

    class MoneyField(forms.CharField):
        widget = forms.TextInput(attrs={"inputmode": "numeric", "data-money": "1",
                                        "autocomplete": "off"})

        def widget_attrs(self, widget):
            # The browser's live check speaks the page's language (static/pctp/money.js).
            from django.utils.translation import gettext_lazy

            return {**super().widget_attrs(widget), "data-money-bad": gettext_lazy(
                "Cannot read the amount: group thousands with dots, e.g. 85.000.000")}

        def to_python(self, value):
            value = super().to_python(value)
            if value in self.empty_values:
                return None
            try:
                return parse_vnd(value)
            except MoneyError as exc:
                raise ValidationError(str(exc), code="invalid") from None

        def prepare_value(self, value):
            if isinstance(value, int) and not isinstance(value, bool):
                return f"{value:,}".replace(",", ".")
            return value

    from django.utils.translation import gettext_lazy as _

    kwargs.setdefault("help_text", _("In đồng; group thousands with dots, e.g. 85.000.000."))
    return MoneyField(**kwargs)


def money_serializer_field(**kwargs):
    """A DRF field: a JSON integer, or text as an office types it ("85.000.000")."""
    from drf_spectacular.utils import extend_schema_field
    from rest_framework import serializers

    @extend_schema_field({"oneOf": [{"type": "integer", "minimum": 0},
                                    {"type": "string", "example": "85.000.000"}],
                          "description": "VND (đồng); text groups thousands with dots"})  # i18n: data
    class MoneyField(serializers.Field):
        def to_internal_value(self, data):
            try:
                return parse_vnd(data)
            except MoneyError as exc:
                # The same code the services answer with ("negative_amount"), naming the field.
                from pctp.core.errors import DomainError

                raise DomainError(exc.code, str(exc),
                                  details={self.field_name: [str(exc)]}) from None

        def to_representation(self, value):
            return value

    return MoneyField(**kwargs)
