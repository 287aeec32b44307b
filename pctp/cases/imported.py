"""Criminal cases brought in from a province's existing case register (issue 19): the
write side of `pctp.imports` for this app. A register keeps one row per accused (the
case's columns repeated or merged down); the rows of one case make one case, its accused
and their charges. The key is the register's own (investigation body as written, year of
initiation, number); an accused's key is their place in the case. As for sources: the
same file again changes nothing, a corrected row updates what changed, and a case worked
on in PCTP since its import is never overwritten by the register."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.cases.models import (
    Accused,
    Case,
    Charge,
    DetectionMethod,
    Measure,
    Origin,
    Recovery,
    Status,
)
from pctp.cases.services import Person, _procuracy_for, _start_clock, _stop_clock, person_index
from pctp.core.audit import audit_record
from pctp.core.crypto import encrypt_json
from pctp.core.deadlines import end_of_day
from pctp.core.models import AuditEvent
from pctp.law.models import Offence, OffenceClause
from pctp.units.models import Commune, Unit

IMPORT, IMPORT_UPDATE = "case.import", "case.import_update"
# The stages a register records that PCTP can take over as they stand.
STAGES = (Status.INVESTIGATING, Status.SUSPENDED, Status.TERMINATED, Status.JUDGED)


@dataclass
class AccusedRow:
    name: str
    sex: str
    birth_year: int | None = None
    personal_id: str = ""
    charged_on: date | None = None
    sentence: str = ""


@dataclass
class CaseRow:
    """One register row: its case and, when the row names one, an accused."""
    row: int
    body: Unit  # whose register it is
    number: int
    initiated_on: date
    decision_number: str
    summary: str
    offence: Offence
    clause: OffenceClause
    commune: Commune | None = None
    occurred_on: date | None = None
    status: str = Status.INVESTIGATING
    stage_on: date | None = None
    detected_on: date | None = None
    value_lost: int | None = None
    accused: AccusedRow | None = None
    position: int = 0  # the accused's place in the case (1, 2, …), 0 without one
    year: int = field(init=False)

    def __post_init__(self):
        self.year = self.initiated_on.year

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.body.pk, self.year, self.number)

    def case_values(self) -> tuple:
        """What the case's columns say: the same on every row of the case."""
        return (self.initiated_on, self.decision_number, self.summary, self.clause.pk,
                self.commune.pk if self.commune else None, self.occurred_on, self.status,
                self.stage_on, self.detected_on, self.value_lost)


def _case_fields(r: CaseRow) -> dict:
    group = r.offence.group_on(r.initiated_on)
    closed = r.stage_on if r.status in (Status.TERMINATED, Status.JUDGED) else None
    return {
        "decision_number": r.decision_number, "initiated_on": r.initiated_on,
        "summary": r.summary[:300], "occurred_on": r.occurred_on or r.initiated_on,
        "commune_id": r.commune.pk if r.commune else None,
        "lead_offence_id": r.offence.pk, "lead_clause_id": r.clause.pk,
        "severity": r.clause.severity, "crime_group": group.group if group else "",
        "status": r.status, "status_since": r.stage_on or r.initiated_on,
        "closed_on": closed, "judgment_on": r.stage_on if r.status == Status.JUDGED else None,
        "detected_on": r.detected_on,
        "value_lost": r.value_lost,
    }


def _clock(case: Case) -> None:
    """An investigation still open runs its limit from the day of initiation (CPC Art.
    172), so an old one is overdue here as on paper; the other stages run none."""
    if case.status == Status.INVESTIGATING:
        _start_clock(case, "investigation", case.initiated_on)
    else:
        _stop_clock(case)


def _seal(accused: Accused, a: AccusedRow) -> None:
    accused.identity = encrypt_json(
        {"name": a.name, "personal_id": a.personal_id, "birth_date": "", "residence": ""},
        context=f"accused:{accused.pk}")


def _index(a: AccusedRow) -> str:
    return person_index(Person(name=a.name, sex=a.sex, personal_id=a.personal_id))


def _worked_on(ids: list[int]) -> set[int]:
    rows = (AuditEvent.objects.filter(object_type="cases.case", object_id__in=[str(i) for i in ids])
            .exclude(action__in=[IMPORT, IMPORT_UPDATE, IMPORT_MEASURE, IMPORT_RECOVERY])
            .values_list("object_id", flat=True))
    return {int(i) for i in rows}


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def cases_import(*, actor, rows: list[CaseRow], origin: dict
                 ) -> tuple[dict[str, int], list[tuple[int, str] | tuple[int, str, str]]]:
    """Write one batch of checked register rows (a case's rows may span batches). Returns
    the counts (created, updated, unchanged: rows) and the rows refused here."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    refused: list[tuple[int, str] | tuple[int, str, str]] = []
    user = actor if getattr(actor, "is_authenticated", False) else None
    by_key: dict[tuple, list[CaseRow]] = {}
    for r in rows:
        by_key.setdefault(r.key, []).append(r)
    existing = {}
    for key in by_key:
        case = (Case.objects.filter(investigation_body_id=key[0], register_year=key[1],
                                    register_number=key[2]).select_related("investigation_body")
                .first())
        if case is not None:
            existing[key] = case
    worked = _worked_on([c.pk for c in existing.values() if c.origin == Origin.REGISTER])
    for key, group in by_key.items():
        first = group[0]
        case = existing.get(key)
        row_origin = {**origin, "row": first.row}
        if case is not None and case.origin != Origin.REGISTER:
            refused += [(r.row, _("Case number %(code)s is already used by a case opened in "
                                  "PCTP; it is not overwritten.") % {"code": case.register_code},
                         "number") for r in group]
            continue
        values = _case_fields(first)
        if case is None:
            case = Case(investigation_body=first.body, register_year=first.year,
                        register_number=first.number, origin=Origin.REGISTER,
                        procuracy=_procuracy_for(first.commune, first.body), created_by=user,
                        **values)
            if case.detected_on:
                case.detection_method = DetectionMethod.INVESTIGATION
            _clock(case)
            case.save()
            Charge.objects.create(case=case, offence=first.offence, clause=first.clause,
                                  severity=first.clause.severity)
            made = _accused(case, group, user)
            audit_record(actor=actor, action=IMPORT, obj=case, to_state=case.status,
                         changes={"register": [None, case.register_code],
                                  "accused": [None, made], "origin": [None, row_origin]},
                         note=_("Imported from a register"))
            counts["created"] += len(group)
            continue
        if values["detected_on"] is None and case.detected_on and case.accused.exists():
            values["detected_on"] = case.detected_on  # from its accused, not its columns
        diff = {k: [_jsonable(getattr(case, k)), _jsonable(v)] for k, v in values.items()
                if getattr(case, k) != v}
        new_people, changed_people = _accused_diff(case, group)
        if not diff and not new_people and not changed_people:
            counts["unchanged"] += len(group)
            continue
        if case.pk in worked:
            refused += [(r.row, _("Case %(code)s has been worked on in PCTP since it was "
                                  "imported; correct it there, not in the register.")
                         % {"code": case.register_code}, "number") for r in group]
            continue
        before = case.status
        for k, v in values.items():
            setattr(case, k, v)
        if "lead_clause_id" in diff:
            case.charges.filter(accused=None).delete()
            Charge.objects.create(case=case, offence=first.offence, clause=first.clause,
                                  severity=first.clause.severity)
        _clock(case)
        case.save()
        added = _accused(case, new_people, user)
        for r in changed_people:
            a = case.accused.get(position=r.position)
            a.sex, a.birth_year = r.accused.sex, r.accused.birth_year
            a.sentence, a.person_index = r.accused.sentence, _index(r.accused)
            _seal(a, r.accused)
            a.save()
        if added or changed_people:
            diff["accused"] = [None, {"added": added, "corrected": len(changed_people)}]
        audit_record(actor=actor, action=IMPORT_UPDATE, obj=case, from_state=before,
                     to_state=case.status, changes={**diff, "origin": [None, row_origin]},
                     note=_("Corrected from a register"))
        counts["updated"] += len(group)
    return counts, refused


def _accused(case: Case, group: list[CaseRow], user) -> int:
    made = 0
    for r in group:
        if r.accused is None:
            continue
        a = r.accused
        accused = Accused.objects.create(
            case=case, position=r.position, sex=a.sex, birth_year=a.birth_year,
            is_lead=r.position == 1, charged_on=a.charged_on or case.initiated_on,
            sentence=a.sentence[:300], person_index=_index(a), created_by=user)
        _seal(accused, a)
        accused.save(update_fields=["identity"])
        Charge.objects.create(case=case, accused=accused, offence=r.offence, clause=r.clause,
                              severity=r.clause.severity)
        if case.detected_on is None:  # an accused prosecuted: the offender is identified
            case.detected_on = accused.charged_on
            case.detection_method = DetectionMethod.INVESTIGATION
            case.save(update_fields=["detected_on", "detection_method", "updated_at"])
        made += 1
    return made


def _accused_diff(case: Case, group: list[CaseRow]) -> tuple[list[CaseRow], list[CaseRow]]:
    have = {a.position: a for a in case.accused.all()}
    new, changed = [], []
    for r in group:
        if r.accused is None:
            continue
        current = have.get(r.position)
        if current is None:
            new.append(r)
        elif (current.sex, current.birth_year, current.sentence, current.person_index) != (
                r.accused.sex, r.accused.birth_year, r.accused.sentence[:300],
                _index(r.accused)):
            changed.append(r)
    return new, changed


# ----------------------------------------------------------------------------- measures

IMPORT_MEASURE = "case.import_measure"


@dataclass
class MeasureRow:
    """One row of a custody and detention book: whose (a case of a register and its accused,
    by number in the case or by name), which measure, the order, from when, until when."""
    row: int
    body: Unit
    case_year: int
    case_number: int
    kind: str
    order_number: str
    start_on: date
    start_at: object = None  # an aware datetime for custody, when the book gives the hour
    released_on: date | None = None
    position: int | None = None
    name: str = ""
    personal_id: str = ""


def _find_accused(case: Case, r: MeasureRow) -> Accused | None:
    people = list(case.accused.all())
    if r.position:
        return next((a for a in people if a.position == r.position), None)
    index = person_index(Person(name=r.name, sex="male", personal_id=r.personal_id))
    found = [a for a in people if a.person_index == index]
    return found[0] if len(found) == 1 else None


@transaction.atomic
def measures_import(*, actor, rows: list[MeasureRow], origin: dict
                    ) -> tuple[dict[str, int], list[tuple[int, str] | tuple[int, str, str]]]:
    """Custody and detention orders from a book, onto cases already in PCTP. The limit is
    computed from the law (never copied from the book), so a person the book shows still
    held past it is flagged as every other is."""
    from pctp.cases.services import _credit, _measure_due, accused_severity

    counts = {"created": 0, "updated": 0, "unchanged": 0}
    refused: list[tuple[int, str] | tuple[int, str, str]] = []
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is None:
        return counts, [(r.row, _("A custody and detention book is imported by an officer "
                                  "(pctp import … --user NAME): each order names who "
                                  "entered it.")) for r in rows]
    for r in rows:
        case = (Case.objects.filter(investigation_body=r.body, register_year=r.case_year,
                                    register_number=r.case_number)
                .select_related("investigation_body").first())
        if case is None:
            refused.append((r.row, _("There is no case %(n)s of %(year)s of %(unit)s in PCTP: "
                                     "import the case register first.")
                            % {"n": r.case_number, "year": r.case_year, "unit": r.body.name},
                            "case_number"))
            continue
        accused = _find_accused(case, r)
        if accused is None:
            refused.append((r.row, _("Case %(code)s has no accused of that number or name.")
                            % {"code": case.register_code}, "name"))
            continue
        measure = Measure.objects.filter(accused=accused, kind=r.kind,
                                         start_on=r.start_on).first()
        row_origin = {**origin, "row": r.row}
        if measure is None:
            measure = Measure(case=case, accused=accused, kind=r.kind,
                              order_number=r.order_number, ordered_by_unit=case.investigation_body,
                              ordered_by=user, start_on=r.start_on, start_at=r.start_at,
                              severity=accused_severity(accused), due_date=r.start_on)
            # Days already served come off, as for an order made here (TTLT 04/2018 Art. 17):
            # the book's earlier rows (custody first) are written before this one.
            measure.deducted_days = _credit(accused, case, r.kind, r.start_on)
            _result, measure.due_date, measure.due_at = _measure_due(measure)
            _release(measure, r)
            measure.save()
            audit_record(actor=actor, action=IMPORT_MEASURE, obj=case,
                         from_state=case.status, to_state=case.status,
                         changes={"measure": [None, r.kind], "accused": [None, accused.position],
                                  "order": [None, r.order_number],
                                  "due_date": [None, measure.due_date.isoformat()],
                                  "released_on": [None, _jsonable(r.released_on)],
                                  "origin": [None, row_origin]},
                         note=_("Imported from a register"))
            counts["created"] += 1
            continue
        if (measure.order_number, measure.released_on) == (r.order_number, r.released_on):
            counts["unchanged"] += 1
            continue
        if _worked_on([case.pk]):
            refused.append((r.row, _("Case %(code)s has been worked on in PCTP since it was "
                                     "imported; correct it there, not in the register.")
                            % {"code": case.register_code}, "case_number"))
            continue
        diff = {"order": [measure.order_number, r.order_number],
                "released_on": [_jsonable(measure.released_on), _jsonable(r.released_on)]}
        measure.order_number = r.order_number
        _release(measure, r)
        measure.save()
        audit_record(actor=actor, action=IMPORT_MEASURE, obj=case, from_state=case.status,
                     to_state=case.status, changes={**diff, "origin": [None, row_origin]},
                     note=_("Corrected from a register"))
        counts["updated"] += 1
    return counts, refused


def _release(measure: Measure, r: MeasureRow) -> None:
    measure.released_on = r.released_on
    measure.released_at = end_of_day(r.released_on) if r.released_on else None
    # Days held after the limit expired, as the book shows them: flagged, never hidden.
    measure.late_days = max(0, (r.released_on - measure.due_date).days) if r.released_on else 0


# ----------------------------------------------------------------------------- recovery

IMPORT_RECOVERY = "case.import_recovery"


@dataclass
class RecoveryRow:
    """One line of an asset-recovery table: which case, what kind, how much, when, what."""
    row: int
    body: Unit
    case_year: int
    case_number: int
    kind: str
    amount: int
    on: date
    description: str
    value_lost: int | None = None  # the case's value appropriated or lost, when the table has it


@transaction.atomic
def recoveries_import(*, actor, rows: list[RecoveryRow], origin: dict
                      ) -> tuple[dict[str, int], list[tuple[int, str] | tuple[int, str, str]]]:
    """Ledger lines onto cases in PCTP. A line is the same line again when its case, kind,
    day and description are; then only its amount may be corrected."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    refused: list[tuple[int, str] | tuple[int, str, str]] = []
    user = actor if getattr(actor, "is_authenticated", False) else None
    if user is None:
        return counts, [(r.row, _("An asset-recovery table is imported by an officer (pctp "
                                  "import … --user NAME): each entry names who entered it."))
                        for r in rows]
    for r in rows:
        case = Case.objects.filter(investigation_body=r.body, register_year=r.case_year,
                                   register_number=r.case_number).first()
        if case is None:
            refused.append((r.row, _("There is no case %(n)s of %(year)s of %(unit)s in PCTP: "
                                     "import the case register first.")
                            % {"n": r.case_number, "year": r.case_year, "unit": r.body.name},
                            "case_number"))
            continue
        if r.on < case.occurred_on:
            refused.append((r.row, _("A recovery cannot be before the crime happened."), "on"))
            continue
        if r.kind == Recovery.Kind.ENFORCED and case.judgment_on is None:
            refused.append((r.row, _("A recovery at enforcement comes only after the "
                                     "judgment."), "kind"))
            continue
        row_origin = {**origin, "row": r.row}
        line = Recovery.objects.filter(case=case, kind=r.kind, on=r.on,
                                       description=r.description).first()
        changes = {}
        if r.value_lost is not None and case.value_lost != r.value_lost:
            if case.value_lost:  # the case register (or PCTP) says otherwise: it decides
                refused.append((r.row, _("The case's value lost is %(has)s đ in PCTP, not "
                                         "%(says)s đ: correct it in the case register, or leave "
                                         "this column out.")
                                % {"has": f"{case.value_lost:,}".replace(",", "."),
                                   "says": f"{r.value_lost:,}".replace(",", ".")},
                                "value_lost"))
                continue
            changes["value_lost"] = [case.value_lost, r.value_lost]
            case.value_lost = r.value_lost
            case.save(update_fields=["value_lost", "updated_at"])
        if line is None:
            Recovery.objects.create(case=case, kind=r.kind, amount=r.amount, on=r.on,
                                    stage=case.status, description=r.description,
                                    recorded_by=user)
            changes.update({"kind": [None, r.kind], "amount": [None, r.amount],
                            "on": [None, r.on.isoformat()]})
            counts["created"] += 1
        elif line.amount != r.amount:
            changes["amount"] = [line.amount, r.amount]
            line.amount = r.amount
            line.save(update_fields=["amount"])
            counts["updated"] += 1
        elif not changes:
            counts["unchanged"] += 1
            continue
        else:
            counts["updated"] += 1
        audit_record(actor=actor, action=IMPORT_RECOVERY, obj=case, from_state=case.status,
                     to_state=case.status, changes={**changes, "origin": [None, row_origin]},
                     note=_("Imported from a register"))
    return counts, refused


# ----------------------------------------------------------------------------- export

STAGE_WORDS = {Status.INVESTIGATING: "Đang điều tra", Status.SUSPENDED: "Tạm đình chỉ",  # i18n: data
               Status.TERMINATED: "Đình chỉ", Status.JUDGED: "Đã xét xử"}
SEX_WORDS = {"male": "Nam", "female": "Nữ"}  # i18n: data
MEASURE_WORDS = {Measure.Kind.CUSTODY: "Tạm giữ",  # i18n: data
                 Measure.Kind.DETENTION_INVESTIGATION: "Tạm giam để điều tra",
                 Measure.Kind.DETENTION_PROSECUTION: "Tạm giam để truy tố",
                 Measure.Kind.DETENTION_TRIAL: "Tạm giam để xét xử"}
RECOVERY_WORDS = {Recovery.Kind.SEIZED: "Kê biên", Recovery.Kind.FROZEN: "Phong tỏa",  # i18n: data
                  Recovery.Kind.RETURNED: "Tự nguyện nộp lại",
                  Recovery.Kind.ENFORCED: "Thu hồi khi thi hành án"}


def _article(offence, clause) -> str:
    if offence is None:
        return ""
    text = f"Điều {offence.article}"  # i18n: data (article reference)
    return f"{text} khoản {clause.clause}" if clause else text  # i18n: data


def _cases(actor, year):
    from pctp.cases.selectors import case_scope

    cases = case_scope(actor)
    return cases.filter(register_year=year) if year else cases


def case_register_rows(actor, year: int | None):
    """The case register, one row per accused (one for a case with none), in CasesKind's
    columns. Names and ID numbers only for who may see them, each written to the access
    log; the others get the rows without them."""
    from pctp.cases.services import accused_identities

    cases = (_cases(actor, year).select_related("investigation_body", "lead_offence",
                                                "lead_clause", "commune")
             .prefetch_related("accused").order_by("register_year", "investigation_body__code",
                                                   "register_number"))
    for case in cases.iterator(chunk_size=500):
        head = [case.register_number, case.initiated_on, case.decision_number,
                case.investigation_body.name, case.summary,
                _article(case.lead_offence, case.lead_clause),
                case.commune.name if case.commune_id else "", case.occurred_on,
                STAGE_WORDS.get(case.status, case.get_status_display()),
                case.judgment_on or case.closed_on or (
                    case.status_since if case.status == Status.SUSPENDED else None),
                case.detected_on, case.value_lost]
        people = list(case.accused.all())
        names = accused_identities(actor=actor, accused=people,
                                   purpose="register export") if people else {}
        if not people:
            yield head + [None] * 6
        for a in people:
            who = names.get(a.pk, {})
            yield head + [who.get("name", ""), a.birth_year, SEX_WORDS.get(a.sex, ""),
                          who.get("personal_id", ""), a.charged_on, a.sentence]


def measure_book_rows(actor, year: int | None):
    from pctp.cases.services import accused_identities

    measures = (Measure.objects.filter(case__in=_cases(actor, year).values("pk"))
                .select_related("case__investigation_body", "accused__case")
                .order_by("case__register_year", "case__register_number", "accused__position",
                          "start_on"))
    rows = list(measures)
    names = accused_identities(actor=actor, accused=[m.accused for m in rows],
                               purpose="register export") if rows else {}
    for m in rows:
        who = names.get(m.accused_id, {})
        start = timezone.localtime(m.start_at).replace(tzinfo=None) if m.start_at else m.start_on
        yield [m.case.investigation_body.name, m.case.register_number, m.case.register_year,
               m.accused.position, who.get("name", ""), who.get("personal_id", ""),
               MEASURE_WORDS.get(m.kind, m.get_kind_display()), m.order_number, start,
               m.released_on]


def recovery_table_rows(actor, year: int | None):
    lines = (Recovery.objects.filter(case__in=_cases(actor, year).values("pk"))
             .select_related("case__investigation_body")
             .order_by("case__register_year", "case__register_number", "on", "id"))
    for line in lines.iterator(chunk_size=1000):
        yield [line.case.investigation_body.name, line.case.register_number,
               line.case.register_year, RECOVERY_WORDS[line.kind], line.amount, line.on,
               line.description, line.case.value_lost]


def export_recorded(actor, what: str, n: int) -> None:
    AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="case.export_register", object_type="cases.case", object_id="*",
        object_repr=what, changes={"rows": [None, n]})
