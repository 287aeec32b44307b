"""Demo data for key areas."""


def seed(*, password: str, stdout) -> dict:
    return {}
