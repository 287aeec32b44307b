"""Staff pages of outreach (issue 22): campaigns with their reach and effect, and the
register of false information with its refutations."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pctp.core.errors import DomainError, InvalidTransition
from pctp.outreach import forms as f
from pctp.outreach import selectors as q
from pctp.outreach import services as s
from pctp.outreach.models import ClaimStatus
from pctp.units.models import Commune, Unit
from pctp.units.selectors import user_has_perm_in_unit


def _viewer(request):
    if not q.may_view(request.user):
        raise PermissionDenied


def _units(user, perm: str):
    """The units the user may act for with ``perm``."""
    ids = [u.pk for u in q._units(user).current() if user_has_perm_in_unit(user, perm, u)]
    return Unit.objects.current().filter(pk__in=ids).order_by("name")


def _fail(form, exc: DomainError) -> None:
    for field, errors in (exc.details or {}).items():
        form.add_error(field if field in form.fields else None, errors)
    if not exc.details:
        form.add_error(None, exc.message)


def _campaign(request, pk: int):
    campaign = q.campaign_scope(request.user).filter(pk=pk).select_related("unit").first()
    if campaign is None:
        raise Http404
    return campaign


def _campaign_form(request, data=None, initial=None, unit=None):
    from pctp.portal.selectors import tip_type_choices

    units = _units(request.user, "outreach.manage_campaign")
    province = unit.province_id if unit else (units[0].province_id if units else None)
    return f.CampaignForm(data, initial=initial, units=units,
                          communes=Commune.objects.filter(province_id=province).order_by("name"),
                          tip_types=tip_type_choices())


@never_cache
@login_required
def campaigns(request):
    _viewer(request)
    query = request.GET.get("q", "").strip()[:100]
    year = request.GET.get("year", "")
    rows = q.campaign_list(user=request.user, query=query,
                           year=int(year) if year.isdigit() and len(year) == 4 else None)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    inbox = q.claim_scope(request.user).filter(status=ClaimStatus.REPORTED).count()
    return render(request, "outreach/campaigns.html", {
        "page": page, "query": query, "year": year, "inbox": inbox,
        "may_manage": request.user.has_perm("outreach.manage_campaign"),
        "today": timezone.localdate()})


@never_cache
@login_required
def campaign_new(request):
    _viewer(request)
    if not request.user.has_perm("outreach.manage_campaign"):
        raise PermissionDenied
    form = _campaign_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.service_data()
        try:
            campaign = s.campaign_create(actor=request.user, **d)
        except DomainError as exc:
            _fail(form, exc)
        else:
            return redirect("outreach:campaign", campaign.pk)
    return render(request, "outreach/campaign_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@never_cache
@login_required
def campaign_edit(request, pk: int):
    _viewer(request)
    campaign = _campaign(request, pk)
    if not user_has_perm_in_unit(request.user, "outreach.manage_campaign", campaign.unit):
        raise PermissionDenied
    initial = {"title": campaign.title, "theme": campaign.theme,
               "description": campaign.description, "unit": campaign.unit,
               "starts_on": campaign.starts_on, "ends_on": campaign.ends_on,
               "communes": list(campaign.communes.all()), "crime_groups": campaign.crime_groups,
               "articles": ", ".join(campaign.offences.values_list("article", flat=True)),
               "tip_types": campaign.tip_types, "audiences": campaign.audiences,
               "channels": campaign.channels, "budget": campaign.budget,
               "warnings": list(campaign.warnings.all())}
    form = _campaign_form(request, request.POST or None, initial=initial, unit=campaign.unit)
    form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.service_data()
        d.pop("unit", None)
        try:
            s.campaign_update(actor=request.user, campaign=campaign, **d)
        except DomainError as exc:
            _fail(form, exc)
        else:
            return redirect("outreach:campaign", campaign.pk)
    return render(request, "outreach/campaign_form.html", {"form": form, "campaign": campaign},
                  status=400 if request.method == "POST" else 200)


@never_cache
@login_required
def campaign_detail(request, pk: int, *, reach_form=None, material_form=None, status=200):
    _viewer(request)
    campaign = _campaign(request, pk)
    may_manage = user_has_perm_in_unit(request.user, "outreach.manage_campaign", campaign.unit)
    from pctp.outreach.models import Audience, Channel

    labels = {**dict(Channel.choices), **dict(Audience.choices)}
    from pctp.law.models import CrimeGroup
    from pctp.portal.selectors import tip_type_choices

    effects = q.campaign_effect(campaign)
    return render(request, "outreach/campaign_detail.html", {
        "campaign": campaign, "may_manage": may_manage,
        "communes": campaign.communes.order_by("name"),
        "offences": campaign.offences.order_by("article"),
        "channels": [labels.get(c, c) for c in campaign.channels],
        "audiences": [labels.get(a, a) for a in campaign.audiences],
        "groups": [dict(CrimeGroup.choices).get(g, g) for g in campaign.crime_groups],
        "tip_types": [dict(tip_type_choices()).get(t, t) for t in campaign.tip_types],
        "reach": campaign.reach.select_related("entered_by"),
        "totals": q.reach_totals(campaign), "materials": campaign.materials.all(),
        "claims": campaign.claims.all(), "warnings": campaign.warnings.all(),
        "effects": [(e, q.OUTCOMES[e.outcome]) for e in effects],
        "comparison": len(q.comparison_communes(campaign)),
        "overlapping": q.overlapping_campaigns(campaign),
        "reach_form": reach_form or f.ReachForm(initial={"on": timezone.localdate()}),
        "material_form": material_form or f.MaterialForm()}, status=status)


@require_POST
@login_required
def campaign_reach(request, pk: int):
    _viewer(request)
    campaign = _campaign(request, pk)
    form = f.ReachForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            s.reach_add(actor=request.user, campaign=campaign, channel=d["channel"], on=d["on"],
                        views=d["views"] or 0, participants=d["participants"] or 0,
                        note=d["note"])
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from None
            _fail(form, exc)
        else:
            return redirect("outreach:campaign", campaign.pk)
    return campaign_detail(request, pk, reach_form=form, status=400)


@require_POST
@login_required
def campaign_material(request, pk: int):
    _viewer(request)
    campaign = _campaign(request, pk)
    form = f.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            s.material_add(actor=request.user, campaign=campaign,
                           uploaded=form.cleaned_data["file"])
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from None
            _fail(form, exc)
        else:
            return redirect("outreach:campaign", campaign.pk)
    return campaign_detail(request, pk, material_form=form, status=400)


@login_required
def material_download(request, pk: int, material_id: int):
    _viewer(request)
    campaign = _campaign(request, pk)
    row = campaign.materials.filter(pk=material_id).first()
    if row is None:
        raise Http404
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.name,
                        content_type=row.content_type)


# ----------------------------------------------------------------------------- the register

def _claim(request, pk: int):
    claim = q.claim_scope(request.user).filter(pk=pk).select_related(
        "unit", "campaign").first()
    if claim is None:
        raise Http404
    return claim


@never_cache
@login_required
def claims(request):
    _viewer(request)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()[:100]
    rows = q.claim_scope(request.user).select_related("unit", "campaign")
    if status in ClaimStatus.values:
        rows = rows.filter(status=status)
    if query:
        from django.db.models import Q

        rows = rows.filter(Q(claim__icontains=query) | Q(facts__icontains=query)
                           | Q(url__icontains=query))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "outreach/claims.html", {
        "page": page, "status": status, "query": query, "statuses": ClaimStatus.choices,
        "may_manage": request.user.has_perm("outreach.manage_claim")})


@never_cache
@login_required
def claim_new(request):
    _viewer(request)
    if not request.user.has_perm("outreach.manage_claim"):
        raise PermissionDenied
    form = f.ClaimForm(request.POST or None, units=_units(request.user, "outreach.manage_claim"),
                       campaigns=q.campaign_scope(request.user),
                       initial={"seen_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            claim = s.claim_create(actor=request.user, **d)
        except DomainError as exc:
            _fail(form, exc)
        else:
            return redirect("outreach:claim", claim.pk)
    return render(request, "outreach/claim_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _claim_forms(request, claim, data=None) -> dict:
    units = _units(request.user, "outreach.manage_claim")
    forms = {"accept": f.AcceptForm(data, units=units), "verify": f.VerifyForm(data),
             "refute": f.RefuteForm(data, initial={
                 "claim_wording": "" if claim.from_citizen else claim.claim}),
             "close": f.NoteForm(data), "dismiss": f.NoteForm(data)}
    refutation = q.Refutation.objects.filter(claim=claim).first()
    if refutation is not None:
        forms["correct"] = f.CorrectForm(data, initial={
            "title": refutation.title, "body": refutation.body,
            "claim_wording": refutation.claim_wording})
    return forms


def _may_manage_claim(user, claim) -> bool:
    if claim.unit is None:
        return q.keeps_inbox(user)
    return user_has_perm_in_unit(user, "outreach.manage_claim", claim.unit)


@never_cache
@login_required
def claim_detail(request, pk: int, *, forms=None, status=200, refused: str = ""):
    _viewer(request)
    claim = _claim(request, pk)
    refutation = q.Refutation.objects.filter(claim=claim).first()
    may = _may_manage_claim(request.user, claim)
    actions = s.claim_actions(claim) if may else []
    if may and refutation is not None:
        actions.append("correct")
    built = _claim_forms(request, claim)
    built.update(forms or {})
    from pctp.core.models import AuditEvent

    journal = AuditEvent.objects.filter(object_type="outreach.falseclaim",
                                        object_id=str(claim.pk)).order_by("at", "pk")
    return render(request, "outreach/claim_detail.html", {
        "claim": claim, "refutation": refutation, "actions": actions, "forms": built,
        "revisions": refutation.revisions.select_related("by") if refutation else [],
        "evidence": _evidence_links(request.user, claim), "journal": journal,
        "refused": refused}, status=status)


def _evidence_links(user, claim) -> list[dict]:
    from pctp.cases.selectors import case_scope
    from pctp.sources.selectors import source_scope

    out = []
    for kind, pk in claim.evidence or []:
        if kind == "sources.source":
            row = source_scope(user).filter(pk=pk).select_related("unit").first()
            url = f"/sources/{pk}/"
        else:
            row = case_scope(user).filter(pk=pk).select_related("investigation_body").first()
            url = f"/cases/{pk}/"
        out.append({"label": row.register_code if row else f"#{pk}",
                    "url": url if row else "", "kind": kind})
    return out


@require_POST
@login_required
def claim_action(request, pk: int, action: str):
    _viewer(request)
    claim = _claim(request, pk)
    forms = _claim_forms(request, claim, request.POST)
    form = forms.get(action)
    if form is None:
        raise Http404
    if not _may_manage_claim(request.user, claim):
        raise PermissionDenied
    if form.is_valid():
        d = form.cleaned_data
        u = request.user
        try:
            if action == "accept":
                s.claim_accept(actor=u, claim=claim, unit=d["unit"])
            elif action == "verify":
                s.claim_verify(actor=u, claim=claim, facts=d["facts"],
                               evidence=s.evidence_from_codes(u, d["evidence"]))
            elif action == "refute":
                s.claim_refute(actor=u, claim=claim, title=d["title"], body=d["body"],
                               claim_wording=d["claim_wording"])
            elif action == "correct":
                s.refutation_correct(actor=u, refutation=claim.refutation, title=d["title"],
                                     body=d["body"], reason=d["reason"],
                                     claim_wording=d["claim_wording"])
            elif action == "close":
                s.claim_close(actor=u, claim=claim, note=d["note"])
            elif action == "dismiss":
                s.claim_dismiss(actor=u, claim=claim, note=d["note"])
        except InvalidTransition as exc:  # the entry moved on (or another officer moved it)
            return claim_detail(request, pk, status=409, refused=exc.message)
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from None
            _fail(form, exc)
        else:
            return redirect("outreach:claim", claim.pk)
    return claim_detail(request, pk, forms={action: form}, status=400)
