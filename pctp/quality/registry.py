"""The quality indicators (issue 21): what each counts is in `pctp.cases.quality`; here,
how the page shows it: rate per 100 or alert, and how its records group by unit and by
the person handling them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from pctp.cases import quality as q
from pctp.sources import quality as sq


@dataclass(frozen=True)
class QualityIndicator:
    code: str
    compute: Callable
    kind: str                 # "per100": a rate per 100 files; "alert": every record is one
    numerator_label: str
    denominator_label: str
    by_unit: str              # path from a numerator record to the unit answerable for it
    by_person: str            # ... and to the officer (investigator) handling it
    lower_is_better: bool = True
    records: str = "cases"    # which of the reader's scopes it counts: "cases" or "sources"
    by_reason: str = ""       # ... and to a recorded reason, when the records carry one
    reason_labels: tuple = ()  # (value, label) of those reasons


INDICATORS: dict[str, QualityIndicator] = {i.code: i for i in sorted([
    QualityIndicator("Q1", q.procuracy_returns, "per100",
                     gettext_lazy("files returned"), gettext_lazy("files received"),
                     "case__investigation_body", "case__investigator"),
    QualityIndicator("Q2", q.court_returns, "per100",
                     gettext_lazy("files returned"), gettext_lazy("indictments received"),
                     "case__investigation_body", "case__investigator"),
    QualityIndicator("Q3", q.returned_twice, "alert",
                     gettext_lazy("cases returned twice or more"),
                     gettext_lazy("cases returned"), "investigation_body", "investigator"),
    QualityIndicator("Q4", q.wrongful_detention, "alert",
                     gettext_lazy("cases with a person held for nothing"),
                     gettext_lazy("terminated cases with a person held"),
                     "investigation_body", "investigator"),
    QualityIndicator("Q5", q.suspended_with_suspect, "per100",
                     gettext_lazy("with a known suspect"), gettext_lazy("suspended cases"),
                     "investigation_body", "investigator"),
    QualityIndicator("Q9", sq.cancelled_declines, "per100",
                     gettext_lazy("decisions cancelled"),
                     gettext_lazy("decisions not to initiate"), "holder", "assignee",
                     records="sources"),
    QualityIndicator("Q10", sq.reclassified_lighter, "per100",
                     gettext_lazy("reclassified lighter"), gettext_lazy("sources classified"),
                     "holder", "assignee", records="sources"),
    QualityIndicator("Q7", q.acquittals, "alert",
                     gettext_lazy("cases with a finding of no crime"),
                     gettext_lazy("cases decided by a court"), "investigation_body",
                     "investigator"),
    QualityIndicator("Q8", q.appeals_changed, "per100",
                     gettext_lazy("judgments amended or annulled"),
                     gettext_lazy("judgments decided on appeal"), "case__court",
                     "case__investigator",
                     by_reason="reason", reason_labels=q.APPEAL_REASONS),
    QualityIndicator("Q6", sq.cancelled_suspensions, "per100",
                     gettext_lazy("suspensions cancelled"),
                     gettext_lazy("sources suspended"), "holder", "assignee",
                     records="sources"),
], key=lambda i: int(i.code[1:]))}
