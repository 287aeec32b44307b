"""Forms at the edge: validate once, then call one service."""

from __future__ import annotations

import re
import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctp.cases.models import (
    Accused,
    Appeal,
    CriminalGroup,
    DetectionMethod,
    Measure,
    Origin,
    Recovery,
    Sex,
    Status,
    SuspendGround,
    TerminateGround,
)
from pctp.core.caseload import CaseloadChoiceField
from pctp.core.dates import DayInput, MomentInput
from pctp.core.identity import PersonalIdError, parse_personal_id
from pctp.core.money import money_form_field
from pctp.law.forms import ArticleField, offence_picker
from pctp.law.models import CrimeGroup, Severity
from pctp.law.selectors import fold
from pctp.units.forms import CommuneFilterField
from pctp.units.models import Commune, Unit

DATE = DayInput()
DATETIME = MomentInput()
TEXT2 = forms.Textarea(attrs={"rows": 2})


def _on(label=None):
    return forms.DateField(label=label or _("Date of the decision"), widget=DATE, required=False,
                           help_text=_("Leave empty for today."))


class _NotFuture:
    date_fields: tuple[str, ...] = ("on",)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in self.date_fields:
            if data.get(name) and data[name] > today:
                self.add_error(name, _("This date is in the future."))
        return data


def _charges(text: str) -> list[tuple[str, int | None]]:
    """'173.2, 168' → [('173', 2), ('168', None)]: article, optionally '.clause'."""
    out = []
    for part in text.replace(";", ",").split(","):
        part = fold(part).strip()
        if not part:
            continue
        # "173.2", "173", "Điều 173 khoản 2", "đ173 k2" (the picker fills "173.2").
        m = re.fullmatch(r"(?:dieu|d\.?)?\s*(\d+[a-z]?)\s*(?:(?:\.|khoan|k\.?)\s*(\d+))?",
                         part)
        if m is None:
            raise forms.ValidationError(_("Write each charge as article.clause, e.g. 173.2"))
        out.append((m.group(1), int(m.group(2)) if m.group(2) else None))
    if not out:
        raise forms.ValidationError(_("Enter at least one charge."))
    return out


class ChargesField(forms.CharField):
    """Charges as typed ("173.2, 168.1") or picked one by one from the suggestions."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", offence_picker("charges",
                                                   placeholder=_("e.g. 173.2 or 168.1, 134.2")))
        super().__init__(**kwargs)

    def to_python(self, value):
        return _charges(super().to_python(value) or "")


class InitiateForm(_NotFuture, forms.Form):
    date_fields = ("initiated_on",)
    investigation_body = forms.ModelChoiceField(label=_("Investigation body"),
                                                queryset=Unit.objects.none())
    origin = forms.ChoiceField(label=_("Ground to initiate"),
                               choices=[c for c in Origin.choices if c[0] != Origin.SOURCE])
    decision_number = forms.CharField(label=_("Decision to initiate (number)"), max_length=60)
    initiated_on = forms.DateField(label=_("Initiated on"), widget=DATE, required=False,
                                   help_text=_("Leave empty for today."))
    summary = forms.CharField(label=_("Summary"), max_length=300)
    charges = ChargesField(label=_("Charges (article.clause of the Penal Code)"),
                           help_text=_("e.g. 173.2 or 168.1, 134.2"))
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=DATETIME, required=False)
    commune = forms.ModelChoiceField(label=_("Commune where it happened"),
                                     queryset=Commune.objects.none(), required=False)
    address = forms.CharField(label=_("Street address"), max_length=300, required=False)
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    client_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=None, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigation_body"].queryset = units if units is not None else Unit.objects.none()
        self.fields["commune"].queryset = communes if communes is not None else Commune.objects.none()
        if not self.is_bound:
            self.initial.setdefault("client_token", secrets.token_urlsafe(16))
            if units is not None and units.count() == 1:
                self.initial.setdefault("investigation_body", units.first())

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            self.add_error("lat", _("Give both latitude and longitude, or neither."))
        return data


class FromSourceForm(_NotFuture, forms.Form):
    date_fields = ("initiated_on",)
    decision_number = forms.CharField(label=_("Decision to initiate (number)"), max_length=60)
    initiated_on = forms.DateField(label=_("Initiated on"), widget=DATE, required=False)
    summary = forms.CharField(label=_("Summary"), max_length=300)
    charges = ChargesField(label=_("Charges (article.clause of the Penal Code)"))
    client_token = forms.CharField(widget=forms.HiddenInput, required=False)


class AssignForm(forms.Form):
    """Each candidate is shown with their open work and nearest limit (issue 17)."""

    investigator = CaseloadChoiceField(label=_("Investigator"), queryset=None)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, people=None, loads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = people
        self.fields["investigator"].loads = loads or {}


class AccusedForm(_NotFuture, forms.Form):
    date_fields = ("charged_on", "birth_date")
    name = forms.CharField(label=_("Full name"), max_length=200)
    personal_id = forms.CharField(label=_("Personal ID number"), max_length=12, required=False)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    residence = forms.CharField(label=_("Residence"), max_length=300, required=False)
    charges = ChargesField(label=_("Charges (article.clause of the Penal Code)"),
                           help_text=_("e.g. 173.2 or 168.1, 134.2"))
    charged_on = forms.DateField(label=_("Decision to prosecute the accused, dated"),
                                 widget=DATE, required=False, help_text=_("Leave empty for today."))
    is_lead = forms.BooleanField(label=_("Lead accused"), required=False)

    def clean_personal_id(self):
        value = self.cleaned_data["personal_id"].strip()
        if value:
            try:
                parse_personal_id(value)
            except PersonalIdError as exc:
                raise forms.ValidationError(str(exc)) from None
        return value


class AccusedChoiceForm(forms.Form):
    accused = forms.ModelChoiceField(label=_("Accused"), queryset=None)

    def __init__(self, *args, accused=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused"].queryset = accused
        self.fields["accused"].label_from_instance = lambda a: (
            _("Accused no. %(n)s") % {"n": a.position})


class ChargeForm(AccusedChoiceForm):
    article = ArticleField(label=_("Article of the Penal Code"))
    clause = forms.IntegerField(label=_("Clause"), min_value=1, required=False)


class DetectForm(_NotFuture, forms.Form):
    on = forms.DateField(label=_("Offender identified on"), widget=DATE)
    method = forms.ChoiceField(label=_("How"), choices=DetectionMethod.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT2)


class ReasonForm(_NotFuture, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=TEXT2)
    on = _on(_("Dated"))


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
RECORD_LATE = dict(
    label=_("Record as a late decision"), required=False,
    help_text=_("The limit has already expired. Tick only to record a decision that was in "
                "fact taken late: it is flagged, and the days past the limit stay overdue."))


def _time(label):
    return forms.TimeField(label=label, required=False, widget=TIME,
                           help_text=_("Custody counts hours: give the time."))


class ExtendForm(ReasonForm):
    record_late = forms.BooleanField(**RECORD_LATE)


class DecisionForm(_NotFuture, forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "yes",
                                     choices=[("yes", _("Approve")), ("no", _("Refuse"))])
    note = forms.CharField(label=_("Reasons"), widget=TEXT2)
    on = _on()
    granted_level = forms.ChoiceField(
        label=_("Decided by"), required=False,
        choices=[("", _("this procuracy")),
                 ("supreme", _("the Supreme People's Procuracy (its decision recorded here)"))])
    authority_document = forms.CharField(label=_("Number of that procuracy's decision"),
                                         max_length=60, required=False)
    record_late = forms.BooleanField(**RECORD_LATE)


class SuspendForm(_NotFuture, forms.Form):
    ground = forms.ChoiceField(label=_("Legal ground"), choices=SuspendGround.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    note = forms.CharField(label=_("Reasons"), required=False, widget=TEXT2)
    on = _on()


class NumberForm(_NotFuture, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT2)
    on = _on()


class TerminateForm(_NotFuture, forms.Form):
    ground = forms.ChoiceField(label=_("Legal ground"), choices=TerminateGround.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    note = forms.CharField(label=_("Reasons"), required=False, widget=TEXT2)
    on = _on()


class DocumentForm(_NotFuture, forms.Form):
    document_number = forms.CharField(label=_("Document number"), max_length=60)
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT2)
    on = _on(_("Sent on"))


class IndictForm(DocumentForm):
    court = forms.ModelChoiceField(label=_("Court"), queryset=Unit.objects.none(), required=False,
                                   help_text=_("Default: the regional court of the place of "
                                               "the offence."))

    def __init__(self, *args, courts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = courts if courts is not None else Unit.objects.none()


class ReturnForm(_NotFuture, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    reason = forms.CharField(label=_("What must be investigated further"), widget=TEXT2)
    on = _on()


class OnForm(_NotFuture, forms.Form):
    on = _on(_("Received on"))


class CommitForm(_NotFuture, forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=60)
    trial_on = forms.DateField(label=_("Trial opens on"), widget=DATE)
    force_majeure = forms.BooleanField(label=_("Force majeure (30 days instead of 15)"),
                                       required=False)
    on = _on()


class OpenTrialForm(_NotFuture, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT2)
    on = _on(_("Opened on"))


class JudgmentForm(_NotFuture, forms.Form):
    judgment_number = forms.CharField(label=_("Judgment number"), max_length=60)
    summary = forms.CharField(label=_("Judgment summary"), widget=TEXT2)
    recovery_ordered = money_form_field(label=_("To be recovered under the judgment (VND)"),
                                        required=False)
    detain = forms.ModelMultipleChoiceField(
        label=_("Kept in detention to ensure the sentence is served (Art. 329, 45 days)"),
        queryset=Accused.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Every other defendant still held is released at the hearing (Art. 328)."))
    acquitted = forms.ModelMultipleChoiceField(
        label=_("Declared not guilty (released at the hearing)"), queryset=Accused.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple)
    exempted = forms.ModelMultipleChoiceField(
        label=_("Exempted from criminal responsibility or penalty"),
        queryset=Accused.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Every other defendant is convicted."))
    on = _on(_("Delivered on"))

    def __init__(self, *args, held=None, accused=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["detain"].queryset = held if held is not None else Accused.objects.none()
        for name in ("acquitted", "exempted"):
            self.fields[name].queryset = accused if accused is not None else \
                Accused.objects.none()
        for name in ("detain", "acquitted", "exempted"):
            self.fields[name].label_from_instance = lambda a: (
                _("Defendant no. %(n)s") % {"n": a.position})


def _defendant_field(required=False):
    return forms.ModelChoiceField(label=_("Defendant concerned"), queryset=Accused.objects.none(),
                                  required=required,
                                  help_text=_("Leave empty when the whole judgment is appealed."))


class _AppealBase(_NotFuture, forms.Form):
    document_number = forms.CharField(label=_("Document number"), max_length=60)
    grounds = forms.CharField(label=_("What is appealed, and why"), widget=TEXT2)
    accused = _defendant_field()
    on = forms.DateField(label=_("Filed on"), widget=DATE, required=False,
                         help_text=_("Leave empty for today."))

    def __init__(self, *args, accused=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused"].queryset = accused if accused is not None else \
            Accused.objects.none()
        self.fields["accused"].label_from_instance = lambda a: (
            _("Defendant no. %(n)s") % {"n": a.position})


class AppealForm(_AppealBase):
    appellant = forms.ChoiceField(label=_("Who appeals"), choices=[
        c for c in Appeal.Appellant.choices if not c[0].endswith("procuracy")])
    late_reason = forms.CharField(
        label=_("Why it was filed late (Art. 335)"), widget=TEXT2, required=False,
        help_text=_("Only for an appeal filed after the 15 days of Art. 333: the appellate "
                    "court decides whether to accept it."))
    field_order = ["appellant", "accused", "document_number", "grounds", "late_reason", "on"]


class ProtestForm(_AppealBase):
    """The same level's 15 days or the higher procuracy's 30 follow from the user's unit."""


class AppealDecisionForm(_NotFuture, forms.Form):
    appeal = forms.ModelChoiceField(label=_("Appeal or protest"), queryset=Appeal.objects.none())
    outcome = forms.ChoiceField(label=_("Decision"), choices=Appeal.Outcome.choices)
    reason = forms.ChoiceField(label=_("Why the judgment was changed"),
                               choices=[("", "—"), *Appeal.Reason.choices], required=False,
                               help_text=_("Only when the judgment is amended or annulled."))
    acquitted = forms.ModelMultipleChoiceField(
        label=_("Declared not guilty on appeal"), queryset=Accused.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple)
    ground = forms.ChoiceField(
        label=_("Ground on which the case ends (annulled and terminated)"), required=False,
        choices=[("", "—"), *[c for c in TerminateGround.choices if c[0] != "limit_expired"]])
    retrial_at = forms.ChoiceField(label=_("Annulled: the case goes back to"), choices=[
        ("court", _("the first-instance court, for a new trial")),
        ("investigation", _("the investigation body, for a new investigation"))])
    decision_number = forms.CharField(label=_("Appellate judgment or decision"), max_length=60)
    note = forms.CharField(label=_("The appellate court's reasons"), widget=TEXT2,
                           required=False)
    on = _on(_("Decided on"))

    def __init__(self, *args, appeals=None, accused=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appeal"].queryset = appeals if appeals is not None else \
            Appeal.objects.none()
        self.fields["appeal"].label_from_instance = lambda a: (
            f"{a.get_kind_display()} {a.document_number} ({a.filed_on:%d/%m/%Y})")
        self.fields["acquitted"].queryset = accused if accused is not None else \
            Accused.objects.none()
        self.fields["acquitted"].label_from_instance = lambda a: (
            _("Defendant no. %(n)s") % {"n": a.position})


class MeasureForm(_NotFuture, AccusedChoiceForm):
    date_fields = ("start_on",)
    kind = forms.ChoiceField(label=_("Measure"), choices=Measure.Kind.choices)
    order_number = forms.CharField(label=_("Order or decision number"), max_length=60)
    start_on = forms.DateField(label=_("Start"), widget=DATE)
    start_time = _time(_("Received at (custody)"))

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:  # only the measures the agency holding the file may order
            self.fields["kind"].choices = kinds


class MeasureChoiceForm(forms.Form):
    measure = forms.ModelChoiceField(label=_("Measure"), queryset=None)

    def __init__(self, *args, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["measure"].label_from_instance = lambda m: (
            _("%(kind)s — accused no. %(n)s — %(order)s")
            % {"kind": m.get_kind_display(), "n": m.accused.position, "order": m.order_number})


class MeasureExtensionForm(_NotFuture, MeasureChoiceForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXT2)
    on = _on(_("Requested on"))
    at_time = _time(_("At"))
    record_late = forms.BooleanField(**RECORD_LATE)


class RequestExtensionForm(ReasonForm):
    record_late = forms.BooleanField(**RECORD_LATE)


class ReleaseForm(_NotFuture, MeasureChoiceForm):
    date_fields = ("released_on",)
    released_on = forms.DateField(label=_("Released on"), widget=DATE)
    released_time = _time(_("At"))
    note = forms.CharField(label=_("Note"), required=False, widget=TEXT2)


class MeasureDecisionForm(DecisionForm):
    request = forms.IntegerField(widget=forms.HiddenInput)
    at_time = _time(_("At"))


class ValueForm(forms.Form):
    value_lost = money_form_field(label=_("Value appropriated or lost (VND)"))
    note = forms.CharField(label=_("Note"), required=False)


class RecoveryForm(_NotFuture, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Recovery.Kind.choices)
    amount = money_form_field(label=_("Amount (VND)"))
    on = forms.DateField(label=_("Date"), widget=DATE)
    description = forms.CharField(label=_("Assets"), max_length=300)
    realises = forms.ModelChoiceField(label=_("Realises an earlier seizure or freeze"),
                                      queryset=None, required=False)

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["realises"].queryset = entries


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.ModelChoiceField(label=_("Managing unit"), queryset=Unit.objects.none())
    status = forms.ChoiceField(label=_("Status"), choices=CriminalGroup.Status.choices)
    dangerous = forms.BooleanField(label=_("Dangerous"), required=False)
    note = forms.CharField(label=_("Modus operandi and notes"), required=False, widget=TEXT2)
    accused = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        if units is not None and units.count() == 1:
            self.initial.setdefault("unit", units.first())

    def clean_accused(self):
        raw = self.cleaned_data["accused"]
        try:
            return [int(x) for x in raw.split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError("?") from None


class GroupUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=CriminalGroup.Status.choices)
    dangerous = forms.BooleanField(label=_("Dangerous"), required=False)
    note = forms.CharField(label=_("Modus operandi and notes"), required=False, widget=TEXT2)


class MemberForm(forms.Form):
    case = forms.IntegerField(label=_("Case (id)"), min_value=1)
    position = forms.IntegerField(label=_("Accused number in that case"), min_value=1)
    is_leader = forms.BooleanField(label=_("Leader"), required=False)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Stage"), required=False,
                               choices=[("", "—"), *Status.choices])
    group = forms.ChoiceField(label=_("Crime group"), required=False,
                              choices=[("", "—"), *CrimeGroup.choices])
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", "—"), *Severity.choices])
    commune = CommuneFilterField()
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("", _("the queue's order")), ("due", _("limit, soonest first")),
        ("-initiated", _("initiated, newest first")), ("initiated", _("initiated, oldest first"))])
    date_from = forms.DateField(label=_("Initiated from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Initiated to"), required=False, widget=DATE)
