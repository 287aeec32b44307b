"""Loading the law's reference data and evaluating deadlines against the database calendar."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction

from pctp.core.audit import audit_record
from pctp.law import groups
from pctp.law.calendar import LegalCalendar
from pctp.law.models import DayOff, Offence, OffenceClause, OffenceGroup
from pctp.law.severity import article_sort_key, severity_of
from pctp.law.timelimits import Deadline, evaluate

PENAL_CODE = Path(__file__).resolve().parent / "data" / "penal_code.json"


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
            },
        )
        counts["articles"] += created
        for clause in item["clauses"]:
            severity = severity_of(clause["max_penalty"], clause.get("max_years"))
            _, created = OffenceClause.objects.update_or_create(
                offence=offence, clause=clause["clause"],
                defaults={"max_penalty": clause["max_penalty"],
                          "max_years": clause.get("max_years"), "severity": severity,
                          "preparation": clause.get("preparation", False)},
            )
            counts["clauses"] += created
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


def deadline(code: str, *, start: date, severity: str | None = None, extensions: int = 0,
             force_majeure: bool = False, on: date | None = None) -> Deadline:
    """A deadline under the deployment's settings: its calendar and day-rollover choice."""
    return evaluate(code, start=start, severity=severity, extensions=extensions,
                    force_majeure=force_majeure, calendar=legal_calendar(),
                    day_rollover=settings.PCTP_DAY_LIMIT_ROLLOVER, on=on)


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
