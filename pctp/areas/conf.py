"""Settings of the key-areas app, read from the environment (pctp.core.env: loud on a bad
value). A deployment sets them in the environment; tests override them through Django's
settings (`settings.PCTP_AREA_WEIGHTS = {...}`), which win when present.

PCTP_AREA_WEIGHTS          weights of the selection ranking, "name:weight,..." over
                           crimes, rate, trend, severe, drugs, groups, overdue
PCTP_AREA_WATCH_MONTHS     relapse watch window after removal from the list (24)
PCTP_AREA_RELAPSE_RATIO    crimes over 12 months at or above this share of the level at
                           selection is a relapse (1.0)
PCTP_AREA_WARN_RATIO       ... at or above this share warns the leaders (0.75)
PCTP_AREA_DETECTION_MIN    detection criterion, percent of initiated cases (80)
PCTP_AREA_SEVERE_DETECTION_MIN  the same for very and especially serious cases (95)
"""

from __future__ import annotations

from django.conf import settings

from pctp.core.env import ImproperlyConfiguredEnv, env_float, env_int, env_str

FACTORS = ("crimes", "rate", "trend", "severe", "drugs", "groups", "overdue")
DEFAULT_WEIGHTS = "crimes:3,rate:2,trend:1,severe:2,drugs:1,groups:2,overdue:1"


def parse_weights(text: str) -> dict[str, float]:
    weights = dict.fromkeys(FACTORS, 0.0)
    for item in text.split(","):
        if not item.strip():
            continue
        name, sep, value = item.partition(":")
        name = name.strip()
        if not sep or name not in FACTORS:
            raise ImproperlyConfiguredEnv(
                f"PCTP_AREA_WEIGHTS: {item!r} is not one of {', '.join(FACTORS)} with a weight")
        try:
            weights[name] = float(value)
        except ValueError:
            raise ImproperlyConfiguredEnv(f"PCTP_AREA_WEIGHTS: {item!r} has no number") from None
        if weights[name] < 0:
            raise ImproperlyConfiguredEnv(f"PCTP_AREA_WEIGHTS: {item!r} is negative")
    return weights


def weights() -> dict[str, float]:
    override = getattr(settings, "PCTP_AREA_WEIGHTS", None)
    if override is not None:
        return {**dict.fromkeys(FACTORS, 0.0), **override}
    return parse_weights(env_str("PCTP_AREA_WEIGHTS", DEFAULT_WEIGHTS))


def _setting(name: str, reader, default):
    value = getattr(settings, name, None)
    return value if value is not None else reader(name, default)


def watch_months() -> int:
    return _setting("PCTP_AREA_WATCH_MONTHS", env_int, 24)


def relapse_ratio() -> float:
    return _setting("PCTP_AREA_RELAPSE_RATIO", env_float, 1.0)


def warn_ratio() -> float:
    return _setting("PCTP_AREA_WARN_RATIO", env_float, 0.75)


def detection_min() -> float:
    return _setting("PCTP_AREA_DETECTION_MIN", env_float, 80.0)


def severe_detection_min() -> float:
    return _setting("PCTP_AREA_SEVERE_DETECTION_MIN", env_float, 95.0)
