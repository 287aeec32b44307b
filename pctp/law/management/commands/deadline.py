import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from pctp.law.services import deadline
from pctp.law.timelimits import RULE_CODES, LawError


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--from must be a date as YYYY-MM-DD, got {value!r}",
                           returncode=2) from None


class Command(BaseCommand):
    help = ("Compute a legal time limit: due date, maximum with every lawful extension, "
            "whether another extension is lawful, when to request it, who grants it, and the basis.")

    def add_arguments(self, parser):
        parser.add_argument("rule", help="one of: " + ", ".join(RULE_CODES))
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--severity", choices=None,
                            help="less_serious | serious | very_serious | especially_serious")
        parser.add_argument("--extensions", type=int, default=0)
        parser.add_argument("--force-majeure", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        start = _date(options["start"])
        try:
            result = deadline(options["rule"], start=start, severity=options["severity"],
                              extensions=options["extensions"],
                              force_majeure=options["force_majeure"])
        except LawError as exc:
            raise CommandError(str(exc), returncode=2) from None
        data = result.to_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for key, value in data.items():
            self.stdout.write(f"{key}: {value}")
