"""`pctp analytics backtest …`: the engine's command line inside the product."""

import sys

from django.core.management.base import BaseCommand

from pctp.analytics.engine.cli import main


class Command(BaseCommand):
    help = ("Crime-analysis engine. `pctp analytics backtest --events FILE.csv[.gz] "
            "--offence-type TYPE --cell-size-m 150 --horizon-days 7 --test-start YYYY-MM-DD "
            "--test-end YYYY-MM-DD [--methods all] --json`; exit code 2 on bad input.")

    def run_from_argv(self, argv):
        # The engine parses its own arguments (argv[2:] after "pctp analytics").
        sys.exit(main(argv[2:]))

    def handle(self, *args, **options):  # pragma: no cover - run_from_argv is the entry point
        sys.exit(main(list(args)))
