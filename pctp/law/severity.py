"""Severity classes (PC Art. 9) and the GSO rule for a case's severity. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

LESS_SERIOUS = "less_serious"
SERIOUS = "serious"
VERY_SERIOUS = "very_serious"
ESPECIALLY_SERIOUS = "especially_serious"
ORDER = (LESS_SERIOUS, SERIOUS, VERY_SERIOUS, ESPECIALLY_SERIOUS)
SEVERE = (VERY_SERIOUS, ESPECIALLY_SERIOUS)

# Vietnamese words for the Vietnamese texts that quote a class (the pages use Severity's
# translated choices).
LABELS_VI = {  # i18n: data
    LESS_SERIOUS: "Ít nghiêm trọng",
    SERIOUS: "Nghiêm trọng",
    VERY_SERIOUS: "Rất nghiêm trọng",
    ESPECIALLY_SERIOUS: "Đặc biệt nghiêm trọng",
}


def severity_of(max_penalty: str, max_years: float | None = None) -> str:
    """PC Art. 9: the class follows the top of the clause's penalty bracket."""
    if max_penalty in {"fine", "non_custodial"}:
        return LESS_SERIOUS
    if max_penalty in {"life", "death"}:
        return ESPECIALLY_SERIOUS
    if max_penalty != "prison" or max_years is None:
        raise ValueError(f"unknown penalty {max_penalty!r}")
    if max_years <= 3:
        return LESS_SERIOUS
    if max_years <= 7:
        return SERIOUS
    if max_years <= 15:
        return VERY_SERIOUS
    return ESPECIALLY_SERIOUS


def article_sort_key(article: str) -> tuple[int, str]:
    """'217a' sorts after '217' and before '218'."""
    match = re.fullmatch(r"(\d+)([a-z]?)", article.strip().lower())
    if not match:
        raise ValueError(f"not an article number: {article!r}")
    return int(match.group(1)), match.group(2)


@dataclass(frozen=True)
class Charge:
    article: str
    clause: int
    severity: str


def lead_charge(charges: Iterable[Charge]) -> Charge | None:
    """The charge a case counts under: the most serious; ties go to the lowest article
    number, then the lowest clause (GSO counting rule, DOMAIN.md §1)."""
    best: Charge | None = None
    for charge in charges:
        if best is None:
            best = charge
            continue
        rank, best_rank = ORDER.index(charge.severity), ORDER.index(best.severity)
        if rank > best_rank or (
            rank == best_rank
            and (article_sort_key(charge.article), charge.clause)
            < (article_sort_key(best.article), best.clause)
        ):
            best = charge
    return best
