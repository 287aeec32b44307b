"""Adapters to the National Population Database (Cơ sở dữ liệu quốc gia về dân cư).

There is no public API: a deployment connects through an adapter chosen by the setting
PCTP_POPULATION_ADAPTER — "local" (a table of the system's own, for the demo and tests) or
"http" (an endpoint the province obtains under Project 06). Checks never block a report:
they run afterwards (`pctp verify-identities`), and an unreachable service is recorded as
"unavailable", not as a mismatch.
"""

from __future__ import annotations

import json
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Verification:
    status: str  # matched | mismatch | unavailable
    detail: str = ""


def norm_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


class PopulationAdapter(Protocol):
    def verify(self, personal_id: str, full_name: str) -> Verification: ...


class HttpAdapter:
    """POST {"personal_id", "full_name"} as JSON to PCTP_POPULATION_URL with a bearer token;
    expects {"match": true|false}. Any transport error is "unavailable"."""

    def __init__(self, url: str, token: str, timeout: float = 5.0) -> None:
        if not url.startswith(("https://", "http://")):
            raise ValueError("PCTP_POPULATION_URL must be an http(s) address")
        self.url, self.token, self.timeout = url, token, timeout

    def verify(self, personal_id: str, full_name: str) -> Verification:
        body = json.dumps({"personal_id": personal_id, "full_name": full_name}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={  # noqa: S310 - http(s) checked above
            "Content-Type": "application/json", "Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                data = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            return Verification("unavailable", type(exc).__name__)
        return Verification("matched" if data.get("match") else "mismatch")
