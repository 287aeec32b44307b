"""The demo's red flags (issue 21): the sweep run over the demo's records once they are all
written. The cases demo plants a person accused twice, each case terminated; every other
flag raised comes from the natural records, so the summary reads as the rules' precision on
the demo (planted flags found / flags raised)."""

from __future__ import annotations


def seed(*, password: str, stdout) -> dict:
    from pctp.quality.models import Flag
    from pctp.quality.services import flags_sweep

    stdout.write("Running the red-flag rules…")
    if not Flag.objects.exists():
        flags_sweep()
    by_rule = {}
    for flag in Flag.objects.all():
        by_rule[flag.rule] = by_rule.get(flag.rule, 0) + 1
    return {"red flags": ", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())) or "0"}
