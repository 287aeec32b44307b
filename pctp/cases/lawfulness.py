"""A sweep of the database for states the law forbids (issue 15): every rule the services
enforce, checked again over the stored rows, so that data imported, seeded or entered
before a rule existed cannot hide an unlawful state. `pctp check-lawful` prints it.

Each check yields findings: (record, what is wrong). None of them writes anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctp.cases import services as s
from pctp.cases.models import Case, Charge, Extension, Measure, MeasureExtension, Referral
from pctp.core.deadlines import end_of_day
from pctp.core.errors import DomainError
from pctp.law.timelimits import PROCURACY_LEVELS, LawError, procuracy_level_required
from pctp.sources import selectors as sources
from pctp.sources.models import Source


@dataclass(frozen=True)
class Finding:
    check: str
    record: str
    message: str


CHECKS: dict[str, tuple[str, Callable[[], Iterator[Finding]]]] = {}
WARNINGS: set[str] = set()  # listed for checking, not counted as unlawful


def check(code: str, title: str, *, warning: bool = False):
    def register(fn):
        CHECKS[code] = (title, fn)
        if warning:
            WARNINGS.add(code)
        return fn
    return register


def _case_label(case: Case) -> str:
    return _("case %(code)s (id %(id)s)") % {"code": case.register_code, "id": case.pk}


def _source_label(src: Source) -> str:
    return _("source %(code)s (id %(id)s)") % {"code": src.register_code, "id": src.pk}


@check("initiated_without_case",
       gettext_lazy("Sources with a decision to initiate but no case"))
def initiated_without_case() -> Iterator[Finding]:
    for src in sources.initiated_without_case().iterator():
        yield Finding("initiated_without_case", _source_label(src),
                      _("decided to initiate but there is no case: the investigation clock does "
                        "not run"))


@check("held_past_limit", gettext_lazy("People held past their limit"))
def held_past_limit() -> Iterator[Finding]:
    now = timezone.now()
    for m in Measure.objects.filter(released_on__isnull=True, due_at__lte=now).select_related(
            "case", "case__investigation_body", "accused"):
        yield Finding("held_past_limit", _case_label(m.case),
                      _("accused no. %(n)s: %(kind)s expired %(at)s, %(hours)s hours ago")
                      % {"n": m.accused.position, "kind": m.get_kind_display(),
                         "at": f"{timezone.localtime(m.due_at):%H:%M %d/%m/%Y}",
                         "hours": f"{m.hours_past(now):.0f}"})


def _recomputed(m: Measure):
    try:
        return s._measure_due(m)
    except (DomainError, LawError):
        return None


@check("stored_limit", gettext_lazy("Custody and detention limits stored against the law"))
def stored_limit() -> Iterator[Finding]:
    """The register trusts no stored limit: each active one is computed again from its
    start, its extensions and the days served."""
    for m in Measure.objects.filter(released_on__isnull=True).select_related(
            "case", "case__investigation_body", "accused"):
        again = _recomputed(m)
        if again is None:
            yield Finding("stored_limit", _case_label(m.case),
                          _("accused no. %(n)s: the limit cannot be computed")
                          % {"n": m.accused.position})
            continue
        _result, due, due_at = again
        if m.due_at is None or abs((m.due_at - due_at).total_seconds()) > 60 or m.due_date != due:
            yield Finding("stored_limit", _case_label(m.case),
                          _("accused no. %(n)s: stored %(stored)s, by law %(due)s")
                          % {"n": m.accused.position, "stored": f"{m.due_date:%d/%m/%Y}",
                             "due": f"{due:%d/%m/%Y}"})


@check("wrong_stage_detention", gettext_lazy("Detention not of the procedural stage"))
def wrong_stage_detention() -> Iterator[Finding]:
    for m in Measure.objects.filter(released_on__isnull=True).exclude(kind="custody") \
            .select_related("case", "case__investigation_body", "accused"):
        case = m.case
        expected = s.STAGE_DETENTION.get(case.clock_rule)
        if case.status == "judged":
            expected = Measure.Kind.DETENTION_JUDGMENT
        if case.status in ("sent_to_procuracy", "sent_to_court", "returned"):
            continue  # in transit: the previous stage's order holds until the next one's
        if expected is not None and m.kind != expected:
            yield Finding("wrong_stage_detention", _case_label(case),
                          _("accused no. %(n)s: «%(kind)s» at the stage «%(stage)s»")
                          % {"n": m.accused.position, "kind": m.get_kind_display(),
                             "stage": case.get_status_display()})


@check("maximum_exceeded", gettext_lazy("Total detention beyond the stage's maximum"))
def maximum_exceeded() -> Iterator[Finding]:
    """Orders of one stage for one person add up: the days served under released orders
    plus the current one may not pass the stage's maximum."""
    for m in Measure.objects.filter(released_on__isnull=True).exclude(kind="custody") \
            .select_related("case", "case__investigation_body", "accused"):
        credit = s._credit(m.accused, m.case, m.kind, m.start_on)
        if credit > m.deducted_days:
            yield Finding("maximum_exceeded", _case_label(m.case),
                          _("accused no. %(n)s: %(credit)s days held before this order but "
                            "only %(deducted)s deducted")
                          % {"n": m.accused.position, "credit": credit,
                             "deducted": m.deducted_days})


@check("late_extension",
       gettext_lazy("Extensions decided after the limit expired and not marked"))
def late_extension() -> Iterator[Finding]:
    late = Q(state="approved", decided_on__gt=F("due_before"), late=False)
    for x in Extension.objects.filter(late).select_related("case", "case__investigation_body"):
        yield Finding("late_extension", _case_label(x.case),
                      _("extension %(n)s decided on %(day)s, limit %(due)s")
                      % {"n": x.number, "day": f"{x.decided_on:%d/%m/%Y}",
                         "due": f"{x.due_before:%d/%m/%Y}"})
    for x in MeasureExtension.objects.filter(late).exclude(measure__kind="custody") \
            .select_related("measure__case", "measure__case__investigation_body"):
        yield Finding("late_extension", _case_label(x.measure.case),
                      _("detention extension %(n)s decided on %(day)s, limit %(due)s")
                      % {"n": x.number, "day": f"{x.decided_on:%d/%m/%Y}",
                         "due": f"{x.due_before:%d/%m/%Y}"})
    for x in sources.approved_extensions():
        day = timezone.localtime(x.decided_at).date() if x.decided_at else None
        src = x.source
        limit = _source_limit_before(src, x.number)
        if day and limit and day > limit:
            yield Finding("late_extension", _source_label(src),
                          _("extension %(n)s approved on %(day)s, limit %(due)s")
                          % {"n": x.number, "day": f"{day:%d/%m/%Y}",
                             "due": f"{limit:%d/%m/%Y}"})


@check("entered_after_limit", gettext_lazy("Extension decisions entered after the limit "
                                           "expired (check them against the paper)"),
       warning=True)
def entered_after_limit() -> Iterator[Finding]:
    """Not unlawful in itself (a paper decision signed in time may be entered late), but
    the register held no decision when the limit ran out: each one is checked against its
    paper. Listed, without failing the sweep."""
    entered = {
        Extension: gettext_lazy("extension %(n)s dated %(day)s but entered at %(at)s, after "
                                "the limit %(due)s had expired"),
        MeasureExtension: gettext_lazy("custody or detention extension %(n)s dated %(day)s but "
                                       "entered at %(at)s, after the limit %(due)s had expired"),
    }
    for model, message in entered.items():
        rows = model.objects.filter(state="approved", late=False, entered_at__isnull=False)
        related = ("case", "case__investigation_body") if model is Extension else (
            "measure__case", "measure__case__investigation_body")
        for x in rows.select_related(*related):
            if s.entered_after(end_of_day(x.due_before), x.entered_at):
                case = x.case if model is Extension else x.measure.case
                yield Finding("entered_after_limit", _case_label(case),
                              message % {
                                  "n": x.number, "day": f"{x.decided_on:%d/%m/%Y}",
                                  "at": f"{timezone.localtime(x.entered_at):%H:%M %d/%m/%Y}",
                                  "due": f"{x.due_before:%d/%m/%Y}"})


def _source_limit_before(src: Source, number: int) -> date | None:
    from pctp.law.services import deadline

    try:
        return deadline(src.clock_rule, start=src.clock_start, extensions=number - 1).due
    except LawError:
        return None


@check("wrong_level",
       gettext_lazy("Extensions granted by a procuracy level without the power"))
def wrong_level() -> Iterator[Finding]:
    rows = Extension.objects.filter(state="approved", rule__in=s.REQUESTED_RULES) \
        .exclude(granted_level="").select_related("case", "case__investigation_body")
    for x in rows:
        case = x.case
        try:
            clock = s.case_deadline(x.rule, start=case.clock_start if case.clock_rule == x.rule
                                    else case.initiated_on, severity=case.severity or None,
                                    extensions=x.number - 1, decided_on=x.decided_on)
        except (LawError, DomainError):
            continue
        need = procuracy_level_required(clock.authority or "")
        if need and PROCURACY_LEVELS.get(x.granted_level, 0) < PROCURACY_LEVELS[need]:
            yield Finding("wrong_level", _case_label(case),
                          _("extension %(n)s by the level %(level)s, the law: %(need)s")
                          % {"n": x.number, "level": x.granted_level, "need": need})


@check("wrong_court",
       gettext_lazy("Cases sent to a court without first-instance jurisdiction"))
def wrong_court() -> Iterator[Finding]:
    for r in Referral.objects.filter(kind=Referral.Kind.INDICTMENT,
                                     to_unit__kind="regional_court").select_related(
            "case", "case__investigation_body"):
        if s.court_level_for(r.case, r.sent_on) == "provincial":
            yield Finding("wrong_court", _case_label(r.case),
                          _("indictment of %(day)s sent to a regional people's court; the "
                            "penalty bracket is for the provincial people's court")
                          % {"day": f"{r.sent_on:%d/%m/%Y}"})


@check("not_in_force",
       gettext_lazy("Charges under an article not yet in force on the day of the act"))
def not_in_force() -> Iterator[Finding]:
    rows = Charge.objects.filter(offence__in_force_from__isnull=False,
                                 case__occurred_on__lt=F("offence__in_force_from"))
    for c in rows.select_related("case", "case__investigation_body", "offence"):
        yield Finding("not_in_force", _case_label(c.case),
                      _("Art. %(article)s in force from %(since)s, the act of %(day)s")
                      % {"article": c.offence.article,
                         "since": f"{c.offence.in_force_from:%d/%m/%Y}",
                         "day": f"{c.case.occurred_on:%d/%m/%Y}"})


@check("held_after_judgment",
       gettext_lazy("People held after the judgment not under Art. 329"))
def held_after_judgment() -> Iterator[Finding]:
    for m in Measure.objects.filter(released_on__isnull=True, case__status="judged").exclude(
            kind="detention.judgment").select_related("case", "case__investigation_body",
                                                      "accused"):
        yield Finding("held_after_judgment", _case_label(m.case),
                      _("accused no. %(n)s still «%(kind)s» after the judgment")
                      % {"n": m.accused.position, "kind": m.get_kind_display()})


def sweep(codes: list[str] | None = None) -> dict[str, list[Finding]]:
    return {code: list(fn()) for code, (_title, fn) in CHECKS.items()
            if not codes or code in codes}
