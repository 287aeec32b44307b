import json

from django.core.management.base import BaseCommand, CommandError

from pctp.law.services import deadline
from pctp.law.timelimits import RULE_CODES, LawError, parse_start


def _start(value: str):
    try:
        return parse_start(value)
    except ValueError:
        raise CommandError(f"--from must be a date as YYYY-MM-DD or a local time as "
                           f"YYYY-MM-DDTHH:MM, got {value!r}", returncode=2) from None


class Command(BaseCommand):
    help = ("Compute a legal time limit: due date (and for custody the hour), maximum with "
            "every lawful extension, whether another extension is lawful, when to request it, "
            "who grants it, and the basis.")

    def add_arguments(self, parser):
        parser.add_argument("rule", help="one of: " + ", ".join(RULE_CODES))
        parser.add_argument("--from", dest="start", required=True,
                            help="YYYY-MM-DD, or YYYY-MM-DDTHH:MM (local time) for custody and "
                                 "the hour limits")
        parser.add_argument("--severity", choices=None,
                            help="less_serious | serious | very_serious | especially_serious")
        parser.add_argument("--extensions", type=int, default=0)
        parser.add_argument("--decided-on", help="YYYY-MM-DD: who grants the next extension "
                                                 "that day")
        parser.add_argument("--national-security", action="store_true",
                            help="crimes against national security (Arts. 172(3), 173(5))")
        parser.add_argument("--credit-days", type=int, default=0,
                            help="detention days already served that come off the limit")
        parser.add_argument("--force-majeure", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        start = _start(options["start"])
        decided_on = _start(options["decided_on"]) if options["decided_on"] else None
        if decided_on is not None and hasattr(decided_on, "hour"):
            decided_on = decided_on.date()
        if decided_on is None:  # who grants the next extension today, as the pages say
            from django.utils import timezone

            decided_on = timezone.localdate()
        try:
            result = deadline(options["rule"], start=start, severity=options["severity"],
                              extensions=options["extensions"],
                              force_majeure=options["force_majeure"], decided_on=decided_on,
                              national_security=options["national_security"],
                              credit_days=options["credit_days"])
        except LawError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except TypeError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except OverflowError:
            raise CommandError("The limit would end after the year 9999.", returncode=2) from None
        data = result.to_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        for key, value in data.items():
            self.stdout.write(f"{key}: {value}")
