"""What happens to the things that refer to a pair when the pair ends.

Pairs are never deleted once something refers to them (see MentoringPair): an ended pair keeps
its events, findings and plans. Things that are still open, such as a visit planned but not yet
held, need a decision: keep it on the ended pair, cancel it, or transfer it to the new pair of
the same implementing city.

The apps that own those things sit above `programmes` (visits, action plans...), and the
matching that ends pairs may not import them. So they register a provider here, from their
AppConfig.ready(); matching asks this module what refers to the pairs that will end (for the
confirmation page) and to settle each open item as the coordinator chose (on acceptance).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

from .models import MentoringPair


class Fate(StrEnum):
    """What becomes of an open item of an ending pair."""

    KEEP = "keep"
    CANCEL = "cancel"
    TRANSFER = "transfer"


FATE_LABELS = {
    Fate.KEEP: gettext_lazy("Keep it with the ended pair"),
    Fate.CANCEL: gettext_lazy("Cancel it"),
    Fate.TRANSFER: gettext_lazy("Transfer it to the new pair"),
}


@dataclass(frozen=True)
class PairReference:
    """Something that refers to a pair: `open` items (not yet held) get a fate; the others stay
    with the pair as its record."""

    kind: str  # the provider's name, e.g. "event"
    pk: int
    pair_id: int
    title: str
    state: str  # readable status
    day: date | None
    open: bool
    url: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.pk}"


@dataclass(frozen=True)
class Provider:
    """An app's answer to "what refers to these pairs", and how it settles an open item.

    `settle(actor=, pk=, fate=, new_pair=, reason=)` is called inside the acceptance's
    transaction, after the new pairs exist; it must check the item still refers to an ended pair,
    audit its change with `reason`, and raise DomainError if it cannot.
    """

    kind: str
    references: Callable[[list[int]], Iterable[PairReference]]
    settle: Callable[..., None]


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    """Called from an app's ready(); registering the same kind again replaces it."""
    _providers[provider.kind] = provider


def references_to(pairs: Iterable[MentoringPair]) -> list[PairReference]:
    """Everything the providers know that refers to these pairs, by day."""
    pair_ids = [p.pk for p in pairs]
    if not pair_ids:
        return []
    found = [ref for provider in _providers.values() for ref in provider.references(pair_ids)]
    return sorted(found, key=lambda r: (r.day or date.max, r.kind, r.pk))


def references_settle(
    *,
    actor: Any,
    ending: list[MentoringPair],
    fates: dict[str, Fate],
    new_pair_for: Callable[[MentoringPair], MentoringPair | None],
    reason: str,
) -> None:
    """Apply the coordinator's choice to each open item of the ended pairs (missing: keep).

    A choice for something that is not an open item of these pairs means the page was stale:
    refused, so that nothing is settled on a picture that no longer holds.
    """
    fates = {key: Fate(value) for key, value in fates.items()}
    by_id = {p.pk: p for p in ending}
    open_items = {r.key: r for r in references_to(ending) if r.open}
    unknown = set(fates) - set(open_items)
    if unknown:
        raise DomainError(
            _(
                "The visits of the pairs that end have changed since the page was shown: "
                "please check the choices again."
            )
        )
    for key, fate in sorted(fates.items()):
        if fate is Fate.KEEP:
            continue
        ref = open_items[key]
        new_pair = new_pair_for(by_id[ref.pair_id]) if fate is Fate.TRANSFER else None
        if fate is Fate.TRANSFER and new_pair is None:
            raise DomainError(
                _("“%(title)s” cannot be transferred: its city has no new pair.")
                % {"title": ref.title}
            )
        _providers[ref.kind].settle(
            actor=actor, pk=ref.pk, fate=fate, new_pair=new_pair, reason=reason
        )
