"""`pctp kpi`: every target of a plan for a period, as the dashboard computes it."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pctp.core.errors import DomainError
from pctp.kpi import registry as kpi
from pctp.kpi.periods import parse
from pctp.kpi.selectors import resolve


class Command(BaseCommand):
    help = ("Print every target of a plan for a period: value, numerator, denominator, "
            "threshold and status (the same figures as the dashboard and the API).")

    def add_arguments(self, parser):
        parser.add_argument("--plan", default="current", help="plan id, or 'current'")
        parser.add_argument("--period", default=None,
                            help="2026, 2026-03, 2026-Q1, 2026-H1, tk:2026, ta:2026, ytd:2026, "
                                 "2026-01-01..2026-06-30 (default: this year to date)")
        parser.add_argument("--unit", default=None, help="unit code")
        parser.add_argument("--commune", default=None, help="commune code")
        parser.add_argument("--as-of", default=None,
                            help="YYYY-MM-DD: the figures as the records stood that day")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["as_of"]:
            try:
                today = parse(f"{options['as_of']}..{options['as_of']}").start
            except ValueError:
                raise CommandError("--as-of must be a date as YYYY-MM-DD", returncode=2) from None
        try:
            req = resolve(None, plan=options["plan"], period=options["period"],
                          unit=options["unit"], commune=options["commune"], today=today)
        except DomainError as exc:
            field = exc.details.get("field", "")
            raise CommandError(f"--{field}: {exc.message}" if field else exc.message,
                               returncode=2) from None
        figures = kpi.dashboard(req.plan, req.period, req.scope, as_of=req.today)
        if options["json"]:
            self.stdout.write(json.dumps({
                "plan": {"id": req.plan.pk, "number": req.plan.number},
                "period": {"key": req.period.key, "start": req.period.start.isoformat(),
                           "end": req.period.end.isoformat()},
                "scope": req.scope.key, "as_of": req.today.isoformat(),
                "targets": [f.as_dict() for f in figures]}, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{req.plan.number} — {req.period.label} — {req.scope.label}")
        for f in figures:
            value = "—" if f.value is None else f"{f.value}{f.indicator.value_unit}"
            self.stdout.write(
                f"{f.target.code:4} {value:>10}  {f.result.numerator:>14,} / "
                f"{f.result.denominator:<14,} {f.target.comparator} {f.target.threshold:<7} "
                f"{f.status:8} {f.indicator.name}")
