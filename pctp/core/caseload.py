"""Each candidate's open work, shown where a head assigns a source or a case (issue 17):
"Bùi Quốc Hùng — 12 sources, 3 cases open; next limit 04/02/2026 (2 overdue)". The apps
count (sources.selectors.source_caseloads, cases.selectors.caseloads); this formats."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def caseload_text(load: dict | None) -> str:
    if not load or not (load.get("sources") or load.get("cases")):
        return _("no open work")
    parts = []
    if load.get("sources"):
        parts.append(ngettext("%(n)s source", "%(n)s sources", load["sources"])
                     % {"n": load["sources"]})
    if load.get("cases"):
        parts.append(ngettext("%(n)s case", "%(n)s cases", load["cases"]) % {"n": load["cases"]})
    text = _("%(work)s open") % {"work": ", ".join(parts)}
    if load.get("next"):
        text += "; " + _("next limit %(d)s") % {"d": load["next"].strftime("%d/%m/%Y")}
    if load.get("overdue"):
        text += " " + ngettext("(%(n)s overdue)", "(%(n)s overdue)", load["overdue"]) % {
            "n": load["overdue"]}
    return text


class CaseloadChoiceField(forms.ModelChoiceField):
    """A person to assign, each labelled with their open work (`loads`: user id → load)."""

    def __init__(self, *args, loads: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.loads = loads or {}

    def label_from_instance(self, obj) -> str:
        return f"{obj.display_name} — {caseload_text(self.loads.get(obj.pk))}"
