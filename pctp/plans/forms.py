"""Forms at the edge: validate once, then call one service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pctp.core.dates import DayInput
from pctp.plans.models import ReportKind, TargetCode, Task, UnitReport
from pctp.units.models import Unit

DATE = DayInput()
ACCEPT = ".jpg,.jpeg,.png,.webp,.pdf,.docx,.xlsx,.mp4,.txt"


def _evidence(label=None):
    return forms.FileField(label=label or _("Evidence (optional)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           help_text=_("PDF, Word, Excel, photo, video or text, checked by its "
                                       "content."))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class PlanForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60,
                             help_text=_("As on the document, e.g. 125/KH-UBND."))
    title = forms.CharField(label=_("Title"), max_length=500,
                            widget=forms.Textarea(attrs={"rows": 2}))
    issuing_unit = UnitChoiceField(label=_("Issuing unit"), queryset=Unit.objects.none())
    steering_unit = UnitChoiceField(label=_("Steering body following the plan"),
                                    queryset=Unit.objects.none(), required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=DATE)
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    legal_basis = forms.CharField(label=_("Legal basis"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    draft = forms.BooleanField(label=_("Save as a draft (not yet in force)"), required=False)

    def __init__(self, *args, issuers=None, steering=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = issuers if issuers is not None else Unit.objects.none()
        self.fields["steering_unit"].queryset = steering if steering is not None else Unit.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") \
                and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 4}))
    lead_unit = UnitChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    coordinating_units = UnitsChoiceField(
        label=_("Coordinating units"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl to choose several."))
    expected_result = forms.CharField(label=_("Expected result"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    schedule = forms.ChoiceField(label=_("The task has"), widget=forms.RadioSelect,
                                 choices=[("deadline", _("a deadline to complete it")),
                                          ("recurrence", _("periodic reports through the plan"))],
                                 initial="deadline")
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)
    recurrence = forms.ChoiceField(label=_("Recurrence"), required=False,
                                   choices=[("", "—"), *Task.Recurrence.choices])
    first_report_due = forms.DateField(
        label=_("First report due"), required=False, widget=DATE,
        help_text=_("Later reports fall due on the same day of the month (or the month's "
                    "last day)."))
    report_kind = forms.ChoiceField(label=_("Report form"), required=False,
                                    choices=ReportKind.choices)
    target_code = forms.ChoiceField(label=_("Target served"), required=False,
                                    choices=[("", "—"), *TargetCode.choices])
    plan_item = forms.CharField(label=_("Or another item of the plan"), max_length=200,
                                required=False)
    priority = forms.ChoiceField(label=_("Priority"), choices=Task.Priority.choices,
                                 initial=Task.Priority.NORMAL)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units if units is not None else Unit.objects.none()
        self.fields["lead_unit"].queryset = units
        self.fields["coordinating_units"].queryset = units

    def clean(self):
        data = super().clean()
        if data.get("schedule") == "deadline":
            if not data.get("deadline"):
                self.add_error("deadline", _("Give the deadline."))
            data["recurrence"], data["first_report_due"] = "", None
        elif data.get("schedule") == "recurrence":
            if not data.get("recurrence"):
                self.add_error("recurrence", _("Choose how often the units report."))
            if not data.get("first_report_due"):
                self.add_error("first_report_due", _("Give the due date of the first report."))
            data["deadline"] = None
        lead, coordinating = data.get("lead_unit"), data.get("coordinating_units") or []
        if lead and lead in coordinating:
            self.add_error("coordinating_units",
                           _("The lead unit cannot also be a coordinating unit."))
        return data


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    file = _evidence()


class ContributionForm(forms.Form):
    text = forms.CharField(label=_("What your unit did"),
                           widget=forms.Textarea(attrs={"rows": 3}))
    file = _evidence()


class SubmitForm(forms.Form):
    text = forms.CharField(label=_("Result achieved"), widget=forms.Textarea(attrs={"rows": 3}))
    file = _evidence()


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RescheduleForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    """The report form; which fields are required depends on the report's kind."""

    summary = forms.CharField(label=_("Results in the period"), required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    findings = forms.CharField(
        label=_("Causes and conditions of crime found in your remit"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Loopholes in management, policies or supervision that offenders exploit."))
    measures = forms.CharField(label=_("Measures taken or proposed"), required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    results = forms.CharField(label=_("Results of the measures"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    difficulties = forms.CharField(label=_("Difficulties and proposals"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}))
    file = _evidence(_("Attached report or evidence (optional)"))

    REQUIRED = {"progress": ("summary",), "causes_conditions": ("findings", "measures", "results")}
    FIELDS = {"progress": ("summary", "difficulties", "file"),
              "causes_conditions": ("findings", "measures", "results", "summary", "difficulties",
                                    "file")}

    def __init__(self, *args, report: UnitReport, **kwargs):
        super().__init__(*args, **kwargs)
        kind = report.kind
        for name in list(self.fields):
            if name not in self.FIELDS[kind]:
                del self.fields[name]
        self.order_fields(self.FIELDS[kind])
        for name in self.REQUIRED[kind]:
            self.fields[name].required = True
        if kind == "causes_conditions":
            self.fields["summary"].label = _("Other results in the period")


class TaskFilterForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False,
                           empty_label=_("All units"))
    target = forms.ChoiceField(label=_("Target"), required=False,
                               choices=[("", _("All targets")), *TargetCode.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    q = forms.CharField(label=_("Search"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()


class PeriodForm(forms.Form):
    period = forms.CharField(label=_("Period"), required=False,
                             help_text=_("2026, 2026-Q3, 2026-H1 or 2026-10"))
    grain = forms.ChoiceField(label=_("History by"), required=False,
                              choices=[("month", _("month")), ("quarter", _("quarter")),
                                       ("year", _("year"))])
