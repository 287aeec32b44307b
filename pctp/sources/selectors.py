"""Reads of crime sources, always scoped to who asks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import BooleanField, Count, ExpressionWrapper, Min, Q, QuerySet
from django.utils import timezone

from pctp.core.deadlines import due_within_q, overdue_q
from pctp.law.selectors import fold
from pctp.sources.models import OPEN_STATUSES, ExtensionRequest, Source, Status
from pctp.units.models import Unit
from pctp.units.selectors import units_in_scope

QUEUES = ("mine", "unit", "incoming", "unassigned", "unclassified", "due_soon", "overdue",
          "procuracy", "all")
DUE_SOON_DAYS = 5  # the second extension is asked for 5 days before expiry (Art. 147)


def source_scope(user) -> QuerySet[Source]:
    """Sources held or registered by the user's units, supervised by their procuracy, or
    transferred to their units. Everything else does not exist for them (404)."""
    if not getattr(user, "is_authenticated", False):
        return Source.objects.none()
    # A literal id list: the planner estimates it well, and it is fetched once per request.
    units = list(units_in_scope(user).values_list("pk", flat=True))
    return Source.objects.filter(
        Q(holder__in=units) | Q(unit__in=units) | Q(procuracy__in=units)
        | Q(transfer_target__in=units)
    )


def source_get(*, user, pk: int) -> Source:
    return (source_scope(user).select_related(
        "unit", "holder", "procuracy", "commune", "offence", "clause", "assignee",
        "transfer_target", "transferred_to", "merged_into").get(pk=pk))


def source_list(*, user, queue: str = "all", kind: str = "", channel: str = "",
                commune: str = "", group: str = "", status: str = "", date_from: date | None = None,
                date_to: date | None = None, query: str = "", today: date | None = None
                ) -> QuerySet[Source]:
    today = today or timezone.localdate()
    qs = source_scope(user)
    units = list(units_in_scope(user).values_list("pk", flat=True))
    if queue == "mine":
        qs = qs.filter(assignee=user, status__in=[*OPEN_STATUSES, Status.SUSPENDED])
    elif queue == "unit":
        qs = qs.filter(holder__in=units, status__in=OPEN_STATUSES)
    elif queue == "due_soon":
        qs = qs.filter(due_within_q(today, DUE_SOON_DAYS), status__in=OPEN_STATUSES)
    elif queue == "overdue":
        qs = qs.filter(Q(overdue_q(today), status__in=OPEN_STATUSES)
                       | Q(overdue_q(today, "notice_due"), status__in=OPEN_STATUSES,
                           procuracy_notified_at__isnull=True))
    elif queue == "procuracy":
        pending = list(ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING)
                       .values_list("source_id", flat=True))
        qs = qs.filter(Q(pk__in=pending) | Q(status=Status.SUSPENDED))
    elif queue == "incoming":
        # Transferred to us and not yet entered in our register, or forwarded to us by a
        # commune and not yet given to an investigator (issue 17).
        qs = qs.filter(Q(status=Status.TRANSFERRED, transfer_target__in=units,
                         transferred_to__isnull=True)
                       | Q(forwarded_at__isnull=False, holder__in=units,
                           status__in=OPEN_STATUSES, assignee__isnull=True))
    elif queue == "unassigned":
        qs = qs.filter(holder__in=units, status__in=OPEN_STATUSES, assignee__isnull=True)
    elif queue == "unclassified":
        # Classification is the investigation body's (a commune forwards first).
        qs = qs.filter(holder__in=units, status=Status.RECEIVED).exclude(
            holder__kind=Unit.Kind.COMMUNE_POLICE)
    if kind:
        qs = qs.filter(kind=kind)
    if channel:
        qs = qs.filter(channel=channel)
    if commune:
        qs = qs.filter(commune__code=commune)
    if group:
        qs = qs.filter(crime_group=group)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(received_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(received_at__date__lte=date_to)
    if query.strip():
        for word in fold(query).split():
            qs = qs.filter(search_text__contains=word)
    order = ["due_date", "id"] if queue in {"mine", "unit", "due_soon", "overdue", "unassigned",
                                            "unclassified"} else [
        "-received_at", "-id"]
    # New to me: given to me and not opened since (issue 17); my queue lists them first.
    qs = qs.annotate(is_new=ExpressionWrapper(
        Q(assignee=user.pk, assignee_seen_at__isnull=True, status__in=OPEN_STATUSES),
        output_field=BooleanField()))
    if queue == "mine":
        order = ["-is_new", *order]
    return qs.select_related("unit", "holder", "commune", "offence", "assignee").order_by(*order)


def duplicate_candidates(*, user, source: Source, window_days: int = 3, limit: int = 10
                         ) -> list[tuple[Source, list[str]]]:
    """Open sources that look like the same event: same commune and time window, shared
    words, or the same reporter. Each comes with the reasons it was proposed."""
    if source.commune_id is None and not source.reporter_index:
        return []
    anchor = source.occurred_at or source.received_at
    window = timedelta(days=window_days)
    near = Q(commune_id=source.commune_id,
             received_at__gte=anchor - window, received_at__lte=anchor + window)
    same_reporter = Q(reporter_index=source.reporter_index) if source.reporter_index else Q(pk=None)
    candidates = (source_scope(user).filter(status__in=OPEN_STATUSES).exclude(pk=source.pk)
                  .filter(near | same_reporter).select_related("commune")[:200])
    words = {w for w in fold(source.summary + " " + source.content).split() if len(w) > 3}
    out = []
    for other in candidates:
        reasons = []
        if source.reporter_index and other.reporter_index == source.reporter_index:
            reasons.append("same_reporter")
        if other.commune_id == source.commune_id:
            reasons.append("same_place_and_time")
        other_words = {w for w in fold(other.summary + " " + other.content).split() if len(w) > 3}
        overlap = len(words & other_words) / max(1, len(words | other_words))
        if overlap >= 0.3:
            reasons.append("similar_text")
        if "same_reporter" in reasons or "similar_text" in reasons:
            out.append((other, reasons))
    return out[:limit]


def pending_extension_requests(*, user) -> QuerySet[ExtensionRequest]:
    units = list(units_in_scope(user).values_list("pk", flat=True))
    return (ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING,
                                            source__procuracy__in=units)
            .select_related("source", "source__holder", "requested_by"))


def source_caseloads(user_ids, *, today: date | None = None) -> dict[int, dict]:
    """Per person: the open sources given to them, how many are past their limit, and the
    nearest limit (one grouped query)."""
    today = today or timezone.localdate()
    rows = (Source.objects.filter(assignee__in=list(user_ids), status__in=OPEN_STATUSES)
            .order_by().values("assignee")
            .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q(today)),
                      nearest=Min("due_date")))
    return {r["assignee"]: {"sources": r["n"], "overdue": r["late"], "next": r["nearest"]}
            for r in rows}


# ----------------------------------------------------------------------------- for other apps
# The read interface of this app for the apps above it (kpi, analytics, reporting): they
# never import sources.models (import contract "read through selectors").

def all_sources() -> QuerySet[Source]:
    """Every source, unscoped: for jobs and indicators that scope it themselves."""
    return Source.objects.all()


def sources_of_units(units) -> QuerySet[Source]:
    """Sources registered or held by any of `units` (a queryset of unit ids)."""
    return Source.objects.filter(Q(holder__in=units) | Q(unit__in=units))


def countable_sources(sources: QuerySet[Source]) -> QuerySet[Source]:
    """Without the sources transferred away or merged into another (not events of their own)."""
    return sources.exclude(status__in=[Status.TRANSFERRED, Status.MERGED])


def overdue_by_holder(unit_ids, today: date) -> dict[int, int]:
    """Open sources past their time limit, counted per holding unit."""
    rows = (Source.objects.filter(overdue_q(today), holder__in=unit_ids,
                                  status__in=OPEN_STATUSES)
            .order_by().values("holder").annotate(n=Count("pk")))
    return {r["holder"]: r["n"] for r in rows}



def received_in(communes, start: datetime, end: datetime) -> QuerySet[Source]:
    """Sources about the communes (ids) received in [start, end)."""
    return Source.objects.filter(commune__in=communes, received_at__gte=start,
                                 received_at__lt=end)


def handled_by(moment: datetime) -> Q:
    """The sources dealt with before `moment`: decided, transferred or merged, or suspended."""
    return (Q(status__in=[Status.INITIATED, Status.DECLINED], decided_at__lt=moment)
            | Q(status__in=[Status.TRANSFERRED, Status.MERGED])
            | Q(status=Status.SUSPENDED, suspended_at__lt=moment))


def overdue_in(communes, on: date) -> QuerySet[Source]:
    """Sources of the communes (ids) overdue on `on` (the overdue rate's definition)."""
    from pctp.sources.indicators import overdue_on

    return overdue_on(Source.objects.filter(commune__in=communes), on)


def counts_by_commune_and_group(province_code: str, start: date, end: date) -> list[dict]:
    """Sources received in [start, end) per commune and crime group (merged and transferred
    ones left out: each is counted where it is handled), for the portal's statistics."""
    return list(Source.objects.filter(commune__province__code=province_code,
                                      received_at__date__gte=start, received_at__date__lt=end)
                .exclude(status__in=[Status.MERGED, Status.TRANSFERRED]).exclude(crime_group="")
                .values("commune__code", "crime_group").annotate(n=Count("id")).order_by())


def initiated_without_case() -> QuerySet[Source]:
    """Sources decided to initiate whose case was never opened (the lawfulness sweep)."""
    return Source.objects.filter(status=Status.INITIATED, case__isnull=True).select_related(
        "unit")


def approved_extensions() -> QuerySet[ExtensionRequest]:
    """Extension requests approved and not flagged late (the lawfulness sweep checks each
    against the limit it extended)."""
    return ExtensionRequest.objects.filter(state="approved", late=False).select_related(
        "source", "source__unit")


def received_by_commune_day(communes: list[int], start: date, end: date, *,
                            groups: list[str] | None = None,
                            articles: list[str] | None = None) -> dict[tuple[int, date], int]:
    """Crime sources received per commune and day in [start, end] (merged ones left out),
    optionally of some crime groups or Penal Code articles (outreach, issue 22)."""
    from django.db.models.functions import TruncDate

    qs = (Source.objects.filter(commune__in=communes, received_at__date__gte=start,
                                received_at__date__lte=end)
          .exclude(status=Status.MERGED))
    if groups or articles:
        qs = qs.filter(Q(crime_group__in=groups or []) | Q(offence__article__in=articles or []))
    return {(r["commune"], r["day"]): r["n"] for r in
            qs.annotate(day=TruncDate("received_at")).values("commune", "day")
            .annotate(n=Count("id")).order_by()}


def monthly_counts(since: date) -> list[tuple[date, str, str, int]]:
    """Crime sources received per month (province time), commune (its official code, '' when
    none) and crime group, from ``since``: counts only, for the national roll-up (issue 23)."""
    from django.db.models.functions import TruncMonth

    qs = (Source.objects.filter(received_at__date__gte=since).exclude(status=Status.MERGED)
          .annotate(month=TruncMonth("received_at")).values("month", "commune__code",
                                                              "crime_group")
          .annotate(n=Count("id")).order_by())
    return [(_as_date(r["month"]), r["commune__code"] or "", r["crime_group"] or "", r["n"])
            for r in qs]


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def source_by_register_code(user, code: str) -> Source | None:
    """The source a register number names ("12/2026/CQCSĐT": number, year, the receiving
    unit's short name or code), among those ``user`` may see."""
    parts = [p.strip() for p in code.split("/")]
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return (source_scope(user).filter(register_number=int(parts[0]), register_year=int(parts[1]))
            .filter(Q(unit__short_name=parts[2]) | Q(unit__code=parts[2])).first())
