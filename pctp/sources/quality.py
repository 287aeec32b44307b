"""Quality of the police's decisions on crime sources (issue 21), read from the journal:
the procuracy cancelling a suspension of resolving a source (CPC Art. 148) or a decision
not to initiate (Arts. 153(3)(a) and 161)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from pctp.core.indicators import IndicatorResult
from pctp.core.models import AuditEvent
from pctp.sources.models import Channel, Source


def _journaled(scope: QuerySet[Source], action: str, start: date, end: date):
    ids = (AuditEvent.objects.filter(object_type="sources.source", action=action,
                                     at__date__gte=start, at__date__lte=end)
           .values_list("object_id", flat=True))
    return scope.exclude(channel=Channel.REGISTER).filter(
        pk__in=[int(i) for i in ids if str(i).isdigit()])


def cancelled_suspensions(scope: QuerySet[Source], start: date, end: date, *, as_of: date
                          ) -> IndicatorResult:
    last = min(end, as_of)
    suspended = _journaled(scope, "source.suspend", start, last)
    cancelled = _journaled(scope, "source.cancel_suspension", start, last)
    return IndicatorResult(
        code="Q6", name=_("Suspensions of sources cancelled by the procuracy"),
        definition=_("Numerator: crime sources whose suspension the procuracy cancelled in "
                     "the period (CPC Art. 148: the suspension had no lawful ground; resolution resumes, Art. 148(2)). "
                     "Denominator: sources suspended in the period. Per 100 suspensions; each "
                     "cancellation is a decision of the police set aside."),
        period_start=start, period_end=end, numerator=cancelled.count(),
        denominator=suspended.count(), numerator_records=cancelled,
        denominator_records=suspended)


def cancelled_declines(scope: QuerySet[Source], start: date, end: date, *, as_of: date
                       ) -> IndicatorResult:
    last = min(end, as_of)
    declined = _journaled(scope, "source.decline", start, last)
    cancelled = _journaled(scope, "source.cancel_decline", start, last)
    return IndicatorResult(
        code="Q9", name=_("Decisions not to initiate cancelled by the procuracy"),
        definition=_("Numerator: crime sources whose decision not to initiate the procuracy "
                     "cancelled in the period, initiating the case itself (CPC Arts. 153(3)(a) "
                     "and 161): a crime the police had let go. Denominator: decisions not to "
                     "initiate taken in the period. Per 100 decisions."),
        period_start=start, period_end=end, numerator=cancelled.count(),
        denominator=declined.count(), numerator_records=cancelled,
        denominator_records=declined)


SEVERITY_RANK = {"less_serious": 1, "serious": 2, "very_serious": 3, "especially_serious": 4}


def reclassified_lighter(scope: QuerySet[Source], start: date, end: date, *, as_of: date
                         ) -> IndicatorResult:
    """Sources whose offence was changed in the period and which, after their last change up
    to the day of counting, stand in a lighter class than at their first classification
    (a change and its undoing is no change)."""
    last = min(end, as_of)
    classified = _journaled(scope, "source.classify", start, last)
    changed = set(AuditEvent.objects.filter(
        object_type="sources.source", action="source.reclassify", at__date__gte=start,
        at__date__lte=last).values_list("object_id", flat=True))
    first: dict[str, str] = {}
    now: dict[str, str] = {}
    for object_id, action, delta in (AuditEvent.objects.filter(
            object_type="sources.source", object_id__in=changed,
            action__in=("source.classify", "source.reclassify"), at__date__lte=last)
            .order_by("at", "pk").values_list("object_id", "action", "changes")):
        severity = ((delta or {}).get("severity") or [None, None])
        if action == "source.classify":
            first.setdefault(object_id, severity[1])
        elif object_id not in first:
            first[object_id] = severity[0]  # classified before the journal kept it
        now[object_id] = severity[1]
    lighter_ids = [int(i) for i in changed if str(i).isdigit()
                   and SEVERITY_RANK.get(now.get(i), 0) < SEVERITY_RANK.get(first.get(i), 0)]
    lighter = scope.exclude(channel=Channel.REGISTER).filter(pk__in=lighter_ids)
    return IndicatorResult(
        code="Q10", name=_("Sources reclassified to a lighter offence"),
        definition=_("Numerator: crime sources whose offence was changed in the period and "
                     "which, after their last change, stand in a lighter class of crime (PC "
                     "Art. 9) than at their first classification. Denominator: sources "
                     "classified in the period. Per 100 sources; each change is journaled "
                     "with its reason and may be lawful, but a lighter charge is also how a "
                     "crime is let slip."),
        period_start=start, period_end=end, numerator=lighter.count(),
        denominator=classified.count(), numerator_records=lighter,
        denominator_records=classified)
