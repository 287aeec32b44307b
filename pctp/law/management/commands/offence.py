import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from pctp.law.services import offence_clause


def clause_dict(offence, clause, on: date) -> dict:
    """The clause as it stood on ``on``: the bracket of the version in force that day."""
    group = offence.group_on(on)
    version = clause.version_on(on)
    if version is None:
        raise CommandError(_("Art. %(article)s clause %(clause)s was not in force on %(day)s")
                           % {"article": offence.article, "clause": clause.clause,
                              "day": f"{on:%d/%m/%Y}"}, returncode=2)
    return {
        "article": offence.article, "clause": clause.clause, "title": offence.title,
        "chapter": offence.chapter, "on": on.isoformat(), "severity": version.severity,
        "group": group.group if group else None,
        "max_penalty": version.max_penalty,
        "max_years": float(version.max_years) if version.max_years is not None else None,
        "preparation": clause.preparation,
        "law": version.law,
        "version_from": version.effective_from.isoformat(),
        "version_to": version.effective_to.isoformat() if version.effective_to else None,
    }


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--on must be a date as YYYY-MM-DD, got {value!r}",
                           returncode=2) from None


class Command(BaseCommand):
    help = ("Show a Penal Code article (or one clause) as it stood on a day: its bracket, "
            "severity class and crime group (PC Art. 7: the version in force that day).")

    def add_arguments(self, parser):
        parser.add_argument("article")
        parser.add_argument("--clause", type=int)
        parser.add_argument("--on", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        on = _date(options["on"]) if options["on"] else timezone.localdate()
        try:
            offence, clause = offence_clause(options["article"], options["clause"])
        except LookupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if offence.is_offence and not offence.in_force_on(on):
            since = (_("; in force from %(day)s") % {"day": f"{offence.in_force_from:%d/%m/%Y}"}
                     if offence.in_force_from and not offence.repealed else "")
            state = _("was repealed") if offence.repealed else _("was not in force")
            raise CommandError(_("Art. %(article)s (%(title)s) %(state)s on %(day)s%(since)s (PC "
                                 "Art. 7: no retroactivity).")
                               % {"article": offence.article, "title": offence.title,
                                  "state": state, "day": f"{on:%d/%m/%Y}", "since": since},
                               returncode=2)
        if clause is not None:
            result = clause_dict(offence, clause, on)
        else:
            group = offence.group_on(on)
            result = {
                "article": offence.article, "title": offence.title, "chapter": offence.chapter,
                "section": offence.section or None, "repealed": offence.repealed,
                "on": on.isoformat(), "in_force_from": (offence.in_force_from.isoformat()
                                                        if offence.in_force_from else None),
                "group": group.group if group else None,
                "clauses": [{k: v for k, v in clause_dict(offence, c, on).items()
                             if k in {"clause", "severity", "max_penalty", "max_years",
                                      "preparation", "law"}}
                            for c in offence.clauses.prefetch_related("versions")],
            }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(_("Art. %(article)s. %(title)s (Chapter %(chapter)s)")
                          % {"article": offence.article, "title": offence.title,
                             "chapter": offence.chapter})
        for key, value in result.items():
            if key not in {"article", "title", "chapter"}:
                self.stdout.write(f"  {key}: {value}")
