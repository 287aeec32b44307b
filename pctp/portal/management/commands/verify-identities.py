from django.core.management.base import BaseCommand

from pctp.portal.services import verify_identities


class Command(BaseCommand):
    help = ("Check identified portal reporters against the population database adapter. "
            "Dry run unless --commit.")

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="leave the job to a worker (a task, retried on a database "
                                 "error, its state in the admin) instead of running it here")
        parser.add_argument("--commit", action="store_true")
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args, **options):
        if options["enqueue"]:
            from pctp.portal.tasks import verify_reporters

            result = verify_reporters.enqueue(limit=options["limit"])
            self.stdout.write(f"enqueued task {result.id}")
            return
        counts = verify_identities(limit=options["limit"], commit=options["commit"])
        mode = "stored" if options["commit"] else "dry run, nothing stored"
        self.stdout.write(f"{counts or 'nothing pending'} ({mode})")
