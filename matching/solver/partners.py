"""Who may be paired with whom, and, when a city has nobody, why not.

Shared by the pre-checks (a city that must take part but cannot) and the result report (why a
city was left out), so both give the same reasons in the same words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from matching.solver.problem import City, Problem, Role, Triple, pair_block_reason
from matching.solver.wording import names


class Reach:
    """Who may be paired with whom, from the allowed triples (all themes)."""

    def __init__(self, problem: Problem, triples: Iterable[Triple]) -> None:
        self.problem = problem
        self.mentees: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.mentors: dict[tuple[str, str], list[str]] = defaultdict(list)
        for tr in triples:
            self.mentees[tr.mentor, tr.theme].append(tr.implementer)
            self.mentors[tr.implementer, tr.theme].append(tr.mentor)

    def partners(self, city: str, role: Role, theme: str) -> list[str]:
        table = self.mentees if role == "mentor" else self.mentors
        return table.get((city, theme), [])

    def options(self, city: City) -> list[tuple[Role, str]]:
        """(role, theme) choices with an allowed partner, in themes that need pairs."""
        return [
            (role, t)
            for role, t in listed_options(city)
            if self.problem.theme_by_id[t].pairs > 0 and self.partners(city.id, role, t)
        ]


def listed_options(city: City) -> list[tuple[Role, str]]:
    """Every (role, theme) the city asked for, mentor themes first."""
    mentor: Role = "mentor"
    implementer: Role = "implementer"
    return [(mentor, t) for t in city.mentor_themes] + [
        (implementer, t) for t in city.implement_themes
    ]


def why_no_partner(problem: Problem, city: City, role: Role, theme: str) -> dict[str, Any]:
    """Why `city` has no allowed partner as `role` in `theme`, as translatable params."""
    info: dict[str, Any] = {"role": role, "theme": theme}
    listed = city.mentor_themes if role == "mentor" else city.implement_themes
    if theme not in listed:
        return {**info, "reason": "not_offered"}
    if problem.theme_by_id[theme].pairs == 0:
        return {**info, "reason": "theme_needs_no_pairs"}
    others = [
        c
        for c in problem.cities
        if c.id != city.id
        and theme in (c.implement_themes if role == "mentor" else c.mentor_themes)
    ]
    if not others:
        return {**info, "reason": "no_counterpart"}
    blocked: dict[str, list[str]] = {"same_country": [], "forbidden_pair": []}
    for other in others:
        mentor, implementer = (city, other) if role == "mentor" else (other, city)
        why = pair_block_reason(problem, mentor, implementer)
        if why in blocked:
            blocked[why].append(other.id)
    return {**info, "reason": "all_blocked", **blocked}


def option_text(city: str, why: dict[str, Any]) -> str:
    """One clause of an explanation: why `city` has no partner in one (role, theme)."""
    role, theme, reason = why["role"], why["theme"], why["reason"]
    mentor = role == "mentor"
    if reason == "not_offered":
        verb = "offer to mentor in" if mentor else "want to implement"
        return f"it does not {verb} {'any theme' if theme is None else 'theme ' + theme}"
    its = "where it offers to mentor" if mentor else "which it wants to implement"
    if reason == "theme_needs_no_pairs":
        return f"theme {theme}, {its}, needs no pairs"
    other = "wants to implement" if mentor else "offers to mentor in"
    if reason == "no_counterpart":
        return f"no other city {other} theme {theme}, {its}"
    parts = []
    if why["same_country"]:
        parts.append(f"{names(why['same_country'])} (same country)")
    if why["forbidden_pair"]:
        parts.append(f"{names(why['forbidden_pair'])} (forbidden pair)")
    return f"every city that {other} theme {theme} is excluded as its partner: {', '.join(parts)}"
