"""The Penal Code table: complete, every clause classed, common crimes as in the Code."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pctp.law.models import Offence, OffenceClause, OffenceGroup
from pctp.law.services import offences_load
from pctp.law.severity import Charge, lead_charge, severity_of

pytestmark = pytest.mark.django_db


def test_every_article_108_to_425_is_present():
    numbers = set(Offence.objects.filter(suffix="").values_list("number", flat=True))
    assert numbers == set(range(108, 426))
    # Added by Law 12/2017: multi-level marketing.
    assert Offence.objects.get(article="217a").chapter == "XVIII"


def test_repealed_article_is_kept_and_marked():
    art = Offence.objects.get(article="292")
    assert art.repealed and art.clauses.count() == 0


def test_every_offence_has_clauses_and_every_clause_a_class():
    live = Offence.objects.filter(repealed=False, is_offence=True)
    assert not live.filter(clauses__isnull=True).exists()
    assert not OffenceClause.objects.exclude(
        severity__in=["less_serious", "serious", "very_serious", "especially_serious"]).exists()


# (article, clause) -> class, read from the Code's text by hand:
# top of bracket ≤3y less, ≤7 serious, ≤15 very, >15/life/death especially (Art. 9).
SPOT_CHECKS = [
    ("173", 1, "less_serious"),        # theft: up to 3 years
    ("173", 2, "serious"),             # 2–7 years
    ("173", 3, "very_serious"),        # 7–15 years
    ("173", 4, "especially_serious"),  # 12–20 years
    ("174", 1, "less_serious"),        # fraud: 6 months–3 years
    ("174", 4, "especially_serious"),  # 12–20 years or life
    ("168", 1, "very_serious"),        # robbery: 3–10 years
    ("168", 4, "especially_serious"),  # 18–20 years or life
    ("168", 5, "serious"),             # preparation: 1–5 years
    ("123", 1, "especially_serious"),  # murder: 12–20, life or death
    ("123", 2, "very_serious"),        # 7–15 years
    ("134", 1, "less_serious"),        # intentional injury: up to 3 years
    ("134", 2, "serious"),             # 2–6 years
    ("134", 5, "especially_serious"),  # 12–20 years or life
    ("251", 1, "serious"),             # drug trafficking: 2–7 years
    ("251", 4, "especially_serious"),  # 20 years, life or death
    ("353", 1, "serious"),             # embezzlement: 2–7 years
    ("353", 4, "especially_serious"),
    ("354", 1, "serious"),             # taking bribes: 2–7 years
    ("354", 3, "especially_serious"),  # 15–20 years
    ("364", 1, "less_serious"),        # giving bribes: 6 months–3 years
    ("321", 1, "less_serious"),        # gambling: fine, reform or 6 months–3 years
    ("321", 2, "serious"),             # 3–7 years
    ("318", 1, "less_serious"),        # public disorder: up to 2 years
    ("318", 2, "serious"),             # 2–7 years
]


@pytest.mark.parametrize(("article", "clause", "expected"), SPOT_CHECKS)
def test_common_crimes_have_the_codes_severity(article, clause, expected):
    assert OffenceClause.objects.get(offence__article=article, clause=clause).severity == expected


def test_titles_of_common_crimes():
    titles = dict(Offence.objects.filter(article__in=["173", "174", "168", "321"])
                  .values_list("article", "title"))
    assert titles == {"173": "Tội trộm cắp tài sản", "174": "Tội lừa đảo chiếm đoạt tài sản",
                      "168": "Tội cướp tài sản", "321": "Tội đánh bạc"}


@pytest.mark.parametrize(("penalty", "years", "expected"), [
    ("fine", None, "less_serious"), ("non_custodial", None, "less_serious"),
    ("prison", 3, "less_serious"), ("prison", 3.5, "serious"), ("prison", 7, "serious"),
    ("prison", 7.5, "very_serious"), ("prison", 15, "very_serious"),
    ("prison", 16, "especially_serious"), ("life", None, "especially_serious"),
    ("death", None, "especially_serious"),
])
def test_article_9_classes_by_the_top_of_the_bracket(penalty, years, expected):
    assert severity_of(penalty, years) == expected


def test_default_crime_groups_follow_domain_mapping():
    group = dict(OffenceGroup.objects.values_list("offence__article", "group"))
    assert group["173"] == "social_order"
    assert group["190"] == "economic"
    assert group["353"] == "corruption"
    assert group["251"] == "drugs"
    assert group["235"] == "environment"
    assert group["290"] == "high_tech"
    assert group["109"] == "national_security"
    assert group["317"] == "environment"


def test_group_mapping_is_versioned_by_date():
    from datetime import date

    theft = Offence.objects.get(article="173")
    OffenceGroup.objects.create(offence=theft, group="high_tech", effective_from=date(2027, 1, 1))
    assert theft.group_on(date(2026, 6, 1)).group == "social_order"
    assert theft.group_on(date(2027, 6, 1)).group == "high_tech"


def test_reloading_keeps_edited_groups_and_adds_nothing():
    OffenceGroup.objects.filter(offence__article="321").update(group="economic")
    assert offences_load() == {"articles": 0, "clauses": 0, "groups": 0}
    assert OffenceGroup.objects.get(offence__article="321").group == "economic"


def test_case_severity_is_the_most_serious_charge():
    charges = [Charge("173", 1, "less_serious"), Charge("134", 2, "serious"),
               Charge("321", 1, "less_serious")]
    assert lead_charge(charges) == Charge("134", 2, "serious")


def test_case_severity_ties_go_to_the_lowest_article():
    charges = [Charge("173", 2, "serious"), Charge("134", 2, "serious"),
               Charge("217a", 2, "serious")]
    assert lead_charge(charges).article == "134"
    assert lead_charge([Charge("218", 1, "serious"), Charge("217a", 2, "serious")]).article == "217a"
    assert lead_charge([]) is None


def test_offence_command_prints_a_clause_as_json(capsys):
    call_command("offence", "173", "--clause", "1", "--json")
    data = json.loads(capsys.readouterr().out)
    assert {k: data[k] for k in ("article", "clause", "title", "chapter", "severity", "group")} == {
        "article": "173", "clause": 1, "title": "Tội trộm cắp tài sản", "chapter": "XVI",
        "severity": "less_serious", "group": "social_order"}


def test_offence_command_without_clause_lists_all_clauses(capsys):
    call_command("offence", "173", "--json")
    data = json.loads(capsys.readouterr().out)
    assert [c["severity"] for c in data["clauses"]] == [
        "less_serious", "serious", "very_serious", "especially_serious"]


def test_offence_command_refuses_unknown_article_and_clause():
    with pytest.raises(CommandError, match="Unknown article '999'") as err:
        call_command("offence", "999")
    assert err.value.returncode == 2
    with pytest.raises(CommandError, match="Article 173 has no clause 9"):
        call_command("offence", "173", "--clause", "9")


def test_offence_command_exits_with_code_2_from_the_command_line(capsys):
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["pctp", "offence", "999", "--json"]).execute()
    assert exit_info.value.code == 2
    assert "Unknown article '999'" in capsys.readouterr().err


# ------------------------------------------------------------------ Law 86/2025 and Art. 7

def offence_json(capsys, *args):
    call_command("offence", *args, "--json")
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("article", "clause"), [
    ("109", 1), ("110", 1), ("114", 1), ("194", 4), ("250", 4), ("353", 4), ("354", 4),
    ("421", 1)])
def test_law_86_2025_removed_death_from_eight_clauses_on_1_july_2025(capsys, article, clause):
    before = offence_json(capsys, article, "--clause", str(clause), "--on", "2025-06-30")
    after = offence_json(capsys, article, "--clause", str(clause), "--on", "2026-01-01")
    assert (before["max_penalty"], after["max_penalty"]) == ("death", "life")
    assert after["law"] == "86/2025/QH15" and after["version_from"] == "2025-07-01"
    assert before["severity"] == after["severity"] == "especially_serious"


def test_today_the_code_shows_the_bracket_in_force(capsys):
    assert offence_json(capsys, "353", "--clause", "4")["max_penalty"] == "life"


def test_an_article_not_yet_in_force_exits_2_with_a_message():
    with pytest.raises(CommandError, match="chưa có hiệu lực") as err:
        call_command("offence", "256a", "--on", "2025-03-01")
    assert err.value.returncode == 2
    assert Offence.objects.get(article="256a").in_force_on(date(2025, 7, 1))


def test_article_7_applies_the_law_of_the_act_or_a_lighter_later_one():
    from pctp.law.penal import NotInForce, applicable

    versions = list(OffenceClause.objects.get(offence__article="353", clause=4)
                    .versions.order_by("effective_from"))
    # Act of 30/06/2025 judged the same day: death. Judged in 2026: the lighter law, life.
    assert applicable(versions, act_on=date(2025, 6, 30)).max_penalty == "death"
    assert applicable(versions, act_on=date(2025, 6, 30),
                      judged_on=date(2026, 1, 1)).max_penalty == "life"
    new = list(OffenceClause.objects.get(offence__article="256a", clause=1).versions.all())
    with pytest.raises(NotInForce):
        applicable(new, act_on=date(2025, 3, 1), judged_on=date(2026, 1, 1))
