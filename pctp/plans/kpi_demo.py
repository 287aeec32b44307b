"""Demo data for the plan's targets and KPI snapshots."""


def seed(*, password: str, stdout) -> dict:
    return {}
