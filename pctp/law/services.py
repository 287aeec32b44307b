"""Loading the law's reference data and evaluating deadlines against the database calendar."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction

from pctp.core.audit import audit_record
from pctp.law import groups
from pctp.law.calendar import LegalCalendar
from pctp.law.models import DayOff, Offence, OffenceClause, OffenceClauseVersion, OffenceGroup
from pctp.law.severity import article_sort_key, severity_of
from pctp.law.timelimits import Deadline, Rule, evaluate, with_levels

PENAL_CODE = Path(__file__).resolve().parent / "data" / "penal_code.json"
PC_IN_FORCE = date(2018, 1, 1)  # Penal Code 2015 as amended by Law 12/2017/QH14
PC_BASE_LAW = "100/2015/QH13, 12/2017/QH14"


def _clause_versions(item: dict, clause: dict) -> list[dict]:
    """The dated brackets of one clause: the 2017 text (or the article's first day in
    force), then each amendment from its effective day."""
    start = date.fromisoformat(item["in_force_from"]) if item.get("in_force_from") else PC_IN_FORCE
    first = {"effective_from": start, "max_penalty": clause["max_penalty"],
             "max_years": clause.get("max_years"), "law": item.get("added_by") or PC_BASE_LAW}
    versions = [first]
    amended = clause.get("amended")
    if amended:
        frm = date.fromisoformat(amended["effective_from"])
        first["effective_to"] = frm - timedelta(days=1)
        versions.append({"effective_from": frm, "max_penalty": amended["max_penalty"],
                         "max_years": amended.get("max_years"), "law": amended["law"]})
    for v in versions:
        v.setdefault("effective_to", None)
        v["severity"] = severity_of(v["max_penalty"], v["max_years"])
    return versions


@transaction.atomic
def offences_load(*, actor=None, path: Path = PENAL_CODE) -> dict[str, int]:
    """Load every article and clause, and the default crime group where none is set.

    Idempotent: rows are matched by article and clause; an edited group mapping is kept.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    chapters = {c["number"]: c["title"] for c in data["chapters"]}
    counts = {"articles": 0, "clauses": 0, "groups": 0}
    for item in data["articles"]:
        number, suffix = article_sort_key(item["article"])
        offence, created = Offence.objects.update_or_create(
            article=item["article"],
            defaults={
                "number": number, "suffix": suffix, "title": item["title"],
                "chapter": item["chapter"], "chapter_title": chapters[item["chapter"]],
                "section": item.get("section") or "", "is_offence": item.get("offence", True),
                "repealed": item["repealed"], "verified": item.get("verified", True),
                "note": item.get("note", ""),
                "in_force_from": (date.fromisoformat(item["in_force_from"])
                                  if item.get("in_force_from") else None),
                "added_by": item.get("added_by", ""),
            },
        )
        counts["articles"] += created
        for clause in item["clauses"]:
            versions = _clause_versions(item, clause)
            latest = versions[-1]  # the row itself shows the bracket in force today
            row, created = OffenceClause.objects.update_or_create(
                offence=offence, clause=clause["clause"],
                defaults={"max_penalty": latest["max_penalty"],
                          "max_years": latest["max_years"], "severity": latest["severity"],
                          "preparation": clause.get("preparation", False)},
            )
            counts["clauses"] += created
            for v in versions:
                OffenceClauseVersion.objects.update_or_create(
                    clause=row, effective_from=v["effective_from"],
                    defaults={k: v[k] for k in ("effective_to", "max_penalty", "max_years",
                                                "severity", "law")})
        if offence.is_offence and not offence.groups.exists():
            OffenceGroup.objects.create(offence=offence,
                                        group=groups.default_group(offence.article,
                                                                   offence.chapter),
                                        effective_from=groups.EFFECTIVE_FROM,
                                        basis=groups.BASIS)
            counts["groups"] += 1
    if any(counts.values()):
        first = Offence.objects.order_by("number").first()
        audit_record(actor=actor, action="law.offences_load", obj=first, changes=counts,
                     note=data.get("source", "")[:300])
    return counts


_held_calendar: ContextVar[LegalCalendar | None] = ContextVar("legal_calendar", default=None)


@contextmanager
def one_calendar() -> Iterator[LegalCalendar]:
    """Within the block (or the decorated view), `legal_calendar()` reads the announced days
    off once: a case page asks for each running clock and each detention's limit."""
    token = _held_calendar.set(legal_calendar())
    try:
        yield _held_calendar.get()
    finally:
        _held_calendar.reset(token)


def legal_calendar() -> LegalCalendar:
    """Public holidays plus the days off and working days an administrator announced."""
    held = _held_calendar.get()
    if held is not None:
        return held
    rows = list(DayOff.objects.values_list("date", "kind"))
    return LegalCalendar(
        extra_days_off=[d for d, k in rows if k == DayOff.Kind.DAY_OFF],
        extra_working_days=[d for d, k in rows if k == DayOff.Kind.WORKING_DAY],
    )


def rule_set() -> tuple[Rule, ...]:
    """The rules with the deployment's post-reform granting levels (PCTP_GRANTING_LEVELS)."""
    levels = settings.PCTP_GRANTING_LEVELS
    key = tuple(sorted(levels.items()))
    if _rule_sets.get("key") != key:
        _rule_sets.update(key=key, rules=with_levels(levels))
    return _rule_sets["rules"]


_rule_sets: dict = {}


def deadline(code: str, *, start: date | datetime, severity: str | None = None,
             extensions: int = 0, force_majeure: bool = False, on: date | None = None,
             decided_on: date | None = None, national_security: bool = False,
             credit_days: int = 0, calendar: LegalCalendar | None = None) -> Deadline:
    """A deadline under the deployment's settings: its calendar (`calendar`, when the caller
    read it once for many deadlines), day-rollover choice and granting levels."""
    return evaluate(code, start=start, severity=severity, extensions=extensions,
                    force_majeure=force_majeure, calendar=calendar or legal_calendar(),
                    day_rollover=settings.PCTP_DAY_LIMIT_ROLLOVER, on=on,
                    decided_on=decided_on, national_security=national_security,
                    credit_days=credit_days, rules=rule_set())


def offence_clause(article: str, clause: int | None = None):
    """The Offence (and the clause when asked), or LookupError naming what is unknown."""
    try:
        offence = Offence.objects.get(article=str(article).strip().lower())
    except Offence.DoesNotExist:
        raise LookupError(f"Unknown article {article!r} of the Penal Code") from None
    if clause is None:
        return offence, None
    try:
        return offence, offence.clauses.get(clause=clause)
    except OffenceClause.DoesNotExist:
        known = ", ".join(str(c) for c in offence.clauses.values_list("clause", flat=True))
        raise LookupError(f"Article {offence.article} has no clause {clause} "
                          f"(clauses: {known or 'none'})") from None
