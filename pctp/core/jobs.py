"""The shape the periodic jobs' commands share (send-reminders, liberty-alerts,
areas-watch): a dry run unless --commit, --enqueue to leave it to a worker, and the day
(--today) or the instant (--now) it runs for. A command names its task and says how to run
and report; these options, their parsing, their errors and the dry-run line are here.
(verify-identities and `analytics emerging` have other options and keep their own.)"""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import date, datetime
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

DRY_RUN = "Dry run: nothing was written or sent. Add --commit to do it."


def parse_iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date as YYYY-MM-DD, got {value!r}",
                           returncode=2) from None


def parse_instant(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--now must be a date and time as YYYY-MM-DDTHH:MM, got {value!r}",
                           returncode=2) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


class JobCommand(BaseCommand, ABC):
    """Subclasses set `task` ("module:name" of the django-tasks task), `clock` ("today" or
    "now"), `commit_help`, and implement `run(when, commit)` and `report(result)`."""

    task: str = ""
    clock: str = "today"
    commit_help = "write and send (without it: only show what would happen)"

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="leave the job to a worker (a task, retried on a database "
                                 "error, its state in the admin) instead of running it here")
        parser.add_argument("--commit", action="store_true", help=self.commit_help)
        if self.clock == "now":
            parser.add_argument("--now", help="YYYY-MM-DDTHH:MM (default: now)")
        else:
            parser.add_argument("--today",
                                help="YYYY-MM-DD (default: today in Asia/Ho_Chi_Minh)")

    def handle(self, *args, **options):
        if options["enqueue"]:
            if options[self.clock]:
                raise CommandError(f"--{self.clock} runs the job here; a worker runs an enqueued "
                                   "job for its own day. Give one or the other.", returncode=2)
            module, name = self.task.split(":")
            result = getattr(import_module(module), name).enqueue()
            self.stdout.write(f"enqueued task {result.id}")
            return
        value = options[self.clock]
        when = (parse_instant if self.clock == "now" else parse_iso_day)(value) if value else None
        self.report(self.run(when, options["commit"]))
        if not options["commit"]:
            self.stdout.write(DRY_RUN)

    @abstractmethod
    def run(self, when, commit: bool):
        """Run the job for the day or instant `when` (None: now); write only if `commit`."""

    @abstractmethod
    def report(self, result) -> None:
        """Write what `run` returned to self.stdout."""
