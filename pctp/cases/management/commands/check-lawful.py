import json

from django.core.management.base import BaseCommand, CommandError

from pctp.cases.lawfulness import CHECKS, WARNINGS, sweep


class Command(BaseCommand):
    help = ("Sweep the database for states the law forbids: initiated sources without a case, "
            "people held past their limit, stored limits that disagree with the law, detention "
            "of the wrong stage or past its maximum, extensions decided late or at the wrong "
            "level, cases sent to a court without jurisdiction, charges under an article not "
            "yet in force. Writes nothing. Exit code 1 when anything is found.")

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", choices=list(CHECKS), help="run these checks")
        parser.add_argument("--limit", type=int, default=10, help="examples shown per check")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        found = sweep(options["only"])
        total = sum(len(v) for code, v in found.items() if code not in WARNINGS)
        if options["json"]:
            self.stdout.write(json.dumps(
                {code: {"title": str(CHECKS[code][0]), "count": len(rows),
                        "warning": code in WARNINGS,
                        "examples": [{"record": f.record, "message": f.message}
                                     for f in rows[:options["limit"]]]}
                 for code, rows in found.items()}, ensure_ascii=False))
        else:
            for code, rows in found.items():
                mark = "OK " if not rows else ("?? " if code in WARNINGS else "!! ")
                self.stdout.write(f"{mark}{CHECKS[code][0]}: {len(rows)}")
                for f in rows[:options["limit"]]:
                    self.stdout.write(f"     {f.record}: {f.message}")
        if total:
            raise CommandError(f"{total} unlawful state(s) found", returncode=1)
