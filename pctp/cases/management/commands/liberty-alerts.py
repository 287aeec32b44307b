from pctp.cases.alerts import alerts_send
from pctp.core.jobs import JobCommand


class Command(JobCommand):
    help = ("Alert the investigator, the holding unit and the supervising procuracy of every "
            "custody or detention whose limit (computed again from the law, never trusted as "
            "stored) ends within 3 days or has passed, in the application and by e-mail. Dry "
            "run unless --commit; never sends the same alert twice for the same limit.")
    task = "pctp.cases.tasks:send_liberty_alerts"
    clock = "now"

    def run(self, when, commit):
        return alerts_send(now=when, commit=commit)

    def report(self, run):
        for alert in run.alerts:
            self.stdout.write(f"  user {alert.user_id:<6} {alert.email or '-':<28} {alert.text}")
        if run.committed:
            self.stdout.write(f"Alerts sent: {run.sent}")
        else:
            self.stdout.write(f"Alerts to send: {len(run.alerts)}")
