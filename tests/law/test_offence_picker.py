"""Issue 17: an officer finds the offence by its number or by words of its name, with or
without diacritics, and never has to know a code."""

import pytest

from pctp.cases.forms import _charges
from pctp.law.forms import ArticleField
from tests.personas import login

pytestmark = pytest.mark.django_db


def codes(client, q):
    return [r["code"] for r in client.get("/law/offences/suggest.json", {"q": q}).json()["results"]]


def test_by_words_with_or_without_diacritics(reference_data, officer_a):
    client = login(officer_a)
    with_marks, without = codes(client, "trộm cắp"), codes(client, "trom cap")
    assert with_marks == without and "173.1" in without and "173.2" in without
    labels = client.get("/law/offences/suggest.json", {"q": "trom cap"}).json()["results"]
    assert labels[0]["label"].startswith("Điều 173 khoản 1 — Tội trộm cắp tài sản")


def test_by_number_its_own_article_first_then_those_it_starts(reference_data, officer_a):
    client = login(officer_a)
    found = codes(client, "17")  # no Article 17 in the special part: 170, 171… in order
    assert found[0] == "170.1" and all(c.startswith("17") for c in found)
    assert codes(client, "173")[0] == "173.1"
    assert codes(client, "Điều 173 khoản 2") == ["173.2"]
    assert codes(client, "zzz") == [] and codes(client, "") == []


def test_the_suggestions_need_a_signed_in_user(client):
    assert client.get("/law/offences/suggest.json", {"q": "173"}).status_code == 302


@pytest.mark.parametrize(("typed", "article"), [
    ("173", "173"), ("Điều 173", "173"), ("điều 173 khoản 1 — Tội trộm cắp tài sản", "173"),
    ("  168 ", "168"), ("304a", "304a")])
def test_the_article_field_reads_what_is_typed_or_picked(typed, article):
    assert ArticleField().clean(typed) == article


def test_charges_read_the_words_of_the_code_too():
    assert _charges("173.2, Điều 168 khoản 1; đ134 k2, 171") == [
        ("173", 2), ("168", 1), ("134", 2), ("171", None)]
