"""The planner's inputs and outputs: cities, pairs, visits, rules, conflicts."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

STUDY, MENTORING = "study", "mentoring"
KINDS = (STUDY, MENTORING)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_WEEKEND = ("Saturday", "Sunday")


@dataclass(frozen=True)
class City:
    """A city taking part; `country` (ISO 3166 alpha-2) selects its public holidays.

    `subdivision` (optional, e.g. "BY" for Bavaria) adds regional holidays where they matter.
    """

    id: str
    name: str
    country: str
    unavailable: tuple[tuple[date, date], ...] = ()
    subdivision: str = ""


@dataclass(frozen=True)
class Pair:
    """A mentor city paired with an implementing city in a theme."""

    id: str
    mentor: str
    implementer: str
    theme: str = ""


@dataclass(frozen=True)
class Visit:
    """One visit of a pair: `kind` is "study" or "mentoring"; `start` and `end` are inclusive."""

    pair: str
    kind: str
    start: date
    end: date


@dataclass(frozen=True)
class Rules:
    """The coordinator's settings: the planning window, visit length and minimum gap."""

    window_start: date
    window_end: date
    visit_days: int = 3
    min_gap_days: int = 14


@dataclass(frozen=True)
class Conflict:
    """A broken rule. `params` is left out of hashing (a dict is not hashable)."""

    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass
class PlanResult:
    """What `plan_visits` found: the visits when planned, and the conflicts that explain why not."""

    status: str  # "planned" | "infeasible"
    visits: list[Visit]
    conflicts: list[Conflict]
    seconds: float


Attendees = Mapping[tuple[str, str], Iterable[str]]


def host_of(visit: Visit, pairs: Iterable[Pair]) -> str:
    """The host city id: the mentor receives the study visit, the implementer the mentoring one."""
    pair = _pair_index(pairs)[visit.pair]
    return pair.mentor if visit.kind == STUDY else pair.implementer


def traveller_of(visit: Visit, pairs: Iterable[Pair]) -> str:
    """The travelling city id: the other city of the pair."""
    pair = _pair_index(pairs)[visit.pair]
    return pair.implementer if visit.kind == STUDY else pair.mentor


def attendees_default(
    pairs: Iterable[Pair],
    officers: Mapping[str, Iterable[str]],
    facilitators: Mapping[str, Iterable[str]],
    staff: Iterable[str] = frozenset(),
) -> dict[tuple[str, str], set[str]]:
    """Who attends each visit by default: both cities' officers, the theme's facilitator, staff."""
    result: dict[tuple[str, str], set[str]] = {}
    for pair in pairs:
        people = set(officers.get(pair.mentor, ())) | set(officers.get(pair.implementer, ()))
        people |= set(facilitators.get(pair.theme, ())) | set(staff)
        for kind in KINDS:
            result[(pair.id, kind)] = set(people)
    return result


def _pair_index(pairs: Iterable[Pair]) -> dict[str, Pair]:
    return pairs if isinstance(pairs, dict) else {p.id: p for p in pairs}
