"""`pctp analytics …`: the engine's command line, plus the product's scheduled jobs.

- `pctp analytics backtest …` runs the engine's backtest (see pctp/analytics/engine/cli.py);
- `pctp analytics forecast --queue week,month --commit` queues the province's forecasts for
  those horizons (a task each: a worker computes them); without `--queue`, or with `--now`,
  computes the queued forecasts here (dry without --commit: lists them);
- `pctp analytics emerging [--month YYYY-MM] [--level group|offence] --commit` classifies
  crime types per commune for the last complete month and alerts on new and rising ones
  (`--enqueue`: leave it to a worker).
"""

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError

from pctp.analytics.engine.cli import main

JOBS = ("forecast", "emerging")


class Command(BaseCommand):
    help = ("Crime analysis. `pctp analytics backtest --events FILE.csv[.gz] --offence-type TYPE "
            "--cell-size-m 150 --horizon-days 7 --test-start YYYY-MM-DD --test-end YYYY-MM-DD "
            "[--methods all] --json` (exit code 2 on bad input); `pctp analytics forecast "
            "[--queue week,month] --commit`; `pctp analytics emerging --commit`.")

    def run_from_argv(self, argv):
        # The engine parses its own arguments (argv[2:] after "pctp analytics").
        if len(argv) > 2 and argv[2] in JOBS:
            try:
                self.run_job(argv[2], argv[3:])
            except CommandError as exc:
                self.stderr.write(f"error: {exc}")
                sys.exit(2)
            return
        sys.exit(main(argv[2:]))

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv is the entry point
        sys.exit(main(list(args)))

    def run_job(self, job: str, argv: list[str]) -> None:
        p = argparse.ArgumentParser(prog=f"pctp analytics {job}")
        p.add_argument("--commit", action="store_true", help="do it (dry run without)")
        if job == "forecast":
            p.add_argument("--queue", default="", help="queue province forecasts first: "
                           "week, month or week,month")
            p.add_argument("--method", default=None)
            p.add_argument("--limit", type=int, default=None)
            p.add_argument("--now", action="store_true",
                           help="compute the queued forecasts here instead of leaving them to "
                                "the workers (`pctp db_worker`)")
            args = p.parse_args(argv)
            forecast_job(args, self.stdout)
        else:
            p.add_argument("--month", default="", help="YYYY-MM (default: last complete month)")
            p.add_argument("--level", default="group", choices=["group", "offence"])
            p.add_argument("--enqueue", action="store_true",
                           help="leave the scan to a worker (a task) instead of running it here")
            args = p.parse_args(argv)
            emerging_job(args, self.stdout)


def forecast_job(args, out) -> None:
    from pctp.analytics import services as s
    from pctp.analytics.models import Forecast, Horizon

    horizons = [h.strip() for h in args.queue.split(",") if h.strip()]
    bad = [h for h in horizons if h not in Horizon.values]
    if bad:
        raise CommandError(f"--queue: unknown horizon {', '.join(bad)} (week, month)")
    if not args.commit:
        queued = Forecast.objects.filter(status=Forecast.State.QUEUED).count()
        out.write(f"dry run: {queued} forecast(s) queued; would queue {horizons or 'none'}; "
                  "add --commit")
        return
    for h in horizons:
        f = s.forecast_queue(actor=None, scope=s.province_unit(), horizon=h, method=args.method)
        out.write(f"queued forecast {f.pk} ({h}): a worker computes it")
    if args.now or not horizons:
        done = s.forecast_run_pending(limit=args.limit, stdout=out)
        out.write(f"{len(done)} forecast(s) computed")


def emerging_job(args, out) -> None:
    from pctp.analytics import services as s
    from pctp.analytics.views import _month

    month = None
    if args.month:
        month = _month(args.month)
        if month is None:
            raise CommandError("--month must be YYYY-MM")
    if args.enqueue:
        from pctp.analytics.tasks import scan_emerging

        result = scan_emerging.enqueue(level=args.level, month=args.month or "")
        out.write(f"enqueued task {result.id}")
        return
    run = s.emerging_run(level=args.level, month=month, commit=args.commit)
    out.write(f"{run['month']}: {run['alerts']} new or rising of {run['pairs']} "
              f"(type, commune) pairs")
    if not args.commit:
        out.write("dry run: no alert sent; add --commit")
        return
    out.write(f"{run['sent']} notification(s) sent")
