"""Forms of the key-areas pages: validation at the edge; the rules live in the services."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from pctp.areas.models import AreaType, ModelCommune, Status
from pctp.core.dates import DayInput
from pctp.units.models import Commune, Unit

DATE = DayInput()


class FilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", "—"), *Status.choices])
    type = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", "—"), *AreaType.choices])


class RankingForm(forms.Form):
    year = forms.IntegerField(label=_("Data of year"), min_value=2000, max_value=2100)
    type = forms.ChoiceField(label=_("Type of area"), choices=AreaType.choices)


class SelectForm(forms.Form):
    year = forms.IntegerField(label=_("Year of the list"), min_value=2000, max_value=2100)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    name = forms.CharField(label=_("Name of the area"), required=False, max_length=200,
                           help_text=_("Empty: the whole commune."))
    part_description = forms.CharField(label=_("Part of the commune"), required=False,
                                       max_length=300)
    part_geometry = forms.CharField(
        label=_("Part drawn on the map (GeoJSON polygon)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}))
    types = forms.MultipleChoiceField(label=_("Types"), choices=AreaType.choices,
                                      widget=forms.CheckboxSelectMultiple)
    decision_number = forms.CharField(label=_("Selection decision"), max_length=60)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE)
    steering_unit = forms.ModelChoiceField(label=_("Steering Committee"),
                                           queryset=Unit.objects.none())
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    coordinating_units = forms.ModelMultipleChoiceField(
        label=_("Coordinating units"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}))
    reasons = forms.CharField(label=_("Reasons for the selection"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, units=None, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units if units is not None else Unit.objects.none()
        self.fields["commune"].queryset = communes if communes is not None else \
            Commune.objects.none()
        self.fields["steering_unit"].queryset = units.filter(
            kind=Unit.Kind.STEERING_COMMITTEE)
        self.fields["lead_unit"].queryset = units.order_by("name")
        self.fields["coordinating_units"].queryset = units.order_by("name")

    def clean_part_geometry(self):
        text = self.cleaned_data["part_geometry"].strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("Not valid GeoJSON.")) from None
        if isinstance(value, dict) and value.get("type") == "Feature":
            value = value.get("geometry")
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Not valid GeoJSON."))
        return value


class OnForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=300)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = (units if units is not None
                                             else Unit.objects.none()).order_by("name")


class DraftForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DATE)
    community_model = forms.BooleanField(label=_("A self-managing community model works"),
                                         required=False)
    community_model_evidence = forms.CharField(label=_("Evidence"), required=False,
                                               widget=forms.Textarea(attrs={"rows": 2}))
    political_system = forms.BooleanField(label=_("The local political system is strengthened"),
                                          required=False)
    political_system_evidence = forms.CharField(label=_("Evidence"), required=False,
                                                widget=forms.Textarea(attrs={"rows": 2}))
    conventions = forms.BooleanField(label=_("Community conventions are kept"), required=False)
    conventions_evidence = forms.CharField(label=_("Evidence"), required=False,
                                           widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label=_("Conclusion"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RemoveForm(OnForm):
    decision_number = forms.CharField(label=_("Removal decision"), max_length=60)


class RelapseForm(OnForm):
    reason = forms.CharField(label=_("Why it relapsed"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class ModelCommuneForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ModelCommune.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("Status"), choices=ModelCommune.Status.choices)
    decision_number = forms.CharField(label=_("Recognition decision"), required=False)
    decision_date = forms.DateField(label=_("Decision date"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes if communes is not None else \
            Commune.objects.none()
