from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctp.analytics.models import METHOD_CHOICES, Horizon
from pctp.core.dates import DayInput
from pctp.law.models import CrimeGroup

CELL_SIZES = [(250, "250 m"), (500, "500 m"), (750, "750 m"), (1000, "1 km"), (2000, "2 km")]
SOURCES = [("all", _("crime sources and cases")), ("sources", _("crime sources")),
           ("cases", _("criminal cases"))]


class HotspotForm(forms.Form):
    source = forms.ChoiceField(label=_("Records"), choices=SOURCES, required=False)
    upload = forms.IntegerField(label=_("Incident file"), required=False,
                                widget=forms.HiddenInput)
    group = forms.ChoiceField(label=_("Crime group"), required=False,
                              choices=[("", "—"), *CrimeGroup.choices])
    offence = forms.CharField(label=_("Article"), required=False, max_length=6)
    start = forms.DateField(label=_("From"), required=False,
                            widget=DayInput())
    end = forms.DateField(label=_("To"), required=False,
                          widget=DayInput())
    method = forms.ChoiceField(label=_("Drawn as"), required=False,
                               choices=[("kde", _("kernel density")),
                                        ("cells", _("counts per cell"))])
    cell = forms.TypedChoiceField(label=_("Cell size"), required=False, coerce=int,
                                  choices=CELL_SIZES, empty_value=500)

    def clean(self):
        d = super().clean()
        today = timezone.localdate()
        d["end"] = d.get("end") or today
        d["start"] = d.get("start") or d["end"] - timedelta(days=89)
        if d["start"] > d["end"]:
            self.add_error("start", _("The start is after the end."))
        d["source"] = d.get("source") or "all"
        d["method"] = d.get("method") or "kde"
        d["cell"] = d.get("cell") or 500
        return d


class ForecastQueueForm(forms.Form):
    horizon = forms.ChoiceField(label=_("Horizon"), choices=Horizon.choices)
    method = forms.ChoiceField(label=_("Method"), choices=METHOD_CHOICES, initial="sepp")
    group = forms.ChoiceField(label=_("Crime group"), required=False,
                              choices=[("", _("all groups")), *CrimeGroup.choices])
    cell = forms.TypedChoiceField(label=_("Cell size"), coerce=int, choices=CELL_SIZES,
                                  initial=750)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file (occurred_at, lat, lon, offence_type)"))


class EmergingForm(forms.Form):
    level = forms.ChoiceField(label=_("By"), required=False,
                              choices=[("group", _("crime group")), ("offence", _("offence"))])
    month = forms.CharField(label=_("Month"), required=False,
                            widget=forms.TextInput(attrs={"type": "month"}))
    show = forms.ChoiceField(label=_("Show"), required=False,
                             choices=[("alerts", _("new and rising")),
                                      ("appeared", _("every type that has appeared")),
                                      ("all", _("everything"))])
