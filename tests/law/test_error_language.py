"""The law's pages and refusals follow the user's language (the language cookie), Vietnamese
by default; the law's own wording (bases, granting authorities) stays as the law writes it."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from pctp.law.jurisdiction import PROVINCIAL, reason
from pctp.law.timelimits import RULES
from tests.personas import login

pytestmark = pytest.mark.django_db

QUERY = {"rule": "investigation", "start": "2026-01-30", "extensions": "0"}


def test_a_missing_severity_is_refused_and_the_rule_named_in_the_users_language(officer_a):
    client = login(officer_a)
    vietnamese = client.get("/law/deadline/", QUERY).content.decode()
    assert "Thời hạn điều tra vụ án hình sự" in vietnamese
    assert "hãy chọn mức độ nghiêm trọng" in vietnamese
    client.cookies["django_language"] = "en"
    english = client.get("/law/deadline/", QUERY).content.decode()
    assert "Time limit for investigating a criminal case" in english
    assert "This time limit depends on the severity class: choose one." in english
    page = client.get("/law/deadline/", {**QUERY, "severity": "serious"}).content.decode()
    assert "<h2>Time limit for investigating a criminal case</h2>" in page
    assert "Điều 172" in page  # the basis is the law's citation


def test_every_rule_has_a_title_in_each_language_and_vietnamese_is_the_laws_wording():
    for rule in RULES:
        with translation.override("vi"):
            assert rule.title == rule.title_vi
        with translation.override("en"):
            assert rule.title != rule.title_vi


def test_the_jurisdiction_reason_and_an_offence_refusal_are_translated():
    with translation.override("en"):
        assert reason(PROVINCIAL, on=date(2026, 1, 1)).startswith(
            "CPC Art. 268 (amended 2025)")
        with pytest.raises(CommandError) as refused:
            call_command("offence", "173", "--clause", "1", "--on", "1990-01-01")
        assert str(refused.value).startswith("Art. 173")
    with translation.override("vi"):
        with pytest.raises(CommandError) as refused:
            call_command("offence", "173", "--clause", "1", "--on", "1990-01-01")
        assert str(refused.value).startswith("Điều 173")
