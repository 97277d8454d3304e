"""Building blocks for explanation entries: a machine code, its params, an English sentence.

The web platform translates by `code` and `params`; `message` is the English rendering for
logs, the CLI and anyone reading the JSON directly. Keeping the shape in one place keeps every
entry translatable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Detail = dict[str, Any]

_LIST_LIMIT = 8


def detail(code: str, message: str, **params: Any) -> Detail:
    return {"code": code, "params": params, "message": message}


def names(items: Sequence[str], limit: int = _LIST_LIMIT) -> str:
    """'a', 'a and b', 'a, b and c'; long lists end with '... and 12 more'."""
    items = list(items)
    if len(items) > limit:
        return ", ".join(items[:limit]) + f" and {len(items) - limit} more"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 city', '2 cities'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def cities_phrase(cities: Sequence[str]) -> str:
    """'only 1 city (rotterdam)', 'only 2 cities (a and b)', 'no city'."""
    if not cities:
        return "no city"
    city_word = "city" if len(cities) == 1 else "cities"
    return f"only {len(cities)} {city_word} ({names(cities)})"
