import json

from django.core.management.base import BaseCommand, CommandError

from pctp.law.services import offence_clause


def clause_dict(offence, clause) -> dict:
    group = offence.group_on()
    return {
        "article": offence.article, "clause": clause.clause, "title": offence.title,
        "chapter": offence.chapter, "severity": clause.severity,
        "group": group.group if group else None,
        "max_penalty": clause.max_penalty,
        "max_years": float(clause.max_years) if clause.max_years is not None else None,
        "preparation": clause.preparation,
    }


class Command(BaseCommand):
    help = "Show a Penal Code article (or one clause) with its severity class and crime group."

    def add_arguments(self, parser):
        parser.add_argument("article")
        parser.add_argument("--clause", type=int)
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        try:
            offence, clause = offence_clause(options["article"], options["clause"])
        except LookupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if clause is not None:
            result = clause_dict(offence, clause)
        else:
            group = offence.group_on()
            result = {
                "article": offence.article, "title": offence.title, "chapter": offence.chapter,
                "section": offence.section or None, "repealed": offence.repealed,
                "group": group.group if group else None,
                "clauses": [{k: v for k, v in clause_dict(offence, c).items()
                             if k in {"clause", "severity", "max_penalty", "max_years",
                                      "preparation"}}
                            for c in offence.clauses.all()],
            }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"Điều {offence.article}. {offence.title} (Chương {offence.chapter})")
        for key, value in result.items():
            if key not in {"article", "title", "chapter"}:
                self.stdout.write(f"  {key}: {value}")
