"""Procedural time limits of Vietnamese criminal procedure, as versioned data.

Every limit the software applies is a :class:`Rule` in :data:`RULES`: its code, its
citation, the dates it is in force, its base length (per severity class where the law
differs by class), the extensions the law allows and who grants each of them. The
functions here are pure (no Django, no database, no clock): :func:`evaluate` turns a
rule, a start date and the number of extensions already granted into a
:class:`Deadline`.

Counting (CPC Art. 134), exactly as implemented
------------------------------------------------
``procedural`` counting (every limit except custody and detention):

* A limit of N days from D ends on D + N (at 24:00 of that day).
* A limit of M months from D ends on the same day number M months later, or on that
  month's last day when it has no such day (31/01/2026 + 1 month = 28/02/2026;
  31/01/2028 + 1 month = 29/02/2028).
* A limit of N working days from D ends on the N-th working day after D
  (see :class:`~pctp.law.calendar.LegalCalendar`).
* When a MONTH limit ends on a rest day, its last day is the next working day
  (``Deadline.rollover`` is then True). Whether a DAY limit does the same is an open
  point of law: the ``day_rollover`` argument decides (default False: day limits do not
  move). Working-day limits never end on a rest day.

``detention`` counting (custody Art. 118, detention Arts. 173 and 241): the limit runs
straight through weekends, holidays and Tết, a month is 30 days, and nothing ever rolls
over.

Extensions. Each extension is added to the end of the limit before it (a limit of
2 months from 10/01 extended by 2 months ends 10/05), except where the law counts the
extended total from the start: Art. 147(2) "có thể kéo dài nhưng không quá 02 tháng"
makes the first extension of ``source.resolve`` end at receipt + 2 months.

Chained month extensions are computed on the UN-ROLLED dates and the rest-day rollover
is applied once, at the very end, to the final date only:

    raw_0 = start + base                     (month arithmetic, clamped to month end)
    raw_k = raw_(k-1) + extension_k          (or start + extension_k when it counts
                                              from the start)
    due   = next working day of raw_n        (only if the last step is in months,
                                              or in days with day_rollover=True)

So a limit that ends on Saturday 28/02/2026 (due Monday 02/03/2026 after rollover) and
is extended by 2 months ends on 28/04/2026, not 02/05/2026: the rollover only grants
grace for the last day and never shifts the anchor of the next period. Month-end
clamping is likewise not undone by a later step: 31/12/2025 + 2 months = 28/02/2026,
+ 2 months = 28/04/2026 (an extension runs from the day the previous limit ended).
The type of the LAST step decides whether the final date rolls over: 2 months + 30 days
(trial preparation, very serious) is a day limit at the end.

``request_by`` is the last day to ask for the next extension where the law sets one
(Art. 147(2): 5 days, Arts. 172(2) and 173(2): 10 days before expiry), computed as
``due - N days`` from the (rolled-over) due date, since that is when the limit expires.
It is a plain calendar date and may fall on a rest day; sending the request earlier is
always lawful.

Who grants an extension after 1/7/2025 (Law 99/2025/QH15 removed the district level)
is an open point: the 2025 versions carry a documented default as data
(``Rule.note_vi`` says so), and a deployment may pass its own rule set with
``rules=`` (e.g. ``dataclasses.replace`` on a rule).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from pctp.law.calendar import LegalCalendar, default_calendar

__all__ = [
    "DAYS",
    "DETENTION",
    "Deadline",
    "Extension",
    "LawError",
    "MONTHS",
    "PROCEDURAL",
    "Period",
    "RULES",
    "RULE_CODES",
    "Rule",
    "Severity",
    "WORKING_DAYS",
    "add_months",
    "evaluate",
    "list_rules",
    "rule_for",
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
UNITS = (DAYS, MONTHS, WORKING_DAYS)

PROCEDURAL = "procedural"
DETENTION = "detention"
COUNTINGS = (PROCEDURAL, DETENTION)

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


@dataclass(frozen=True)
class Extension:
    """One lawful extension.

    ``granted_by``: who grants it, in Vietnamese. ``from_start``: the extended limit is
    counted from the start of the limit, not from the end of the previous one.
    ``needs_request``: a written request must reach the grantor ``request_before_days``
    before expiry (False where the body extends its own limit).
    """

    length: Period
    granted_by: str
    from_start: bool = False
    needs_request: bool = True


Base = Period | Mapping[str, Period]
Extensions = tuple[Extension, ...] | Mapping[str, tuple[Extension, ...]]


@dataclass(frozen=True)
class Rule:
    """One version of one time limit.

    ``base`` and ``extensions`` are either flat or keyed by :class:`Severity` code
    (then ``needs_severity`` is True). ``unit`` is the rule's main unit, for display;
    each :class:`Period` carries its own unit because a few limits mix them
    (Art. 277: 45 days for serious crimes, 2 months for very serious ones).
    ``force_majeure_base`` replaces ``base`` when force majeure is established
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
    request_before_days: int | None = None
    needs_severity: bool = False
    force_majeure_base: Period | None = None
    note_vi: str = ""

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"{self.code}: unknown unit {self.unit!r}")
        if self.counting not in COUNTINGS:
            raise ValueError(f"{self.code}: unknown counting {self.counting!r}")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError(f"{self.code}: effective_to precedes effective_from")
        if isinstance(self.base, Mapping):
            object.__setattr__(self, "base", MappingProxyType(dict(self.base)))
        if isinstance(self.extensions, Mapping):
            frozen = {k: tuple(v) for k, v in self.extensions.items()}
            object.__setattr__(self, "extensions", MappingProxyType(frozen))
        else:
            object.__setattr__(self, "extensions", tuple(self.extensions))
        keyed = [isinstance(self.base, Mapping), isinstance(self.extensions, Mapping)]
        if self.needs_severity:
            for part, is_keyed in zip(("base", "extensions"), keyed, strict=True):
                if part == "extensions" and not self.extensions:
                    continue
                table = getattr(self, part)
                if not is_keyed or set(table) != set(Severity.ALL):
                    raise ValueError(f"{self.code}: {part} must be keyed by every severity")
        elif any(keyed):
            raise ValueError(f"{self.code}: keyed by severity but needs_severity is False")
        for period in self._all_periods():
            if self.counting == DETENTION and period.unit == WORKING_DAYS:
                raise ValueError(f"{self.code}: detention limits cannot use working days")

    def _all_periods(self) -> Iterable[Period]:
        bases = self.base.values() if isinstance(self.base, Mapping) else (self.base,)
        yield from bases
        if self.force_majeure_base is not None:
            yield self.force_majeure_base
        if isinstance(self.extensions, Mapping):
            chains: Iterable[tuple[Extension, ...]] = self.extensions.values()
        else:
            chains = (self.extensions,)
        for chain in chains:
            for ext in chain:
                yield ext.length

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def base_for(self, severity: str | None) -> Period:
        if isinstance(self.base, Mapping):
            return self.base[severity]  # type: ignore[index]
        return self.base

    def extensions_for(self, severity: str | None) -> tuple[Extension, ...]:
        if isinstance(self.extensions, Mapping):
            return self.extensions.get(severity, ())  # type: ignore[arg-type]
        return self.extensions


@dataclass(frozen=True)
class Deadline:
    """The answer of :func:`evaluate`.

    ``due``: last lawful day with the extensions granted so far (after any rest-day
    rollover). ``max_due``: the same with every lawful extension granted.
    ``request_by``: last day to send the request for the next extension (None when
    none can follow or the law sets no lead time). ``granted_by``: who grants the next
    extension (None when none can follow). ``rollover``: a rest day moved ``due``.
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.code,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "max_due": self.max_due.isoformat(),
            "extensions": self.extensions,
            "can_extend": self.can_extend,
            "request_by": self.request_by.isoformat() if self.request_by else None,
            "granted_by": self.granted_by,
            "basis": self.basis,
            "rollover": self.rollover,
            "severity": self.severity,
        }


# --------------------------------------------------------------------------- the data

CPC_2015_IN_FORCE = date(2018, 1, 1)
REFORM_2025 = date(2025, 7, 1)  # Law 99/2025/QH15: no district level, regional procuracies
_BEFORE_REFORM = REFORM_2025 - timedelta(days=1)

_LS, _S, _VS, _ES = Severity.ALL


def _d(n: int) -> Period:
    return Period(n, DAYS)


def _m(n: int) -> Period:
    return Period(n, MONTHS)


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
_AUTH = {
    "2018": {
        "resolve.2": "Viện trưởng Viện kiểm sát cùng cấp hoặc Viện kiểm sát có thẩm quyền",
        "custody": (
            "Người ra quyết định tạm giữ gia hạn; Viện kiểm sát cùng cấp hoặc có thẩm quyền "
            "phê chuẩn trong 12 giờ"
        ),
        "local": "Viện trưởng VKSND cấp huyện (VKSND cấp tỉnh nếu Cơ quan điều tra cấp tỉnh thụ lý)",
    },
    "2025": {
        "resolve.2": "Viện trưởng Viện kiểm sát có thẩm quyền (mặc định: VKSND khu vực)",
        "custody": (
            "Người ra quyết định tạm giữ gia hạn; Viện kiểm sát có thẩm quyền phê chuẩn "
            "trong 12 giờ"
        ),
        "local": "Viện trưởng VKSND khu vực (Viện kiểm sát có thẩm quyền)",
    },
}
_PROVINCE = "Viện trưởng VKSND cấp tỉnh"
_SUPREME = "Viện trưởng VKSND tối cao"
_NOTE_2025 = (
    "Điểm còn mở: thẩm quyền gia hạn sau ngày 01/7/2025 chưa được xác định rõ; hệ thống "
    "mặc định VKSND khu vực thay cho VKSND cấp huyện, cấp tỉnh và tối cao giữ nguyên."
)


def _versioned(era: str) -> list[Rule]:
    """Rules whose granting authority changed with the 2025 reorganisation."""
    a = _AUTH[era]
    if era == "2018":
        frm, to, amended, note = CPC_2015_IN_FORCE, _BEFORE_REFORM, "BLTTHS 2015", ""
    else:
        frm, to, amended, note = REFORM_2025, None, "BLTTHS 2015 (sửa đổi 2025)", _NOTE_2025
    local = a["local"]
    return [
        Rule(
            code="source.resolve",
            title_vi="Giải quyết tố giác, tin báo về tội phạm, kiến nghị khởi tố",
            basis=f"{amended} Điều 147; TTLT 01/2017 Điều 11",
            effective_from=frm,
            effective_to=to,
            unit=DAYS,
            counting=PROCEDURAL,
            base=_d(20),
            extensions=(
                Extension(_m(2), _HEAD_CQDT, from_start=True, needs_request=False),
                Extension(_m(2), a["resolve.2"]),
            ),
            request_before_days=5,
            note_vi=note,
        ),
        Rule(
            code="investigation",
            title_vi="Thời hạn điều tra vụ án hình sự",
            basis=f"{amended} Điều 172",
            effective_from=frm,
            effective_to=to,
            unit=MONTHS,
            counting=PROCEDURAL,
            base=_per_severity(_m(2), _m(3), _m(4), _m(4)),
            extensions=_per_severity(
                (Extension(_m(2), local),),
                (Extension(_m(3), local), Extension(_m(2), local)),
                (Extension(_m(4), local), Extension(_m(4), _PROVINCE)),
                (
                    Extension(_m(4), _PROVINCE),
                    Extension(_m(4), _PROVINCE),
                    Extension(_m(4), _SUPREME),
                    # Art. 172: once more, very complex especially serious cases.
                    Extension(_m(4), _SUPREME + " (gia hạn thêm một lần, vụ án rất phức tạp)"),
                ),
            ),
            request_before_days=10,
            needs_severity=True,
            note_vi=note,
        ),
        Rule(
            code="custody",
            title_vi="Thời hạn tạm giữ",
            basis=f"{amended} Điều 118",
            effective_from=frm,
            effective_to=to,
            unit=DAYS,
            counting=DETENTION,
            base=_d(3),
            extensions=(
                Extension(_d(3), a["custody"], needs_request=False),
                Extension(_d(3), a["custody"], needs_request=False),
            ),
            note_vi=note,
        ),
        Rule(
            code="detention.investigation",
            title_vi="Thời hạn tạm giam để điều tra",
            basis=f"{amended} Điều 173",
            effective_from=frm,
            effective_to=to,
            unit=MONTHS,
            counting=DETENTION,
            base=_per_severity(_m(2), _m(3), _m(4), _m(4)),
            extensions=_per_severity(
                (Extension(_m(1), local),),
                (Extension(_m(2), local),),
                (Extension(_m(3), local),),
                (Extension(_m(4), _PROVINCE), Extension(_m(4), _PROVINCE)),
            ),
            request_before_days=10,
            needs_severity=True,
            note_vi=note,
        ),
    ]


_PROSECUTOR = "Viện trưởng Viện kiểm sát có thẩm quyền"
_COURT_PRESIDENT = "Chánh án Tòa án đã thụ lý vụ án"


def _stable() -> list[Rule]:
    """Rules unchanged since CPC 2015 came into force."""
    frm = CPC_2015_IN_FORCE
    prosecution_base = _per_severity(_d(20), _d(20), _d(30), _d(30))

    def prosecution_ext(by: str) -> dict[str, tuple[Extension, ...]]:
        return _per_severity(
            *((Extension(_d(n), by, needs_request=False),) for n in (10, 10, 15, 30))
        )

    def flat(code: str, title: str, basis: str, period: Period, **kw: Any) -> Rule:
        return Rule(
            code=code,
            title_vi=title,
            basis=basis,
            effective_from=frm,
            effective_to=None,
            unit=period.unit,
            counting=PROCEDURAL,
            base=period,
            **kw,
        )

    return [
        flat(
            "source.resume",
            "Giải quyết tiếp nguồn tin sau khi phục hồi",
            "BLTTHS 2015 Điều 149",
            _m(1),
        ),
        flat(
            "source.suspension_cancelled",
            "Giải quyết tiếp nguồn tin sau khi Viện kiểm sát hủy quyết định tạm đình chỉ",
            "BLTTHS 2015 Điều 148 khoản 2",
            _m(1),
        ),
        flat(
            "notify.receipt",
            "Thông báo kết quả tiếp nhận nguồn tin cho Viện kiểm sát và người báo tin",
            "TTLT 01/2017 Điều 14 khoản 1",
            Period(3, WORKING_DAYS),
        ),
        flat(
            "investigation.supplementary.procuracy",
            "Điều tra bổ sung do Viện kiểm sát trả hồ sơ",
            "BLTTHS 2015 Điều 174",
            _m(2),
        ),
        flat(
            "investigation.supplementary.court",
            "Điều tra bổ sung do Tòa án trả hồ sơ",
            "BLTTHS 2015 Điều 174",
            _m(1),
        ),
        Rule(
            code="prosecution.decide",
            title_vi="Thời hạn quyết định việc truy tố",
            basis="BLTTHS 2015 Điều 240",
            effective_from=frm,
            effective_to=None,
            unit=DAYS,
            counting=PROCEDURAL,
            base=prosecution_base,
            extensions=prosecution_ext(_PROSECUTOR),
            needs_severity=True,
        ),
        Rule(
            code="detention.prosecution",
            title_vi="Thời hạn tạm giam để chuẩn bị cho việc truy tố",
            basis="BLTTHS 2015 Điều 241 (bằng thời hạn tại khoản 1 Điều 240)",
            effective_from=frm,
            effective_to=None,
            unit=DAYS,
            counting=DETENTION,
            base=prosecution_base,
            extensions=prosecution_ext(
                _PROSECUTOR + " (cùng với gia hạn thời hạn quyết định việc truy tố)"
            ),
            needs_severity=True,
        ),
        Rule(
            code="trial.prepare",
            title_vi="Thời hạn chuẩn bị xét xử sơ thẩm",
            basis="BLTTHS 2015 Điều 277",
            effective_from=frm,
            effective_to=None,
            unit=DAYS,
            counting=PROCEDURAL,
            base=_per_severity(_d(30), _d(45), _m(2), _m(3)),
            extensions=_per_severity(
                *(
                    (Extension(_d(n), _COURT_PRESIDENT, needs_request=False),)
                    for n in (15, 15, 30, 30)
                )
            ),
            needs_severity=True,
        ),
        flat(
            "trial.open",
            "Mở phiên tòa sau khi có quyết định đưa vụ án ra xét xử",
            "BLTTHS 2015 Điều 277",
            _d(15),
            force_majeure_base=_d(30),
        ),
        flat(
            "appeal.judgment",
            "Thời hạn kháng cáo bản án sơ thẩm",
            "BLTTHS 2015 Điều 333 khoản 1",
            _d(15),
        ),
        flat(
            "appeal.decision",
            "Thời hạn kháng cáo quyết định sơ thẩm",
            "BLTTHS 2015 Điều 333 khoản 2",
            _d(7),
        ),
    ]


RULES: tuple[Rule, ...] = tuple(_versioned("2018") + _versioned("2025") + _stable())
RULE_CODES: tuple[str, ...] = tuple(dict.fromkeys(r.code for r in RULES))


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


# --------------------------------------------------------------------------- counting


def add_months(d: date, months: int) -> date:
    """Same day number ``months`` later, or that month's last day (CPC Art. 134)."""
    month_index = d.month - 1 + months
    year, month = d.year + month_index // 12, month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last))


def _add(counting: str, d: date, period: Period, cal: LegalCalendar) -> date:
    if counting == DETENTION:
        per = DETENTION_MONTH_DAYS if period.unit == MONTHS else 1
        return d + timedelta(days=period.amount * per)
    if period.unit == DAYS:
        return d + timedelta(days=period.amount)
    if period.unit == MONTHS:
        return add_months(d, period.amount)
    return cal.add_working_days(d, period.amount)


def _end(
    rule: Rule,
    start: date,
    base: Period,
    steps: Sequence[Extension],
    cal: LegalCalendar,
    day_rollover: bool,
) -> tuple[date, bool]:
    """The last day of the limit after ``steps``, and whether a rest day moved it."""
    raw = _add(rule.counting, start, base, cal)
    last_unit = base.unit
    for ext in steps:
        raw = _add(rule.counting, start if ext.from_start else raw, ext.length, cal)
        last_unit = ext.length.unit
    if rule.counting == DETENTION:
        return raw, False
    if last_unit == MONTHS or (last_unit == DAYS and day_rollover):
        due = cal.next_working_day(raw)
        return due, due != raw
    return raw, False


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


def evaluate(
    code: str,
    *,
    start: date,
    severity: str | None = None,
    extensions: int = 0,
    force_majeure: bool = False,
    calendar: LegalCalendar | None = None,
    day_rollover: bool = False,
    on: date | None = None,
    rules: Sequence[Rule] | None = None,
) -> Deadline:
    """The deadline of rule ``code`` started on ``start`` with ``extensions`` granted.

    ``on`` picks the rule version in force (default: ``start``). ``force_majeure`` only
    affects rules with a force-majeure length (``trial.open``). ``day_rollover``: whether
    a DAY limit ending on a rest day moves to the next working day (open point; default
    False). ``calendar``: rest days (default: public holidays from the ``holidays``
    package). ``rules``: a replacement rule set (default :data:`RULES`).
    """
    _check_date(start, "start")
    rule = rule_for(code, start if on is None else on, rules=rules)
    severity = _check_severity(rule, severity)
    chain = rule.extensions_for(severity)
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
    cal = calendar if calendar is not None else default_calendar()
    base = rule.base_for(severity)
    if force_majeure and rule.force_majeure_base is not None:
        base = rule.force_majeure_base
    due, rolled = _end(rule, start, base, chain[:extensions], cal, day_rollover)
    max_due, _ = _end(rule, start, base, chain, cal, day_rollover)
    following = chain[extensions] if extensions < len(chain) else None
    request_by = None
    if following is not None and following.needs_request and rule.request_before_days:
        request_by = due - timedelta(days=rule.request_before_days)
    return Deadline(
        rule=rule,
        start=start,
        due=due,
        max_due=max_due,
        extensions=extensions,
        can_extend=following is not None,
        request_by=request_by,
        granted_by=following.granted_by if following is not None else None,
        basis=rule.basis,
        rollover=rolled,
        severity=severity,
    )
