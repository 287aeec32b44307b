from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pctp.cases.alerts import alerts_send


def _instant(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now must be a date and time as YYYY-MM-DDTHH:MM, got {value!r}",
                           returncode=2) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = ("Alert the investigator, the holding unit and the supervising procuracy of every "
            "custody or detention whose limit (computed again from the law, never trusted as "
            "stored) ends within 3 days or has passed, in the application and by e-mail. Dry "
            "run unless --commit; never sends the same alert twice for the same limit.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="leave the job to a worker (a task, retried on a database "
                                 "error, its state in the admin) instead of running it here")
        parser.add_argument("--commit", action="store_true",
                            help="write and send (without it: only show what would happen)")
        parser.add_argument("--now", help="YYYY-MM-DDTHH:MM (default: now)")

    def handle(self, *args, **options):
        if options["enqueue"]:
            from pctp.cases.tasks import send_liberty_alerts

            result = send_liberty_alerts.enqueue()
            self.stdout.write(f"enqueued task {result.id}")
            return
        now = _instant(options["now"]) if options["now"] else None
        run = alerts_send(now=now, commit=options["commit"])
        for alert in run.alerts:
            self.stdout.write(f"  user {alert.user_id:<6} {alert.email or '-':<28} {alert.text}")
        if run.committed:
            self.stdout.write(f"Alerts sent: {run.sent}")
        else:
            self.stdout.write(f"Alerts to send: {len(run.alerts)}")
            self.stdout.write("Dry run: nothing was written or sent. Add --commit to do it.")
