"""The CP-SAT variables and constraint groups, shared by the solving and the explaining model.

Variables exist only for allowed (mentor, implementer, theme) triples, so the model size
follows the real choices, not cities x cities x themes:

- `x[k]`: triple k is a pair;
- `y[m, t]`: city m mentors in theme t (created only where m has an allowed mentee in t).

Every constraint group can be added with an enforcement literal. The solving model adds them
unconditionally; the explaining model (explain.py) gives each group its own literal and asks
CP-SAT which literals cannot all be true, which is how infeasibility is put into words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from ortools.sat.python import cp_model

from matching.solver.problem import Fixed, Problem, Triple


class Index:
    """The allowed triples of themes that need pairs, grouped the ways the model needs them."""

    def __init__(self, problem: Problem, triples: Iterable[Triple]) -> None:
        self.problem = problem
        pairs = {t.id: t.pairs for t in problem.themes}
        self.triples: list[Triple] = [tr for tr in triples if pairs[tr.theme] > 0]
        by_mentor_theme: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_implementer: dict[str, list[int]] = defaultdict(list)
        by_implementer_theme: dict[tuple[str, str], list[int]] = defaultdict(list)
        by_theme: dict[str, list[int]] = defaultdict(list)
        mentor_themes: dict[str, list[str]] = defaultdict(list)
        for k, tr in enumerate(self.triples):
            if not by_mentor_theme[tr.mentor, tr.theme]:
                mentor_themes[tr.mentor].append(tr.theme)
            by_mentor_theme[tr.mentor, tr.theme].append(k)
            by_implementer[tr.implementer].append(k)
            by_implementer_theme[tr.implementer, tr.theme].append(k)
            by_theme[tr.theme].append(k)
        # Plain dicts from here on: a lookup of a missing key must not add an empty group.
        self.by_mentor_theme = dict(by_mentor_theme)
        self.by_implementer = dict(by_implementer)
        self.by_implementer_theme = dict(by_implementer_theme)
        self.by_theme = dict(by_theme)
        self.mentor_themes = dict(mentor_themes)

    def capacity(self, mentor: str, theme: str) -> int:
        """Most mentees `mentor` can have in `theme`: its limit, or its allowed partners."""
        limit = self.problem.city_by_id[mentor].max_mentees
        return min(limit, len(self.by_mentor_theme[mentor, theme]))


Enforcement = cp_model.IntVar | None


def _enforce(constraint: cp_model.Constraint, literal: Enforcement) -> None:
    if literal is not None:
        constraint.only_enforce_if(literal)


class Formulation:
    """Variables plus the structural rules that define what x and y mean (always hard)."""

    def __init__(self, model: cp_model.CpModel, index: Index) -> None:
        self.model = model
        self.index = index
        self.x = [
            model.new_bool_var(f"x_{t.mentor}_{t.implementer}_{t.theme}") for t in index.triples
        ]
        self.y = {key: model.new_bool_var(f"y_{key[0]}_{key[1]}") for key in index.by_mentor_theme}
        for key, ks in index.by_mentor_theme.items():
            y = self.y[key]
            # A mentor in a theme has at least one mentee there, and only its mentees' pairs
            # exist. The per-pair implication is what makes the LP relaxation tight.
            model.add(sum(self.x[k] for k in ks) >= y)
            for k in ks:
                model.add_implication(self.x[k], y)
        for ks in index.by_implementer.values():
            # An implementing city has exactly one mentor (so: at most one chosen triple).
            model.add_at_most_one(self.x[k] for k in ks)

    # Sums used by several groups -------------------------------------------------------

    def mentoring(self, city: str) -> list[cp_model.IntVar]:
        return [self.y[city, t] for t in self.index.mentor_themes.get(city, [])]

    def implementing(self, city: str, theme: str | None = None) -> list[cp_model.IntVar]:
        ks = (
            self.index.by_implementer.get(city, [])
            if theme is None
            else self.index.by_implementer_theme.get((city, theme), [])
        )
        return [self.x[k] for k in ks]

    def in_theme(self, city: str, theme: str) -> list[cp_model.IntVar]:
        mentor = [self.y[city, theme]] if (city, theme) in self.y else []
        return mentor + self.implementing(city, theme)

    # Constraint groups -----------------------------------------------------------------

    def one_place(self, city: str, *, required: bool) -> None:
        """Solving model: one role, one theme, one mentor; `required` makes it exactly one."""
        terms = self.mentoring(city) + self.implementing(city)
        if required:
            self.model.add(sum(terms) == 1)
        elif len(terms) > 1:
            self.model.add_at_most_one(terms)

    def one_role(self, city: str, literal: Enforcement) -> None:
        """A city is never both a mentor and an implementer."""
        implementing = self.implementing(city)
        if implementing:
            for y in self.mentoring(city):
                _enforce(self.model.add(y + sum(implementing) <= 1), literal)

    def one_theme(self, city: str, literal: Enforcement) -> None:
        """A mentor mentors in one theme only."""
        mentoring = self.mentoring(city)
        if len(mentoring) > 1:
            _enforce(self.model.add(sum(mentoring) <= 1), literal)

    def takes_part(self, city: str, literal: Enforcement) -> None:
        _enforce(self.model.add(sum(self.mentoring(city) + self.implementing(city)) >= 1), literal)

    def has_capacity_limit(self, city: str) -> bool:
        """Whether max_mentees ever binds for this city (else the group is left out)."""
        limit = self.index.problem.city_by_id[city].max_mentees
        return any(
            len(self.index.by_mentor_theme[city, t]) > limit
            for t in self.index.mentor_themes.get(city, [])
        )

    def capacity(self, city: str, literal: Enforcement) -> None:
        """A mentor has at most max_mentees mentees."""
        for theme in self.index.mentor_themes.get(city, []):
            ks = self.index.by_mentor_theme[city, theme]
            cap = self.index.capacity(city, theme)
            if cap < len(ks):
                constraint = self.model.add(sum(self.x[k] for k in ks) <= cap * self.y[city, theme])
                _enforce(constraint, literal)

    def theme_pairs(self, theme: str, pairs: int, literal: Enforcement) -> None:
        _enforce(
            self.model.add(sum(self.x[k] for k in self.index.by_theme.get(theme, [])) == pairs),
            literal,
        )

    def fixed(self, entry: Fixed, literal: Enforcement) -> None:
        """The fixed city takes part, in the given role and/or theme."""
        city, theme = entry.city, entry.theme
        terms: Sequence[cp_model.IntVar]
        if entry.role == "mentor" and theme is None:
            terms = self.mentoring(city)
        elif entry.role == "mentor":
            y = self.y.get((city, theme)) if theme is not None else None
            terms = [y] if y is not None else []
        elif entry.role == "implementer":
            terms = self.implementing(city, theme)
        elif theme is not None:
            terms = self.in_theme(city, theme)
        else:
            terms = self.mentoring(city) + self.implementing(city)
        _enforce(self.model.add(sum(terms) >= 1), literal)

    def objective(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum(self.x, [tr.value for tr in self.index.triples])
