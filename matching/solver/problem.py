"""The matching problem, format version 1: typed and immutable.

Everything downstream (model, explanations, CLI) works on a `Problem` that
`validation.validate_problem` has already checked, so none of it has to defend against bad
input. The rules that decide which pairs are possible live here, in one place, so the model
and the explanations can never disagree about them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, NamedTuple

FORMAT_NAME = "citiesgrow-match"
FORMAT_VERSION = 1

Role = Literal["mentor", "implementer"]
ROLES: tuple[Role, ...] = ("mentor", "implementer")
SAME_COUNTRY_VALUES = ("allow", "forbid")


class ProblemError(ValueError):
    """Bad input; `errors` lists every problem found as `{"path", "message"}` dicts."""

    def __init__(self, errors: Sequence[Mapping[str, str]]) -> None:
        self.errors: list[dict[str, str]] = [dict(e) for e in errors]
        lines = [f"{e['path'] or '(top level)'}: {e['message']}" for e in self.errors]
        count = len(self.errors)
        head = f"the matching problem has {count} error{'s' if count != 1 else ''}"
        super().__init__("\n".join([head, *lines]))


@dataclass(frozen=True)
class Theme:
    id: str
    pairs: int


@dataclass(frozen=True)
class City:
    id: str
    country: str
    mentor_themes: tuple[str, ...]
    implement_themes: tuple[str, ...]
    max_mentees: int
    scores: Mapping[str, tuple[int, ...]]


@dataclass(frozen=True)
class Fixed:
    """A city that must take part, optionally in a given role and/or theme."""

    city: str
    role: Role | None = None
    theme: str | None = None


@dataclass(frozen=True)
class Constraints:
    same_country: Literal["allow", "forbid"] = "allow"
    require_all: bool = True
    forbidden_pairs: frozenset[frozenset[str]] = frozenset()
    fixed: tuple[Fixed, ...] = ()


@dataclass(frozen=True)
class Problem:
    themes: tuple[Theme, ...]
    cities: tuple[City, ...]
    constraints: Constraints = field(default_factory=Constraints)

    @cached_property
    def theme_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    @cached_property
    def city_by_id(self) -> dict[str, City]:
        return {c.id: c for c in self.cities}

    def is_forbidden(self, a: str, b: str) -> bool:
        """Forbidden pairs are unordered: [a, b] forbids a mentoring b and b mentoring a."""
        return frozenset((a, b)) in self.constraints.forbidden_pairs


class Triple(NamedTuple):
    """An allowed pair: `mentor` may mentor `implementer` in `theme`, worth `value`."""

    mentor: str
    implementer: str
    theme: str
    value: int
    by_factor: tuple[int, ...]


def pair_value(
    mentor_levels: Sequence[int], implementer_levels: Sequence[int]
) -> tuple[int, list[int]]:
    """Value of a pairing: what the mentor knows beyond the implementer, per key factor.

    A factor where the implementer is already as good as the mentor adds nothing (never a
    negative amount), so a strong implementer does not cancel a mentor's real strengths.
    """
    if len(mentor_levels) != len(implementer_levels):
        raise ValueError("mentor and implementer need the same number of key factors")
    by_factor = [max(0, m - i) for m, i in zip(mentor_levels, implementer_levels, strict=True)]
    return sum(by_factor), by_factor


def pair_block_reason(problem: Problem, mentor: City, implementer: City) -> str | None:
    """Why these two cities can never be paired (in any theme), or None if they can."""
    if mentor.id == implementer.id:
        return "same_city"
    if problem.is_forbidden(mentor.id, implementer.id):
        return "forbidden_pair"
    if problem.constraints.same_country == "forbid" and mentor.country == implementer.country:
        return "same_country"
    return None


def allowed_pairs(problem: Problem) -> list[Triple]:
    """Every (mentor, implementer, theme) the rules allow, with its value.

    Themes that need 0 pairs are included: they are allowed by the rules, the model simply
    has nothing to choose there. Order: theme order, then city order, for reproducibility.
    """
    triples: list[Triple] = []
    for theme in problem.themes:
        mentors = [c for c in problem.cities if theme.id in c.mentor_themes]
        implementers = [c for c in problem.cities if theme.id in c.implement_themes]
        for m in mentors:
            for i in implementers:
                if pair_block_reason(problem, m, i) is None:
                    value, by_factor = pair_value(m.scores[theme.id], i.scores[theme.id])
                    triples.append(Triple(m.id, i.id, theme.id, value, tuple(by_factor)))
    return triples
