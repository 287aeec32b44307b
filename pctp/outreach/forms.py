from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _

from pctp.core.dates import DayInput
from pctp.core.money import money_form_field
from pctp.law.models import CrimeGroup
from pctp.outreach.models import Audience, Channel, Platform
from pctp.outreach.services import MAX_COUNT
from pctp.units.models import Commune, Unit

DATE = DayInput()
TEXT = forms.Textarea(attrs={"rows": 3})


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.CharField(label=_("Theme"), max_length=300,
                            help_text=_("e.g. a fraud method, drugs in schools, motorbike theft"))
    description = forms.CharField(label=_("Description"), widget=TEXT, required=False)
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    communes = forms.ModelMultipleChoiceField(
        label=_("Communes targeted"), queryset=Commune.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}))
    crime_groups = forms.MultipleChoiceField(label=_("Crime groups targeted"),
                                             choices=CrimeGroup.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    articles = forms.CharField(label=_("Offences targeted (articles of the Penal Code)"),
                               required=False, help_text=_("e.g. 173, 174"))
    tip_types = forms.MultipleChoiceField(label=_("Portal reports it asks for"), choices=(),
                                          required=False, widget=forms.CheckboxSelectMultiple,
                                          help_text=_("Leave empty to count every report."))
    audiences = forms.MultipleChoiceField(label=_("Audiences"), choices=Audience.choices,
                                          required=False, widget=forms.CheckboxSelectMultiple)
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=Channel.choices,
                                         required=False, widget=forms.CheckboxSelectMultiple)
    budget = money_form_field(label=_("Budget (VND)"), required=False)
    warnings = forms.ModelMultipleChoiceField(
        label=_("Portal warnings of the campaign"), queryset=None, required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Shown with the campaign on the public page."))

    def __init__(self, *args, units=None, communes=None, tip_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        from pctp.portal.selectors import bulletins_published

        self.fields["warnings"].queryset = bulletins_published()
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["communes"].queryset = communes if communes is not None else \
            Commune.objects.none()
        self.fields["tip_types"].choices = tip_types

    def service_data(self) -> dict:
        d = dict(self.cleaned_data)
        d["articles"] = [a.strip() for a in d.get("articles", "").replace(";", ",").split(",")
                         if a.strip()]
        return d


class ReachForm(forms.Form):
    channel = forms.ChoiceField(label=_("Outreach channel"), choices=Channel.choices)
    on = forms.DateField(label=_("Date"), widget=DATE)
    views = forms.IntegerField(label=_("Views"), min_value=0, max_value=MAX_COUNT,
                               required=False, initial=0)
    participants = forms.IntegerField(label=_("Participants"), min_value=0, max_value=MAX_COUNT,
                                      required=False, initial=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("File"))


class ClaimForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())
    platform = forms.ChoiceField(label=_("Where it appeared"), choices=Platform.choices)
    url = forms.CharField(label=_("Link"), max_length=500, required=False)
    seen_on = forms.DateField(label=_("Seen on"), widget=DATE)
    reach = forms.IntegerField(label=_("Reach (views, shares)"), min_value=0,
                               max_value=MAX_COUNT, required=False)
    claim = forms.CharField(label=_("What it claims"), widget=TEXT, max_length=5000)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False)

    def __init__(self, *args, units=None, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["campaign"].queryset = campaigns


class AcceptForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=Unit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class VerifyForm(forms.Form):
    facts = forms.CharField(label=_("The facts"), widget=TEXT)
    evidence = forms.CharField(
        label=_("Records the facts rest on"), required=False,
        help_text=_("Register numbers of crime sources or cases, e.g. 12/2026/CQCSĐT; the "
                    "public sees only how many."))


class RefuteForm(forms.Form):
    claim_wording = forms.CharField(
        label=_("What the post claimed, as published"), widget=TEXT, max_length=1000,
        help_text=_("In your own words, naming no one: no name, address or phone number of "
                    "the people the post or the citizen mentions."))
    title = forms.CharField(label=_("Title of the refutation"), max_length=200)
    body = forms.CharField(label=_("Text of the refutation"), widget=forms.Textarea(
        attrs={"rows": 8}))


class CorrectForm(RefuteForm):
    reason = forms.CharField(label=_("Why it is corrected"), max_length=300)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)


class CitizenFlagForm(forms.Form):
    url = forms.CharField(label=_("Link to the post"), max_length=500, required=False)
    platform = forms.ChoiceField(label=_("Where you saw it"),
                                 choices=[("", _("— choose —")), *Platform.choices])
    seen_on = forms.DateField(label=_("When you saw it"), widget=DATE, required=False)
    claim = forms.CharField(label=_("What it says"), widget=TEXT, max_length=5000)
    note = forms.CharField(label=_("Why you think it is false (optional)"), widget=TEXT,
                           required=False, max_length=2000,
                           help_text=_("Do not write your name, phone number or address, nor "
                                       "anyone else's."))
    captcha = CaptchaField(label=_("Type the characters in the picture"))
