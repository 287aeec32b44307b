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
                   _d(r.due_date), _d(r.closed_on), r.outcome, r.case.summary],
        lambda r: _url("cases:detail", r.case_id)),
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
