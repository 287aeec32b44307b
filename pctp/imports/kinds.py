"""What can be imported, and how a register row becomes a record. A kind names its fields
(with the header names registers use for them), checks a row into a record or a list of
problems, and writes a batch of records through its app's service."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctp.core.permissions import has_perm_in_unit
from pctp.imports import values as v
from pctp.law.models import Offence
from pctp.units.models import Commune, Unit


@dataclass(frozen=True)
class Field:
    key: str
    label: Promise
    required: bool
    names: tuple[str, ...]  # header names, folded (no diacritics, lower case, no punctuation)
    help: Promise | str = ""
    personal: bool = False  # a person's identity: never copied into the problem report
    header: str = ""  # the first header name as written: the export's column


class Problem(Exception):
    """A problem with one field of a row."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field, self.reason = field, reason


def match_headers(headers: list[str | None], fields: list[Field]) -> dict[str, int]:
    """Which column holds which field, from the header names: exact names first, then a
    header that starts with a name ("Ngày tiếp nhận nguồn tin"), longest name first; each
    column serves one field."""
    folded = [v.words(h) for h in headers]
    taken: dict[str, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        pairs = sorted(((len(name), f.key, name) for f in fields for name in f.names),
                       reverse=True)
        for _n, key, name in pairs:
            if key in taken:
                continue
            for i, h in enumerate(folded):
                if i in used or not h:
                    continue
                if h == name if exact else (h.startswith(name + " ") or h.endswith(" " + name)):
                    taken[key] = i
                    used.add(i)
                    break
    return taken


def header_labels(rows: list[list], header_row: int) -> list[str]:
    """The name of each column: its cell in the header row or, where that is blank (a
    header merged down, or a group title above sub-columns), the nearest cell above."""
    row = rows[header_row - 1] if 0 < header_row <= len(rows) else []
    width = max((len(r) for r in rows[:header_row]), default=0)
    labels = []
    for c in range(width):
        label = ""
        for r in range(header_row - 1, max(-1, header_row - 4), -1):
            cell = rows[r][c] if c < len(rows[r]) else None
            if not v.blank(cell):
                label = v.text(cell)
                break
        labels.append(label if c < max(len(row), width) else "")
    return labels


def find_header_row(rows: list[list], fields: list[Field], *, merged: bool = True) -> int:
    """The row (1-based) whose cells name the most fields; 1 when none does. A blank row
    under the names may be the lower half of a header merged over two rows (a workbook's
    preview does not fill merged cells): it wins a tie, so that data begins below it. A
    CSV file merges nothing (`merged=False`): there a blank row is never the header."""
    best, best_n = 1, 0
    for i in range(1, min(len(rows), 30) + 1):
        if not merged and all(v.blank(c) for c in rows[i - 1]):
            continue
        n = len(match_headers(header_labels(rows, i), fields))
        if n >= best_n and n > 0:
            best, best_n = i, n
    return best


def _exact(name: str) -> str:
    """A name compared with its diacritics: case and punctuation aside."""
    from pctp.imports.text import nfc

    return " ".join(re.sub(r"[^\w]+", " ", nfc(v.text(name)).casefold()).split())


class _Index:
    """Names to things: a name written with its diacritics is matched as written first, so
    "Xã Tân Thạnh" and "Xã Tân Thành" (two communes of the demo province) stay apart; a
    name without diacritics is matched when only one thing bears it."""

    def __init__(self):
        self.exact: dict[str, dict] = {}
        self.folded: dict[str, dict] = {}

    def add(self, name: str, key, target) -> None:
        if name:
            self.exact.setdefault(_exact(name), {})[key] = target
            self.folded.setdefault(v.words(name), {})[key] = target

    def find(self, name: str) -> list:
        for index, k in ((self.exact, _exact(name)), (self.folded, v.words(name))):
            if hits := index.get(k):
                return list(hits.values())
        return []


class UnitNames:
    """Unit and commune names as registers write them: the full name, the short name or
    the code of a unit; a commune's name with or without "xã"/"phường". A name from before
    the 2025 reform finds the unit closed then and follows its successors to today's."""

    def __init__(self, province_ids):
        self._memo: dict = {}  # a register repeats its few units and communes all year
        self.units = _Index()  # name -> (the register's unit, today's)
        units = list(Unit.objects.filter(province__in=province_ids).select_related("successor"))
        by_pk = {u.pk: u for u in units}
        for u in units:
            today = self._current(u, by_pk)
            if today is not None:
                for name in (u.name, u.short_name, u.code):
                    self.units.add(name, u.pk, (u, today))
        self.communes = _Index()
        for c in Commune.objects.filter(province__in=province_ids):
            for name in self._commune_names(c.name):
                self.communes.add(name, c.pk, c)
        # A commune renamed or merged in 2025: its old police unit points to today's.
        for u in units:
            if u.valid_to is None or u.kind != Unit.Kind.COMMUNE_POLICE:
                continue
            today = self._current(u, by_pk)
            commune = today.communes.first() if today else None
            if commune is not None:
                old = re.sub(r"^(công an|cong an)\s+", "", u.name, flags=re.I)  # i18n: data
                for name in self._commune_names(old):
                    self.communes.add(name, commune.pk, commune)

    @staticmethod
    def _current(unit: Unit, by_pk) -> Unit | None:
        seen = set()
        while unit is not None and unit.valid_to is not None and unit.pk not in seen:
            seen.add(unit.pk)
            unit = by_pk.get(unit.successor_id)
        return unit

    @staticmethod
    def _commune_names(name: str) -> list[str]:
        bare = re.sub(r"^(xã|phường|đặc khu|thị trấn|xa|phuong|dac khu|thi tran)\s+", "",  # i18n: data
                      name.strip(), flags=re.IGNORECASE)
        return [name, bare]

    def _memoised(self, what: str, value, find):
        key = (what, value)
        if key not in self._memo:
            try:
                self._memo[key] = find(value)
            except Problem as exc:
                self._memo[key] = exc
        found = self._memo[key]
        if isinstance(found, Problem):
            raise found
        return found

    def unit(self, value) -> tuple[Unit, Unit]:
        """The unit whose register it is (closed in 2025, perhaps) and the unit that holds
        its matters today."""
        return self._memoised("unit", value, self._unit)

    def _unit(self, value) -> tuple[Unit, Unit]:
        name = v.text(value)
        hits = self.units.find(name)
        if not hits and v.words(name).startswith("ca "):
            hits = self.units.find("Công an " + name[3:])  # i18n: data ("CA" = "Công an")
        if len({u.pk for u, _today in hits}) > 1:
            current = [h for h in hits if h[0].valid_to is None]
            hits = current if len(current) == 1 else hits
        if not hits:
            raise Problem("unit", _("No unit is named “%(v)s” (write its name or code as in "
                                    "the list of units).") % {"v": name[:80]})
        if len(hits) > 1:
            raise Problem("unit", _("“%(v)s” could be %(units)s: write the name with its "
                                    "diacritics, or the unit's code.")
                          % {"v": name[:80], "units": "; ".join(
                              f"{u.name} ({u.code})" for u, _t in hits[:4])})
        return hits[0]

    def commune(self, value) -> Commune:
        return self._memoised("commune", value, self._commune)

    def _commune(self, value) -> Commune:
        name = v.text(value)
        hits = self.communes.find(name)
        if not hits:
            raise Problem("commune", _("No commune of the province is named “%(v)s”.")
                          % {"v": name[:80]})
        if len(hits) > 1:
            raise Problem("commune", _("“%(v)s” could be %(communes)s: write the name with "
                                       "its diacritics.")
                          % {"v": name[:80], "communes": "; ".join(
                              f"{c.name} ({c.code})" for c in hits[:4])})
        return hits[0]


class Offences:
    def __init__(self):
        self.by_article = {o.article: o for o in Offence.objects.filter(is_offence=True)
                           .prefetch_related("clauses")}
        self._memo: dict = {}

    def get(self, value, day: date):
        key = (value, day)
        if key not in self._memo:
            try:
                self._memo[key] = self._get(value, day)
            except Problem as exc:
                self._memo[key] = exc
        found = self._memo[key]
        if isinstance(found, Problem):
            raise found
        return found

    def _get(self, value, day: date):
        try:
            article, clause = v.parse_article(value)
        except v.ValueProblem as exc:
            raise Problem("article", str(exc)) from None
        offence = self.by_article.get(article)
        if offence is None or offence.repealed:
            raise Problem("article", _("There is no offence at Art. %(article)s PC.")
                          % {"article": article})
        if not offence.in_force_on(day):
            raise Problem("article", _("Art. %(article)s PC was not in force on %(day)s.")
                          % {"article": article, "day": f"{day:%d/%m/%Y}"})
        clauses = {c.clause: c for c in offence.clauses.all()}
        if clause is None:
            row = min((c for c in clauses.values() if not c.preparation),
                      key=lambda c: c.clause, default=None)
        else:
            row = clauses.get(clause)
            if row is None:
                raise Problem("article", _("Art. %(article)s has no clause %(clause)s.")
                              % {"article": article, "clause": clause})
        return offence, row


# The units a register row may name. Sources: who receives them (the commune police, the
# investigation bodies, and the district police of before the 2025 reform); cases and
# what hangs on them: who investigates (a commune police chief investigates since 1 July
# 2025, Law 99/2025).
SOURCE_UNITS = ("commune_police", "investigation_body", "district_police")
CASE_UNITS = ("investigation_body", "commune_police", "district_police")
EARLIEST = date(1990, 1, 1)
# Where the people who import police registers work (their membership's unit).
POLICE_MEMBERS = ("provincial_police", "investigation_body", "commune_police",
                  "police_office")


def reader(cells: dict, problems: list):
    """get(key, parse): the cell parsed, or None with its problem added to `problems`."""
    def get(key, parse):
        try:
            return parse(cells.get(key))
        except Problem as exc:
            problems.append(exc)
        except v.ValueProblem as exc:
            problems.append(Problem(key, str(exc)))
        return None
    return get


def register_unit(ctx, cells: dict, key: str, allowed: tuple[str, ...], perm: str,
                  problems: list) -> tuple:
    """The unit a row names (the register's and today's), or (None, None) with the
    problem added: missing, unknown, not a unit that keeps this register, or outside the
    importer's scope."""
    if v.blank(cells.get(key)):
        problems.append(Problem(key, _("The unit is missing.")))
        return None, None
    try:
        unit, holder = ctx.names.unit(cells.get(key))
    except Problem as exc:
        problems.append(Problem(key, exc.reason))  # under the register's own column
        return None, None
    if unit.kind not in allowed or holder.kind not in allowed:
        problems.append(Problem(key, _("%(unit)s does not keep this register (only the "
                                       "police and investigation bodies do).")
                                % {"unit": unit.name}))
        return None, None
    if not ctx.may(holder, perm):
        problems.append(Problem(key, _("You may not import the register of %(unit)s.")
                                % {"unit": unit.name}))
        return None, None
    return unit, holder


def check_day(unit, day, key: str, problems: list) -> None:
    """A day the register's unit existed, not implausibly old."""
    if day is None:
        return
    if day < EARLIEST:
        problems.append(Problem(key, _("%(day)s is too early for a register PCTP keeps "
                                       "(from 1990).") % {"day": f"{day:%d/%m/%Y}"}))
    elif unit is not None and unit.valid_from is not None and day < unit.valid_from:
        problems.append(Problem(key, _("%(unit)s was set up on %(from)s: an earlier row "
                                       "belongs to the register of the unit before it.")
                                % {"unit": unit.name, "from": f"{unit.valid_from:%d/%m/%Y}"}))
    elif unit is not None and unit.valid_to is not None and day > unit.valid_to:
        problems.append(Problem(key, _("%(unit)s closed on %(closed)s: a later row belongs "
                                       "to its successor's register.")
                                % {"unit": unit.name, "closed": f"{unit.valid_to:%d/%m/%Y}"}))



def _f(key, label, required, *names, help="", personal=False):  # noqa: A002
    return Field(key, label, required, tuple(v.words(n) for n in names), help, personal,
                 names[0])


class Register:
    """What every importable register shares: the context of a run (the unit and commune
    names, the Penal Code, the importer's rights), no clocks of its own, an export."""

    member_units: tuple[str, ...] | None = None  # where importers work (None: anywhere)
    exports = True
    personal_data = False  # a register of people: no cell value copied into the report

    def prepare(self, actor):
        from pctp.units.selectors import units_in_scope

        if actor is None or actor.is_superuser:
            provinces = set(Unit.objects.values_list("province", flat=True))
        else:
            provinces = set(units_in_scope(actor).values_list("province", flat=True))
        return _Context(actor=actor, names=UnitNames(provinces), offences=Offences(),
                        allowed={}, seen={}, today=timezone.localdate())

    def clocks(self):
        return None


class SourcesKind(Register):
    """The register of crime reports, denunciations and recommendations to prosecute
    (sổ thụ lý nguồn tin về tội phạm)."""

    key = "sources"
    label = gettext_lazy("Crime sources (register of reports and denunciations)")
    permission = "sources.import_source"
    member_units = POLICE_MEMBERS
    batch_size = 2000
    fields = [  # i18n: data (header names as registers write them)
        _f("number", gettext_lazy("Register number"), True, "Số thụ lý", "Số TL", "Số vào sổ",
           "Số thụ lý nguồn tin", "Số"),
        _f("received", gettext_lazy("Day received"), True, "Ngày tiếp nhận", "Ngày nhận",
           "Ngày thụ lý", "Thời gian tiếp nhận", "Ngày tiếp nhận nguồn tin", "Ngày vào sổ"),
        _f("unit", gettext_lazy("Unit handling it"), True, "Đơn vị thụ lý", "Đơn vị", "Cơ quan thụ lý",
           "Đơn vị tiếp nhận", "Cơ quan tiếp nhận"),
        _f("kind", gettext_lazy("Kind (denunciation, crime report, recommendation)"), True, "Loại",
           "Loại nguồn tin", "Phân loại", "Loại tin"),
        _f("content", gettext_lazy("Content"), True, "Nội dung", "Nội dung nguồn tin",
           "Tóm tắt nội dung", "Nội dung vụ việc", "Nội dung tố giác tin báo"),
        _f("article", gettext_lazy("Article and clause"), False, "Điều, khoản", "Điều khoản", "Điều",
           "Tội danh", "Điều khoản BLHS", "Điều luật"),
        _f("commune", gettext_lazy("Commune"), False, "Xã, phường", "Xã phường", "Địa bàn", "Xã",
           "Phường", "Nơi xảy ra"),
        _f("address", gettext_lazy("Address"), False, "Địa chỉ", "Địa điểm xảy ra", "Địa điểm"),
        _f("occurred", gettext_lazy("Day it happened"), False, "Ngày xảy ra", "Thời gian xảy ra"),
        _f("outcome", gettext_lazy("Result (initiated, not initiated, suspended)"), False,
           "Kết quả giải quyết", "Kết quả", "Kết quả xử lý", "Hình thức giải quyết"),
        _f("decided", gettext_lazy("Day decided"), False, "Ngày giải quyết", "Ngày quyết định",
           "Ngày ra quyết định", "Ngày kết thúc"),
        _f("decision_number", gettext_lazy("Decision number"), False, "Số quyết định", "Số QĐ"),
    ]
    KINDS = {"to giac": "denunciation", "tin bao": "crime_report",
             "tin bao ve toi pham": "crime_report", "kien nghi khoi to": "recommendation",
             "kien nghi": "recommendation", "tg": "denunciation", "tb": "crime_report",
             "knkt": "recommendation"}
    OUTCOMES = {"khoi to": "initiate", "khoi to vu an": "initiate", "ktva": "initiate",
                "khong khoi to": "decline", "khong khoi to vu an": "decline",
                "kktva": "decline", "tam dinh chi": "suspend",
                "tam dinh chi giai quyet": "suspend", "dang giai quyet": "",
                "dang xac minh": "", "chua giai quyet": ""}

    def check(self, ctx, n: int, cells: dict):
        """A RegisterRow, or raise a list of Problems."""
        from pctp.sources.imported import RegisterRow

        problems: list[Problem] = []

        get = reader(cells, problems)

        number = get("number", self._number)
        moment = get("received", v.parse_moment)
        received = v.aware(*moment) if moment else None
        if received is not None and moment[0] > ctx.today:
            problems.append(Problem("received", _("The day received %(day)s is in the future.")
                                    % {"day": f"{moment[0]:%d/%m/%Y}"}))
        unit, holder = register_unit(ctx, cells, "unit", SOURCE_UNITS, self.permission,
                                     problems)
        check_day(unit, moment[0] if moment else None, "received", problems)
        kind = get("kind", lambda x: ctx.memo("kind", x, lambda: v.choose(
            x, self.KINDS, _("the kind of source"))))
        content = v.text(cells.get("content"))
        if not content:
            problems.append(Problem("content", _("The content is missing.")))
        offence = clause = commune = occurred = decided = None
        if not v.blank(cells.get("article")) and moment:
            pair = get("article", lambda x: ctx.offences.get(x, moment[0]))  # see Offences
            offence, clause = pair or (None, None)
        if not v.blank(cells.get("commune")):
            commune = get("commune", ctx.names.commune)
        if not v.blank(cells.get("occurred")):
            o = get("occurred", v.parse_moment)
            occurred = v.aware(*o, default=v.time(0, 0)) if o else None
            if occurred and received and occurred > received:
                problems.append(Problem("occurred", _("The day it happened is after the day "
                                                      "received.")))
        outcome = ""
        if not v.blank(cells.get("outcome")):
            outcome = get("outcome", lambda x: ctx.memo("outcome", x, lambda: v.choose(
                x, self.OUTCOMES, _("the result")))) or ""
        if not v.blank(cells.get("decided")):
            d = get("decided", v.parse_moment)
            decided = v.aware(*d, default=v.time(16, 0)) if d else None
            if d and d[0] > ctx.today:
                problems.append(Problem("decided", _("The day decided %(day)s is in the "
                                                     "future.") % {"day": f"{d[0]:%d/%m/%Y}"}))
            elif decided and received and decided < received:
                problems.append(Problem("decided", _("The day decided is before the day "
                                                     "received.")))
        if outcome and decided is None and not any(p.field == "decided" for p in problems):
            problems.append(Problem("decided", _("A result needs the day it was decided.")))
        if outcome == "initiate" and v.blank(cells.get("article")):
            problems.append(Problem("article", _("A case initiated needs its article.")))
        if problems:
            raise ExceptionGroup("row", problems)
        row = RegisterRow(row=n, unit=unit, holder=holder, number=number, received_at=received, kind=kind,
                          content=content, offence=offence, clause=clause, commune=commune,
                          address=v.text(cells.get("address"))[:300], occurred_at=occurred,
                          outcome=outcome, decided_at=decided,
                          decision_number=v.text(cells.get("decision_number"))[:60])
        duplicate = ctx.seen.get(row.key)
        if duplicate is not None:
            raise ExceptionGroup("row", [Problem("number", _(
                "Register number %(n)s of %(year)s of this unit is also on row %(row)s.")
                % {"n": number, "year": row.year, "row": duplicate})])
        ctx.seen[row.key] = n
        return row

    @staticmethod
    def _number(value) -> int:
        raw = v.text(value)
        m = re.match(r"^\s*(\d{1,7})(?:\s*/.*)?$", raw)
        if not m or int(m.group(1)) == 0:
            raise v.ValueProblem(_("“%(v)s” is not a register number (a whole number, "
                                   "e.g. 125 or 125/2024).") % {"v": raw[:40]} if raw else
                                 _("The register number is missing."))
        return int(m.group(1))

    def write(self, actor, records, origin, clocks):
        from pctp.sources.imported import sources_import

        return sources_import(actor=actor, rows=records, origin=origin, clocks=clocks)

    def clocks(self):
        from pctp.sources.imported import Clocks

        return Clocks()

    def export(self, actor, year: int | None):
        """The user's register (their scope), in this importer's own layout."""
        from pctp.sources.imported import register_xlsx
        from pctp.sources.selectors import source_scope

        sources = source_scope(actor)
        if year:
            sources = sources.filter(register_year=year)
        title = _("Register %(year)s") % {"year": year} if year else _("Register")
        return register_xlsx(actor=actor, sources=sources, title=title)


class CasesKind(Register):
    """The register of criminal cases (sổ thụ lý vụ án), one row per accused: the case's
    columns repeated (or merged down) on each of its rows."""

    key = "cases"
    label = gettext_lazy("Criminal cases with their accused (case register)")
    permission = "cases.import_case"
    personal_data = True
    member_units = POLICE_MEMBERS
    batch_size = 500
    fields = [  # i18n: data (header names as registers write them)
        _f("number", gettext_lazy("Case number"), True, "Số thụ lý", "Số vụ án",
           "Số thụ lý vụ án", "Số TL", "Số"),
        _f("initiated", gettext_lazy("Day initiated"), True, "Ngày khởi tố",
           "Ngày khởi tố vụ án", "Ngày QĐ khởi tố"),
        _f("decision_number", gettext_lazy("Decision to initiate"), False,
           "Số quyết định khởi tố", "Số QĐ khởi tố", "Số QĐKT", "Quyết định khởi tố"),
        _f("body", gettext_lazy("Investigation body"), True, "Cơ quan điều tra",
           "Cơ quan thụ lý", "Đơn vị thụ lý", "Đơn vị"),
        _f("summary", gettext_lazy("Summary"), True, "Tóm tắt", "Tóm tắt vụ án", "Nội dung",
           "Nội dung vụ án", "Tên vụ án"),
        _f("article", gettext_lazy("Charge (article and clause)"), True, "Tội danh",
           "Điều, khoản", "Điều khoản", "Điều luật"),
        _f("commune", gettext_lazy("Commune"), False, "Xã, phường", "Địa bàn", "Nơi xảy ra"),
        _f("occurred", gettext_lazy("Day it happened"), False, "Ngày xảy ra"),
        _f("stage", gettext_lazy("Stage (investigating, suspended, terminated, judged)"),
           False, "Giai đoạn", "Tình trạng", "Kết quả", "Kết quả giải quyết", "Tiến độ"),
        _f("stage_on", gettext_lazy("Day of that stage"), False, "Ngày kết thúc",
           "Ngày đình chỉ", "Ngày xét xử", "Ngày giải quyết"),
        _f("detected", gettext_lazy("Day detected"), False, "Ngày khám phá"),
        _f("value_lost", gettext_lazy("Value lost (VND)"), False, "Thiệt hại",
           "Giá trị thiệt hại", "Giá trị tài sản chiếm đoạt", "Tài sản thiệt hại"),
        _f("accused_name", gettext_lazy("Accused: full name"), False, "Bị can",
           "Họ tên bị can", "Họ và tên bị can", "Họ tên", personal=True),
        _f("accused_birth", gettext_lazy("Accused: year of birth"), False, "Năm sinh",
           "Năm sinh bị can", "Ngày sinh"),
        _f("accused_sex", gettext_lazy("Accused: sex"), False, "Giới tính", "Nam, nữ"),
        _f("accused_id", gettext_lazy("Accused: personal ID number"), False, "Số CCCD",
           "Số định danh", "CCCD", "Số căn cước", "Số định danh cá nhân", personal=True),
        _f("charged_on", gettext_lazy("Accused: day prosecuted"), False,
           "Ngày khởi tố bị can"),
        _f("sentence", gettext_lazy("Sentence"), False, "Hình phạt", "Mức án",
           "Mức hình phạt"),
    ]
    STAGES = {"dang dieu tra": "investigating", "dieu tra": "investigating",
              "tam dinh chi": "suspended", "tam dinh chi dieu tra": "suspended",
              "dinh chi": "terminated", "dinh chi dieu tra": "terminated",
              "dinh chi vu an": "terminated", "da xet xu": "judged", "xet xu": "judged",
              "da xu": "judged", "xet xu so tham": "judged",
              "truy to": "?", "chuyen vks": "?", "ket thuc dieu tra": "?",
              "tra ho so": "?", "chuyen toa": "?"}
    SEXES = {"nam": "male", "nu": "female", "male": "male", "female": "female"}

    def prepare(self, actor):
        ctx = super().prepare(actor)
        ctx.cases = {}
        return ctx

    def check(self, ctx, n: int, cells: dict):
        from pctp.cases.imported import AccusedRow, CaseRow
        from pctp.core.identity import PersonalIdError, parse_personal_id

        problems: list[Problem] = []

        get = reader(cells, problems)

        def optional(key, parse):
            return None if v.blank(cells.get(key)) else get(key, parse)

        number = get("number", SourcesKind._number)
        initiated = get("initiated", v.parse_day)
        if initiated and initiated > ctx.today:
            problems.append(Problem("initiated", _("The day initiated %(day)s is in the "
                                                   "future.") % {"day": f"{initiated:%d/%m/%Y}"}))
        body, holder = register_unit(ctx, cells, "body", CASE_UNITS, self.permission,
                                     problems)
        check_day(body, initiated, "initiated", problems)
        summary = v.text(cells.get("summary"))
        if not summary:
            problems.append(Problem("summary", _("The summary is missing.")))
        occurred = optional("occurred", v.parse_day)
        pair = get("article", lambda x: ctx.offences.get(x, occurred or initiated
                                                           or ctx.today))
        commune = optional("commune", ctx.names.commune)
        stage = optional("stage", lambda x: ctx.memo("stage", x, lambda: v.choose(
            x, self.STAGES, _("the stage")))) or "investigating"
        if stage == "?":
            problems.append(Problem("stage", _("PCTP takes over cases under investigation, "
                                               "suspended, terminated or judged; enter a case "
                                               "at another stage in PCTP.")))
        stage_on = optional("stage_on", v.parse_day)
        if stage in ("suspended", "terminated", "judged") and stage_on is None \
                and not any(p.field == "stage_on" for p in problems):
            problems.append(Problem("stage_on", _("This stage needs its day.")))
        detected = optional("detected", v.parse_day)
        value_lost = optional("value_lost", v.parse_money)
        for key, day in (("occurred", occurred), ("stage_on", stage_on), ("detected", detected)):
            if day and initiated and key != "occurred" and day < initiated:
                problems.append(Problem(key, _("This day is before the day initiated.")))
            if day and day > ctx.today:
                problems.append(Problem(key, _("This day is in the future.")))
        if occurred and initiated and occurred > initiated:
            problems.append(Problem("occurred", _("The day it happened is after the day "
                                                  "initiated.")))
        accused = None
        name = v.text(cells.get("accused_name"))
        if name:
            sex = optional("accused_sex", lambda x: v.choose(x, self.SEXES, _("the sex")))
            birth = optional("accused_birth", self._birth_year)
            pid = v.text(cells.get("accused_id")).replace(" ", "")
            if pid:
                try:
                    parsed = parse_personal_id(pid)
                except PersonalIdError as exc:
                    problems.append(Problem("accused_id", str(exc)))
                else:
                    sex = sex or parsed["sex"]
                    if sex != parsed["sex"]:
                        problems.append(Problem("accused_sex", _("The sex does not match the "
                                                                 "personal ID number.")))
                    if birth and birth != parsed["birth_year"]:
                        problems.append(Problem("accused_birth", _(
                            "The year of birth does not match the personal ID number.")))
                    birth = birth or parsed["birth_year"]
            if sex is None and not any(p.field in ("accused_sex", "accused_id")
                                       for p in problems):
                problems.append(Problem("accused_sex", _("The accused's sex is missing.")))
            charged = optional("charged_on", v.parse_day)
            accused = AccusedRow(name=" ".join(name.split()), sex=sex or "", birth_year=birth,
                                 personal_id=pid, charged_on=charged,
                                 sentence=v.text(cells.get("sentence")))
        elif any(not v.blank(cells.get(k)) for k in ("accused_id", "accused_birth", "sentence")):
            problems.append(Problem("accused_name", _("The accused's name is missing.")))
        if problems:
            raise ExceptionGroup("row", problems)
        row = CaseRow(row=n, body=body, number=number, initiated_on=initiated,
                      decision_number=v.text(cells.get("decision_number"))[:60],
                      summary=summary, offence=pair[0], clause=pair[1], commune=commune,
                      occurred_on=occurred, status=stage, stage_on=stage_on,
                      detected_on=detected, value_lost=value_lost, accused=accused)
        seen = ctx.cases.get(row.key)
        if seen is None:
            ctx.cases[row.key] = [n, row.case_values(), 0]
        elif seen[1] != row.case_values():
            raise ExceptionGroup("row", [Problem("number", _(
                "Case %(n)s of %(year)s is on row %(row)s too, with other details: the rows "
                "of one case must agree.") % {"n": number, "year": row.year, "row": seen[0]})])
        if accused is not None:
            ctx.cases[row.key][2] += 1
            row.position = ctx.cases[row.key][2]
        return row

    @staticmethod
    def _birth_year(value) -> int:
        raw = v.text(value)
        if raw.isdigit() and len(raw) == 4:
            year = int(raw)
        else:
            year = v.parse_day(value).year
        if not 1900 <= year <= timezone.localdate().year:
            raise v.ValueProblem(_("%(y)s is not a year of birth.") % {"y": raw[:10]})
        return year

    def write(self, actor, records, origin, clocks):  # noqa: ARG002
        from pctp.cases.imported import cases_import

        return cases_import(actor=actor, rows=records, origin=origin)

    def export(self, actor, year: int | None):
        from pctp.cases import imported
        from pctp.imports.export import headers_of, table_xlsx

        title = _("Register %(year)s") % {"year": year} if year else _("Register")
        rows = imported.case_register_rows(actor, year)
        data, n = table_xlsx(title, headers_of(self), rows)
        imported.export_recorded(actor, "CasesKind", n)
        return data, n


class MeasuresKind(Register):
    """The custody and detention book (sổ theo dõi tạm giữ, tạm giam): each order of a
    case already in PCTP (imported from the case register, or opened here)."""

    key = "measures"
    label = gettext_lazy("Custody and detention (the book of orders)")
    permission = "cases.import_case"
    personal_data = True
    member_units = POLICE_MEMBERS
    batch_size = 500
    fields = [  # i18n: data (header names as registers write them)
        _f("body", gettext_lazy("Investigation body"), True, "Cơ quan điều tra",
           "Cơ quan thụ lý", "Đơn vị thụ lý", "Đơn vị"),
        _f("case_number", gettext_lazy("Case number"), True, "Số thụ lý vụ án", "Số vụ án",
           "Số thụ lý", "Vụ án số"),
        _f("case_year", gettext_lazy("Year of the case (or day initiated)"), True,
           "Năm", "Năm thụ lý", "Năm khởi tố", "Ngày khởi tố"),
        _f("position", gettext_lazy("Accused: number in the case"), False, "Bị can số",
           "Số thứ tự bị can", "STT bị can"),
        _f("name", gettext_lazy("Accused: full name"), False, "Họ tên bị can", "Bị can",
           "Họ và tên", "Họ tên", "Người bị tạm giữ, tạm giam", personal=True),
        _f("personal_id", gettext_lazy("Accused: personal ID number"), False, "Số CCCD",
           "Số định danh", "CCCD", "Số định danh cá nhân", personal=True),
        _f("measure", gettext_lazy("Measure (custody, detention)"), True, "Biện pháp",
           "Biện pháp ngăn chặn", "Loại biện pháp"),
        _f("order_number", gettext_lazy("Order number"), True, "Số lệnh", "Số quyết định",
           "Lệnh", "Số lệnh, quyết định"),
        _f("start", gettext_lazy("Start (day and hour for custody)"), True, "Ngày bắt đầu",
           "Thời điểm bắt đầu", "Từ ngày", "Ngày bắt", "Thời điểm nhận người"),
        _f("released", gettext_lazy("Released on"), False, "Ngày trả tự do", "Ngày kết thúc",
           "Đến ngày", "Ngày ra trại", "Ngày giải phóng"),
    ]
    MEASURES = {"tam giu": "custody", "tam giam": "detention.investigation",
                "tam giam de dieu tra": "detention.investigation",
                "tam giam de truy to": "detention.prosecution",
                "tam giam de xet xu": "detention.trial"}

    def check(self, ctx, n: int, cells: dict):
        from pctp.cases.imported import MeasureRow

        problems: list[Problem] = []

        get = reader(cells, problems)

        body, holder = register_unit(ctx, cells, "body", CASE_UNITS, self.permission,
                                     problems)
        number = get("case_number", SourcesKind._number)
        year = get("case_year", self._year)
        kind = get("measure", lambda x: ctx.memo("measure", x, lambda: v.choose(
            x, self.MEASURES, _("the measure"))))
        order = v.text(cells.get("order_number"))[:60]
        if not order:
            problems.append(Problem("order_number", _("The number of the order is missing.")))
        start = get("start", v.parse_moment)
        released = None if v.blank(cells.get("released")) else get("released", v.parse_day)
        if start and start[0] > ctx.today:
            problems.append(Problem("start", _("This day is in the future.")))
        if start and released and released < start[0]:
            problems.append(Problem("released", _("The release is before the start.")))
        if released and released > ctx.today:
            problems.append(Problem("released", _("This day is in the future.")))
        position = None
        if not v.blank(cells.get("position")):
            position = get("position", SourcesKind._number)
        name = v.text(cells.get("name"))
        if position is None and not name and not any(p.field == "position" for p in problems):
            problems.append(Problem("name", _("Give the accused's number in the case or "
                                              "name.")))
        if problems:
            raise ExceptionGroup("row", problems)
        at = v.aware(*start) if kind == "custody" and start[1] is not None else None
        return MeasureRow(row=n, body=body, case_year=year, case_number=number, kind=kind,
                          order_number=order, start_on=start[0], start_at=at,
                          released_on=released, position=position, name=name,
                          personal_id=v.text(cells.get("personal_id")).replace(" ", ""))

    @staticmethod
    def _year(value) -> int:
        raw = v.text(value)
        year = int(raw) if raw.isdigit() and len(raw) == 4 else v.parse_day(value).year
        if not 1990 <= year <= timezone.localdate().year:
            raise v.ValueProblem(_("%(y)s is not a year of the register.") % {"y": raw[:10]})
        return year

    def write(self, actor, records, origin, clocks):  # noqa: ARG002
        from pctp.cases.imported import measures_import

        return measures_import(actor=actor, rows=records, origin=origin)

    def export(self, actor, year: int | None):
        from pctp.cases import imported
        from pctp.imports.export import headers_of, table_xlsx

        title = _("Register %(year)s") % {"year": year} if year else _("Register")
        rows = imported.measure_book_rows(actor, year)
        data, n = table_xlsx(title, headers_of(self), rows)
        imported.export_recorded(actor, "MeasuresKind", n)
        return data, n


class RecoveriesKind(Register):
    """An asset-recovery table (bảng theo dõi thu hồi tài sản): the ledger lines of cases
    already in PCTP, in đồng as offices write them ("85.000.000")."""

    key = "recoveries"
    label = gettext_lazy("Asset recovery (the recovery table)")
    permission = "cases.import_case"
    member_units = POLICE_MEMBERS
    batch_size = 500
    fields = [  # i18n: data (header names as registers write them)
        _f("body", gettext_lazy("Investigation body"), True, "Cơ quan điều tra",
           "Cơ quan thụ lý", "Đơn vị thụ lý", "Đơn vị"),
        _f("case_number", gettext_lazy("Case number"), True, "Số thụ lý vụ án", "Số vụ án",
           "Số thụ lý", "Vụ án số"),
        _f("case_year", gettext_lazy("Year of the case (or day initiated)"), True,
           "Năm", "Năm thụ lý", "Năm khởi tố", "Ngày khởi tố"),
        _f("kind", gettext_lazy("Kind (seized, frozen, returned, recovered at enforcement)"),
           True, "Hình thức", "Hình thức thu hồi", "Loại", "Biện pháp"),
        _f("amount", gettext_lazy("Amount (VND)"), True, "Số tiền", "Giá trị", "Giá trị thu hồi",
           "Giá trị tài sản thu hồi", "Thành tiền"),
        _f("on", gettext_lazy("Date"), True, "Ngày", "Ngày thu hồi", "Ngày kê biên",
           "Ngày thực hiện"),
        _f("description", gettext_lazy("Assets"), True, "Tài sản", "Mô tả tài sản",
           "Nội dung", "Diễn giải"),
        _f("value_lost", gettext_lazy("Value lost (VND)"), False, "Giá trị thiệt hại",
           "Thiệt hại", "Giá trị tài sản chiếm đoạt", "Tài sản bị chiếm đoạt"),
    ]
    KINDS = {"ke bien": "seized", "thu giu": "seized", "tam giu": "seized",
             "phong toa": "frozen", "tu nguyen nop": "returned", "tu nguyen giao nop": "returned",
             "nop lai": "returned", "khac phuc hau qua": "returned",
             "thi hanh an": "enforced", "thu hoi khi thi hanh an": "enforced"}

    def check(self, ctx, n: int, cells: dict):
        from pctp.cases.imported import RecoveryRow

        problems: list[Problem] = []

        get = reader(cells, problems)

        body, holder = register_unit(ctx, cells, "body", CASE_UNITS, self.permission,
                                     problems)
        number = get("case_number", SourcesKind._number)
        year = get("case_year", MeasuresKind._year)
        kind = get("kind", lambda x: ctx.memo("recovery", x, lambda: v.choose(
            x, self.KINDS, _("the kind of recovery"))))
        amount = get("amount", v.parse_money)
        if amount == 0:
            problems.append(Problem("amount", _("The amount must be more than 0.")))
        on = get("on", v.parse_day)
        if on and on > ctx.today:
            problems.append(Problem("on", _("This day is in the future.")))
        description = v.text(cells.get("description"))[:300]
        if not description:
            problems.append(Problem("description", _("A description of the assets is "
                                                     "required.")))
        value_lost = None
        if not v.blank(cells.get("value_lost")):
            value_lost = get("value_lost", v.parse_money)
        if problems:
            raise ExceptionGroup("row", problems)
        return RecoveryRow(row=n, body=body, case_year=year, case_number=number, kind=kind,
                           amount=amount, on=on, description=description, value_lost=value_lost)

    def write(self, actor, records, origin, clocks):  # noqa: ARG002
        from pctp.cases.imported import recoveries_import

        return recoveries_import(actor=actor, rows=records, origin=origin)

    def export(self, actor, year: int | None):
        from pctp.cases import imported
        from pctp.imports.export import headers_of, table_xlsx

        title = _("Register %(year)s") % {"year": year} if year else _("Register")
        rows = imported.recovery_table_rows(actor, year)
        data, n = table_xlsx(title, headers_of(self), rows)
        imported.export_recorded(actor, "RecoveriesKind", n)
        return data, n


class IncidentsKind(Register):
    """Incidents for analysis (an analyst's file of past events: when, where, what). Every
    row is checked like a register's; the good ones become one incident file of the
    analysis pages (the same store as its own upload), written at the end in one piece."""

    key = "incidents"
    label = gettext_lazy("Incidents for analysis (time, place, type)")
    permission = "analytics.run_analysis"
    exports = False  # the analysis pages keep the file as it came
    batch_size = 10**9  # one incident file: written whole at the end
    fields = [  # i18n: data (header names as files write them)
        _f("occurred", gettext_lazy("Time it happened"), True, "Thời gian xảy ra",
           "Ngày xảy ra", "Thời điểm xảy ra", "occurred_at", "date"),
        _f("lat", gettext_lazy("Latitude"), True, "Vĩ độ", "lat", "latitude", "y"),
        _f("lon", gettext_lazy("Longitude"), True, "Kinh độ", "lon", "lng", "longitude", "x"),
        _f("offence_type", gettext_lazy("Type of offence"), True, "Loại tội phạm",
           "Loại vụ việc", "Tội danh", "offence_type", "type"),
    ]

    def check(self, ctx, n: int, cells: dict):
        problems: list[Problem] = []
        moment = None
        try:
            moment = v.parse_moment(cells.get("occurred"))
        except v.ValueProblem as exc:
            problems.append(Problem("occurred", str(exc)))
        if moment and moment[0] > ctx.today:
            problems.append(Problem("occurred", _("This day is in the future.")))
        coords = {}
        for key, low, high in (("lat", -90, 90), ("lon", -180, 180)):
            raw = v.text(cells.get(key)).replace(",", ".")
            try:
                coords[key] = float(raw)
            except ValueError:
                problems.append(Problem(key, _("“%(v)s” is not a number of degrees.")
                                        % {"v": raw[:30]} if raw else _("The value is missing.")))
                continue
            if not low <= coords[key] <= high:
                problems.append(Problem(key, _("%(v)s is outside %(low)s to %(high)s degrees.")
                                        % {"v": raw[:30], "low": low, "high": high}))
        kind = v.text(cells.get("offence_type"))[:100]
        if not kind:
            problems.append(Problem("offence_type", _("The value is missing.")))
        if problems:
            raise ExceptionGroup("row", problems)
        when = datetime.combine(moment[0], moment[1] or time(0, 0))
        return (n, when, coords["lat"], coords["lon"], kind)

    def write(self, actor, records, origin, clocks):  # noqa: ARG002
        """One incident file of the analysis pages, with the rows in the form its own
        upload reads."""
        import csv
        import io

        from pctp.analytics.services import upload_create
        from pctp.units.selectors import units_in_scope

        if not records:
            return {"created": 0}, []
        if actor is None:
            return {}, [(r[0], _("An incident file is imported by an analyst (pctp import … "
                                 "--user NAME): it belongs to their unit.")) for r in records]
        scope = units_in_scope(actor).order_by("path").first()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["occurred_at", "lat", "lon", "offence_type"])
        for _n, when, lat, lon, kind in sorted(records, key=lambda r: r[1]):
            writer.writerow([when.isoformat(timespec="minutes"), lat, lon, kind])
        upload = upload_create(actor=actor, scope=scope, name=origin["file"],
                               data=out.getvalue().encode("utf-8"))
        return {"created": upload.n_rows}, []


@dataclass
class _Context:
    actor: object
    names: UnitNames
    offences: Offences
    allowed: dict
    seen: dict
    today: date
    cache: dict = field(default_factory=dict)

    def memo(self, what: str, value, compute):
        """compute() once per distinct cell value (its ValueProblem too)."""
        key = (what, value if isinstance(value, str | int | float | None) else repr(value))
        if key not in self.cache:
            try:
                self.cache[key] = (compute(), None)
            except v.ValueProblem as exc:
                self.cache[key] = (None, exc)
        result, problem = self.cache[key]
        if problem is not None:
            raise problem
        return result

    def may(self, unit: Unit, perm: str) -> bool:
        if unit.pk not in self.allowed:
            self.allowed[unit.pk] = self.actor is None or self.actor.is_superuser or has_perm_in_unit(
                self.actor, perm, unit)
        return self.allowed[unit.pk]


KINDS = {k.key: k for k in [SourcesKind(), CasesKind(), MeasuresKind(), RecoveriesKind(),
                             IncidentsKind()]}


def get_kind(key: str):
    if key not in KINDS:
        raise KeyError(key)
    return KINDS[key]
