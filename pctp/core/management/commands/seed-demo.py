from django.core.management.base import BaseCommand, CommandError

from pctp.core.demo import demo_password, run_seeders


class Command(BaseCommand):
    help = "Seed the demo province (Tỉnh Tây Ninh, code 80) with units, people and records. Idempotent."  # i18n: data

    def handle(self, *args, **options):
        password = demo_password()
        if not password:
            raise CommandError("PCTP_DEMO_PASSWORD is empty: the demo seed is not for production.")
        summary, accounts = run_seeders(password=password, stdout=self.stdout)
        for key, value in summary.items():
            self.stdout.write(f"  {key}: {value}")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {password})")
        for account, created in accounts:
            marker = "new" if created else "kept"
            self.stdout.write(f"  {account.username:<14} {account.role:<20} {account.full_name} "
                              f"— {account.position} [{marker}]")
        self.stdout.write("Leaders and administrators set up a TOTP app at first sign-in.")
