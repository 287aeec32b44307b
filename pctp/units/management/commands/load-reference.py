from django.core.management.base import BaseCommand

from pctp.units.services import reference_load


class Command(BaseCommand):
    help = "Load or refresh the 34 provinces and 3,321 communes (official codes). Idempotent."

    def handle(self, *args, **options):
        result = reference_load(actor=None)
        self.stdout.write(
            f"provinces created: {result['provinces']}, communes created: {result['communes']}, "
            f"communes updated: {result['communes_updated']}"
        )
