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
    """The cards for this user. A card's `order` below 50 puts it in the work area at the
    top (the person's queues and clocks, first thing in the morning); the others follow
    in the grid, in the order the apps registered them."""
    out = []
    for provider in _providers:
        card = provider(request)
        if card:
            card.setdefault("order", 50)
            out.append(card)
    return sorted(out, key=lambda c: c["order"])
