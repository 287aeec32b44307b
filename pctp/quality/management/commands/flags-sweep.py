"""pctp flags-sweep [--commit] [--today YYYY-MM-DD]: run the red-flag rules and raise a
flag for each finding not raised before (a dry run unless --commit). Run it daily (cron or
a worker's periodic task, docs/operations.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from pctp.core.jobs import parse_iso_day
from pctp.quality.services import flags_sweep


class Command(BaseCommand):
    help = "Run the red-flag rules (issue 21): a dry run unless --commit."

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true")
        parser.add_argument("--today", type=parse_iso_day)

    def handle(self, *args, **o):
        result = flags_sweep(today=o["today"], commit=o["commit"])
        for code, counts in result.items():
            self.stdout.write(f"{code}: {counts['found']} found, {counts['new']} new")
        if not o["commit"]:
            self.stdout.write(_("Dry run: no flag was raised. Add --commit."))
