"""Forms at the edge: validate once, then call one service."""

from __future__ import annotations

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctp.core.caseload import CaseloadChoiceField
from pctp.core.dates import DayInput, MomentInput
from pctp.core.identity import PersonalIdError, parse_personal_id
from pctp.law.forms import ArticleField
from pctp.sources.models import Channel, DeclineGround, Kind, ReporterType, SuspendGround
from pctp.units.forms import CommuneFilterField
from pctp.units.models import Commune, Unit

DATETIME = MomentInput()


class ReceiveForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Receiving unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    received_at = forms.DateTimeField(label=_("Received at"), widget=DATETIME, required=False,
                                      help_text=_("Leave empty for now."))
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=DATETIME, required=False)
    commune = forms.ModelChoiceField(label=_("Commune where it happened"),
                                     queryset=Commune.objects.none(), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    summary = forms.CharField(label=_("Summary"), max_length=300)
    content = forms.CharField(label=_("What is reported"), widget=forms.Textarea(attrs={"rows": 5}))
    reporter_type = forms.ChoiceField(label=_("Reporter"), choices=ReporterType.choices,
                                      widget=forms.RadioSelect, initial=ReporterType.PERSON)
    reporter_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    reporter_personal_id = forms.CharField(label=_("Personal ID number"), max_length=12,
                                           required=False)
    reporter_contact = forms.CharField(label=_("Phone or address"), max_length=200,
                                       required=False)
    reporter_agency = forms.CharField(label=_("Agency or organisation"), max_length=200,
                                      required=False)
    confidential = forms.BooleanField(label=_("The reporter asks that their identity be kept "
                                              "confidential"), required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=None, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["commune"].queryset = communes if communes is not None else Commune.objects.none()
        if not self.is_bound:
            self.initial.setdefault("client_token", secrets.token_urlsafe(16))
            if units is not None and units.count() == 1:
                self.initial.setdefault("unit", units.first())

    def clean_reporter_personal_id(self):
        value = self.cleaned_data["reporter_personal_id"].strip()
        if value:
            try:
                parse_personal_id(value)
            except PersonalIdError as exc:
                raise forms.ValidationError(str(exc)) from None
        return value

    def clean(self):
        data = super().clean()
        now = timezone.now()
        for name in ("received_at", "occurred_at"):
            if data.get(name) and data[name] > now:
                self.add_error(name, _("This time is in the future."))
        kind = data.get("reporter_type")
        if kind == ReporterType.PERSON and not data.get("reporter_name"):
            self.add_error("reporter_name", _("Enter the reporter's name, or choose anonymous."))
        if kind == ReporterType.AGENCY and not data.get("reporter_agency"):
            self.add_error("reporter_agency", _("Enter the agency."))
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lat", _("Give both latitude and longitude, or neither."))
        return data


class ClassifyForm(forms.Form):
    article = ArticleField(label=_("Article of the Penal Code"))
    clause = forms.IntegerField(label=_("Clause"), min_value=1, required=False)
    urgent = forms.BooleanField(label=_("Urgent"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReclassifyForm(forms.Form):
    article = ArticleField(label=_("Article of the Penal Code"))
    clause = forms.IntegerField(label=_("Clause"), min_value=1, required=False)
    reason = forms.CharField(label=_("Why the offence changes"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("Competent unit"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units if units is not None else Unit.objects.none()


class AssignForm(forms.Form):
    """Each candidate is shown with their open work and nearest limit (issue 17)."""

    investigator = CaseloadChoiceField(label=_("Investigator"), queryset=None)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, people=None, loads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = people
        self.fields["investigator"].loads = loads or {}


class TextForm(forms.Form):
    text = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


RECORD_LATE = dict(
    label=_("Record as a late decision"), required=False,
    help_text=_("The limit has already expired. Tick only to record a decision that was in "
                "fact taken late: it is flagged, and the days past the limit stay overdue."))


class ExtendForm(ReasonForm):
    record_late = forms.BooleanField(**RECORD_LATE)


class InitiateForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    ground = forms.ChoiceField(label=_("Legal ground"), choices=DeclineGround.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class CancelDeclineForm(forms.Form):
    decision_number = forms.CharField(label=_("The procuracy's decision to initiate"),
                                      max_length=60)
    note = forms.CharField(label=_("Why the decision not to initiate had no ground"),
                           widget=forms.Textarea(attrs={"rows": 2}))
    on = forms.DateField(label=_("Date of the decision"), required=False,
                         widget=DayInput(), help_text=_("Leave empty for today."))


class SuspendForm(forms.Form):
    ground = forms.ChoiceField(label=_("Legal ground (Art. 148)"), choices=SuspendGround.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Merge into source (id)"), min_value=1)
    note = forms.CharField(label=_("Note"), required=False)


class ExtensionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Approve")), ("no", _("Refuse"))])
    note = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}))
    record_late = forms.BooleanField(**RECORD_LATE)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *Kind.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", "—"), *Channel.choices])
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[])
    group = forms.ChoiceField(label=_("Crime group"), required=False, choices=[])
    commune = CommuneFilterField()
    date_from = forms.DateField(label=_("Received from"), required=False,
                                widget=DayInput())
    date_to = forms.DateField(label=_("Received to"), required=False,
                              widget=DayInput())
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("", _("the queue's order")), ("due", _("limit, soonest first")),
        ("-received", _("received, newest first")), ("received", _("received, oldest first")),
        ("register", _("register number"))])

    ORDER = {"due": ("due_date", "id"), "-received": ("-received_at", "-id"),
             "received": ("received_at", "id"),
             "register": ("register_year", "register_number", "id")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from pctp.law.models import CrimeGroup
        from pctp.sources.models import Status

        self.fields["status"].choices = [("", "—"), *Status.choices]
        self.fields["group"].choices = [("", "—"), *CrimeGroup.choices]
