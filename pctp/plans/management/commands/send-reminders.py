from datetime import date

from django.core.management.base import BaseCommand, CommandError

from pctp.plans.services import reminders_send


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, got {value!r}",
                           returncode=2) from None


class Command(BaseCommand):
    help = ("The daily job of plans: open the unit reports whose period has begun, then send "
            "the reminders owed (PCTP_REMINDER_DAYS before a deadline, and once it is missed) "
            "in the application and by e-mail. Dry run unless --commit; never sends the same "
            "reminder twice.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="leave the job to a worker (a task, retried on a database "
                                 "error, its state in the admin) instead of running it here")
        parser.add_argument("--commit", action="store_true",
                            help="write and send (without it: only show what would happen)")
        parser.add_argument("--today", help="YYYY-MM-DD (default: today in Asia/Ho_Chi_Minh)")

    def handle(self, *args, **options):
        if options["enqueue"]:
            from pctp.plans.tasks import send_reminders

            result = send_reminders.enqueue()
            self.stdout.write(f"enqueued task {result.id}")
            return
        today = _date(options["today"]) if options["today"] else None
        run = reminders_send(today=today, commit=options["commit"])
        verb = "opened" if run.committed else "to open"
        self.stdout.write(f"Unit reports {verb}: {run.reports_opened}")
        for reminder in run.reminders:
            self.stdout.write(f"  user {reminder.user_id:<6} {reminder.email or '-':<28} "
                              f"{reminder.text}")
        if run.committed:
            self.stdout.write(f"Reminders sent: {run.sent}")
        else:
            self.stdout.write(f"Reminders to send: {len(run.reminders)}")
            self.stdout.write("Dry run: nothing was written or sent. Add --commit to do it.")
