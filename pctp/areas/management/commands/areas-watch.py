from datetime import date

from django.core.management.base import BaseCommand, CommandError

from pctp.areas.services import REASON_TEXT, watch_run


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, got {value!r}",
                           returncode=2) from None


class Command(BaseCommand):
    help = ("The monthly relapse watch of transformed key areas: crimes and the data-driven "
            "criteria over the 12 months ending with each completed month of the watch window, "
            "against the level at selection. Flags relapses and alerts the leaders. Dry run "
            "unless --commit; each month is checked once.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="leave the job to a worker (a task, retried on a database "
                                 "error, its state in the admin) instead of running it here")
        parser.add_argument("--commit", action="store_true",
                            help="write the checks, flag relapses and alert (without it: show)")
        parser.add_argument("--today", help="YYYY-MM-DD (default: today in Asia/Ho_Chi_Minh)")

    def handle(self, *args, **options):
        if options["enqueue"]:
            from pctp.areas.tasks import watch_areas

            result = watch_areas.enqueue()
            self.stdout.write(f"enqueued task {result.id}")
            return
        today = _date(options["today"]) if options["today"] else None
        run = watch_run(today=today, commit=options["commit"])
        self.stdout.write(f"Areas under watch: {run.areas}")
        for area, result in run.checks:
            reasons = "; ".join(REASON_TEXT.get(r, r) for r in result["reasons"])
            self.stdout.write(f"  {area.pk:<6} {area.name[:40]:<40} {result['month']:%m/%Y} "
                              f"{result['level']:<8} {result['crimes']}/{result['baseline']} "
                              f"{reasons}")
        self.stdout.write(f"Relapsed: {len(run.relapsed)}; warnings: {len(run.warnings)}")
        if not run.committed:
            self.stdout.write("Dry run: nothing was written. Add --commit to do it.")
