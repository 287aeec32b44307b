"""The accountability scorecard of a unit and its head (ARCHITECTURE.md habit 7).

Each figure is one named measure, defined once as a condition below; the table of many
units counts it with one grouped query, and the page behind a figure lists the very
records it counted (`measure_records`).

Tasks count in the period that holds their deadline; reports in the period that holds
their due date. Cancelled tasks do not count.
  tasks_on_time    reported done on or before the deadline (awaiting acceptance or accepted)
  tasks_late       reported done after the deadline
  tasks_overdue    not reported done, and the deadline has passed
  reports_on_time  submitted on or before the due date
  reports_late     submitted after the due date
  reports_overdue  not submitted (or returned and not resubmitted), and the due date has passed
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from pctp.plans.models import DONE_TASK_STATUSES, OPEN_TASK_STATUSES, Task, UnitReport
from pctp.plans.periods import buckets, period_key, period_label
from pctp.units.models import Membership, Unit

TASK_MEASURES = ("tasks_on_time", "tasks_late", "tasks_overdue")
REPORT_MEASURES = ("reports_on_time", "reports_late", "reports_overdue")
MEASURES = TASK_MEASURES + REPORT_MEASURES
MEASURE_LABELS = {
    "tasks_on_time": _("Tasks done on time"),
    "tasks_late": _("Tasks done late"),
    "tasks_overdue": _("Tasks overdue, not done"),
    "reports_on_time": _("Reports on time"),
    "reports_late": _("Reports late"),
    "reports_overdue": _("Reports missing past due"),
}


def measure_condition(measure: str, today: date) -> Q:
    return {
        "tasks_on_time": Q(status__in=DONE_TASK_STATUSES, submitted_on__lte=F("deadline")),
        "tasks_late": Q(status__in=DONE_TASK_STATUSES, submitted_on__gt=F("deadline")),
        "tasks_overdue": Q(status__in=OPEN_TASK_STATUSES, deadline__lt=today),
        "reports_on_time": Q(status=UnitReport.Status.SUBMITTED,
                             submitted_on__lte=F("due_date")),
        "reports_late": Q(status=UnitReport.Status.SUBMITTED, submitted_on__gt=F("due_date")),
        "reports_overdue": ~Q(status=UnitReport.Status.SUBMITTED) & Q(due_date__lt=today),
    }[measure]


def _tasks(units, start: date, end: date) -> QuerySet[Task]:
    return (Task.objects.filter(lead_unit__in=units, deadline__gte=start, deadline__lte=end)
            .exclude(status=Task.Status.CANCELLED))


def _reports(units, start: date, end: date) -> QuerySet[UnitReport]:
    return UnitReport.objects.filter(unit__in=units, due_date__gte=start, due_date__lte=end)


def measure_records(measure: str, *, unit: Unit, start: date, end: date, today: date
                    ) -> QuerySet:
    """The tasks or reports behind one figure of a unit's scorecard."""
    condition = measure_condition(measure, today)
    if measure in TASK_MEASURES:
        return (_tasks([unit], start, end).filter(condition)
                .select_related("plan", "lead_unit").order_by("deadline", "number"))
    return (_reports([unit], start, end).filter(condition)
            .select_related("task", "task__plan", "unit").order_by("due_date", "task__number"))


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Scorecard:
    unit: Unit
    start: date
    end: date
    counts: dict[str, int] = field(default_factory=dict)

    def __getattr__(self, name: str) -> int:
        if name in MEASURES:
            return self.counts.get(name, 0)
        raise AttributeError(name)

    @property
    def tasks_due(self) -> int:
        return sum(self.counts.get(m, 0) for m in TASK_MEASURES)

    @property
    def reports_due(self) -> int:
        return sum(self.counts.get(m, 0) for m in REPORT_MEASURES)

    @property
    def tasks_on_time_rate(self) -> float | None:
        """Share of the tasks whose deadline has come that were done on time."""
        return _rate(self.counts.get("tasks_on_time", 0), self.tasks_due)

    @property
    def reports_on_time_rate(self) -> float | None:
        return _rate(self.counts.get("reports_on_time", 0), self.reports_due)

    @property
    def on_time_rate(self) -> float | None:
        """Tasks and reports together: what a review meeting reads first."""
        on_time = self.counts.get("tasks_on_time", 0) + self.counts.get("reports_on_time", 0)
        return _rate(on_time, self.tasks_due + self.reports_due)

    @property
    def is_empty(self) -> bool:
        return not any(self.counts.values())

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)


def unit_scorecards(*, units: QuerySet[Unit], start: date, end: date, today: date
                    ) -> list[Scorecard]:
    """One scorecard per unit that had a task or report falling due in the period, worst
    on-time rate first."""
    counts: dict[int, dict[str, int]] = {}
    task_rows = (_tasks(units, start, end).values("lead_unit")
                 .annotate(**{m: Count("pk", filter=measure_condition(m, today))
                              for m in TASK_MEASURES}))
    for row in task_rows:
        counts.setdefault(row.pop("lead_unit"), {}).update(row)
    report_rows = (_reports(units, start, end).values("unit")
                   .annotate(**{m: Count("pk", filter=measure_condition(m, today))
                                for m in REPORT_MEASURES}))
    for row in report_rows:
        counts.setdefault(row.pop("unit"), {}).update(row)
    by_pk = Unit.objects.in_bulk(list(counts))
    cards = [Scorecard(by_pk[pk], start, end, c) for pk, c in counts.items()]
    cards = [c for c in cards if not c.is_empty]
    return sorted(cards, key=lambda c: (c.on_time_rate if c.on_time_rate is not None else 101,
                                        c.unit.name))


def unit_scorecard(*, unit: Unit, start: date, end: date, today: date) -> Scorecard:
    cards = unit_scorecards(units=Unit.objects.filter(pk=unit.pk), start=start, end=end,
                            today=today)
    return cards[0] if cards else Scorecard(unit, start, end, {})


def scorecard_history(*, unit: Unit, grain: str, start: date, end: date, today: date
                      ) -> list[tuple[str, Scorecard]]:
    """The unit's scorecard month by month, quarter by quarter or year by year."""
    out = []
    for first, last in buckets(grain, start, end):
        first, last = max(first, start), min(last, end)
        out.append((period_key(grain, first),
                    unit_scorecard(unit=unit, start=first, end=last, today=today)))
    return out


def heads_of(unit: Unit) -> QuerySet[Membership]:
    """Everyone who has headed the unit, the current head first."""
    return (Membership.objects.filter(unit=unit, is_head=True).select_related("user", "role")
            .order_by(F("valid_to").desc(nulls_first=True), "-valid_from"))


def current_head(unit: Unit, on: date | None = None) -> Membership | None:
    return Membership.objects.active(on).filter(unit=unit, is_head=True).select_related(
        "user").order_by("-valid_from").first()


def head_tenure(membership: Membership, start: date, end: date) -> tuple[date, date] | None:
    """The part of [start, end] during which `membership` headed the unit."""
    first = max(start, membership.valid_from)
    # valid_to is the first day no longer valid (MembershipQuerySet.active).
    last = end if membership.valid_to is None else min(end, date.fromordinal(
        membership.valid_to.toordinal() - 1))
    return (first, last) if first <= last else None
