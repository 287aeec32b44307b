"""Issue 17: a date typed 09/08/2026 is 9 August 2026, in Vietnamese and in English, on
every form; the forms show dates back day first and never use the browser's own picker."""

import re
from datetime import date

import pytest
from django.utils import translation

from pctp.core.dates import parse_day
from pctp.sources.forms import FilterForm as SourceFilterForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["09/08/2026", "9/8/2026", "09-08-2026", "09.08.2026",
                                  "2026-08-09"])
def test_day_first_and_iso_are_read(text):
    assert parse_day(text) == date(2026, 8, 9)


@pytest.mark.parametrize("text", ["08/31/2026", "31/02/2026", "2026/08/09", "9 Aug 2026", "",
                                  None, "09/08/26"])
def test_what_is_not_a_day_first_date_is_refused(text):
    assert parse_day(text) is None


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_form_reads_day_first_in_both_languages(language):
    with translation.override(language):
        form = SourceFilterForm({"date_from": "09/08/2026", "date_to": "10/08/2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["date_from"] == date(2026, 8, 9)
        html = str(SourceFilterForm(initial={"date_from": date(2026, 8, 9)})["date_from"])
    assert 'value="09/08/2026"' in html and 'type="text"' in html
    assert 'type="date"' not in html


def test_no_page_template_uses_the_browsers_date_picker():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "pctp" / "templates"
    offenders = [str(p) for p in root.rglob("*.html")
                 if re.search(r'type="(date|datetime-local)"', p.read_text(encoding="utf-8"))]
    assert offenders == []
