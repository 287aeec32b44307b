"""The home page's plan card (issue 17): the tasks my unit leads and the reports it owes,
soonest first, for departments and communes (and every unit that reports on tasks). The
targets card is pctp.kpi.home."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.plans.models import UnitReport

TASK_ROWS = 8


def tasks_card(request) -> dict | None:
    from pctp.plans.selectors import my_units, report_list, tasks_led

    user = request.user
    if not user.has_perm("plans.report_task") or user.has_perm("plans.accept_task"):
        return None  # the plan's owners have the plan board and its overdue list
    today = timezone.localdate()
    units = my_units(user)
    tasks = [t for t in tasks_led(user=user, units=units) if t.is_open]
    reports = list(report_list(user=user, units=units).exclude(
        status=UnitReport.Status.SUBMITTED).order_by("due_date")[:TASK_ROWS])
    rows = []
    for t in tasks:
        rows.append({"url": reverse("plans:task", args=[t.pk]), "code": t.code,
                     "summary": t.title, "due": t.deadline,
                     "what": _("Task"), "new": False})
    for r in reports:
        rows.append({"url": reverse("plans:report", args=[r.pk]), "code": str(r.task.code),
                     "summary": str(r), "due": r.due_date, "what": _("Report to send"),
                     "new": False})
    rows.sort(key=lambda r: (r["due"] or date.max, r["code"]))
    rows = rows[:TASK_ROWS]
    for r in rows:
        r["left"] = None if r["due"] is None else (r["due"] - today).days
        r["over"] = None if r["left"] is None else -r["left"]
    overdue_tasks = sum(1 for t in tasks if t.deadline and t.deadline < today)
    late_reports = sum(1 for r in reports if r.due_date < today)
    url = reverse("plans:mine")
    return {"template": "core/_home_tiles.html", "id": "my-tasks", "order": 25,
            "title": _("My unit's tasks and reports"),
            "tiles": [
                {"url": url, "label": _("Open tasks"), "count": len(tasks), "alert": False},
                {"url": url, "label": _("Tasks past their deadline"), "count": overdue_tasks,
                 "alert": overdue_tasks > 0},
                {"url": url, "label": _("Reports due"), "count": len(reports),
                 "alert": late_reports > 0}],
            "rows": rows, "rows_title": _("Soonest first")}
