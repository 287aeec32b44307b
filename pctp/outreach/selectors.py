"""What a user may see of outreach, the campaign's measured effect, and the public pages."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from pctp.outreach import effect as fx
from pctp.outreach.models import Campaign, ClaimStatus, FalseClaim, Refutation
from pctp.units.models import Commune, Unit
from pctp.units.selectors import units_in_scope

PUBLIC_STATES = (ClaimStatus.REFUTED, ClaimStatus.CLOSED)
OUTCOMES = {
    "tips": gettext_lazy("Reports through the portal"),
    "sources": gettext_lazy("Crime sources received"),
    "crimes": gettext_lazy("Crimes (criminal cases by the day they occurred)"),
}


def may_view(user) -> bool:
    return bool(user and (user.is_superuser or user.has_perm("outreach.view_outreach")))


def _units(user) -> QuerySet[Unit]:
    """The units whose campaigns and register entries the user sees: their units' subtree,
    or the province for province-wide roles."""
    from pctp.kpi.selectors import is_province_wide, user_province

    if user.is_superuser:
        return Unit.objects.all()
    if is_province_wide(user):
        return Unit.objects.filter(province=user_province(user))
    return units_in_scope(user)


def campaign_scope(user) -> QuerySet[Campaign]:
    if not may_view(user):
        return Campaign.objects.none()
    return Campaign.objects.filter(unit__in=_units(user).values("pk"))


# Who triages the posts citizens report (decision 70): the province's own register keepers,
# never a commune's police or a department, each of which answers for its own entries.
INBOX_KINDS = (Unit.Kind.PROVINCIAL_POLICE, Unit.Kind.POLICE_OFFICE,
               Unit.Kind.PROVINCE_COMMITTEE, Unit.Kind.STEERING_COMMITTEE)


def keeps_inbox(user) -> bool:
    """The user manages the register in a province-level unit (the citizens' inbox)."""
    from pctp.units.selectors import user_has_perm_in_unit

    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    units = units_in_scope(user).filter(kind__in=INBOX_KINDS)
    return any(user_has_perm_in_unit(user, "outreach.manage_claim", u) for u in units)


def claim_scope(user) -> QuerySet[FalseClaim]:
    """Entries of the register of the user's units; citizens' reports not yet taken in are
    the inbox of the province's register keepers (INBOX_KINDS)."""
    if not may_view(user):
        return FalseClaim.objects.none()
    units = _units(user)
    inbox = Q(unit__isnull=True) if keeps_inbox(user) else Q(pk__in=[])
    return FalseClaim.objects.filter(Q(unit__in=units.values("pk")) | inbox)


def campaign_list(*, user, query: str = "", year: int | None = None) -> QuerySet[Campaign]:
    qs = campaign_scope(user).select_related("unit")
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(theme__icontains=query))
    if year:
        qs = qs.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    return qs


def reach_totals(campaign: Campaign) -> dict:
    totals = campaign.reach.aggregate(views=Sum("views"), participants=Sum("participants"))
    return {"views": totals["views"] or 0, "participants": totals["participants"] or 0}


def analysis_window(campaign: Campaign) -> tuple[date, date]:
    """The days a campaign's effect reads: its weeks before to its weeks after."""
    from datetime import timedelta

    return (campaign.starts_on - timedelta(weeks=settings.PCTP_OUTREACH_BEFORE_WEEKS),
            campaign.ends_on + timedelta(weeks=settings.PCTP_OUTREACH_AFTER_WEEKS))


def _others_in_window(campaign: Campaign) -> QuerySet[Campaign]:
    first, last = analysis_window(campaign)
    return Campaign.objects.filter(
        starts_on__lte=last, ends_on__gte=first,
        unit__province=campaign.unit.province).exclude(pk=campaign.pk)


def comparison_communes(campaign: Campaign) -> list[int]:
    """The province's communes the campaign does not target, nor any other campaign running
    in the weeks its effect reads (their counts would carry another campaign's effect)."""
    targeted = set(campaign.communes.values_list("pk", flat=True))
    busy = set(Commune.objects.filter(pk__in=_others_in_window(campaign).values("communes"))
               .values_list("pk", flat=True))
    return sorted(set(Commune.objects.filter(province=campaign.unit.province_id)
                      .values_list("pk", flat=True)) - targeted - busy)


def overlapping_campaigns(campaign: Campaign) -> list[Campaign]:
    """Other campaigns in the same communes during the weeks this one's effect reads: what
    changed there cannot be told apart between them (QA of issue 22, M2)."""
    targeted = campaign.communes.values("pk")
    return list(_others_in_window(campaign).filter(communes__in=targeted).distinct()
                .order_by("starts_on", "pk"))


def campaign_effect(campaign: Campaign, *, today: date | None = None) -> list[fx.Effect]:
    """The campaign's effect on each outcome (decision 66)."""
    from pctp.cases.selectors import occurred_by_commune_day
    from pctp.portal.selectors import tips_by_commune_day
    from pctp.sources.selectors import received_by_commune_day

    today = today or timezone.localdate()
    before, after = fx.windows(campaign.starts_on, campaign.ends_on, today,
                               before_weeks=settings.PCTP_OUTREACH_BEFORE_WEEKS,
                               after_weeks=settings.PCTP_OUTREACH_AFTER_WEEKS)
    treated = sorted(campaign.communes.values_list("pk", flat=True))
    control = comparison_communes(campaign)
    out = []
    if not before or not after:
        return [fx.difference_in_differences(k, {}, treated, control, before, after,
                                             min_events=settings.PCTP_OUTREACH_MIN_EVENTS)
                for k in OUTCOMES]
    first, last = before[0][0], after[-1][1]
    communes = treated + control
    groups = list(campaign.crime_groups)
    articles = list(campaign.offences.values_list("article", flat=True))
    data = {
        "tips": tips_by_commune_day(communes, first, last, types=list(campaign.tip_types)),
        "sources": received_by_commune_day(communes, first, last, groups=groups,
                                           articles=articles),
        "crimes": occurred_by_commune_day(communes, first, last, groups=groups,
                                          articles=articles),
    }
    for key, daily in data.items():
        out.append(fx.difference_in_differences(
            key, daily, treated, control, before, after,
            min_events=settings.PCTP_OUTREACH_MIN_EVENTS))
    return out


def public_refutations(*, query: str = "") -> QuerySet[Refutation]:
    qs = Refutation.objects.filter(claim__status__in=PUBLIC_STATES).select_related(
        "claim", "claim__campaign", "claim__unit")
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(body__icontains=query)
                       | Q(claim_wording__icontains=query))
    return qs


def public_campaigns() -> QuerySet[Campaign]:
    """Campaigns the public may be shown: those with a refutation or a warning published."""
    from pctp.portal.selectors import bulletins_published

    return Campaign.objects.filter(
        Q(claims__refutation__in=public_refutations())
        | Q(warnings__in=bulletins_published())).distinct()


def public_evidence(claim: FalseClaim) -> list[tuple[str, int]]:
    """How many records of each kind a refutation rests on, never which."""
    labels = {"sources.source": gettext_lazy("crime sources"),
              "cases.case": gettext_lazy("criminal cases")}
    counts: dict[str, int] = {}
    for kind, _pk in claim.evidence or []:
        counts[kind] = counts.get(kind, 0) + 1
    return [(str(labels.get(k, k)), n) for k, n in counts.items()]
