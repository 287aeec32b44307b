# i18n: data-module - the law's wording (titles, bases, granting authorities) is data: it is
# stored in the audit journal and quoted by the cases' and sources' texts. Pages show a rule's
# title in the user's language through Rule.title (RULE_TITLES below).
"""Procedural time limits of Vietnamese criminal procedure, as versioned data.

Every limit the software applies is a :class:`Rule` in :data:`RULES`: its code, its
citation, the dates it is in force, its base length (per severity class where the law
differs by class), the extensions the law allows and who grants each of them. The
functions here are pure (no Django, no database, no clock): :func:`evaluate` turns a
rule, a start and the number of extensions already granted into a :class:`Deadline`.

Counting (CPC Art. 134), exactly as implemented
------------------------------------------------
``procedural`` counting (sources, investigation, prosecution, trial, appeal):

* A limit of N days from D ends on D + N (at 24:00 of that day).
* A limit of M months from D ends on the same day number M months later, or on that
  month's last day when it has no such day (31/01/2026 + 1 month = 28/02/2026).
* A limit of N working days from D ends on the N-th working day after D.
* When a MONTH limit ends on a rest day, its last day is the next working day
  (``Deadline.rollover``). Whether a DAY limit does the same is an open point of law:
  ``day_rollover`` decides (default False). Working-day limits never end on a rest day.

``detention`` counting (detention, Arts. 173, 174(4), 241, 278, 329; TTLT 04/2018 Art. 17):
the day the measure starts is day 1, so N days from D end at 24:00 of D + N - 1
(2 months = 60 days from 10/01/2026 end on 10/03/2026). The limit runs straight through
weekends, holidays and Tết, a month is 30 days, nothing rolls over, and days already
served (custody deducted, an earlier order of the same stage) come off the end
(``credit_days``).

``hourly`` counting (custody Art. 118; holding and arrest Arts. 110, 114; the procuracy's
approval Art. 118(2)): the limit runs from the hour the person was received, so 3 days
from 14:00 on 14/02 end at 14:00 on 17/02 (``Deadline.due_at``). Given a date alone, the
start is taken as 00:00 of that day: 3 days then end at 24:00 on the third day, the same
day-1 rule as detention.

Extensions. Each extension is added to the end of the limit before it, except where the
law counts the extended total from the start (Art. 147(2): the first extension of
``source.resolve`` ends at receipt + 2 months). Chained month extensions are computed on
the un-rolled dates and the rest-day rollover is applied once, at the very end.

An extension must be DECIDED before the running limit expires (DOMAIN.md §4); the
services refuse a later one. :func:`evaluate` gives ``due_at``, the instant the running
limit expires, for that check.

Who grants an extension is data too: ``Extension.authority`` is a code
(:class:`Authority`), ``granted_by`` its words. The grantor of the NEXT extension is the
one of the rule version in force on the day of the decision (``decided_on``), not on the
day the limit started: a limit that started before 01/07/2025 and is extended after it
is extended by the post-reform authority. Which procuracy level grants after 01/07/2025
is an open point (DOMAIN.md §6); the 2025 versions carry the documented default and a
deployment replaces it per rule with ``granting_levels`` (see :func:`with_levels`).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import MAXYEAR, MINYEAR, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext_lazy

from pctp.law.calendar import LegalCalendar, default_calendar

__all__ = [
    "DAYS",
    "DETENTION",
    "HOURLY",
    "HOURS",
    "MONTHS",
    "PROCEDURAL",
    "RULES",
    "RULE_CODES",
    "WORKING_DAYS",
    "Authority",
    "Deadline",
    "Extension",
    "LawError",
    "Period",
    "Rule",
    "Severity",
    "add_months",
    "evaluate",
    "list_rules",
    "parse_start",
    "procuracy_level_required",
    "rule_for",
    "with_levels",
]


# --------------------------------------------------------------------------- basics


class Severity:
    """Severity classes of PC Art. 9 (the codes used throughout PCTP)."""

    LESS_SERIOUS = "less_serious"
    SERIOUS = "serious"
    VERY_SERIOUS = "very_serious"
    ESPECIALLY_SERIOUS = "especially_serious"
    ALL = (LESS_SERIOUS, SERIOUS, VERY_SERIOUS, ESPECIALLY_SERIOUS)
    LABELS_VI = MappingProxyType(
        {
            LESS_SERIOUS: "ít nghiêm trọng",
            SERIOUS: "nghiêm trọng",
            VERY_SERIOUS: "rất nghiêm trọng",
            ESPECIALLY_SERIOUS: "đặc biệt nghiêm trọng",
        }
    )


DAYS = "days"
MONTHS = "months"
WORKING_DAYS = "working_days"
HOURS = "hours"
UNITS = (DAYS, MONTHS, WORKING_DAYS, HOURS)

PROCEDURAL = "procedural"
DETENTION = "detention"
HOURLY = "hourly"
COUNTINGS = (PROCEDURAL, DETENTION, HOURLY)

DETENTION_MONTH_DAYS = 30  # CPC Art. 134(1): "01 tháng được tính là 30 ngày"


class LawError(ValueError):
    """A time-limit question the law (or the rule data) cannot answer as asked.

    ``code`` is one of: ``unknown_rule``, ``severity_required``, ``unknown_severity``,
    ``too_many_extensions``, ``invalid_extensions``, ``no_rule_in_force``.
    ``details`` carries the values involved, for the JSON error shape.
    """

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details


@dataclass(frozen=True)
class Period:
    """A length of time: ``amount`` of ``unit`` (days, months or working days)."""

    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unknown unit {self.unit!r}; expected one of {UNITS}")
        if self.amount < 0:
            raise ValueError(f"a period cannot be negative: {self.amount}")

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


class Authority:
    """Who decides an extension, as a code the services check against the deciding unit.

    The procuracy codes carry a level (:data:`PROCURACY_LEVELS`): a procuracy may decide
    what its own level or a lower one may decide, never what a higher one must.
    """

    HEAD_OF_BODY = "head_of_body"  # Thủ trưởng Cơ quan điều tra (Art. 147(2))
    ISSUER_APPROVED = "issuer_approved"  # who ordered custody, approved by the procuracy
    PROCURACY_COMPETENT = "procuracy_competent"  # the procuracy supervising the matter
    PROCURACY_LOCAL = "procuracy_local"  # 2018 text: district, provincial for a provincial body
    PROCURACY_REGIONAL = "procuracy_regional"
    PROCURACY_PROVINCIAL = "procuracy_provincial"
    PROCURACY_SUPREME = "procuracy_supreme"
    COURT_PRESIDENT = "court_president"
    ALL = (HEAD_OF_BODY, ISSUER_APPROVED, PROCURACY_COMPETENT, PROCURACY_LOCAL,
           PROCURACY_REGIONAL, PROCURACY_PROVINCIAL, PROCURACY_SUPREME, COURT_PRESIDENT)


# Procuracy levels: district (to 30/6/2025) and regional (from 1/7/2025) are the first.
PROCURACY_LEVELS = MappingProxyType({"district": 1, "regional": 1, "provincial": 2,
                                     "supreme": 3})
LEVEL_OF_AUTHORITY = MappingProxyType({
    Authority.PROCURACY_COMPETENT: "regional",
    Authority.ISSUER_APPROVED: "regional",
    Authority.PROCURACY_REGIONAL: "regional",
    Authority.PROCURACY_PROVINCIAL: "provincial",
    Authority.PROCURACY_SUPREME: "supreme",
})


def procuracy_level_required(authority: str, *, provincial_body: bool = True) -> str | None:
    """The lowest procuracy level that may grant an extension of this authority (None
    when no procuracy grants it). Before 1/7/2025 the district procuracy's share passed to
    the provincial one when a provincial investigation body handled the case (Art. 172(5)
    and 173(3), 2015 text)."""
    if authority == Authority.PROCURACY_LOCAL:
        return "provincial" if provincial_body else "district"
    return LEVEL_OF_AUTHORITY.get(authority)


@dataclass(frozen=True)
class Extension:
    """One lawful extension.

    ``granted_by``: who grants it, in Vietnamese; ``authority``: the same as a code
    (:class:`Authority`). ``from_start``: the extended limit is counted from the start of
    the limit, not from the end of the previous one. ``needs_request``: a written request
    must reach the grantor ``request_before_days`` before expiry (False where the body
    extends its own limit).
    """

    length: Period
    granted_by: str
    authority: str = Authority.PROCURACY_COMPETENT
    from_start: bool = False
    needs_request: bool = True

    def __post_init__(self) -> None:
        if self.authority not in Authority.ALL:
            raise ValueError(f"unknown authority {self.authority!r}")


Base = Period | Mapping[str, Period]
Extensions = tuple[Extension, ...] | Mapping[str, tuple[Extension, ...]]


@dataclass(frozen=True)
class Rule:
    """One version of one time limit.

    ``base`` and ``extensions`` are either flat or keyed by :class:`Severity` code
    (then ``needs_severity`` is True). ``security_extensions`` follow the ordinary chain
    for crimes against national security only (Arts. 172(3), 173(5)). ``unit`` is the
    rule's main unit, for display; each :class:`Period` carries its own unit because a
    few limits mix them (Art. 277: 45 days for serious crimes, 2 months for very serious
    ones). ``force_majeure_base`` replaces ``base`` when force majeure is established
    (Art. 277: the trial opens within 30 days instead of 15).
    """

    code: str
    title_vi: str
    basis: str
    effective_from: date
    effective_to: date | None
    unit: str
    counting: str
    base: Base = field(hash=False)
    extensions: Extensions = field(default=(), hash=False)
    security_extensions: Extensions = field(default=(), hash=False)
    request_before_days: int | None = None
    needs_severity: bool = False
    force_majeure_base: Period | None = None
    note_vi: str = ""

    @property
    def title(self) -> str:
        """The rule's title in the user's language (``title_vi`` is the law's wording)."""
        return str(RULE_TITLES.get(self.code, self.title_vi))

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"{self.code}: unknown unit {self.unit!r}")
        if self.counting not in COUNTINGS:
            raise ValueError(f"{self.code}: unknown counting {self.counting!r}")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"{self.code}: effective_to precedes effective_from")
        if isinstance(self.base, Mapping):
            object.__setattr__(self, "base", MappingProxyType(dict(self.base)))
        for name in ("extensions", "security_extensions"):
            value = getattr(self, name)
            if isinstance(value, Mapping):
                frozen = {k: tuple(v) for k, v in value.items()}
                object.__setattr__(self, name, MappingProxyType(frozen))
            else:
                object.__setattr__(self, name, tuple(value))
        if self.needs_severity:
            for name in ("base", "extensions", "security_extensions"):
                table = getattr(self, name)
                if name != "base" and not table:
                    continue
                if not isinstance(table, Mapping) or set(table) != set(Severity.ALL):
                    raise ValueError(f"{self.code}: {name} must be keyed by every severity")
        elif any(isinstance(getattr(self, n), Mapping)
                 for n in ("base", "extensions", "security_extensions")):
            raise ValueError(f"{self.code}: keyed by severity but needs_severity is False")
        for period in self._all_periods():
            if self.counting != PROCEDURAL and period.unit == WORKING_DAYS:
                raise ValueError(f"{self.code}: detention limits cannot use working days")
            if self.counting != HOURLY and period.unit == HOURS:
                raise ValueError(f"{self.code}: only hourly limits use hours")

    def _chains(self, name: str) -> Iterable[tuple[Extension, ...]]:
        value = getattr(self, name)
        return value.values() if isinstance(value, Mapping) else (value,)

    def _all_periods(self) -> Iterable[Period]:
        bases = self.base.values() if isinstance(self.base, Mapping) else (self.base,)
        yield from bases
        if self.force_majeure_base is not None:
            yield self.force_majeure_base
        for name in ("extensions", "security_extensions"):
            for chain in self._chains(name):
                for ext in chain:
                    yield ext.length

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def base_for(self, severity: str | None) -> Period:
        if isinstance(self.base, Mapping):
            return self.base[severity]  # type: ignore[index]
        return self.base

    def extensions_for(self, severity: str | None, *, national_security: bool = False
                       ) -> tuple[Extension, ...]:
        def pick(value: Extensions) -> tuple[Extension, ...]:
            if isinstance(value, Mapping):
                return value.get(severity, ())  # type: ignore[arg-type]
            return value

        chain = pick(self.extensions)
        return chain + pick(self.security_extensions) if national_security else chain


@dataclass(frozen=True)
class Deadline:
    """The answer of :func:`evaluate`.

    ``due``: last lawful day with the extensions granted so far (after any rest-day
    rollover); ``due_at``: the instant it expires (local time, naive: 24:00 of ``due``
    as 00:00 of the next day, or the hour for custody). ``max_due``/``max_due_at``: the
    same with every lawful extension granted. ``request_by``: last day to send the
    request for the next extension (None when none can follow or the law sets no lead
    time). ``granted_by``/``authority``: who grants the next extension (None when none
    can follow), from the rule version in force on ``decided_on``. ``rollover``: a rest
    day moved ``due``.
    """

    rule: Rule
    start: date
    due: date
    max_due: date
    extensions: int
    can_extend: bool
    request_by: date | None
    granted_by: str | None
    basis: str
    rollover: bool
    severity: str | None
    due_at: datetime | None = None
    max_due_at: datetime | None = None
    start_at: datetime | None = None
    authority: str | None = None
    procuracy_level: str | None = None
    credit_days: int = 0

    def to_dict(self) -> dict[str, Any]:
        def stamp(value: datetime | None) -> str | None:
            return value.isoformat(timespec="minutes") if value else None

        return {
            "rule": self.rule.code,
            "start": self.start.isoformat(),
            "start_at": stamp(self.start_at),
            "due": self.due.isoformat(),
            "due_at": stamp(self.due_at),
            "max_due": self.max_due.isoformat(),
            "max_due_at": stamp(self.max_due_at),
            "extensions": self.extensions,
            "can_extend": self.can_extend,
            "request_by": self.request_by.isoformat() if self.request_by else None,
            "granted_by": self.granted_by,
            "authority": self.authority,
            "procuracy_level": self.procuracy_level,
            "basis": self.basis,
            "rollover": self.rollover,
            "severity": self.severity,
            "credit_days": self.credit_days,
        }

    def expired(self, now: datetime) -> bool:
        """Whether the limit had expired at ``now`` (naive local time)."""
        return self.due_at is not None and now >= self.due_at


# --------------------------------------------------------------------------- the data

CPC_2015_IN_FORCE = date(2018, 1, 1)
REFORM_2025 = date(2025, 7, 1)  # Law 99/2025/QH15: no district level, regional procuracies
_BEFORE_REFORM = REFORM_2025 - timedelta(days=1)

_LS, _S, _VS, _ES = Severity.ALL
A = Authority


def _d(n: int) -> Period:
    return Period(n, DAYS)


def _m(n: int) -> Period:
    return Period(n, MONTHS)


def _h(n: int) -> Period:
    return Period(n, HOURS)


def _per_severity(less: Any, serious: Any, very: Any, especially: Any) -> dict[str, Any]:
    return {_LS: less, _S: serious, _VS: very, _ES: especially}


# Who grants what. Before 1/7/2025: the text of CPC 2015 Arts. 118, 147, 172(5), 173(3).
# From 1/7/2025 the district procuracy is gone; which level now grants is OPEN
# (DOMAIN.md §6). Default: the regional procuracy (VKSND khu vực, the "Viện kiểm sát có
# thẩm quyền" of amended Art. 4(1)(p) for most cases) takes the place of the district
# one, the provincial and supreme levels keep their share.
_HEAD_CQDT = (
    "Thủ trưởng Cơ quan điều tra (cấp trưởng cơ quan được giao nhiệm vụ tiến hành "
    "một số hoạt động điều tra)"
)
_WORDS = {
    A.PROCURACY_PROVINCIAL: "Viện trưởng VKSND cấp tỉnh",
    A.PROCURACY_SUPREME: "Viện trưởng VKSND tối cao",
    A.PROCURACY_REGIONAL: "Viện trưởng VKSND khu vực (Viện kiểm sát có thẩm quyền)",
    A.PROCURACY_LOCAL: "Viện trưởng VKSND cấp huyện (VKSND cấp tỉnh nếu Cơ quan điều tra cấp "
                       "tỉnh thụ lý)",
}
_ERA = {
    "2018": {
        "resolve.2": "Viện trưởng Viện kiểm sát cùng cấp hoặc Viện kiểm sát có thẩm quyền",
        "custody": (
            "Người ra quyết định tạm giữ gia hạn; Viện kiểm sát cùng cấp hoặc có thẩm quyền "
            "phê chuẩn trong 12 giờ"
        ),
        "local": A.PROCURACY_LOCAL,
    },
    "2025": {
        "resolve.2": "Viện trưởng Viện kiểm sát có thẩm quyền (mặc định: VKSND khu vực)",
        "custody": (
            "Người ra quyết định tạm giữ gia hạn; Viện kiểm sát có thẩm quyền phê chuẩn "
            "trong 12 giờ"
        ),
        "local": A.PROCURACY_REGIONAL,
    },
}
_NOTE_2025 = (
    "Điểm còn mở: thẩm quyền gia hạn sau ngày 01/7/2025 chưa được xác định rõ; hệ thống "
    "mặc định VKSND khu vực thay cho VKSND cấp huyện, cấp tỉnh và tối cao giữ nguyên."
)
_SECURITY = " (tội xâm phạm an ninh quốc gia)"


def _by(authority: str, length: Period, *, note: str = "", **kw: Any) -> Extension:
    return Extension(length, _WORDS[authority] + note, authority=authority, **kw)


def _versioned(era: str) -> list[Rule]:
    """Rules whose granting authority changed with the 2025 reorganisation."""
    a = _ERA[era]
    if era == "2018":
        frm, to, amended, note = CPC_2015_IN_FORCE, _BEFORE_REFORM, "BLTTHS 2015", ""
    else:
        frm, to, amended, note = REFORM_2025, None, "BLTTHS 2015 (sửa đổi 2025)", _NOTE_2025
    local = a["local"]
    prov, supreme = A.PROCURACY_PROVINCIAL, A.PROCURACY_SUPREME
    resumed_ext = _per_severity(
        (_by(local, _m(1)),), (_by(local, _m(2)),), (_by(local, _m(2)),), (_by(prov, _m(3)),))
    return [
        Rule(
            code="source.resolve",
            title_vi="Giải quyết tố giác, tin báo về tội phạm, kiến nghị khởi tố",
            basis=f"{amended} Điều 147; TTLT 01/2017 Điều 11",
            effective_from=frm, effective_to=to, unit=DAYS, counting=PROCEDURAL,
            base=_d(20),
            extensions=(
                Extension(_m(2), _HEAD_CQDT, authority=A.HEAD_OF_BODY, from_start=True,
                          needs_request=False),
                Extension(_m(2), a["resolve.2"], authority=A.PROCURACY_COMPETENT),
            ),
            request_before_days=5, note_vi=note,
        ),
        Rule(
            code="investigation",
            title_vi="Thời hạn điều tra vụ án hình sự",
            basis=f"{amended} Điều 172",
            effective_from=frm, effective_to=to, unit=MONTHS, counting=PROCEDURAL,
            base=_per_severity(_m(2), _m(3), _m(4), _m(4)),
            extensions=_per_severity(
                (_by(local, _m(2)),),
                (_by(local, _m(3)), _by(local, _m(2))),
                (_by(local, _m(4)), _by(prov, _m(4))),
                (_by(prov, _m(4)), _by(prov, _m(4)), _by(supreme, _m(4)),
                 # Art. 172(3): once more, very complex especially serious cases.
                 _by(supreme, _m(4), note=" (gia hạn thêm một lần, vụ án rất phức tạp)")),
            ),
            # Art. 172(3): crimes against national security, once more up to 4 months.
            security_extensions=_per_severity(
                *((_by(supreme, _m(4), note=_SECURITY),),) * 4),
            request_before_days=10, needs_severity=True, note_vi=note,
        ),
        Rule(
            code="investigation.resumed",
            title_vi="Thời hạn điều tra tiếp sau khi phục hồi điều tra",
            basis=f"{amended} Điều 174 khoản 1",
            effective_from=frm, effective_to=to, unit=MONTHS, counting=PROCEDURAL,
            base=_per_severity(_m(2), _m(2), _m(3), _m(3)),
            extensions=resumed_ext,
            request_before_days=10, needs_severity=True, note_vi=note,
        ),
        Rule(
            code="custody",
            title_vi="Thời hạn tạm giữ",
            basis=f"{amended} Điều 118",
            effective_from=frm, effective_to=to, unit=DAYS, counting=HOURLY,
            base=_d(3),
            extensions=(
                Extension(_d(3), a["custody"], authority=A.ISSUER_APPROVED, needs_request=False),
                Extension(_d(3), a["custody"], authority=A.ISSUER_APPROVED, needs_request=False),
            ),
            note_vi=note,
        ),
        Rule(
            code="detention.investigation",
            title_vi="Thời hạn tạm giam để điều tra",
            basis=f"{amended} Điều 173",
            effective_from=frm, effective_to=to, unit=MONTHS, counting=DETENTION,
            base=_per_severity(_m(2), _m(3), _m(4), _m(4)),
            extensions=_per_severity(
                (_by(local, _m(1)),),
                (_by(local, _m(2)),),
                (_by(local, _m(3)),),
                (_by(prov, _m(4)), _by(prov, _m(4))),
            ),
            # Art. 173(5): national security, +4 months, then once more 1/2/4 months.
            security_extensions=_per_severity(
                (_by(supreme, _m(4), note=_SECURITY),),
                (_by(supreme, _m(4), note=_SECURITY), _by(supreme, _m(1), note=_SECURITY)),
                (_by(supreme, _m(4), note=_SECURITY), _by(supreme, _m(2), note=_SECURITY)),
                (_by(supreme, _m(4), note=_SECURITY), _by(supreme, _m(4), note=_SECURITY)),
            ),
            request_before_days=10, needs_severity=True, note_vi=note,
        ),
        Rule(
            code="detention.resumed",
            title_vi="Thời hạn tạm giam khi phục hồi điều tra",
            basis=f"{amended} Điều 174 khoản 4 (không quá thời hạn phục hồi điều tra)",
            effective_from=frm, effective_to=to, unit=MONTHS, counting=DETENTION,
            base=_per_severity(_m(2), _m(2), _m(3), _m(3)),
            extensions=resumed_ext,
            request_before_days=10, needs_severity=True, note_vi=note,
        ),
    ]


_PROSECUTOR = "Viện trưởng Viện kiểm sát có thẩm quyền"
_COURT_PRESIDENT = "Chánh án Tòa án đã thụ lý vụ án"
_VKS_12H = "Viện kiểm sát cùng cấp hoặc Viện kiểm sát có thẩm quyền"


def _stable() -> list[Rule]:
    """Rules unchanged since CPC 2015 came into force."""
    frm = CPC_2015_IN_FORCE
    prosecution_base = _per_severity(_d(20), _d(20), _d(30), _d(30))
    trial_base = _per_severity(_d(30), _d(45), _m(2), _m(3))

    def prosecution_ext(by: str) -> dict[str, tuple[Extension, ...]]:
        return _per_severity(
            *((Extension(_d(n), by, authority=A.PROCURACY_COMPETENT, needs_request=False),)
              for n in (10, 10, 15, 30))
        )

    def trial_ext(by: str) -> dict[str, tuple[Extension, ...]]:
        return _per_severity(
            *((Extension(_d(n), by, authority=A.COURT_PRESIDENT, needs_request=False),)
              for n in (15, 15, 30, 30))
        )

    def flat(code: str, title: str, basis: str, period: Period, *,
             counting: str = PROCEDURAL, **kw: Any) -> Rule:
        return Rule(code=code, title_vi=title, basis=basis, effective_from=frm,
                    effective_to=None, unit=period.unit, counting=counting, base=period, **kw)

    return [
        flat("source.resume", "Giải quyết tiếp nguồn tin sau khi phục hồi",
             "BLTTHS 2015 Điều 149", _m(1)),
        flat("source.suspension_cancelled",
             "Giải quyết tiếp nguồn tin sau khi Viện kiểm sát hủy quyết định tạm đình chỉ",
             "BLTTHS 2015 Điều 148 khoản 2", _m(1)),
        flat("notify.receipt",
             "Thông báo kết quả tiếp nhận nguồn tin cho Viện kiểm sát và người báo tin",
             "TTLT 01/2017 Điều 14 khoản 1", Period(3, WORKING_DAYS)),
        flat("investigation.supplementary.procuracy",
             "Điều tra bổ sung do Viện kiểm sát trả hồ sơ", "BLTTHS 2015 Điều 174", _m(2)),
        flat("investigation.supplementary.court",
             "Điều tra bổ sung do Tòa án trả hồ sơ", "BLTTHS 2015 Điều 174", _m(1)),
        # Art. 174(4): detention in a supplementary investigation may not exceed its limit.
        flat("detention.supplementary.procuracy",
             "Thời hạn tạm giam khi điều tra bổ sung do Viện kiểm sát trả hồ sơ",
             "BLTTHS 2015 Điều 174 khoản 4 (không quá thời hạn điều tra bổ sung)", _m(2),
             counting=DETENTION),
        flat("detention.supplementary.court",
             "Thời hạn tạm giam khi điều tra bổ sung do Tòa án trả hồ sơ",
             "BLTTHS 2015 Điều 174 khoản 4 (không quá thời hạn điều tra bổ sung)", _m(1),
             counting=DETENTION),
        Rule(
            code="prosecution.decide", title_vi="Thời hạn quyết định việc truy tố",
            basis="BLTTHS 2015 Điều 240", effective_from=frm, effective_to=None, unit=DAYS,
            counting=PROCEDURAL, base=prosecution_base,
            extensions=prosecution_ext(_PROSECUTOR), needs_severity=True,
        ),
        Rule(
            code="detention.prosecution",
            title_vi="Thời hạn tạm giam để chuẩn bị cho việc truy tố",
            basis="BLTTHS 2015 Điều 241 (bằng thời hạn tại khoản 1 Điều 240)",
            effective_from=frm, effective_to=None, unit=DAYS, counting=DETENTION,
            base=prosecution_base,
            extensions=prosecution_ext(
                _PROSECUTOR + " (cùng với gia hạn thời hạn quyết định việc truy tố)"),
            needs_severity=True,
        ),
        Rule(
            code="trial.prepare", title_vi="Thời hạn chuẩn bị xét xử sơ thẩm",
            basis="BLTTHS 2015 Điều 277", effective_from=frm, effective_to=None, unit=DAYS,
            counting=PROCEDURAL, base=trial_base, extensions=trial_ext(_COURT_PRESIDENT),
            needs_severity=True,
        ),
        Rule(
            code="detention.trial", title_vi="Thời hạn tạm giam để chuẩn bị xét xử",
            basis="BLTTHS 2015 Điều 278 khoản 2 (không quá thời hạn chuẩn bị xét xử, Điều 277)",
            effective_from=frm, effective_to=None, unit=DAYS, counting=DETENTION,
            base=trial_base,
            extensions=trial_ext(_COURT_PRESIDENT + " (cùng với gia hạn chuẩn bị xét xử)"),
            needs_severity=True,
        ),
        flat("trial.prepare.returned",
             "Quyết định đưa vụ án ra xét xử sau khi nhận lại hồ sơ điều tra bổ sung",
             "BLTTHS 2015 Điều 277 khoản 2", _d(15)),
        flat("trial.open", "Mở phiên tòa sau khi có quyết định đưa vụ án ra xét xử",
             "BLTTHS 2015 Điều 277", _d(15), force_majeure_base=_d(30)),
        flat("detention.judgment", "Thời hạn tạm giam bị cáo sau khi tuyên án",
             "BLTTHS 2015 Điều 329 khoản 3 (45 ngày kể từ ngày tuyên án)", _d(45),
             counting=DETENTION),
        flat("appeal.judgment", "Thời hạn kháng cáo bản án sơ thẩm",
             "BLTTHS 2015 Điều 333 khoản 1", _d(15)),
        flat("appeal.decision", "Thời hạn kháng cáo quyết định sơ thẩm",
             "BLTTHS 2015 Điều 333 khoản 2", _d(7)),
        flat("protest.same_level", "Thời hạn kháng nghị bản án sơ thẩm của Viện kiểm sát cùng cấp",
             "BLTTHS 2015 Điều 337 khoản 1", _d(15)),
        flat("protest.higher", "Thời hạn kháng nghị bản án sơ thẩm của Viện kiểm sát cấp trên",
             "BLTTHS 2015 Điều 337 khoản 1", _d(30)),
        flat("appeal.trial", "Thời hạn xét xử phúc thẩm (Tòa án nhân dân cấp tỉnh)",
             "BLTTHS 2015 Điều 346 khoản 1 (60 ngày kể từ ngày nhận hồ sơ)", _d(60)),
        # Hours: holding and arrest (Arts. 110(4), 114(1)), the custody decision sent to
        # the procuracy (Art. 117(4)), the procuracy's approval of an extension (Art. 118(2)).
        flat("hold.emergency",
             "Giữ người trong trường hợp khẩn cấp: ra quyết định tạm giữ, lệnh bắt hoặc trả "
             "tự do", "BLTTHS 2015 Điều 110 khoản 4", _h(12), counting=HOURLY),
        flat("arrest.decide",
             "Sau khi bắt người phạm tội quả tang, người bị truy nã: ra quyết định tạm giữ "
             "hoặc trả tự do", "BLTTHS 2015 Điều 111, Điều 114 khoản 1", _h(12),
             counting=HOURLY),
        flat("custody.send", "Gửi quyết định tạm giữ cho Viện kiểm sát",
             "BLTTHS 2015 Điều 117 khoản 4", _h(12), counting=HOURLY),
        flat("custody.approval",
             f"{_VKS_12H} phê chuẩn hoặc không phê chuẩn gia hạn tạm giữ",
             "BLTTHS 2015 Điều 118 khoản 2", _h(12), counting=HOURLY),
    ]


# The titles shown on pages, translated; the Vietnamese of each is its rule's ``title_vi``.
RULE_TITLES = {
    "source.resolve": gettext_lazy("Resolving a denunciation, crime report or recommendation to prosecute"),
    "investigation": gettext_lazy("Time limit for investigating a criminal case"),
    "investigation.resumed": gettext_lazy("Time limit for investigation after it resumes"),
    "custody": gettext_lazy("Time limit for custody"),
    "detention.investigation": gettext_lazy("Time limit for detention during investigation"),
    "detention.resumed": gettext_lazy("Time limit for detention when investigation resumes"),
    "source.resume": gettext_lazy("Resolving a crime source after it resumes"),
    "source.suspension_cancelled": gettext_lazy("Resolving a crime source after the procuracy cancels its suspension"),
    "notify.receipt": gettext_lazy("Notifying the procuracy and the reporter of the receipt of a crime source"),
    "investigation.supplementary.procuracy": gettext_lazy("Supplementary investigation, the file returned by the procuracy"),
    "investigation.supplementary.court": gettext_lazy("Supplementary investigation, the file returned by the court"),
    "detention.supplementary.procuracy": gettext_lazy("Time limit for detention in a supplementary investigation, the file returned by the procuracy"),
    "detention.supplementary.court": gettext_lazy("Time limit for detention in a supplementary investigation, the file returned by the court"),
    "prosecution.decide": gettext_lazy("Time limit for deciding on prosecution"),
    "detention.prosecution": gettext_lazy("Time limit for detention to prepare the prosecution"),
    "trial.prepare": gettext_lazy("Time limit for preparing the first-instance trial"),
    "detention.trial": gettext_lazy("Time limit for detention to prepare the trial"),
    "trial.prepare.returned": gettext_lazy("Deciding to bring the case to trial after the supplementary investigation file comes back"),
    "trial.open": gettext_lazy("Opening the trial after the decision to bring the case to trial"),
    "detention.judgment": gettext_lazy("Time limit for detaining the defendant after the judgment"),
    "appeal.judgment": gettext_lazy("Time limit for appealing a first-instance judgment"),
    "appeal.decision": gettext_lazy("Time limit for appealing a first-instance decision"),
    "protest.same_level": gettext_lazy("Time limit for the procuracy of the same level to protest a first-instance judgment"),
    "protest.higher": gettext_lazy("Time limit for the higher procuracy to protest a first-instance judgment"),
    "appeal.trial": gettext_lazy("Time limit for the appellate trial (provincial court)"),
    "hold.emergency": gettext_lazy("Holding a person in an emergency: custody decision, arrest warrant or release"),
    "arrest.decide": gettext_lazy("After arresting a person caught in the act or wanted: custody decision or release"),
    "custody.send": gettext_lazy("Sending the custody decision to the procuracy"),
    "custody.approval": gettext_lazy("The procuracy of the same level or the competent procuracy approves or refuses the custody extension"),
}


RULES: tuple[Rule, ...] = tuple(_versioned("2018") + _versioned("2025") + _stable())
RULE_CODES: tuple[str, ...] = tuple(dict.fromkeys(r.code for r in RULES))
MEASURE_RULES = ("custody", "detention.investigation", "detention.resumed",
                 "detention.supplementary.procuracy", "detention.supplementary.court",
                 "detention.prosecution", "detention.trial", "detention.judgment")


def with_levels(levels: Mapping[str, str], rules: Sequence[Rule] | None = None
                ) -> tuple[Rule, ...]:
    """The rule set with the post-reform granting levels replaced (DOMAIN.md §6, open).

    ``levels`` maps ``"<rule>:<severity>:<n>"`` (n counts extensions from 1; severity
    ``*`` for a flat rule) to ``regional``, ``provincial`` or ``supreme``. Only versions
    in force from 1/7/2025 change; the 2015 text stays as it was.
    """
    by_level = {"regional": A.PROCURACY_REGIONAL, "provincial": A.PROCURACY_PROVINCIAL,
                "supreme": A.PROCURACY_SUPREME}
    pool = list(RULES if rules is None else rules)
    for key, level in levels.items():
        try:
            code, severity, number = key.split(":")
            n = int(number)
            authority = by_level[level]
        except (ValueError, KeyError):
            raise ValueError(f"granting level {key!r}: {level!r} is not "
                             f"'<rule>:<severity|*>:<n>' = regional|provincial|supreme") from None
        for i, rule in enumerate(pool):
            if rule.code != code or rule.effective_from < REFORM_2025:
                continue
            table = rule.extensions
            chain = table[severity] if isinstance(table, Mapping) else table
            if not 1 <= n <= len(chain):
                raise ValueError(f"granting level {key!r}: no extension number {n}")
            new = replace(chain[n - 1], authority=authority, granted_by=_WORDS[authority])
            chain = chain[:n - 1] + (new,) + chain[n:]
            if isinstance(table, Mapping):
                pool[i] = replace(rule, extensions={**table, severity: chain})
            else:
                pool[i] = replace(rule, extensions=chain)
    return tuple(pool)


# --------------------------------------------------------------------------- lookups


def _check_date(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(
            f"{name} must be a datetime.date (convert timestamps in Asia/Ho_Chi_Minh first), "
            f"got {type(value).__name__}"
        )
    return value


def list_rules(on: date | None = None, *, rules: Sequence[Rule] | None = None) -> tuple[Rule, ...]:
    """Every rule version, or with ``on`` only the versions in force that day."""
    pool = tuple(RULES if rules is None else rules)
    if on is None:
        return pool
    _check_date(on, "on")
    return tuple(r for r in pool if r.in_force(on))


def rule_for(code: str, on: date, *, rules: Sequence[Rule] | None = None) -> Rule:
    """The version of rule ``code`` in force on ``on``."""
    _check_date(on, "on")
    pool = RULES if rules is None else rules
    versions = [r for r in pool if r.code == code]
    if not versions:
        known = ", ".join(dict.fromkeys(r.code for r in pool))
        raise LawError(
            "unknown_rule", f"Unknown time-limit rule {code!r}. Known rules: {known}.", rule=code
        )
    for rule in versions:
        if rule.in_force(on):
            return rule
    spans = "; ".join(
        f"{r.effective_from.isoformat()} to {r.effective_to.isoformat() if r.effective_to else 'now'}"
        for r in versions
    )
    raise LawError(
        "no_rule_in_force",
        f"No version of rule {code!r} is in force on {on.isoformat()} (versions: {spans}).",
        rule=code,
        on=on.isoformat(),
    )


def parse_start(text: str, *, fail=None) -> date | datetime:
    """'2026-02-14' as a day, '2026-02-14T14:00' (or '2026-02-14 14:00') as a local time."""
    text = text.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        value = datetime.fromisoformat(text.replace(" ", "T", 1))
        if value.tzinfo is not None:
            raise ValueError("a local time, without a zone")
        return value
    except ValueError:
        if fail is not None:
            return fail()
        raise


# --------------------------------------------------------------------------- counting


def add_months(d: date, months: int) -> date:
    """Same day number ``months`` later, or that month's last day (CPC Art. 134)."""
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    if not MINYEAR <= year <= MAXYEAR:  # as adding days past 9999 does (callers catch it)
        raise OverflowError("date value out of range")
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last))


def _span(period: Period) -> timedelta:
    """A detention or custody length: 30-day months, days, hours."""
    if period.unit == MONTHS:
        return timedelta(days=period.amount * DETENTION_MONTH_DAYS)
    if period.unit == HOURS:
        return timedelta(hours=period.amount)
    return timedelta(days=period.amount)


def _add(d: date, period: Period, cal: LegalCalendar) -> date:
    if period.unit == DAYS:
        return d + timedelta(days=period.amount)
    if period.unit == MONTHS:
        return add_months(d, period.amount)
    return cal.add_working_days(d, period.amount)


def _midnight_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min)


def _last_day(instant: datetime) -> date:
    """The last day a limit expiring at ``instant`` covers (00:00 closes the day before)."""
    return (instant - timedelta(microseconds=1)).date()


def _end(rule: Rule, start: datetime, base: Period, steps: Sequence[Extension],
         cal: LegalCalendar, day_rollover: bool, credit_days: int) -> tuple[date, datetime, bool]:
    """The last day of the limit after ``steps``, the instant it expires, and whether a
    rest day moved it."""
    if rule.counting != PROCEDURAL:
        # Detention and custody: lengths add up from the start instant (00:00 of day 1
        # for detention), then days already served come off.
        instant = start + _span(base) + sum((_span(e.length) for e in steps), timedelta())
        instant -= timedelta(days=credit_days)
        return _last_day(instant), instant, False
    day = start.date()
    raw = _add(day, base, cal)
    last_unit = base.unit
    for ext in steps:
        raw = _add(day if ext.from_start else raw, ext.length, cal)
        last_unit = ext.length.unit
    due = raw
    if last_unit == MONTHS or (last_unit == DAYS and day_rollover):
        due = cal.next_working_day(raw)
    return due, _midnight_after(due), due != raw


def _check_severity(rule: Rule, severity: str | None) -> str | None:
    if severity is not None and severity not in Severity.ALL:
        raise LawError(
            "unknown_severity",
            f"Unknown severity {severity!r}; expected one of {', '.join(Severity.ALL)}.",
            severity=severity,
        )
    if rule.needs_severity and severity is None:
        raise LawError(
            "severity_required",
            f"Rule {rule.code!r} ({rule.basis}) depends on the severity class; "
            f"give one of {', '.join(Severity.ALL)}.",
            rule=rule.code,
        )
    return severity


def _start_instant(rule: Rule, start: date | datetime) -> tuple[date, datetime | None, datetime]:
    """(start day, start instant as given or None, the instant counting runs from)."""
    if isinstance(start, datetime):
        if start.tzinfo is not None:
            raise TypeError("start must be a naive local time (Asia/Ho_Chi_Minh), not aware")
        if rule.counting != HOURLY:
            if rule.counting == DETENTION:  # detention counts whole days from day 1
                return start.date(), start, datetime.combine(start.date(), time.min)
            raise TypeError(f"rule {rule.code!r} counts days: give a date, not a time")
        return start.date(), start, start
    if not isinstance(start, date):
        raise TypeError(f"start must be a date or a datetime, got {type(start).__name__}")
    return start, None, datetime.combine(start, time.min)


def evaluate(
    code: str,
    *,
    start: date | datetime,
    severity: str | None = None,
    extensions: int = 0,
    force_majeure: bool = False,
    calendar: LegalCalendar | None = None,
    day_rollover: bool = False,
    on: date | None = None,
    decided_on: date | None = None,
    national_security: bool = False,
    credit_days: int = 0,
    rules: Sequence[Rule] | None = None,
) -> Deadline:
    """The deadline of rule ``code`` started at ``start`` with ``extensions`` granted.

    ``start``: a date, or a naive local datetime for hourly limits (custody: the hour the
    person was received). ``on`` picks the rule version whose lengths apply (default: the
    start day); ``decided_on`` the version whose grantor decides the next extension
    (default: ``on``). ``national_security``: the extra extensions of Arts. 172(3) and
    173(5). ``credit_days``: days already served that come off a detention limit
    (custody deducted, an earlier order of the same stage; TTLT 04/2018 Art. 17).
    ``force_majeure`` only affects rules with a force-majeure length (``trial.open``).
    ``day_rollover``: whether a DAY limit ending on a rest day moves to the next working
    day (open point; default False). ``calendar``: rest days (default: public holidays
    from the ``holidays`` package). ``rules``: a replacement rule set.
    """
    pool = RULES if rules is None else rules
    probe = next((r for r in pool if r.code == code), None)
    if probe is None:
        rule_for(code, date(2018, 1, 1), rules=pool)  # raises unknown_rule
    start_day, start_at, instant = _start_instant(probe, start)  # type: ignore[arg-type]
    rule = rule_for(code, start_day if on is None else on, rules=pool)
    severity = _check_severity(rule, severity)
    chain = rule.extensions_for(severity, national_security=national_security)
    if isinstance(extensions, bool) or not isinstance(extensions, int) or extensions < 0:
        raise LawError(
            "invalid_extensions",
            f"extensions must be a whole number of extensions already granted (0 or more), "
            f"got {extensions!r}.",
            extensions=extensions,
        )
    if extensions > len(chain):
        label = f" for a {severity} crime" if severity else ""
        raise LawError(
            "too_many_extensions",
            f"Rule {rule.code!r} ({rule.basis}) allows at most {len(chain)} extension(s)"
            f"{label}; {extensions} requested.",
            rule=rule.code,
            allowed=len(chain),
            requested=extensions,
        )
    if isinstance(credit_days, bool) or not isinstance(credit_days, int) or credit_days < 0:
        raise LawError("invalid_credit", f"credit_days must be 0 or more, got {credit_days!r}.")
    if credit_days and rule.counting != DETENTION:
        raise LawError("invalid_credit", f"Rule {rule.code!r} takes no credit for days served.")
    cal = calendar if calendar is not None else default_calendar()
    base = rule.base_for(severity)
    if force_majeure and rule.force_majeure_base is not None:
        base = rule.force_majeure_base
    due, due_at, rolled = _end(rule, instant, base, chain[:extensions], cal, day_rollover,
                               credit_days)
    max_due, max_due_at, _ = _end(rule, instant, base, chain, cal, day_rollover, credit_days)
    following = chain[extensions] if extensions < len(chain) else None
    if following is not None and decided_on is not None:
        granting = rule_for(code, decided_on, rules=pool)
        later = granting.extensions_for(severity, national_security=national_security)
        if extensions < len(later):
            following = later[extensions]
    request_by = None
    if following is not None and following.needs_request and rule.request_before_days:
        request_by = due - timedelta(days=rule.request_before_days)
    return Deadline(
        rule=rule,
        start=start_day,
        due=due,
        max_due=max_due,
        extensions=extensions,
        can_extend=following is not None,
        request_by=request_by,
        granted_by=following.granted_by if following is not None else None,
        basis=rule.basis,
        rollover=rolled,
        severity=severity,
        due_at=due_at,
        max_due_at=max_due_at,
        start_at=start_at,
        authority=following.authority if following is not None else None,
        procuracy_level=(procuracy_level_required(following.authority)
                         if following is not None else None),
        credit_days=credit_days,
    )
