"""What waits for a person in a programme: the "Waiting for you" list of their first screen.

The apps that own the work (plans, assessments, visits, finance) sit above `core` and the
portal that shows it may hold no business logic. So each app registers one provider here from
its AppConfig.ready(); a provider takes (user, programme) and returns the items waiting for that
user, each counted by the app's own selectors and linked to a screen that opens for the user.
A provider runs a fixed number of queries, whatever the programme's size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    """A kind of work waiting: "3 plans to review", linked to where it is done."""

    label: str  # translated, plural included (ngettext), count in it
    count: int
    url: str


Provider = Callable[[Any, Any], list[WorkItem]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider (once: ready() may run twice in tests)."""
    if provider not in _providers:
        _providers.append(provider)


def work_for(user: Any, programme: Any) -> list[WorkItem]:
    """Every item waiting for the user in the programme, in the order the apps registered,
    only those with something to do."""
    if user is None or not user.is_authenticated:
        return []
    return [item for provider in _providers for item in provider(user, programme) if item.count]
