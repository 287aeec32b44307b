"""The citizens' side of outreach (issue 22): warnings and refutations side by side,
searchable, each refutation with its correction history and its campaign; a form to report
a post one thinks false (rate limited like the report form; nothing of the citizen kept)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from pctp.core.errors import DomainError
from pctp.core.middleware import _client_ip
from pctp.outreach import forms as f
from pctp.outreach import selectors as q
from pctp.outreach import services as s


def index(request):
    from pctp.portal.selectors import bulletins_published

    query = request.GET.get("q", "").strip()[:100]
    campaign = None
    refutations = q.public_refutations(query=query)
    warnings = bulletins_published(query=query).prefetch_related("campaigns")
    campaign_id = request.GET.get("chien-dich", "")
    if campaign_id.isdigit():
        campaign = q.public_campaigns().filter(pk=int(campaign_id)).first()
        if campaign is not None:
            refutations = refutations.filter(claim__campaign=campaign)
            warnings = warnings.filter(campaigns=campaign)
    warnings = warnings[:10]
    refuted = Paginator(refutations, 10).get_page(request.GET.get("trang"))
    return render(request, "outreach/public.html", {
        "query": query, "warnings": warnings, "refutations": refuted, "campaign": campaign})


def refutation(request, pk: int):
    row = q.public_refutations().filter(pk=pk).first()
    if row is None:
        raise Http404
    return render(request, "outreach/public_refutation.html", {
        "r": row, "revisions": row.revisions.order_by("at", "pk"),
        "evidence": q.public_evidence(row.claim)})


@never_cache
def flag(request):
    form = f.CitizenFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            s.citizen_flag(url=d["url"], platform=d["platform"], seen_on=d["seen_on"],
                           claim=d["claim"], note=d["note"], client_address=_client_ip(request))
        except DomainError as exc:
            for field, errors in (exc.details or {}).items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.details:
                form.add_error(None, exc.message)
            return render(request, "outreach/public_flag.html", {"form": form},
                          status=exc.status)
        return redirect("outreach-public:flagged")
    return render(request, "outreach/public_flag.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def flagged(request):
    return render(request, "outreach/public_flagged.html")
