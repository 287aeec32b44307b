"""The red-flag rules as data (issue 21): each with its explanation, its parameters and the
record app's function that finds it. A rule looks back over a window (days) from the day
of the sweep."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from pctp.cases import flags as case_flags
from pctp.sources import flags as source_flags


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    explanation: str
    find: Callable
    window_days: int = 365
    params: dict = field(default_factory=dict)


RULES: dict[str, Rule] = {r.code: r for r in [
    Rule("declined_no_crime", gettext_lazy("Sources declined as no crime, clustered on one "
                                           "investigator"),
         gettext_lazy("An investigator whose sources are declined because there was no crime "
                      "or the act was no crime (CPC Art. 157.1-2) far more often than the "
                      "rest of the unit: at least 5 in a year, 60% of their declines, twice "
                      "the unit's share. Evidence: the sources declined."),
         source_flags.declined_as_no_crime_by_one_officer,
         params={"min_count": 5, "min_share": 0.6, "factor": 2.0}),
    Rule("same_person_terminated", gettext_lazy("A person in several cases, each terminated"),
         gettext_lazy("The same person (PCTP's identity index) accused in two or more cases, "
                      "every one of them terminated, one in the last year. Evidence: the "
                      "cases."),
         case_flags.same_person_in_terminated_cases, params={"min_cases": 2}),
    Rule("repeated_suspensions", gettext_lazy("Repeated suspensions by one investigation body"),
         gettext_lazy("An investigation body that suspended at least 5 cases in 90 days, over "
                      "twice the median share of the province's bodies. Evidence: the cases "
                      "suspended."),
         case_flags.repeated_suspensions, window_days=90,
         params={"min_count": 5, "factor": 2.0}),
    Rule("repeat_reports", gettext_lazy("Repeated reports declined"),
         gettext_lazy("The same reporter, or the same place (commune and address), reported "
                      "three times or more in a year, and two or more of those sources were "
                      "declined, one in the last year: a complaint the police keep setting "
                      "aside. Evidence: every source of that reporter or place."),
         source_flags.declined_after_repeat_reports,
         params={"min_reports": 3, "min_declined": 2}),
    Rule("loss_without_recovery", gettext_lazy("A loss with nothing seized or recovered"),
         gettext_lazy("A corruption or economic case with a loss of 100 million đồng or more, "
                      "its file sent to the procuracy in the last year, and nothing seized, "
                      "frozen or returned in its recovery ledger: assets seized and not "
                      "entered, or never looked for. Evidence: the case."),
         case_flags.loss_without_recovery, params={"min_value": 100_000_000}),
    Rule("closed_after_reassignment", gettext_lazy("Closed soon after the investigator changed"),
         gettext_lazy("A case terminated or suspended within 30 days of its investigator "
                      "being replaced: the decision may be the new hand's, or the change made "
                      "for it. Evidence: the case, whose journal shows both steps."),
         case_flags.closed_after_reassignment, params={"days": 30}),
]}


# The figures a finding keeps, as the flag's page names them.
FACTS = {
    "declined_no_crime": gettext_lazy("declined as no crime"),
    "declined": gettext_lazy("declined in all"),
    "share": gettext_lazy("share (%)"),
    "rest_of_unit_share": gettext_lazy("share of the rest of the unit (%)"),
    "cases": gettext_lazy("cases"),
    "grounds": gettext_lazy("grounds of termination"),
    "suspended": gettext_lazy("cases suspended"),
    "median_share": gettext_lazy("median share of the province's bodies (%)"),
    "reports": gettext_lazy("times reported"),
    "value_lost": gettext_lazy("value lost (VND)"),
    "days_after_reassignment": gettext_lazy("days after the investigator changed"),
    "closed_as": gettext_lazy("closed as"),
}


def facts_shown(facts: dict) -> list[tuple[str, str]]:
    out = []
    for key, value in facts.items():
        if key == "grounds":
            value = "; ".join(case_flags.ground_label(g) for g in value)
        elif key == "closed_as":
            value = case_flags.status_label(value)
        elif key == "value_lost":
            value = f"{value:,}".replace(",", ".")
        elif isinstance(value, float):
            value = f"{value:.1f}".replace(".", ",")
        out.append((str(FACTS.get(key, key)), str(value)))
    return out
