"""How the records behind a figure are listed: the same columns on the page, in the .xlsx
and in the API, each row with a link to the record itself. No personal data: reporters
and accused are never named in these lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctp.core.labels import REFERRAL_OUTCOMES


@dataclass(frozen=True)
class Columns:
    headers: list
    related: tuple[str, ...]
    row: object  # callable(record) -> list
    url: object  # callable(record) -> str


def _d(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def _url(name: str, pk) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _area_url(area) -> str:
    getter = getattr(area, "get_absolute_url", None)
    return getter() if getter else ""


COLUMNS = {
    "sources.source": Columns(
        [_("Register number"), _("Received at"), _("Classified at"), _("Commune"),
         _("Summary"), _("Status"), _("Decided at")],
        ("commune", "unit"),
        lambda s: [s.register_code, _d(s.received_at), _d(s.handled_at),
                   s.commune.name if s.commune_id else "", s.summary, s.get_status_display(),
                   _d(s.decided_at)],
        lambda s: _url("sources:detail", s.pk)),
    "cases.case": Columns(
        [_("Case number"), _("Occurred on"), _("Initiated on"), _("Commune"), _("Summary"),
         _("Severity"), _("Stage"), _("Detected on")],
        ("commune", "investigation_body"),
        lambda c: [c.register_code, _d(c.occurred_on), _d(c.initiated_on),
                   c.commune.name if c.commune_id else "", c.summary, c.get_severity_display(),
                   c.get_status_display(), _d(c.detected_on)],
        lambda c: _url("cases:detail", c.pk)),
    "cases.referral": Columns(
        [_("Case number"), _("Document"), _("Received on"), _("To decide by"),
         _("Decided on"), _("Outcome"), _("Summary")],
        ("case__investigation_body", "to_unit"),
        lambda r: [r.case.register_code, r.get_kind_display(), _d(r.received_on),
                   _d(r.due_date), _d(r.closed_on), str(REFERRAL_OUTCOMES.get(r.outcome, r.outcome)),
                   r.case.summary],
        lambda r: _url("cases:detail", r.case_id)),
    "cases.appeal": Columns(
        [_("Case number"), _("Kind"), _("Filed on"), _("Decided on"), _("Outcome"),
         _("Why the judgment was changed"), _("Court")],
        ("case__investigation_body", "case__court"),
        lambda a: [a.case.register_code, a.get_kind_display(), _d(a.filed_on), _d(a.decided_on),
                   a.get_outcome_display(), a.get_reason_display(),
                   a.case.court.name if a.case.court_id else ""],
        lambda a: _url("cases:detail", a.case_id)),
    "cases.recovery": Columns(
        [_("Case number"), _("Kind"), _("Amount (VND)"), _("Date"), _("Assets")],
        ("case__investigation_body",),
        lambda r: [r.case.register_code, r.get_kind_display(), r.amount, _d(r.on),
                   r.description],
        lambda r: _url("cases:detail", r.case_id)),
    "areas.keyarea": Columns(
        [_("Area"), _("Commune"), _("Status")],
        ("commune",),
        lambda a: [str(a), a.commune.name if a.commune_id else "",
                   a.get_status_display() if hasattr(a, "get_status_display") else ""],
        _area_url),
}


def columns_for(qs: QuerySet) -> Columns:
    return COLUMNS[qs.model._meta.label_lower]


def rows(qs: QuerySet) -> Iterable[tuple[str, list]]:
    """(url, cells) for each record, fetched in chunks."""
    cols = columns_for(qs)
    for record in qs.select_related(*cols.related).iterator(chunk_size=2000):
        yield cols.url(record), cols.row(record)


# Searching, filtering and sorting the records behind a figure (issue 17): the same on the
# page and in its .xlsx, kept in the URL. Per model: the text fields searched, the path to
# the commune, and the orders offered (key → field, label).
REFINE = {
    "sources.source": (("search_text",), "commune__code", {
        "received": ("received_at", _("Received at")), "decided": ("decided_at", _("Decided at")),
        "register": ("register_number", _("Register number"))}),
    "cases.case": (("summary", "decision_number", "address"), "commune__code", {
        "initiated": ("initiated_on", _("Initiated on")),
        "occurred": ("occurred_on", _("Occurred on")),
        "detected": ("detected_on", _("Detected on"))}),
    "cases.referral": (("case__summary",), "case__commune__code", {
        "received": ("received_on", _("Received on")), "due": ("due_date", _("To decide by")),
        "decided": ("closed_on", _("Decided on"))}),
    "cases.recovery": (("case__summary", "description"), "case__commune__code", {
        "date": ("on", _("Date")), "amount": ("amount", _("Amount (VND)"))}),
    "areas.keyarea": (("name",), "commune__code", {"name": ("name", _("Area"))}),
}


def sort_choices(qs: QuerySet) -> list[tuple[str, str]]:
    _fields, _commune, sorts = REFINE[qs.model._meta.label_lower]
    return [(key, label) for key, (_f, label) in sorts.items()]


def refine(qs: QuerySet, *, q: str = "", commune: str = "", sort: str = "",
           descending: bool = False) -> QuerySet:
    """The records narrowed by words (without diacritics for sources), a commune, and put in
    the order asked; unknown values are ignored (the figure's own list stays)."""
    from django.db.models import F, Q

    from pctp.law.selectors import fold

    fields, commune_path, sorts = REFINE[qs.model._meta.label_lower]
    for word in (q or "").split()[:8]:
        if fields == ("search_text",):
            qs = qs.filter(search_text__contains=fold(word))
        else:
            match = Q()
            for name in fields:
                match |= Q(**{f"{name}__icontains": word})
            qs = qs.filter(match)
    if commune:
        qs = qs.filter(**{commune_path: commune})
    if sort in sorts:
        field = F(sorts[sort][0])
        qs = qs.order_by(field.desc(nulls_last=True) if descending
                         else field.asc(nulls_last=True), "pk")
    return qs


# ----------------------------------------------------------------------------- typed rows
# The same columns as COLUMNS, read as plain values (no model built per record) and typed:
# dates as dates, amounts as numbers. For exports of hundreds of thousands of records (the
# reports' annex, issue 20), where building a model per row cost most of the time.

def _local(value):
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None) if hasattr(value, "hour") else value


def _code(number, year, short, code) -> str:
    return f"{number}/{year}/{short or code}"


def _labels(qs: QuerySet, field: str) -> dict:
    return {k: str(v) for k, v in qs.model._meta.get_field(field).flatchoices}


def _typed_source(qs):
    status = _labels(qs, "status")
    fields = ("pk", "register_number", "register_year", "unit__short_name", "unit__code",
              "received_at", "handled_at", "commune__name", "summary", "status", "decided_at")
    for pk, n, y, short, code, received, handled, commune, summary, st, decided in \
            qs.values_list(*fields).iterator(chunk_size=5000):
        yield pk, [_code(n, y, short, code), _local(received), _local(handled), commune or "",
                   summary, status.get(st, st), _local(decided)]


def _typed_case(qs):
    severity, status = _labels(qs, "severity"), _labels(qs, "status")
    fields = ("pk", "register_number", "register_year", "investigation_body__short_name",
              "investigation_body__code", "occurred_on", "initiated_on", "commune__name",
              "summary", "severity", "status", "detected_on")
    for pk, n, y, short, code, occurred, initiated, commune, summary, sev, st, detected in \
            qs.values_list(*fields).iterator(chunk_size=5000):
        yield pk, [_code(n, y, short, code), occurred, initiated, commune or "", summary,
                   severity.get(sev, sev), status.get(st, st), detected]


def _typed_referral(qs):
    kind = _labels(qs, "kind")
    fields = ("pk", "case__register_number", "case__register_year",
              "case__investigation_body__short_name", "case__investigation_body__code",
              "kind", "received_on", "due_date", "closed_on", "outcome", "case__summary")
    for pk, n, y, short, code, k, received, due, closed, outcome, summary in \
            qs.values_list(*fields).iterator(chunk_size=5000):
        yield pk, [_code(n, y, short, code), kind.get(k, k), received, due, closed,
                   str(REFERRAL_OUTCOMES.get(outcome, outcome)), summary]


def _typed_recovery(qs):
    kind = _labels(qs, "kind")
    fields = ("pk", "case__register_number", "case__register_year",
              "case__investigation_body__short_name", "case__investigation_body__code",
              "kind", "amount", "on", "description")
    for pk, n, y, short, code, k, amount, on, description in \
            qs.values_list(*fields).iterator(chunk_size=5000):
        yield pk, [_code(n, y, short, code), kind.get(k, k), amount, on, description]


TYPED = {"sources.source": _typed_source, "cases.case": _typed_case,
         "cases.referral": _typed_referral, "cases.recovery": _typed_recovery}


def typed_rows(qs: QuerySet) -> Iterable[tuple[int, list]]:
    """(pk, cells) for each record, the cells typed (dates, numbers) and in COLUMNS' order."""
    fast = TYPED.get(qs.model._meta.label_lower)
    if fast is not None:
        yield from fast(qs)
        return
    cols = columns_for(qs)
    for record in qs.select_related(*cols.related).iterator(chunk_size=2000):
        yield record.pk, cols.row(record)
