from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pctp.core.errors import DomainError
from pctp.units.services import boundaries_load


class Command(BaseCommand):
    help = ("Load commune boundaries of the deployed province from a GeoJSON FeatureCollection "
            "whose features carry `ward_code`. The whole file is checked before anything is saved.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="attribution to store with the shapes")

    def handle(self, *args, **options):
        try:
            result = boundaries_load(actor=None, path=options["file"], source=options["source"])
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(f"loaded {result['features']} boundaries for province {result['province']}")
