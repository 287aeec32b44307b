"""Sources brought in from a province's existing register (issue 19): the write side of
`pctp.imports` for this app. A register row becomes a source as the register shows it
(received, classified, decided), with its clock computed from the day received, so an
old open matter is overdue here exactly as it is on paper. The key is the register's own:
(unit, year, number). Importing the same row again changes nothing; a corrected row
updates what changed; a row whose source has since been worked on in PCTP is refused (the
register is no longer the record of it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.core.bulk import insert_rows, reserve_ids
from pctp.core.models import AuditEvent
from pctp.core.xlsx import table_xlsx
from pctp.law.models import Offence, OffenceClause
from pctp.law.services import deadline, legal_calendar
from pctp.sources.models import Channel, Kind, Outcome, ReporterType, Source, Status
from pctp.sources.services import _procuracy_for, _search_text
from pctp.units.models import Commune, Unit

IMPORT, IMPORT_UPDATE = "source.import", "source.import_update"
STATUS_OF = {Outcome.INITIATE: Status.INITIATED, Outcome.DECLINE: Status.DECLINED,
             Outcome.SUSPEND: Status.SUSPENDED}
# What a register row sets; compared field by field to decide "unchanged".
FIELDS = ("received_at", "holder_received_at", "kind", "summary", "content", "offence_id",
          "clause_id", "severity", "crime_group", "commune_id", "address", "occurred_at",
          "status", "outcome", "decided_at", "suspended_at", "decision_number", "clock_start",
          "due_date", "late_days", "holder_id", "procuracy_id", "reporter_type")


@dataclass
class RegisterRow:
    """One register row, read and checked by the importer."""
    row: int
    unit: Unit  # whose register it is (a unit closed in 2025 keeps its own numbering)
    holder: Unit  # who holds the matter today (the closed unit's successor)
    number: int
    received_at: datetime
    kind: str
    content: str
    offence: Offence | None = None
    clause: OffenceClause | None = None
    commune: Commune | None = None
    address: str = ""
    occurred_at: datetime | None = None
    outcome: str = ""
    decided_at: datetime | None = None
    decision_number: str = ""
    year: int = field(init=False)

    def __post_init__(self):
        self.year = timezone.localtime(self.received_at).year

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.unit.pk, self.year, self.number)


def summary_of(content: str) -> str:
    """The register's content, cut at its first sentence (300 characters at most)."""
    first = content.split(". ")[0].strip()
    return first if len(first) <= 300 else first[:299].rstrip() + "…"


class Clocks:
    """The limit for a day received, computed once per day (a register holds thousands of
    rows per day of a year)."""

    def __init__(self):
        from pctp.law.models import OffenceGroup

        self._due: dict[date, date] = {}
        self._calendar = legal_calendar()  # the announced days off, read once
        self._procuracy: dict[tuple, Unit | None] = {}
        self._groups: dict[int, list] = {}  # offence -> its groups, latest first
        for g in OffenceGroup.objects.order_by("-effective_from"):
            self._groups.setdefault(g.offence_id, []).append(g)

    def due(self, day: date) -> date:
        if day not in self._due:
            self._due[day] = deadline("source.resolve", start=day, calendar=self._calendar).due
        return self._due[day]

    def group(self, offence: Offence, day: date) -> str:
        """Offence.group_on(day), from the groups read once."""
        for g in self._groups.get(offence.pk, ()):
            if g.effective_from <= day and (g.effective_to is None or g.effective_to > day):
                return g.group
        return ""

    def procuracy(self, commune: Commune | None, unit: Unit) -> Unit | None:
        key = (commune.pk if commune else None, unit.province_id)
        if key not in self._procuracy:
            self._procuracy[key] = _procuracy_for(commune, unit)
        return self._procuracy[key]


def _values(r: RegisterRow, clocks: Clocks) -> dict:
    day = timezone.localtime(r.received_at).date()
    due = clocks.due(day)
    status = STATUS_OF.get(r.outcome) or (Status.CLASSIFIED if r.offence else Status.RECEIVED)
    decided = r.decided_at if r.outcome in (Outcome.INITIATE, Outcome.DECLINE) else None
    late = 0
    if decided is not None:
        late = max(0, (timezone.localtime(decided).date() - due).days)
    group = clocks.group(r.offence, day) if r.offence else ""
    return {
        "received_at": r.received_at, "holder_received_at": r.received_at, "kind": r.kind,
        "summary": summary_of(r.content), "content": r.content,
        "offence_id": r.offence.pk if r.offence else None,
        "clause_id": r.clause.pk if r.clause else None,
        "severity": r.clause.severity if r.clause else "",
        "crime_group": group,
        "commune_id": r.commune.pk if r.commune else None, "address": r.address,
        "occurred_at": r.occurred_at, "status": status, "outcome": r.outcome,
        "decided_at": decided,
        "suspended_at": r.decided_at if r.outcome == Outcome.SUSPEND else None,
        "decision_number": r.decision_number, "clock_start": day, "due_date": due,
        "late_days": late,
        "holder_id": r.holder.pk,
        "procuracy_id": (p.pk if (p := clocks.procuracy(r.commune, r.holder)) else None),
        # A register names no reporter here: an agency for a recommendation to
        # prosecute, a person otherwise; no identity is stored.
        "reporter_type": (ReporterType.AGENCY if r.kind == Kind.RECOMMENDATION
                          else ReporterType.PERSON),
    }


# What a register's columns say of a source (the rest PCTP derives or keeps itself).
REGISTER_SAYS = ("received_at", "kind", "content", "offence_id", "clause_id", "commune_id",
                 "address", "occurred_at", "outcome", "decision_number")


def _minute(value):
    return timezone.localtime(value).replace(second=0, microsecond=0) \
        if isinstance(value, datetime) else value


def _register_says_the_same(source: Source, values: dict) -> bool:
    """Whether a register row says of a source received in PCTP what PCTP holds, to the
    minute a register writes (the register exported from PCTP, imported back)."""
    decided = register_decided(source)
    said = values["decided_at"] or values["suspended_at"]
    return _minute(decided) == _minute(said) and all(
        _minute(getattr(source, k)) == _minute(values[k]) for k in REGISTER_SAYS)


def _existing(keys: set[tuple[int, int, int]]):
    """The sources with these (unit, year, number) keys. On PostgreSQL one join on the
    keys themselves (an IN list of units and another of numbers made the database walk
    every pair of them: 0.5 s a batch once the table held a million rows)."""
    if not keys:
        return []
    if connection.vendor == "postgresql":
        units, years, numbers = (list(x) for x in zip(*keys, strict=True))
        table = Source._meta.db_table
        return Source.objects.raw(
            f"SELECT s.* FROM {table} s JOIN unnest(%s::bigint[], %s::int[], %s::bigint[]) "  # noqa: S608
            "AS k(u, y, n) ON s.unit_id = k.u AND s.register_year = k.y "
            "AND s.register_number = k.n", [units, years, numbers])
    found = []
    for year in {k[1] for k in keys}:
        numbers = [k[2] for k in keys if k[1] == year]
        units = {k[0] for k in keys if k[1] == year}
        found += [s for s in Source.objects.filter(unit__in=units, register_year=year,
                                                   register_number__in=numbers)
                  if (s.unit_id, s.register_year, s.register_number) in keys]
    return found


def _relate(source: Source, r: RegisterRow) -> None:
    """The related rows the register row already holds (the search text reads them)."""
    source.unit, source.holder = r.unit, r.holder
    source.commune, source.offence, source.clause = r.commune, r.offence, r.clause


def _jsonable(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _worked_on(ids: list[int]) -> set[int]:
    """Of these imported sources, those with any journal entry besides the import's."""
    rows = (AuditEvent.objects.filter(object_type="sources.source",
                                      object_id__in=[str(i) for i in ids])
            .exclude(action__in=[IMPORT, IMPORT_UPDATE]).values_list("object_id", flat=True))
    return {int(i) for i in rows}


@transaction.atomic
def sources_import(*, actor, rows: list[RegisterRow], origin: dict, clocks: Clocks | None = None
                   ) -> tuple[dict[str, int], list[tuple[int, str] | tuple[int, str, str]]]:
    """Write one batch of checked register rows, in one transaction. `origin`: the file and
    sheet, recorded with each row's number in its journal entry. Returns the counts
    (created, updated, unchanged) and the rows refused here, with the reason."""
    clocks = clocks or Clocks()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    refused: list[tuple[int, str] | tuple[int, str, str]] = []
    if not rows:
        return counts, refused
    existing = {(s.unit_id, s.register_year, s.register_number): s
                for s in _existing({r.key for r in rows})}
    now = timezone.now()
    new: list[tuple[RegisterRow, Source]] = []
    changed: list[tuple[RegisterRow, Source, dict]] = []
    for r in rows:
        values = _values(r, clocks)
        current = existing.get(r.key)
        if current is None:
            s = Source(unit=r.unit, register_year=r.year,
                       register_number=r.number, channel=Channel.REGISTER,
                       created_by=actor if getattr(actor, "is_authenticated", False) else None,
                       **values)
            _relate(s, r)
            s.handled_at = values["decided_at"] or values["suspended_at"]
            s.search_text = _search_text(s)
            s.updated_at = now
            new.append((r, s))
            continue
        if current.channel != Channel.REGISTER:
            if _register_says_the_same(current, values):  # its own export read back
                counts["unchanged"] += 1
                continue
            refused.append((r.row, _("Register number %(code)s is already used by a source "
                                     "received in PCTP; it is not overwritten.")
                            % {"code": current.register_code}, "number"))
            continue
        diff = {k: [_jsonable(getattr(current, k)), _jsonable(v)] for k, v in values.items()
                if getattr(current, k) != v}
        if not diff:
            counts["unchanged"] += 1
            continue
        changed.append((r, current, diff))
        for k, v in values.items():
            setattr(current, k, v)
        _relate(current, r)
    if changed:
        worked = _worked_on([s.pk for _r, s, _d in changed])
        for r, s, _d in [c for c in changed if c[1].pk in worked]:
            refused.append((r.row, _("Source %(code)s has been worked on in PCTP since it was "
                                     "imported; correct it there, not in the register.")
                            % {"code": s.register_code}, "number"))
        changed = [c for c in changed if c[1].pk not in worked]
    # New rows go in as the database's bulk load does (COPY on PostgreSQL): ids reserved
    # first, so that each journal entry names its record.
    for (_r, s), pk in zip(new, reserve_ids(Source, len(new)), strict=True):
        s.pk = s.id = pk
    insert_rows(Source, [s for _r, s in new])
    for _r, s, _d in changed:
        s.handled_at = s.decided_at or s.suspended_at
        s.search_text = _search_text(s)
        s.updated_at = now
    Source.objects.bulk_update([s for _r, s, _d in changed],
                               [*FIELDS, "handled_at", "search_text", "updated_at"],
                               batch_size=1000)
    user = actor if getattr(actor, "is_authenticated", False) else None
    journal = [AuditEvent(at=now, actor=user, action=IMPORT, object_type="sources.source",
                          object_id=str(s.pk), object_repr=str(s)[:300], to_state=s.status,
                          changes={"register": [None, s.register_code],
                                   "origin": [None, {**origin, "row": r.row}]},
                          note=_("Imported from a register"))
               for r, s in new]
    journal += [AuditEvent(at=now, actor=user, action=IMPORT_UPDATE, object_type="sources.source",
                           object_id=str(s.pk), object_repr=str(s)[:300],
                           from_state=d.get("status", [s.status])[0], to_state=s.status,
                           changes={**d, "origin": [None, {**origin, "row": r.row}]},
                           note=_("Corrected from a register"))
                for r, s, d in changed]
    insert_rows(AuditEvent, journal,
                [f for f in AuditEvent._meta.concrete_fields if not f.primary_key])
    counts["created"] += len(new)
    counts["updated"] += len(changed)
    return counts, refused


# ----------------------------------------------------------------------------- export

REGISTER_HEADERS = ["Số thụ lý", "Ngày tiếp nhận", "Đơn vị thụ lý", "Loại", "Nội dung",  # i18n: data (register layout)
                    "Điều, khoản", "Xã, phường", "Địa chỉ", "Ngày xảy ra",
                    "Kết quả giải quyết", "Ngày giải quyết", "Số quyết định"]
KIND_WORDS = {Kind.DENUNCIATION: "Tố giác", Kind.CRIME_REPORT: "Tin báo",  # i18n: data
              Kind.RECOMMENDATION: "Kiến nghị khởi tố"}
OUTCOME_WORDS = {Outcome.INITIATE: "Khởi tố", Outcome.DECLINE: "Không khởi tố",  # i18n: data
                 Outcome.SUSPEND: "Tạm đình chỉ"}


def register_decided(s: Source):
    """The day of decision a register shows: only beside its outcome (a suspension lifted
    keeps its day in the record, but the register's row is open again)."""
    if s.outcome in (Outcome.INITIATE, Outcome.DECLINE):
        return s.decided_at
    return s.suspended_at if s.outcome == Outcome.SUSPEND else None


def register_rows(sources):
    """Each source as a row of the register, in the layout the importer reads back."""
    for s in sources.select_related("unit", "offence", "clause", "commune").order_by(
            "register_year", "unit__code", "register_number").iterator(chunk_size=2000):
        article = ""
        if s.offence_id:
            article = f"Điều {s.offence.article}"  # i18n: data (article reference)
            if s.clause_id:
                article += f" khoản {s.clause.clause}"  # i18n: data
        decided = register_decided(s)
        yield [s.register_number, timezone.localtime(s.received_at).replace(tzinfo=None),
               s.unit.name, KIND_WORDS.get(s.kind, s.kind), s.content, article,
               s.commune.name if s.commune_id else "", s.address,
               timezone.localtime(s.occurred_at).replace(tzinfo=None) if s.occurred_at else None,
               OUTCOME_WORDS.get(s.outcome, ""),
               timezone.localtime(decided).replace(tzinfo=None) if decided else None,
               s.decision_number]


def register_xlsx(*, actor, sources, title: str) -> tuple[bytes, int]:
    """The register as an .xlsx (core.xlsx.table_xlsx). One journal entry records the
    export and how many rows it held."""
    data, n = table_xlsx(title, REGISTER_HEADERS, register_rows(sources))
    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="source.export_register", object_type="sources.source", object_id="*",
        object_repr=title[:300], changes={"rows": [None, n]})
    return data, n
