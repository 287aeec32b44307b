"""Which version of a Penal Code clause applies to an act (PC Art. 7). Pure functions.

A clause's bracket is versioned data (``OffenceClauseVersion``): the Code as amended in
2017, then each amending law from its effective day (Law 86/2025/QH15 removed the death
penalty from eight clauses on 01/07/2025 and added Art. 256a from the same day).

PC Art. 7: the law applied is the one in force when the act was committed (khoản 1). A
later provision that creates a crime or makes a penalty heavier does not reach back
(khoản 2); one that removes a crime, lightens a penalty or is otherwise favourable does
(khoản 3). So for an act of day A judged on day J, the bracket applied is the lightest of
the versions in force on any day from A to J; and an article not yet in force on A cannot
be charged at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol

PENALTY_RANK = {"fine": 0, "non_custodial": 1, "prison": 2, "life": 3, "death": 4}


class Bracket(Protocol):
    effective_from: date
    effective_to: date | None
    max_penalty: str
    max_years: object


class NotInForce(LookupError):
    """The article (or clause) did not define an offence on the day of the act."""

    def __init__(self, message: str, *, first_day: date | None = None) -> None:
        super().__init__(message)
        self.first_day = first_day


def weight(max_penalty: str, max_years: object = None) -> tuple[int, float]:
    """How heavy a bracket's top is: death > life > prison (longer first) > reform > fine."""
    return PENALTY_RANK[max_penalty], float(max_years or 0)


def in_force(version: Bracket, on: date) -> bool:
    return version.effective_from <= on and (version.effective_to is None
                                             or on <= version.effective_to)


def version_on(versions: Iterable[Bracket], on: date) -> Bracket | None:
    for version in versions:
        if in_force(version, on):
            return version
    return None


def applicable(versions: Sequence[Bracket], *, act_on: date, judged_on: date | None = None
               ) -> Bracket:
    """The bracket applied to an act of ``act_on`` judged (or charged) on ``judged_on``:
    the version in force on the act's day, or a lighter one in force since (Art. 7(3))."""
    at_act = version_on(versions, act_on)
    if at_act is None:
        first = min((v.effective_from for v in versions), default=None)
        raise NotInForce(
            f"not in force on {act_on:%d/%m/%Y}"
            + (f" (in force from {first:%d/%m/%Y})" if first else ""), first_day=first)
    best = at_act
    last = judged_on or act_on
    for version in versions:
        overlaps = version.effective_from <= last and (version.effective_to is None
                                                       or version.effective_to >= act_on)
        if overlaps and weight(version.max_penalty, version.max_years) < weight(
                best.max_penalty, best.max_years):
            best = version
    return best
