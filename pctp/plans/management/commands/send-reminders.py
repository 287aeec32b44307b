from pctp.core.jobs import JobCommand
from pctp.plans.services import reminders_send


class Command(JobCommand):
    help = ("The daily job of plans: open the unit reports whose period has begun, then send "
            "the reminders owed (PCTP_REMINDER_DAYS before a deadline, and once it is missed) "
            "in the application and by e-mail. Dry run unless --commit; never sends the same "
            "reminder twice.")
    task = "pctp.plans.tasks:send_reminders"

    def run(self, when, commit):
        return reminders_send(today=when, commit=commit)

    def report(self, run):
        verb = "opened" if run.committed else "to open"
        self.stdout.write(f"Unit reports {verb}: {run.reports_opened}")
        for reminder in run.reminders:
            self.stdout.write(f"  user {reminder.user_id:<6} {reminder.email or '-':<28} "
                              f"{reminder.text}")
        if run.committed:
            self.stdout.write(f"Reminders sent: {run.sent}")
        else:
            self.stdout.write(f"Reminders to send: {len(run.reminders)}")
