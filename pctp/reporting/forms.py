from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from pctp.reporting.types import TYPES


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Type of report"))
    period = forms.ChoiceField(label=gettext_lazy("Period"))
    unit = forms.ChoiceField(label=gettext_lazy("Unit (a unit's report)"), required=False)
    number = forms.CharField(label=gettext_lazy("Number and symbol"), max_length=60,
                             required=False,
                             help_text=gettext_lazy("e.g. 125/BC-UBND; left empty, the clerk "
                                                    "writes it on the printed copy"))
    signer_title = forms.CharField(label=gettext_lazy("Signer's title"), max_length=120,
                                   required=False,
                                   help_text=gettext_lazy("as printed above the signature; "
                                                          "left empty, the type's usual title"))
    signer_name = forms.CharField(label=gettext_lazy("Signer's name"), max_length=120,
                                  required=False)
    next_steps = forms.CharField(label=gettext_lazy("Next steps (optional)"), max_length=5000,
                                 required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=gettext_lazy("Left empty, drafted from the targets "
                                                        "not met."))

    def __init__(self, *args, kinds, periods, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, TYPES[k].label) for k in kinds]
        self.fields["period"].choices = periods
        self.fields["unit"].choices = [("", "—"), *units]
