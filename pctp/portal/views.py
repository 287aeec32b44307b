"""Public pages of the citizens' portal (no sign-in) and the staff's triage pages."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pctp.core.errors import DomainError
from pctp.core.middleware import _client_ip
from pctp.core.sorting import sorted_by
from pctp.portal import forms as f
from pctp.portal import services as s
from pctp.portal.disclosure import published_statistics
from pctp.portal.models import Bulletin, PortalReport, ReportStatus
from pctp.portal.selectors import (
    inbox,
    indicator_lookup,
    plain_status,
    report_get,
)
from pctp.sources.selectors import source_get
from pctp.units.models import Commune, Unit

SESSION_REPORT = "portal_report_id"
SESSION_ISSUED = "portal_issued"


def _communes():
    return Commune.objects.filter(province__code=settings.PCTP_PROVINCE_CODE).order_by("name")


def home(request):
    bulletins = Bulletin.objects.filter(published_at__isnull=False)[:3]
    return render(request, "portal/home.html", {"bulletins": bulletins})


def _session_scope(request) -> str:
    """The portal session the form came from (created if need be): a retry from the same
    browser finds its report; another browser reusing the token never does."""
    if not request.session.session_key:
        request.session.save()
    return "w:" + request.session.session_key


@never_cache
def report(request):
    form = f.ReportForm(request.POST or None, request.FILES or None, communes=_communes())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        identity = None if d["anonymous"] else s.Identity(
            name=d["name"], personal_id=d["personal_id"], contact=d["contact"])
        try:
            created, passphrase = s.portal_submit(
                commune=d["commune"], crime_type=d["crime_type"], description=d["description"],
                occurred_at=d["occurred_at"], place=d["place"], lat=d["lat"], lon=d["lon"],
                identity=identity, confidential=d["confidential"], files=d["files"],
                client_token=s.scoped_token(_session_scope(request), d["client_token"]),
                client_address=_client_ip(request))
        except DomainError as exc:
            for field, errors in exc.details.items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.details:
                form.add_error(None, exc.message)
            return render(request, "portal/report.html", {"form": form}, status=exc.status)
        if passphrase:
            request.session[SESSION_ISSUED] = {"code": created.tracking_code, "passphrase": passphrase}
        return redirect("portal:submitted")
    return render(request, "portal/report.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@never_cache
def submitted(request):
    issued = request.session.pop(SESSION_ISSUED, None)
    if issued is None:
        return render(request, "portal/submitted.html", {"issued": None})
    return render(request, "portal/submitted.html", {"issued": issued})


@never_cache
def follow(request):
    form = f.FollowForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = s.portal_open(tracking_code=form.cleaned_data["tracking_code"],
                                  passphrase=form.cleaned_data["passphrase"],
                                  client_address=_client_ip(request))
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            request.session.cycle_key()
            request.session[SESSION_REPORT] = found.pk
            return redirect("portal:conversation")
    return render(request, "portal/follow.html", {"form": form}, status=status)


@never_cache
def conversation(request):
    pk = request.session.get(SESSION_REPORT)
    found = PortalReport.objects.filter(pk=pk).select_related("source").first() if pk else None
    if found is None:
        return redirect("portal:follow")
    form = f.MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            s.portal_reporter_message(report=found, text=form.cleaned_data["text"],
                                      files=form.cleaned_data["files"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("portal:conversation")
    return render(request, "portal/conversation.html", {
        "report": found, "status_text": plain_status(found), "form": form,
        "thread": found.messages.all(),
    })


@require_POST
def leave(request):
    request.session.pop(SESSION_REPORT, None)
    return redirect("portal:home")


def warnings(request):
    bulletins = Bulletin.objects.filter(published_at__isnull=False)
    page = Paginator(bulletins, 10).get_page(request.GET.get("page"))
    return render(request, "portal/warnings.html", {"page": page})


def lookup(request):
    form = f.LookupForm(request.GET or None)
    result = None
    searched = False
    if request.GET and form.is_valid():
        searched = True
        result = indicator_lookup(form.cleaned_data["kind"], form.cleaned_data["value"])
    return render(request, "portal/lookup.html", {"form": form, "result": result,
                                                  "searched": searched})




def statistics(request):
    """No charting script: the map is an SVG drawn here (a phone loads the page at once)."""
    from pctp.units.maps import attribution, commune_svg

    data = published_statistics(province_code=settings.PCTP_PROVINCE_CODE)
    svg = commune_svg(data.totals(), title=_("Crime reports per commune, last 12 months"))
    return render(request, "portal/statistics.html", {"data": data, "map_svg": svg,
                                                      "attribution": attribution()})


def statistics_csv(request):
    """The statistics page's table as CSV (UTF-8 with a BOM, Vietnamese headers): the same
    published numbers, never exact ones."""
    with translation.override("vi"):
        data = published_statistics(province_code=settings.PCTP_PROVINCE_CODE)
        header = ["Mã xã, phường", "Xã, phường", "Tổng số",  # i18n: data (a fixed file format)
                  *[label for _code, label in data.groups]]
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(out)
    writer.writerow(header)
    for row in [*data.communes, data.province]:
        writer.writerow([row.code, row.name, row.total,
                         *[row.groups[code] for code, _label in data.groups]])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="thong-ke-{data.start:%Y%m}-{data.end:%Y%m}.csv"')
    return response


def plotly_js(request):
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    response = FileResponse(open(path, "rb"), content_type="application/javascript")  # noqa: SIM115
    response["Cache-Control"] = "public, max-age=604800"
    return response


# ----------------------------------------------------------------------------- staff


@login_required
@permission_required("portal.triage_portal", raise_exception=True)
def staff_inbox(request):
    status = request.GET.get("status", ReportStatus.NEW)
    if status not in ReportStatus.values and status != "":
        status = ReportStatus.NEW
    reports, sort = sorted_by(request, inbox(user=request.user, status=status), {
        "-sent": (_("sent, newest first"), ("-created_at", "-pk")),
        "sent": (_("sent, oldest first"), ("created_at", "pk")),
        "commune": (_("commune"), ("commune__name", "created_at"))})
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "portal/staff_inbox.html", {
        "page": page, "sort": sort, "status": status, "statuses": ReportStatus.choices})


def _report(request, pk):
    try:
        return report_get(user=request.user, pk=pk)
    except PortalReport.DoesNotExist:
        raise Http404 from None


@login_required
def staff_report(request, pk: int, *, forms=None, status=200):
    found = _report(request, pk)
    units = Unit.objects.current().filter(province__code=settings.PCTP_PROVINCE_CODE,
                                          kind=Unit.Kind.COMMUNE_POLICE).exclude(pk=found.unit_id)
    return render(request, "portal/staff_report.html", {
        "report": found, "thread": found.messages.select_related("officer"),
        "forms": forms or {"convert": f.ConvertForm(initial={"summary": found.get_crime_type_display()}),
                           "close": f.TriageCloseForm(), "reply": f.ReplyForm(),
                           "merge": f.MergeForm()},
        "units": units, "status_text": plain_status(found),
    }, status=status)


@login_required
@never_cache
def staff_identity(request, pk: int):
    found = _report(request, pk)
    try:
        identity = s.portal_identity(actor=request.user, report=found)
    except DomainError:
        return render(request, "errors/403.html", status=403)
    return render(request, "portal/staff_identity.html", {"report": found, "identity": identity})


@login_required
@require_POST
def staff_action(request, pk: int, action: str):
    found = _report(request, pk)
    forms = {"convert": f.ConvertForm(request.POST), "close": f.TriageCloseForm(request.POST),
             "reply": f.ReplyForm(request.POST), "merge": f.MergeForm(request.POST)}
    try:
        if action == "forward":
            unit = Unit.objects.filter(pk=request.POST.get("unit")).first()
            if unit is None:
                raise DomainError("invalid", _("Choose a unit."))
            s.portal_forward(actor=request.user, report=found, to_unit=unit,
                             reason=request.POST.get("reason", ""))
        elif action in forms:
            form = forms[action]
            if not form.is_valid():
                return staff_report(request, pk, forms=forms, status=400)
            d = form.cleaned_data
            if action == "convert":
                source = s.portal_convert(actor=request.user, report=found, summary=d["summary"])
                messages.success(request, _("Entered in the register as %(code)s.")
                                 % {"code": source.register_code})
                return redirect("sources:detail", pk=source.pk)
            if action == "close":
                s.portal_close(actor=request.user, report=found, abuse=d["abuse"],
                               reason=d["reason"])
            elif action == "reply":
                s.portal_reply(actor=request.user, report=found, text=d["text"])
            elif action == "merge":
                try:
                    target = source_get(user=request.user, pk=d["source"])
                except Exception:  # noqa: BLE001 - not in scope is not found
                    raise DomainError("not_found", _("No source with that id in your scope.")) from None
                s.portal_merge(actor=request.user, report=found, source=target,
                               reason=d["reason"])
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
        return staff_report(request, pk, forms=forms, status=exc.status)
    messages.success(request, _("Done."))
    return redirect("portal:staff-report", pk=pk)


@login_required
@permission_required("portal.publish_warnings", raise_exception=True)
def staff_bulletin_new(request):
    form = f.BulletinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from pctp.units.selectors import user_memberships

        membership = user_memberships(request.user).first()
        if membership is None:
            raise Http404
        from pctp.core.audit import audit_record

        bulletin = Bulletin.objects.create(author=request.user, unit=membership.unit,
                                           published_at=timezone.now(), **form.cleaned_data)
        audit_record(actor=request.user, action="portal.bulletin_publish", obj=bulletin)
        messages.success(request, _("Published."))
        return redirect("portal:warnings")
    return render(request, "portal/staff_bulletin.html", {"form": form})


@login_required
@require_POST
def staff_indicator(request, source_pk: int):
    try:
        source = source_get(user=request.user, pk=source_pk)
    except Exception:  # noqa: BLE001
        raise Http404 from None
    form = f.IndicatorForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
    else:
        try:
            indicator = s.indicator_confirm(actor=request.user, source=source,
                                            **form.cleaned_data)
            messages.success(request, _("The indicator is shown in the public lookup.")
                             if indicator.verified_at else
                             _("The indicator is recorded. Another officer must verify it "
                               "before citizens see it."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("sources:detail", pk=source_pk)


@never_cache
@login_required
def staff_indicators(request):
    """Fraud indicators entered and awaiting a second officer's verification (issue 17)."""
    from pctp.portal.models import FraudIndicator
    from pctp.portal.selectors import indicators_to_verify

    if not (request.user.has_perm("sources.verify_source")
            or request.user.has_perm("sources.classify_source")):
        raise PermissionDenied
    if request.method == "POST":
        indicator = indicators_to_verify(user=request.user).filter(
            pk=request.POST.get("indicator") or 0).first()
        if indicator is None:
            raise Http404
        try:
            s.indicator_verify(actor=request.user, indicator=indicator,
                               note=request.POST.get("note", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Verified: %(i)s is now shown to citizens.")
                             % {"i": indicator})
        return redirect("portal:indicators")
    return render(request, "portal/staff_indicators.html", {
        "pending": indicators_to_verify(user=request.user),
        "kinds": dict(FraudIndicator.Kind.choices)})
