from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.views import PasswordChangeView
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pctp.core.audit import access_record, audit_record
from pctp.core.errors import DomainError
from pctp.core.home import cards as home_cards
from pctp.core.models import AccessLog, AuditEvent
from pctp.core.permissions import memberships as user_memberships
from pctp.core.permissions import units_in_scope
from pctp.core.selectors import access_log_list, audit_event_list
from pctp.core.sorting import sorted_by


@login_required
def home(request):
    memberships = list(user_memberships(request.user))
    context = {
        "memberships": memberships,
        "unit_count": units_in_scope(request.user).count(),
        "recent_events": AuditEvent.objects.filter(actor=request.user)[:10],
        "widgets": home_cards(request),
    }
    return render(request, "core/home.html", context)


@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "time": timezone.now().isoformat()})


def _filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in ("action", "object_type", "actor",
                                                        "date_from", "date_to")}


def _listed(request, selector, filters: dict):
    """The selector's rows; a filter it refuses (an impossible date) is dropped with a
    message on the page instead of an error page."""
    while True:
        try:
            return selector(user=request.user, **filters)
        except DomainError as exc:
            if not any(filters.get(name) for name in exc.details):
                raise
            messages.error(request, exc.message)
            for name in exc.details:
                filters[name] = ""


@login_required
@permission_required("core.view_journal", raise_exception=True)
def journal_events(request):
    filters = _filters(request)
    events, sort = sorted_by(request, _listed(request, audit_event_list, filters), {
        "-at": (_("time, newest first"), ("-at", "-id")),
        "at": (_("time, oldest first"), ("at", "id")),
        "action": (_("action"), ("action", "-at"))})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/journal_events.html",
                  {"page": page, "filters": filters, "tab": "events", "sort": sort})


@login_required
@permission_required("core.view_journal", raise_exception=True)
def journal_access(request):
    filters = _filters(request)
    rows, sort = sorted_by(request, _listed(request, access_log_list, filters), {
        "-at": (_("time, newest first"), ("-at", "-id")),
        "at": (_("time, oldest first"), ("at", "id"))})
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "core/journal_access.html",
                  {"page": page, "filters": filters, "tab": "access", "sort": sort})


class _Echo:
    def write(self, value):
        return value


@login_required
@permission_required("core.export_journal", raise_exception=True)
def journal_export(request, which: str):
    filters = _filters(request)
    try:
        return _journal_csv(request, which, filters)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status, content_type="text/plain")


def _journal_csv(request, which: str, filters: dict):
    if which == "events":
        rows = audit_event_list(user=request.user, **filters)
        header = ["id", "at", "actor", "action", "object_type", "object_id", "object",
                  "from", "to", "changes", "note", "client_address"]

        def line(e: AuditEvent):
            return [e.pk, e.at.isoformat(), e.actor.username if e.actor else "", e.action,
                    e.object_type, e.object_id, e.object_repr, e.from_state, e.to_state,
                    e.changes, e.note, e.client_address or ""]
    elif which == "access":
        rows = access_log_list(user=request.user, **filters)
        header = ["id", "at", "actor", "kind", "object_type", "object_id", "fields", "purpose",
                  "client_address"]

        def line(a: AccessLog):
            return [a.pk, a.at.isoformat(), a.actor.username if a.actor else "", a.kind,
                    a.object_type, a.object_id, a.fields, a.purpose, a.client_address or ""]
    else:
        return HttpResponse(status=404)
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # Excel opens UTF-8 with a BOM correctly
        yield writer.writerow(header)
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(line(row))

    # Exporting the access log is itself an export of who looked at whom: record it.
    access_record(actor=request.user, obj=request.user, fields=f"journal:{which}",
                  purpose="journal export", kind=AccessLog.Kind.EXPORT)
    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="pctp-{which}-{stamp}.csv"'
    return response


class AuditedPasswordChangeView(PasswordChangeView):
    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(actor=self.request.user, action="user.password_change",
                         obj=self.request.user)
        return response
