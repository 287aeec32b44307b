"""The demo seed, in order: each app adds its seeder to SEEDERS."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

# "module:function" called with (password=..., stdout=...) and returning a summary dict.
SEEDERS = [
    "pctp.units.demo:seed",
    "pctp.law.demo:seed",
    "pctp.kpi.demo:history",
    "pctp.sources.demo:seed",
    "pctp.imports.demo:seed",
    "pctp.portal.demo:seed",
    "pctp.cases.demo:seed",
    "pctp.kpi.demo:fill",
    "pctp.plans.demo:seed",
    "pctp.areas.demo:seed",
    "pctp.kpi.demo:seed",
    "pctp.analytics.demo:seed",
    "pctp.reporting.demo:seed",
    "pctp.quality.demo:seed",
    "pctp.outreach.demo:seed",
]


def run_seeders(*, password: str, stdout) -> tuple[dict, list]:
    summary: dict = {}
    accounts: list = []
    for dotted in SEEDERS:
        module_name, func_name = dotted.split(":")
        result = getattr(import_module(module_name), func_name)(password=password, stdout=stdout)
        accounts.extend(result.pop("accounts", []))
        summary.update(result)
    return summary, accounts


def demo_password() -> str:
    return settings.PCTP_DEMO_PASSWORD
