"""Cards on the home page, contributed by the apps that own the records (core knows none
of them). Each provider takes the request and returns a card (a dict with `template`) or
None when it has nothing for this user."""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[object], "dict | None"]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def cards(request) -> list[dict]:
    out = []
    for provider in _providers:
        card = provider(request)
        if card:
            out.append(card)
    return out
