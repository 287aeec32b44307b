"""Typed readers for settings that come from the environment.

Each helper fails loudly on a malformed value instead of guessing, so a typo in a
deployment's environment stops the process at start-up rather than weeks later.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperlyConfiguredEnv(RuntimeError):
    """An environment variable is missing or malformed."""


def _raw(name: str, default: object) -> str | object:
    value = os.environ.get(name)
    if value is None:
        if default is _MISSING:
            raise ImproperlyConfiguredEnv(f"Environment variable {name} is required")
        return default
    return value


def env_str(name: str, default: str | object = _MISSING) -> str:
    return _raw(name, default)  # type: ignore[return-value]


def env_bool(name: str, default: bool | object = _MISSING) -> bool:
    value = _raw(name, default)
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be true or false, got {value!r}")


def _convert(name: str, default: object, kind: Callable[[str], T], label: str) -> T:
    value = _raw(name, default)
    if not isinstance(value, str):
        return value  # type: ignore[return-value]
    try:
        return kind(value)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name} must be {label}, got {value!r}") from None


def env_int(name: str, default: int | object = _MISSING) -> int:
    return _convert(name, default, int, "an integer")


def env_float(name: str, default: float | object = _MISSING) -> float:
    return _convert(name, default, float, "a number")


def env_list(name: str, default: list[str] | object = _MISSING) -> list[str]:
    value = _raw(name, default)
    if isinstance(value, list):
        return value
    return [item.strip() for item in str(value).split(",") if item.strip()]


def env_map(name: str, default: dict[str, str] | object = _MISSING) -> dict[str, str]:
    """``key=value,key=value`` as a dict; a pair without ``=`` is refused."""
    value = _raw(name, default)
    if isinstance(value, dict):
        return value
    out: dict[str, str] = {}
    for item in str(value).split(","):
        if not item.strip():
            continue
        key, sep, val = item.partition("=")
        if not sep or not key.strip() or not val.strip():
            raise ImproperlyConfiguredEnv(f"{name} must be key=value pairs separated by commas, "
                                          f"got {item!r}")
        out[key.strip()] = val.strip()
    return out
