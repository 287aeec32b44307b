"""The red flags' review queue: the flags the reader may see, a flag with its rule, its
figures, its evidence and its review (assign, note, close)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pctp.core.errors import DomainError
from pctp.quality import services as s
from pctp.quality.models import Flag
from pctp.quality.rules import RULES, facts_shown


def _guard(request):
    if not s.may_review(request.user):
        raise PermissionDenied


def subject_label(flag: Flag) -> str:
    if flag.subject.startswith("user:"):
        user = get_user_model().objects.filter(pk=flag.subject[5:]).first()
        return _("Investigator %(n)s") % {"n": (user.full_name or user.username) if user
                                          else "?"}
    if flag.subject == "person":
        return _("One person (identity index, not shown here)")
    if flag.subject == "reporter":
        return _("One reporter (identity index, not shown here)")
    if flag.subject == "place":
        return _("One address (see the sources)")
    if flag.subject == "case" and flag.evidence:
        from pctp.cases.selectors import all_cases

        case = all_cases().filter(pk=flag.evidence[0][1]).select_related(
            "investigation_body").first()
        if case is not None:
            return _("Case %(c)s") % {"c": case.register_code}
    return flag.unit.name


def evidence(flag: Flag, user) -> list[dict]:
    """The evidence records, each linked only where the reader may open it (the auditor
    reads their code, summary and state here, not the record's page)."""
    from pctp.cases.selectors import all_cases, case_scope
    from pctp.sources.selectors import all_sources, source_scope

    ids = {"sources.source": [], "cases.case": []}
    for kind, pk in flag.evidence:
        ids.setdefault(kind, []).append(pk)
    open_sources = set(source_scope(user).filter(pk__in=ids["sources.source"])
                       .values_list("pk", flat=True)) if user.has_perm("sources.view_source") \
        else set()
    open_cases = set(case_scope(user).filter(pk__in=ids["cases.case"])
                     .values_list("pk", flat=True)) if user.has_perm("cases.view_case") \
        else set()
    out = [{"code": src.register_code, "summary": src.summary,
            "status": src.get_status_display(),
            "url": reverse("sources:detail", args=[src.pk]) if src.pk in open_sources else ""}
           for src in all_sources().filter(pk__in=ids["sources.source"]).select_related("unit")]
    out += [{"code": c.register_code, "summary": c.summary, "status": c.get_status_display(),
             "url": reverse("cases:detail", args=[c.pk]) if c.pk in open_cases else ""}
            for c in all_cases().filter(pk__in=ids["cases.case"])
            .select_related("investigation_body")]
    return out


@never_cache
@login_required
def flags(request):
    _guard(request)
    status = request.GET.get("status", "open")
    qs = s.flag_scope(request.user)
    if status == "open":
        qs = qs.filter(status__in=[Flag.Status.OPEN, Flag.Status.IN_REVIEW])
    elif status in Flag.Status.values:
        qs = qs.filter(status=status)
    rows = [{"flag": f, "rule": RULES.get(f.rule), "subject": subject_label(f)}
            for f in qs[:300]]
    return render(request, "quality/flags.html", {"rows": rows, "status": status,
                                                  "statuses": Flag.Status.choices})


@never_cache
@login_required
def flag_detail(request, pk: int):
    _guard(request)
    flag = get_object_or_404(s.flag_scope(request.user), pk=pk)
    from pctp.core.models import AuditEvent

    reviewers = [u for u in get_user_model().objects.filter(
        memberships__role__code__in=["procurator", "auditor"]).distinct().order_by("username")
        if s.flag_scope(u).filter(pk=flag.pk).exists()]
    return render(request, "quality/flag_detail.html", {
        "flag": flag, "rule": RULES.get(flag.rule), "subject": subject_label(flag),
        "facts": facts_shown(flag.facts),
        "evidence": evidence(flag, request.user), "notes": flag.notes.select_related("author"),
        "reviewers": reviewers,
        "journal": AuditEvent.objects.filter(object_type="quality.flag",
                                             object_id=str(flag.pk)).order_by("at", "id")})


@login_required
@require_POST
def flag_action(request, pk: int, action: str):
    _guard(request)
    flag = get_object_or_404(s.flag_scope(request.user), pk=pk)
    try:
        if action == "assign":
            pk_ = request.POST.get("reviewer", "")
            reviewer = get_user_model().objects.filter(pk=int(pk_)).first() \
                if pk_.isdigit() else None
            if reviewer is None:
                raise DomainError("invalid", _("Choose the reviewer."))
            s.flag_assign(actor=request.user, flag=flag, reviewer=reviewer)
        elif action == "note":
            s.flag_note(actor=request.user, flag=flag, text=request.POST.get("text", ""))
        elif action == "close":
            s.flag_close(actor=request.user, flag=flag, outcome=request.POST.get("outcome", ""),
                         conclusion=request.POST.get("conclusion", ""))
        else:
            raise DomainError("invalid", _("Unknown step."))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("quality:flag", pk=flag.pk)
