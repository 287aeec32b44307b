from django.core.management.base import BaseCommand

from pctp.law.services import offences_load
from pctp.units.services import reference_load


class Command(BaseCommand):
    help = ("Load or refresh the reference data: 34 provinces and 3,321 communes (official "
            "codes) and the Penal Code's offences with their clauses. Idempotent.")

    def handle(self, *args, **options):
        result = reference_load(actor=None)
        self.stdout.write(
            f"provinces created: {result['provinces']}, communes created: {result['communes']}, "
            f"communes updated: {result['communes_updated']}"
        )
        law = offences_load(actor=None)
        self.stdout.write(f"articles created: {law['articles']}, clauses created: "
                          f"{law['clauses']}, crime groups set: {law['groups']}")
