"""Put an infeasible problem into words.

Two layers. `precheck.precheck` finds the common causes exactly and cheaply. When it finds
nothing yet CP-SAT proves the problem infeasible, this module rebuilds the model with one
enforcement literal per constraint group (a theme's pair count, a city that must take part, a
fixed entry, a city's one role / one theme / mentee limit), solves under those literals as
assumptions, and asks CP-SAT for a set of them that cannot all hold
(`SufficientAssumptionsForInfeasibility`). That set is then shrunk by deletion until each
member is needed, so the explanation names only conditions that really clash.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from ortools.sat.python import cp_model

from matching.solver.formulation import Formulation, Index
from matching.solver.problem import Problem, Triple
from matching.solver.wording import Detail, detail, names, plural

# Minimisation first tries to drop the general rules, then participation, then fixed entries,
# so the conflicts that remain are, where possible, about data an organiser can change.
_RULES, _TAKE_PART, _FIXED, _THEMES = range(4)


class _Groups:
    """The explaining model: one assumption literal per constraint group."""

    def __init__(self, problem: Problem, triples: Iterable[Triple]) -> None:
        self.model = cp_model.CpModel()
        self.form = Formulation(self.model, Index(problem, triples))
        self.entries: list[tuple[int, cp_model.IntVar, Detail]] = []
        form = self.form
        for city in problem.cities:
            c = city.id
            if form.mentoring(c) and form.implementing(c):
                form.one_role(c, self._literal(_RULES, _one_role(c)))
            if len(form.mentoring(c)) > 1:
                form.one_theme(c, self._literal(_RULES, _one_theme(c)))
            if form.has_capacity_limit(c):
                form.capacity(c, self._literal(_RULES, _max_mentees(c, city.max_mentees)))
            if problem.constraints.require_all:
                form.takes_part(c, self._literal(_TAKE_PART, _take_part(c)))
        for n, entry in enumerate(problem.constraints.fixed):
            form.fixed(entry, self._literal(_FIXED, _fixed(n, entry.city, entry.role, entry.theme)))
        for theme in problem.themes:
            if theme.pairs > 0:
                form.theme_pairs(
                    theme.id, theme.pairs, self._literal(_THEMES, _pairs(theme.id, theme.pairs))
                )
        self.entries.sort(key=lambda e: e[0])
        self.by_index = {lit.index: n for n, (_, lit, _) in enumerate(self.entries)}

    def _literal(self, rank: int, what: Detail) -> cp_model.IntVar:
        lit = self.model.new_bool_var(f"{what['code']}_{len(self.entries)}")
        self.entries.append((rank, lit, what))
        return lit

    def check(self, members: list[int], seconds: float) -> tuple[str, list[int]]:
        """Solve with these groups enforced: 'infeasible' with a core, 'feasible' or 'unknown'."""
        self.model.clear_assumptions()
        self.model.add_assumptions([self.entries[n][1] for n in members])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # deterministic cores, and tiny solves
        solver.parameters.random_seed = 0
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        # Enforced constraints only reach the LP relaxation from level 2 on; without it,
        # proving infeasibility of a few hundred cities under assumptions takes minutes.
        solver.parameters.linearization_level = 2
        status = solver.solve(self.model)
        if status == cp_model.INFEASIBLE:
            core = {self.by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()}
            # An empty answer would mean "infeasible whatever the assumptions", which cannot
            # be (with every group off, choosing nothing is a solution); keep the whole set.
            return "infeasible", [n for n in members if n in core] or members
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return "feasible", []
        return "unknown", []


def explain_conflict(
    problem: Problem, triples: Iterable[Triple], *, time_limit: float = 10.0
) -> tuple[list[Detail], bool]:
    """A set of conflicting conditions, and whether it was shrunk to a minimal set.

    Returns ([], False) when no conflict could be found within the time limit.
    """
    deadline = time.perf_counter() + time_limit
    groups = _Groups(problem, triples)
    status, core = groups.check(list(range(len(groups.entries))), time_limit)
    if status != "infeasible":
        return [], False
    # Deletion-based shrinking. Members before position n are known to be needed; a member
    # needed in a set stays needed in every infeasible subset, so they survive each shrink.
    n = 0
    while n < len(core):
        left = deadline - time.perf_counter()
        if left <= 0:
            return [groups.entries[m][2] for m in core], False
        trial = core[:n] + core[n + 1 :]
        status, smaller = groups.check(trial, left)
        if status == "infeasible":
            core = smaller
        elif status == "feasible":
            n += 1
        else:
            return [groups.entries[m][2] for m in core], False
    return [groups.entries[m][2] for m in core], True


# How each kind of condition is named in the summary: (one, several), filled with names.
_SUMMARY = {
    "conflict_theme_pairs": ("the pair count of theme {}", "the pair counts of themes {}"),
    "conflict_fixed": ("the fixed entry for {}", "the fixed entries for {}"),
    "conflict_take_part": ("{} taking part", "{} taking part"),
    "conflict_one_role": ("{} having one role only", "{} having one role only"),
    "conflict_one_theme": ("{} mentoring in one theme only", "{} mentoring in one theme only"),
    "conflict_max_mentees": ("the mentee limit of {}", "the mentee limits of {}"),
}


def conflict_summary(details: list[Detail], minimal: bool) -> str:
    """One sentence naming the conflicting conditions, grouped by kind."""
    if not details:
        return (
            "No matching is possible, but no short reason was found within the time limit; "
            "try relaxing the fixed entries or the pair counts."
        )
    parts = []
    for code, (one, several) in _SUMMARY.items():
        who = list(
            dict.fromkeys(
                d["params"].get("theme") if code == "conflict_theme_pairs" else d["params"]["city"]
                for d in details
                if d["code"] == code
            )
        )
        if who:
            parts.append((one if len(who) == 1 else several).format(names(who)))
    text = (
        f"No matching is possible: these conditions cannot all hold together: {'; '.join(parts)}."
    )
    if minimal:
        return text + " Changing any one of them may make a matching possible."
    return (
        text + " Some of them may not be needed for the conflict: the search for a smaller set "
        "was stopped by the time limit."
    )


def _one_role(city: str) -> Detail:
    return detail(
        "conflict_one_role", f"{city} cannot be both a mentor and an implementer.", city=city
    )


def _one_theme(city: str) -> Detail:
    return detail("conflict_one_theme", f"{city} can mentor in one theme only.", city=city)


def _max_mentees(city: str, limit: int) -> Detail:
    return detail(
        "conflict_max_mentees",
        f"{city} can mentor at most {plural(limit, 'city', 'cities')}.",
        city=city,
        max_mentees=limit,
    )


def _take_part(city: str) -> Detail:
    return detail(
        "conflict_take_part", f"{city} must take part (every city must take part).", city=city
    )


def _fixed(n: int, city: str, role: str | None, theme: str | None) -> Detail:
    text = {"mentor": " as a mentor", "implementer": " as an implementer", None: ""}[role]
    text += f" in theme {theme}" if theme else ""
    return detail(
        "conflict_fixed",
        f"{city} is fixed to take part{text}.",
        city=city,
        role=role,
        theme=theme,
        entry=n,
    )


def _pairs(theme: str, pairs: int) -> Detail:
    return detail(
        "conflict_theme_pairs",
        f"Theme {theme} must get exactly {plural(pairs, 'pair')}.",
        theme=theme,
        pairs=pairs,
    )
