"""Demo data for analysis (stored forecasts)."""


def seed(*, password: str, stdout) -> dict:
    return {}
