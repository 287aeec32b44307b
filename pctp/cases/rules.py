"""Case time limits: the rules of pctp.law under the deployment's calendar, settings and
granting levels (pctp.law.services.deadline)."""

from __future__ import annotations

from datetime import date, datetime

from pctp.law.services import deadline as law_deadline
from pctp.law.timelimits import Deadline, rule_for

# The clock each stage runs, by rule code; the law module owns the rules.
CLOCK_RULES = (
    "investigation", "investigation.resumed", "investigation.supplementary.procuracy",
    "investigation.supplementary.court", "prosecution.decide", "trial.prepare",
    "trial.prepare.returned", "trial.open", "appeal.judgment",
)
# Rules whose extensions the investigation body requests and the procuracy grants.
REQUESTED_RULES = ("investigation", "investigation.resumed")


def case_deadline(code: str, *, start: date | datetime, severity: str | None = None,
                  extensions: int = 0, force_majeure: bool = False,
                  decided_on: date | None = None, national_security: bool = False,
                  credit_days: int = 0) -> Deadline:
    """The deadline of a case clock or measure under the deployment's calendar."""
    day = start.date() if isinstance(start, datetime) else start
    rule = rule_for(code, day)
    return law_deadline(code, start=start, severity=severity if rule.needs_severity else None,
                        extensions=extensions, force_majeure=force_majeure,
                        decided_on=decided_on, national_security=national_security,
                        credit_days=credit_days)
