from __future__ import annotations

import secrets

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from pctp.core.dates import MomentInput
from pctp.core.identity import PersonalIdError, parse_personal_id
from pctp.portal.models import CrimeType, FraudIndicator
from pctp.units.models import Commune


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": "image/jpeg,image/png,image/webp,video/mp4,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune or ward where it happened"),
                                     queryset=Commune.objects.none())
    place = forms.CharField(label=_("Place (street, landmark)"), max_length=300, required=False)
    occurred_at = forms.DateTimeField(label=_("When did it happen?"), required=False,
                                      widget=MomentInput())
    crime_type = forms.ChoiceField(label=_("What kind of crime?"), choices=CrimeType.choices,
                                   widget=forms.RadioSelect)
    description = forms.CharField(label=_("What happened?"), widget=forms.Textarea(attrs={
        "rows": 6, "placeholder": _("Who, what, where, when; vehicles, phone numbers, accounts…")}))
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    files = MultipleFileField(label=_("Photos, videos or documents (optional)"), required=False)
    anonymous = forms.TypedChoiceField(
        label=_("Do you want to give your name?"), coerce=lambda v: v == "yes", initial="yes",
        choices=[("yes", _("No, report anonymously")), ("no", _("Yes, I give my name"))],
        widget=forms.RadioSelect)
    name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    personal_id = forms.CharField(label=_("Personal ID number (12 digits)"), max_length=12,
                                  required=False)
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=200, required=False)
    confidential = forms.BooleanField(label=_("Keep my identity confidential"), required=False)
    website = forms.CharField(required=False, label=_("Leave this empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    captcha = CaptchaField(label=_("Type the characters in the picture"))
    client_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes if communes is not None else Commune.objects.none()
        if not self.is_bound:
            self.initial["client_token"] = secrets.token_urlsafe(24)

    def clean_personal_id(self):
        value = self.cleaned_data["personal_id"].strip()
        if value:
            try:
                parse_personal_id(value)
            except PersonalIdError as exc:
                raise forms.ValidationError(str(exc)) from None
        return value

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The report could not be accepted."))
        if data.get("anonymous") is False:
            if not data.get("name"):
                self.add_error("name", _("Enter your name, or choose to report anonymously."))
            if not data.get("contact"):
                self.add_error("contact", _("Enter a phone number or e-mail so officers can reach you."))
        return data


class FollowForm(forms.Form):
    tracking_code = forms.CharField(label=_("Tracking code"), max_length=20)
    passphrase = forms.CharField(label=_("Passphrase"), max_length=40,
                                 widget=forms.PasswordInput(render_value=False))


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Add information or ask a question"),
                           widget=forms.Textarea(attrs={"rows": 3}), required=False)
    files = MultipleFileField(label=_("Attach files"), required=False)


class LookupForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you want to check?"), choices=FraudIndicator.Kind.choices)
    value = forms.CharField(label=_("Number or address"), max_length=200)


class TriageCloseForm(forms.Form):
    abuse = forms.TypedChoiceField(label=_("Close as"), coerce=lambda v: v == "abuse",
                                   choices=[("not_crime", _("not a crime")),
                                            ("abuse", _("abusive or false"))])
    reason = forms.CharField(label=_("Reason (the reporter sees it)"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply to the reporter"), widget=forms.Textarea(attrs={"rows": 3}))


class ConvertForm(forms.Form):
    summary = forms.CharField(label=_("Summary for the register"), max_length=300)


class MergeForm(forms.Form):
    source = forms.IntegerField(label=_("Existing crime source (id)"), min_value=1)
    reason = forms.CharField(label=_("Note to the reporter"), required=False)


class BulletinForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))


class IndicatorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FraudIndicator.Kind.choices)
    value = forms.CharField(label=_("Value"), max_length=200)
