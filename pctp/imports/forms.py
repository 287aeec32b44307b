from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pctp.imports.kinds import KINDS
from pctp.imports.models import ImportMapping

ENCODING_CHOICES = [
    ("auto", _("Find it (recommended)")),
    ("utf-8", "UTF-8"),
    ("utf-16", _("UTF-16 (Excel's “Unicode text”)")),
    ("cp1258", "Windows-1258"),
    ("tcvn3", _("TCVN3 (ABC, .VnTime fonts)")),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of register"), choices=[])
    file = forms.FileField(label=_("File (.xlsx, .xls, .ods or .csv)"))
    encoding = forms.ChoiceField(label=_("Text encoding"), choices=ENCODING_CHOICES,
                                 initial="auto", required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, KINDS[k].label) for k in kinds]


class ColumnsForm(forms.Form):
    """The sheet, the header row and, for each field, its column."""

    sheet = forms.ChoiceField(label=_("Sheet"))
    header_row = forms.IntegerField(label=_("Header row"), min_value=1, max_value=30)
    mapping = forms.ModelChoiceField(label=_("Use a saved mapping"), required=False,
                                     queryset=ImportMapping.objects.none(),
                                     empty_label=_("— columns chosen below —"))
    save_as = forms.CharField(label=_("Save these columns as"), required=False, max_length=100,
                              help_text=_("A name, to use the same columns for the next file."))

    def __init__(self, *args, job, sheets, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = KINDS[job.kind]
        self.fields["sheet"].choices = [(s, s) for s in sheets]
        self.fields["mapping"].queryset = ImportMapping.objects.filter(kind=job.kind)
        columns = [("", _("— none —"))] + [
            (str(i), f"{_column_letter(i)} · {label or '—'}") for i, label in enumerate(labels)]
        for f in self.kind.fields:
            self.fields[f"col_{f.key}"] = forms.ChoiceField(
                label=f.label, choices=columns, required=False)
        self.field_keys = [f.key for f in self.kind.fields]
        self.required_keys = {f.key for f in self.kind.fields if f.required}

    def column_fields(self):
        return [(self[f"col_{k}"], k in self.required_keys) for k in self.field_keys]

    def columns(self) -> dict[str, int]:
        return {k: int(self.cleaned_data[f"col_{k}"]) for k in self.field_keys
                if self.cleaned_data.get(f"col_{k}") not in (None, "")}


def _column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def column_letter(i: int) -> str:
    return _column_letter(i)
