"""Amounts as officers type them (issue 16, finding 2): "85.000.000" is 85 million đồng,
never 85; anything that could be read two ways is refused with a message."""

import pytest

from pctp.core.money import MoneyError, format_vnd, parse_vnd


@pytest.mark.parametrize(("text", "amount"), [
    ("85.000.000", 85_000_000), ("85 000 000", 85_000_000), ("85,000,000", 85_000_000),
    ("85000000", 85_000_000), ("85.000.000 đ", 85_000_000), ("1.200.000 đồng", 1_200_000),
    ("300.000 VND", 300_000), ("999", 999), ("0", 0), (85_000_000, 85_000_000),
    ("85\u00a0000\u00a0000", 85_000_000), (" 12.500 ", 12_500),
])
def test_vietnamese_grouping_is_read_whole(text, amount):
    assert parse_vnd(text) == amount


@pytest.mark.parametrize("text", ["85.5", "1,25", "1.000,5", "85.00.000", "1.0000",
                                  "85.000,000", "-5", "abc", "", "12.5 triệu", True, 1.5,
                                  "1" + "0" * 19, "1,500", "12,000 đ"])
def test_ambiguous_or_wrong_amounts_are_refused(text):
    """"1,500" is one and a half in Vietnamese writing and 1500 in English: refused (QA of
    issue 16); "85,000,000" with two commas can only be grouping."""
    with pytest.raises(MoneyError):
        parse_vnd(text)


def test_amounts_are_shown_back_with_separators():
    assert format_vnd(85_000_000) == "85.000.000 đ"


def test_the_browsers_money_check_speaks_the_pages_language():
    """QA of issue 18: the live check under an amount (static/pctp/money.js) fell back to
    Vietnamese for an English user; the field now carries its message in the user's language."""
    from django import forms
    from django.utils import translation

    from pctp.core.money import money_form_field

    class Form(forms.Form):
        amount = money_form_field()

    with translation.override("en"):
        assert 'data-money-bad="Cannot read the amount: group thousands with dots' in str(Form())
    with translation.override("vi"):
        assert 'data-money-bad="Không đọc được số tiền: nhóm ba chữ số bằng dấu chấm' in str(Form())
