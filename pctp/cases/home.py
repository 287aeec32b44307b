"""The home page's card of people held past or near their limit, for everyone whose units
hold, supervise or try them (the investigator and head of the body, the procurator, the
court, the provincial leader). No identity is shown here: the register shows it, logged."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pctp.cases.selectors import case_list, caseloads, measure_list
from pctp.cases.services import measures_checked
from pctp.core.deadlines import CRITICAL, WARNING
from pctp.core.paging import capped_count

CLOCK_ROWS = 8


def _held(user) -> dict:
    """The counts and the five people longest past their limit, each limit computed again
    from the law (finding 14 of issue 16). Plain data, so it can be cached."""
    now = timezone.now()
    held = measures_checked(measure_list(user=user))
    levels = [m.alert(now) for m in held]
    past = [m for m, level in zip(held, levels, strict=True) if level == CRITICAL][:5]
    return {"counts": {"total": len(held), "past": levels.count(CRITICAL),
                       "soon": levels.count(WARNING)},
            "past": [{"case": m.case_id, "code": m.case.register_code,
                      "position": m.accused.position, "kind": m.kind,
                      "custody": m.is_custody, "expires": m.expires_at(), "due": m.due_date}
                     for m in past],
            "at": now}


def detention_card(request) -> dict | None:
    """Computing every limit again over a province's thousands of people held takes most
    of a second, so the card is kept for PCTP_HOME_LIBERTY_SECONDS (60) per scope: the
    hours past a limit are counted from the instant it expired at every display."""
    import hashlib

    from django.conf import settings
    from django.core.cache import cache

    from pctp.cases.models import Measure
    from pctp.cases.selectors import scope_unit_ids

    user = request.user
    if not user.has_perm("cases.view_case"):
        return None
    scope = hashlib.sha256(",".join(map(str, sorted(scope_unit_ids(user)))).encode())
    key = f"home-held:{scope.hexdigest()[:24]}"
    data = cache.get(key)
    if data is None:
        data = _held(user)
        cache.set(key, data, settings.PCTP_HOME_LIBERTY_SECONDS)
    if not data["counts"]["total"]:
        return None
    now = timezone.now()
    past = [{**row, "kind_label": Measure.Kind(row["kind"]).label,
             "hours": int(max(0.0, (now - row["expires"]).total_seconds()) // 3600)}
            for row in data["past"]]
    return {"template": "cases/_home_detention.html", "counts": data["counts"], "past": past}


WORK_QUEUES = {
    "cases.investigate": ["incoming", "due_soon", "overdue"],
    "cases.prosecute": ["incoming", "extensions", "due_soon", "overdue"],
    "cases.try_case": ["incoming", "court", "due_soon", "overdue"],
}
TITLES = {"cases.investigate": gettext_lazy("My cases"),
          "cases.prosecute": gettext_lazy("Files at the procuracy"),
          "cases.try_case": gettext_lazy("Files at the court")}


def _clocks(user, today) -> list[dict]:
    """The investigator's running clocks, soonest first: the sources given to them and
    the cases they investigate (each with its days left or days past)."""
    from pctp.sources.selectors import source_list

    rows = []
    for src in source_list(user=user, queue="mine")[:CLOCK_ROWS]:
        rows.append({"url": reverse("sources:detail", args=[src.pk]), "code": src.register_code,
                     "summary": src.summary, "due": src.due_date, "new": src.is_new,
                     "what": _("Crime source: resolve")})
    for case in (case_list(user=user, queue="mine").exclude(due_date__isnull=True)
                 [:CLOCK_ROWS]):
        rows.append({"url": reverse("cases:detail", args=[case.pk]), "code": case.register_code,
                     "summary": case.summary, "due": case.due_date, "new": case.is_new,
                     "what": case.get_status_display()})
    rows.sort(key=lambda r: (r["due"], r["code"]))
    for r in rows:
        r["left"] = (r["due"] - today).days
        r["over"] = -r["left"]
    return rows[:CLOCK_ROWS]


def work_card(request) -> dict | None:
    """The cases that wait for this person, by agency (issue 17): an investigator's own
    files and clocks; the head of a body the body's; the procuracy the files and extension
    requests received; the court the files to accept and the cases to try."""
    from pctp.cases.views import QUEUE_LABELS

    user = request.user
    perm = next((p for p in WORK_QUEUES if user.has_perm(p)), None)
    if perm is None:
        return None
    url = reverse("cases:list")
    codes = list(WORK_QUEUES[perm])
    if perm == "cases.investigate":
        codes.insert(0, "investigation" if user.has_perm("cases.assign_case") else "mine")
    tiles = []
    for code in codes:
        count, capped = capped_count(case_list(user=user, queue=code))
        tiles.append({"url": f"{url}?queue={code}", "label": QUEUE_LABELS[code], "count": count,
                      "capped": capped,
                      "alert": code in ("overdue", "extensions") and count > 0,
                      "id": f"cases-{code}"})
    card = {"template": "core/_home_tiles.html", "id": "case-work", "order": 20,
            "title": TITLES[perm], "tiles": tiles}
    if perm == "cases.investigate" and not user.has_perm("cases.assign_case"):
        new = case_list(user=user, queue="mine").filter(is_new=True).count()
        tiles.insert(0, {"url": f"{url}?queue=mine", "label": _("New cases given to me"),
                         "count": new, "alert": new > 0, "id": "new-cases"})
        card["rows"] = _clocks(user, timezone.localdate())
        card["rows_title"] = _("My clocks, soonest first")
    if perm == "cases.investigate" and user.has_perm("cases.assign_case"):
        card["title"] = _("My unit's cases")
        card["people"] = _caseloads(user)
        card["people_title"] = _("My investigators' caseloads")
    return card


def _caseloads(user) -> list[dict]:
    """The investigators of the head's units with their open work, busiest first."""
    from django.contrib.auth import get_user_model

    from pctp.core.caseload import caseload_text
    from pctp.units.models import Membership
    from pctp.units.selectors import units_in_scope

    members = Membership.objects.active().filter(
        unit__in=units_in_scope(user), role__code__in=["investigator", "commune_investigator"])
    people = list(get_user_model().objects.filter(memberships__in=members, is_active=True)
                  .distinct().order_by("full_name"))
    loads = caseloads([p.pk for p in people])
    rows = [{"name": p.display_name, "text": caseload_text(loads.get(p.pk)),
             "open": sum(loads.get(p.pk, {}).get(k, 0) for k in ("sources", "cases")),
             "overdue": loads.get(p.pk, {}).get("overdue", 0)} for p in people]
    return sorted(rows, key=lambda r: (-r["overdue"], -r["open"], r["name"]))
