"""Case time limits: the rules of pctp.law, plus two the case workflow needs that the law
module does not carry yet (kept here as data with their citation, evaluated by the same
pure function and the same calendar)."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from pctp.law.services import deadline as law_deadline
from pctp.law.services import legal_calendar
from pctp.law.timelimits import (
    CPC_2015_IN_FORCE,
    DAYS,
    MONTHS,
    PROCEDURAL,
    RULES,
    Deadline,
    Extension,
    Period,
    Rule,
    evaluate,
)

_LOCAL = "Viện trưởng Viện kiểm sát có thẩm quyền (theo khoản 5 Điều 172)"

CASE_RULES: tuple[Rule, ...] = (
    Rule(
        code="investigation.resumed",
        title_vi="Thời hạn điều tra tiếp sau khi phục hồi điều tra",
        basis="BLTTHS 2015 Điều 174 khoản 1",
        effective_from=CPC_2015_IN_FORCE,
        effective_to=None,
        unit=MONTHS,
        counting=PROCEDURAL,
        base={"less_serious": Period(2, MONTHS), "serious": Period(2, MONTHS),
              "very_serious": Period(3, MONTHS), "especially_serious": Period(3, MONTHS)},
        extensions={"less_serious": (Extension(Period(1, MONTHS), _LOCAL),),
                    "serious": (Extension(Period(2, MONTHS), _LOCAL),),
                    "very_serious": (Extension(Period(2, MONTHS), _LOCAL),),
                    "especially_serious": (Extension(Period(3, MONTHS), _LOCAL),)},
        request_before_days=10,
        needs_severity=True,
    ),
    Rule(
        code="trial.prepare.returned",
        title_vi="Quyết định đưa vụ án ra xét xử sau khi nhận lại hồ sơ điều tra bổ sung",
        basis="BLTTHS 2015 Điều 277 khoản 2",
        effective_from=CPC_2015_IN_FORCE,
        effective_to=None,
        unit=DAYS,
        counting=PROCEDURAL,
        base=Period(15, DAYS),
    ),
)
_LOCAL_CODES = {r.code for r in CASE_RULES}

# The clock each stage runs, by rule code; the law module owns the rest.
CLOCK_RULES = (
    "investigation", "investigation.resumed", "investigation.supplementary.procuracy",
    "investigation.supplementary.court", "prosecution.decide", "trial.prepare",
    "trial.prepare.returned", "trial.open", "appeal.judgment",
)
# Rules whose extensions the investigation body requests and the procuracy grants.
REQUESTED_RULES = ("investigation", "investigation.resumed")


def case_deadline(code: str, *, start: date, severity: str | None = None, extensions: int = 0,
                  force_majeure: bool = False) -> Deadline:
    """The deadline of a case clock or measure under the deployment's calendar."""
    if code not in _LOCAL_CODES:
        rule = next(r for r in RULES if r.code == code)
        return law_deadline(code, start=start, severity=severity if rule.needs_severity else None,
                            extensions=extensions, force_majeure=force_majeure)
    rule = next(r for r in CASE_RULES if r.code == code)
    return evaluate(code, start=start, severity=severity if rule.needs_severity else None,
                    extensions=extensions, force_majeure=force_majeure,
                    calendar=legal_calendar(), day_rollover=settings.PCTP_DAY_LIMIT_ROLLOVER,
                    rules=CASE_RULES)
