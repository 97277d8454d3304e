"""What a city officer who leaves hands over to another officer of the same city.

The things a person takes part in (a visit not yet held, say) belong to apps that sit above
`programmes`, which may not import them. So each such app registers a provider here from its
AppConfig.ready() (visits: `visits/handover.py`): it answers "what would this person hand over"
(for the end-role screen, before the coordinator confirms) and moves those items to the new
officer (inside the service's transaction, `programmes.services.team.membership_hand_over`).

Only work that is the officer's own and that another officer can carry on belongs here. What the
city owns (its action plan, its practices, its self-assessments) is already shared by all its
officers; what is personal (a traveller's expense claim, a timesheet) or a record of who did
what (an author, a reviewer) is never handed over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.roles import Role

from .models import Membership, Person


@dataclass(frozen=True)
class HandoverItem:
    """One thing the leaver takes part in that the new officer takes over."""

    kind: str  # the provider's name, e.g. "participation"
    pk: int
    title: str
    state: str  # readable status
    day: date | None
    url: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"


@dataclass(frozen=True)
class HandoverProvider:
    """`items(membership)` lists what the leaver of `membership` would hand over (bounded
    queries, whatever their number); `hand_over(actor=, leaver=, successor=, pks=, reason=)`
    moves those items to `successor` inside the caller's transaction, audits each change with
    `reason`, and raises DomainError if one can no longer be handed over."""

    kind: str
    items: Callable[[Membership], Iterable[HandoverItem]]
    hand_over: Callable[..., None]


_providers: dict[str, HandoverProvider] = {}


def register(provider: HandoverProvider) -> None:
    """Called from an app's ready(); registering the same kind again replaces it."""
    _providers[provider.kind] = provider


def hands_over(membership: Membership) -> bool:
    """Only a city officer's role hands work over (to another officer of the same city)."""
    return membership.role == Role.CITY_OFFICER and membership.city_id is not None


def handover_items(membership: Membership) -> list[HandoverItem]:
    """Everything the providers would hand over from this role's holder, by day; nothing for a
    role other than a city officer's."""
    if not hands_over(membership):
        return []
    found = [item for provider in _providers.values() for item in provider.items(membership)]
    return sorted(found, key=lambda i: (i.day or date.max, i.kind, i.pk))


def handover_keys(items: Iterable[HandoverItem]) -> str:
    """The items as the end-role form carries them, to tell a stale page on its return."""
    return ",".join(sorted(item.key for item in items))


def handover_apply(
    *, actor: Any, membership: Membership, successor: Person, items: list[HandoverItem], reason: str
) -> None:
    """Hand each item over to `successor`, provider by provider."""
    by_kind: dict[str, list[int]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item.pk)
    for kind, pks in sorted(by_kind.items()):
        _providers[kind].hand_over(
            actor=actor, leaver=membership.person, successor=successor, pks=pks, reason=reason
        )
