"""A red flag's finding, as a record app's rule returns it (issue 21): the key that makes it
one flag however often the rule runs, the unit it concerns, its subject in words, the
evidence records and the figures behind it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    key: str
    unit_id: int
    procuracy_id: int | None
    subject: str
    evidence: tuple[tuple[str, int], ...]   # ("sources.source", 12), ("cases.case", 3)…
    facts: dict = field(default_factory=dict)
