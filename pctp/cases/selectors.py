"""Reads of criminal cases, always scoped to who asks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Min, Q, QuerySet
from django.utils import timezone

from pctp.cases.indicators import NO_CRIME
from pctp.cases.models import (
    COURT_STATES,
    INVESTIGATION_STATES,
    PROCURACY_STATES,
    Accused,
    Case,
    CriminalGroup,
    Extension,
    GroupMember,
    Measure,
    MeasureExtension,
    Status,
)
from pctp.core.deadlines import ALERT_DAYS, NOTICE, due_within_q, overdue_q
from pctp.units.models import Unit
from pctp.units.selectors import units_in_scope

QUEUES = ("investigation", "mine", "incoming", "sent", "procuracy", "extensions", "court",
          "judged", "due_soon", "overdue", "unsolved", "all")
DUE_SOON_DAYS = ALERT_DAYS[NOTICE]  # when an extension must be asked for (Art. 172(2))
CLOCKED_ORDER = {"investigation", "mine", "procuracy", "court", "due_soon", "overdue"}


def scope_unit_ids(user) -> list[int]:
    """The ids of the units in the user's scope, fetched once: passed to the case queries
    as values (the planner estimates a literal list well; a subquery repeated in each arm
    of the scope's OR is planned blind)."""
    return list(units_in_scope(user).values_list("pk", flat=True))


def case_scope(user, units: list[int] | None = None) -> QuerySet[Case]:
    """Cases investigated by the user's units, supervised by their procuracy, or sent to
    their court. Everything else does not exist for them (404)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    units = scope_unit_ids(user) if units is None else units
    return Case.objects.filter(Q(investigation_body__in=units) | Q(procuracy__in=units)
                               | Q(court__in=units))


# Joined in the case queries; the other relations come by a small query each (prefetch).
# With every relation joined, PostgreSQL spent 10 to 100 ms planning each query (the join
# order search grows about fourfold with each further join over the scope's OR); four
# joins plan in 1 to 2 ms (docs/benchmarks.md, "Criminal cases").
JOINED = ("investigation_body", "procuracy", "court", "investigator")


def case_get(*, user, pk: int) -> Case:
    return (case_scope(user).select_related(*JOINED)
            .prefetch_related("source", "commune", "lead_offence", "lead_clause").get(pk=pk))


def default_queue(user) -> str:
    if user.has_perm("cases.investigate"):
        return "investigation" if user.has_perm("cases.assign_case") else "mine"
    if user.has_perm("cases.prosecute"):
        return "procuracy"
    if user.has_perm("cases.try_case"):
        return "court"
    return "all"


def _queue(qs: QuerySet[Case], user, queue: str, today: date, units: list[int]
           ) -> QuerySet[Case]:
    body, proc, court = (Q(investigation_body__in=units), Q(procuracy__in=units),
                         Q(court__in=units))
    if queue == "investigation":
        return qs.filter(body, status__in=INVESTIGATION_STATES)
    if queue == "mine":
        return qs.filter(investigator=user, status__in=[*INVESTIGATION_STATES, Status.RETURNED])
    if queue == "incoming":
        return qs.filter((Q(status=Status.SENT_TO_PROCURACY) & proc)
                         | (Q(status=Status.SENT_TO_COURT) & court)
                         | (Q(status=Status.RETURNED) & body))
    if queue == "sent":
        return qs.filter((Q(status=Status.SENT_TO_PROCURACY) & body)
                         | (Q(status=Status.SENT_TO_COURT) & proc)
                         | (Q(status=Status.RETURNED, returned_by="procuracy") & proc)
                         | (Q(status=Status.RETURNED, returned_by="court") & court))
    if queue == "procuracy":
        return qs.filter(proc, status__in=PROCURACY_STATES)
    if queue == "extensions":
        # One IN over the union of the few pending requests: PostgreSQL fetches those cases
        # by key. With `IN (…) OR IN (…)` it read all of a procuracy's 58,000 cases and tested
        # each against both lists (250 ms for the tab's count).
        cases = Extension.objects.filter(state=Extension.State.PENDING).values("case").order_by()
        measures = MeasureExtension.objects.filter(state=MeasureExtension.State.PENDING
                                                   ).values("measure__case").order_by()
        return qs.filter(proc, pk__in=cases.union(measures))
    if queue == "court":
        return qs.filter(court, status__in=COURT_STATES)
    if queue == "judged":
        return qs.filter(status=Status.JUDGED)
    if queue == "due_soon":
        return qs.filter(due_within_q(today, DUE_SOON_DAYS)).exclude(status=Status.JUDGED)
    if queue == "overdue":
        return qs.filter(overdue_q(today)).exclude(status=Status.JUDGED)
    if queue == "unsolved":
        return qs.filter(detected_on__isnull=True).exclude(status=Status.TERMINATED)
    return qs


def case_list(*, user, queue: str = "all", status: str = "", group: str = "", severity: str = "",
              commune: str = "", query: str = "", date_from: date | None = None,
              date_to: date | None = None, today: date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    units = scope_unit_ids(user)
    qs = _queue(case_scope(user, units), user, queue, today, units)
    if status:
        qs = qs.filter(status=status)
    if group:
        qs = qs.filter(crime_group=group)
    if severity:
        qs = qs.filter(severity=severity)
    if commune:
        qs = qs.filter(commune__code=commune)
    if date_from:
        qs = qs.filter(initiated_on__gte=date_from)
    if date_to:
        qs = qs.filter(initiated_on__lte=date_to)
    if query.strip():
        words = query.strip()
        qs = qs.filter(Q(summary__icontains=words) | Q(decision_number__icontains=words)
                       | Q(address__icontains=words))
    order = ([F("due_date").asc(nulls_last=True), "id"] if queue in CLOCKED_ORDER
             else ["-initiated_on", "-id"])
    # New to me: given to me and not opened since (issue 17); my queue lists them first.
    qs = qs.annotate(is_new=ExpressionWrapper(
        Q(investigator=getattr(user, "pk", None), investigator_seen_at__isnull=True),
        output_field=BooleanField()))
    if queue == "mine":
        order = ["-is_new", *order]
    return (qs.select_related(*JOINED).prefetch_related("commune", "lead_offence", "lead_clause")
            .order_by(*order))


def measure_list(*, user, active: bool = True, kind: str = "") -> QuerySet[Measure]:
    """Everyone in custody or detention in the user's scope, soonest expiry first."""
    if not getattr(user, "is_authenticated", False):
        return Measure.objects.none()
    units = scope_unit_ids(user)
    # The scope on the joined case (not `case IN (subquery)`): the active measures are few
    # and come in limit order from their index; each is checked against its case.
    qs = Measure.objects.filter(Q(case__investigation_body__in=units)
                                | Q(case__procuracy__in=units) | Q(case__court__in=units))
    if active:
        qs = qs.filter(released_on__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("accused", "case", "case__investigation_body", "case__procuracy",
                             "case__court", "ordered_by_unit").order_by("due_date", "id")


def pending_extensions(*, user) -> QuerySet[Extension]:
    units = units_in_scope(user).values("pk")
    return (Extension.objects.filter(state=Extension.State.PENDING, case__procuracy__in=units)
            .select_related("case", "case__investigation_body", "requested_by"))


def pending_measure_extensions(*, user) -> QuerySet[MeasureExtension]:
    units = units_in_scope(user).values("pk")
    return (MeasureExtension.objects.filter(state=MeasureExtension.State.PENDING,
                                            measure__case__procuracy__in=units)
            .select_related("measure", "measure__case", "measure__accused", "requested_by"))


def linked_cases(*, user, case: Case) -> list[tuple[Case, int]]:
    """Other cases of the same people (by the blind index of their identity)."""
    people = case.accused.values("person_index")
    rows = (case_scope(user).exclude(pk=case.pk).filter(accused__person_index__in=people)
            .annotate(shared=Count("accused", filter=Q(accused__person_index__in=people)))
            .select_related("investigation_body").order_by("-initiated_on"))
    return [(c, c.shared) for c in rows[:50]]


# ----------------------------------------------------------------------------- groups

def group_scope(user) -> QuerySet[CriminalGroup]:
    if not getattr(user, "is_authenticated", False):
        return CriminalGroup.objects.none()
    units = units_in_scope(user).values("pk")
    visible = case_scope(user).values("pk")
    return CriminalGroup.objects.filter(
        Q(unit__in=units) | Q(members__accused__case__in=visible)).distinct()


def group_list(*, user, status: str = "", dangerous: bool | None = None, query: str = ""
               ) -> QuerySet[CriminalGroup]:
    qs = group_scope(user)
    if status:
        qs = qs.filter(status=status)
    if dangerous is not None:
        qs = qs.filter(dangerous=dangerous)
    if query.strip():
        qs = qs.filter(name__icontains=query.strip())
    return (CriminalGroup.objects.filter(pk__in=qs.values("pk"))
            .annotate(n_members=Count("members", distinct=True),
                      n_leaders=Count("members", filter=Q(members__is_leader=True), distinct=True))
            .select_related("unit").order_by("-dangerous", "name"))


def group_cases(*, user, group: CriminalGroup) -> QuerySet[Case]:
    """Every case in which a member appears, including cases opened after the group was
    registered: the same person is found through the blind index."""
    people = group.members.values("person_index")
    return (case_scope(user).filter(accused__person_index__in=people).distinct()
            .select_related("investigation_body").order_by("-initiated_on"))


@dataclass
class Proposal:
    """A set of people linked by appearing together as accused across cases."""

    people: list[Accused] = field(default_factory=list)  # one record per person
    cases: list[Case] = field(default_factory=list)
    registered: list[CriminalGroup] = field(default_factory=list)

    @property
    def key(self) -> str:
        return ",".join(str(a.pk) for a in self.people)


def _find(parent: dict, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]  # path halving
        x = parent[x]
    return x


def propose_groups(*, user, min_cases: int = 2, min_people: int = 2) -> list[Proposal]:
    """Groups the co-accused links suggest: people are joined when they are accused in the
    same case, and cases are joined through a person accused in both (union-find). Only
    components with at least `min_cases` cases and `min_people` people are proposed."""
    visible = case_scope(user).values("pk")
    repeat = (Accused.objects.filter(case__in=visible).values("person_index")
              .annotate(n=Count("case", distinct=True)).filter(n__gte=2)
              .values("person_index"))
    cases_of_repeats = Accused.objects.filter(case__in=visible, person_index__in=repeat
                                              ).values("case")
    rows = list(Accused.objects.filter(case__in=cases_of_repeats)
                .values_list("pk", "case_id", "person_index"))
    parent: dict = {}
    for _pk, case_id, person in rows:
        for node in (("c", case_id), ("p", person)):
            parent.setdefault(node, node)
        a, b = _find(parent, ("c", case_id)), _find(parent, ("p", person))
        if a != b:
            parent[a] = b
    components: dict = defaultdict(lambda: {"cases": set(), "people": {}})
    for pk, case_id, person in rows:
        comp = components[_find(parent, ("p", person))]
        comp["cases"].add(case_id)
        comp["people"].setdefault(person, pk)
    wanted = [c for c in components.values()
              if len(c["cases"]) >= min_cases and len(c["people"]) >= min_people]
    if not wanted:
        return []
    accused = Accused.objects.in_bulk([pk for c in wanted for pk in c["people"].values()])
    cases = Case.objects.select_related("investigation_body").in_bulk(
        [cid for c in wanted for cid in c["cases"]])
    members = defaultdict(set)
    for index, group_id in GroupMember.objects.filter(
            person_index__in=[p for c in wanted for p in c["people"]]
    ).values_list("person_index", "group_id"):
        members[index].add(group_id)
    groups = CriminalGroup.objects.in_bulk({g for s in members.values() for g in s})
    out = []
    for comp in wanted:
        registered = {g for p in comp["people"] for g in members.get(p, ())}
        out.append(Proposal(
            people=sorted((accused[pk] for pk in comp["people"].values()), key=lambda a: a.pk),
            cases=sorted((cases[c] for c in comp["cases"]), key=lambda c: c.initiated_on),
            registered=[groups[g] for g in sorted(registered)]))
    out.sort(key=lambda p: (-len(p.cases), -len(p.people)))
    return out


def caseloads(user_ids, *, today: date | None = None) -> dict[int, dict]:
    """Per person: the open sources and the cases under investigation given to them, how
    many are past their limit, and the nearest limit of either."""
    from pctp.sources.selectors import source_caseloads

    today = today or timezone.localdate()
    ids = list(user_ids)
    loads = source_caseloads(ids, today=today)
    rows = (Case.objects.filter(investigator__in=ids,
                                status__in=[*INVESTIGATION_STATES, Status.RETURNED])
            .order_by().values("investigator")
            .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q(today)),
                      nearest=Min("due_date")))
    for r in rows:
        load = loads.setdefault(r["investigator"], {"sources": 0, "overdue": 0, "next": None})
        load["cases"] = r["n"]
        load["overdue"] += r["late"]
        if r["nearest"] and (load["next"] is None or r["nearest"] < load["next"]):
            load["next"] = r["nearest"]
    return loads


# ----------------------------------------------------------------------------- for other apps
# The read interface of this app for the apps above it (kpi, analytics, reporting): they
# never import cases.models (import contract "read through selectors").

def all_cases() -> QuerySet[Case]:
    """Every case, unscoped: for jobs and indicators that scope it themselves."""
    return Case.objects.all()


def cases_of_units(units) -> QuerySet[Case]:
    """Cases whose investigation body, procuracy or court is one of `units` (unit ids)."""
    return Case.objects.filter(Q(investigation_body__in=units) | Q(procuracy__in=units)
                               | Q(court__in=units))


def accused_in(cases) -> QuerySet[Accused]:
    """The accused of `cases` (a queryset of case ids), oldest case first."""
    return (Accused.objects.filter(case__in=cases)
            .select_related("case", "case__investigation_body")
            .order_by("case__occurred_on", "case_id", "position"))


def group_memberships(person_indexes) -> QuerySet[GroupMember]:
    """The registered criminal-group memberships of these people (by person index)."""
    return GroupMember.objects.filter(person_index__in=list(person_indexes)).select_related("group")



def crimes_in(communes, start: date, end: date, groups: tuple[str, ...] | None = None
              ) -> QuerySet[Case]:
    """Cases that occurred in the communes (ids) in [start, end], of the crime groups if
    given; cases found to be no crime are left out."""
    qs = Case.objects.filter(commune__in=communes, occurred_on__gte=start,
                             occurred_on__lte=end).exclude(terminate_ground__in=NO_CRIME)
    if groups is not None:
        qs = qs.filter(crime_group__in=groups)
    return qs


def initiated_in(communes, start: date, end: date) -> QuerySet[Case]:
    """Cases initiated in the communes (ids) in [start, end], no-crime terminations left out."""
    return Case.objects.filter(commune__in=communes, initiated_on__gte=start,
                               initiated_on__lte=end).exclude(
                                   terminate_ground__in=NO_CRIME)


def active_groups_of(communes, *, dangerous_only: bool) -> QuerySet[CriminalGroup]:
    """Active criminal groups with a member accused in a case of the communes (ids) or
    registered by their commune police."""
    members = GroupMember.objects.filter(accused__case__commune__in=communes).values("group")
    police = Unit.objects.filter(kind=Unit.Kind.COMMUNE_POLICE, communes__in=communes)
    qs = CriminalGroup.objects.filter(status=CriminalGroup.Status.ACTIVE).filter(
        Q(pk__in=members) | Q(unit__in=police.values("pk")))
    return qs.filter(dangerous=True) if dangerous_only else qs


def active_groups_per_commune(communes) -> dict[int, int]:
    """How many active criminal groups each commune (id) has, by the same rule."""
    per: dict[int, set[int]] = {}
    active = CriminalGroup.objects.filter(status=CriminalGroup.Status.ACTIVE)
    for commune_id, group_id in (GroupMember.objects.filter(
            group__in=active, accused__case__commune__in=communes)
            .values_list("accused__case__commune", "group").distinct()):
        per.setdefault(commune_id, set()).add(group_id)
    for commune_id, group_id in (active.filter(unit__kind=Unit.Kind.COMMUNE_POLICE,
                                               unit__communes__in=communes)
                                 .values_list("unit__communes", "pk")):
        per.setdefault(commune_id, set()).add(group_id)
    return {k: len(v) for k, v in per.items()}


def appeal_scope(user) -> QuerySet:
    """Appeals and protests against the judgments of the cases ``user`` may see."""
    from pctp.cases.models import Appeal

    return Appeal.objects.filter(case__in=case_scope(user).values("pk"))


def occurred_by_commune_day(communes: list[int], start: date, end: date, *,
                            groups: list[str] | None = None,
                            articles: list[str] | None = None) -> dict[tuple, int]:
    """Criminal cases per commune and day the crime occurred, in [start, end], optionally of
    some crime groups or Penal Code articles (outreach, issue 22)."""
    qs = Case.objects.filter(commune__in=communes, occurred_on__gte=start, occurred_on__lte=end)
    if groups or articles:
        qs = qs.filter(Q(crime_group__in=groups or []) | Q(lead_offence__article__in=articles
                                                            or []))
    return {(r["commune"], r["occurred_on"]): r["n"] for r in
            qs.values("commune", "occurred_on").annotate(n=Count("id")).order_by()}


def monthly_counts(since: date) -> dict[str, list[tuple[date, str, str, int]]]:
    """Criminal cases initiated and detected per month, commune (official code, '' when
    none) and crime group, from ``since``: counts only, for the national roll-up (issue 23)."""
    from django.db.models.functions import TruncMonth

    out = {}
    for measure, day in (("cases_initiated", "initiated_on"), ("cases_detected", "detected_on")):
        qs = (Case.objects.filter(**{f"{day}__gte": since})
              .annotate(month=TruncMonth(day)).values("month", "commune__code", "crime_group")
              .annotate(n=Count("id")).order_by())
        out[measure] = [(r["month"], r["commune__code"] or "", r["crime_group"] or "", r["n"])
                        for r in qs]
    return out


def case_by_register_code(user, code: str) -> Case | None:
    """The case a register number names ("5/2026/CQCSĐT": number, year, the investigation
    body's short name or code), among those ``user`` may see."""
    parts = [p.strip() for p in code.split("/")]
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return (case_scope(user).filter(register_number=int(parts[0]), register_year=int(parts[1]))
            .filter(Q(investigation_body__short_name=parts[2])
                    | Q(investigation_body__code=parts[2])).first())
