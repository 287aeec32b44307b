from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pctp.core.dates import DayInput
from pctp.law.models import CrimeGroup, Offence, Severity
from pctp.law.selectors import offence_list, offence_suggestions
from pctp.law.services import deadline
from pctp.law.timelimits import RULE_CODES, LawError, list_rules


@login_required
def offence_index(request):
    query = request.GET.get("q", "")
    chapter = request.GET.get("chapter", "")
    group = request.GET.get("group", "")
    chapters = (Offence.objects.order_by("number").values_list("chapter", "chapter_title")
                .distinct())
    return render(request, "law/offence_list.html", {
        "offences": offence_list(query=query, chapter=chapter, group=group),
        "q": query, "chapter": chapter, "group": group,
        "chapters": list(dict.fromkeys(chapters)), "groups": CrimeGroup.choices,
    })


class DeadlineForm(forms.Form):
    rule = forms.ChoiceField(label=_("Time limit"), choices=[])
    start = forms.DateField(label=_("Counted from"), widget=DayInput())
    start_time = forms.TimeField(label=_("At (custody and the hour limits)"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}),
                                 help_text=_("Custody runs from the hour the person was "
                                             "received; other limits count days."))
    national_security = forms.BooleanField(label=_("Crime against national security"),
                                           required=False)
    severity = forms.ChoiceField(label=_("Severity"), required=False,
                                 choices=[("", "—"), *Severity.choices])
    extensions = forms.IntegerField(label=_("Extensions already granted"), min_value=0,
                                    initial=0, required=False)
    force_majeure = forms.BooleanField(label=_("Force majeure"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        titles = {r.code: r.title for r in list_rules(date.today())}
        self.fields["rule"].choices = [(c, titles.get(c, c)) for c in RULE_CODES]


LAW_ERROR_MESSAGES = {
    "severity_required": _("This time limit depends on the severity class: choose one."),
    "too_many_extensions": _("The law does not allow that many extensions for this limit."),
    "no_rule_in_force": _("No version of this rule was in force on that date."),
    "unknown_rule": _("Unknown time limit."),
}


@login_required
def deadline_calculator(request):
    form = DeadlineForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        start = data["start"]
        if data["start_time"] is not None:
            start = datetime.combine(start, data["start_time"])
        try:
            result = deadline(data["rule"], start=start,
                              severity=data["severity"] or None,
                              extensions=data["extensions"] or 0,
                              force_majeure=data["force_majeure"],
                              national_security=data["national_security"],
                              decided_on=timezone.localdate())
        except LawError as exc:
            form.add_error(None, LAW_ERROR_MESSAGES.get(exc.code, str(exc)))
        except TypeError:
            form.add_error("start_time", _("This limit counts days: leave the time empty."))
        except OverflowError:
            form.add_error("start", _("Too far in the future."))
    return render(request, "law/deadline.html", {"form": form, "result": result})


@login_required
def offence_search(request):
    """Suggestions for the offence pickers on the pages: `?q=173` or `?q=trom cap`."""
    query = request.GET.get("q", "")[:100]
    return JsonResponse({"results": offence_suggestions(query)})
