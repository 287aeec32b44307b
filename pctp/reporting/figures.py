"""The figures a report prints, taken from the indicator registry exactly as the dashboard
shows them: a closed period's figures from its snapshots (with a revision found since
closing shown as such), an open period's from today's records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pctp.kpi import registry as kpi
from pctp.kpi import services as kpi_services


@dataclass
class Printed:
    """One target as the report prints it."""

    code: str
    name: str
    numerator_label: str
    denominator_label: str
    kind: str                 # rate | change
    money: bool               # summed in VND
    comparator: str
    threshold: float
    value: float | None
    numerator: int
    denominator: int
    status: str
    previous_value: float | None
    change: float | None
    measured: str             # the period the target is measured over
    closed: bool
    revised_value: float | None = None
    revised_numerator: int | None = None
    revised_denominator: int | None = None
    fingerprint: dict = field(default_factory=dict)
    figure: object = None     # the registry's Figure (its records, its breakdowns)

    @property
    def revised(self) -> bool:
        return self.revised_numerator is not None

    def as_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k not in ("figure", "fingerprint")}
        out["revised"] = self.revised
        return out


def _float(value) -> float | None:
    return float(value) if value is not None else None


def printed(f: kpi.Figure) -> Printed:
    snap = f.snapshot
    ind = f.indicator
    common = dict(code=f.target.code, name=str(ind.name),
                  numerator_label=str(ind.numerator_label),
                  denominator_label=str(ind.denominator_label), kind=ind.kind,
                  money=bool(ind.num_sum), comparator=f.target.comparator,
                  threshold=float(f.target.threshold), previous_value=f.previous_value,
                  measured=f.measured.label, figure=f)
    if snap is None:
        p = Printed(**common, value=f.value, numerator=f.result.numerator,
                    denominator=f.result.denominator, status=f.status,
                    change=f.change, closed=False,
                    fingerprint={"live": kpi_services.fingerprint(f.result)})
        return p
    value = _float(snap.value)
    change = (round(value - f.previous_value, 2)
              if value is not None and f.previous_value is not None else None)
    p = Printed(**common, value=value, numerator=int(snap.numerator),
                denominator=int(snap.denominator), status=snap.status, change=change,
                closed=True, fingerprint={"snapshot": snap.pk, "closed": snap.fingerprint})
    if f.revision is not None:
        r = f.revision
        p.revised_value = _float(r.new_value)
        p.revised_numerator, p.revised_denominator = int(r.new_numerator), int(r.new_denominator)
        p.fingerprint["revision"] = r.pk
    return p


def report_figures(plan, period, scope, *, today: date) -> list[Printed]:
    figures = kpi.dashboard(plan, period, scope, as_of=today)
    figures = kpi_services.with_snapshots(plan, period, scope, today, figures)
    return [printed(f) for f in figures]
