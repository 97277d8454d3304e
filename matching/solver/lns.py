"""Improve a matching theme group by theme group: a large-neighbourhood search of our own.

On large dense problems CP-SAT's single search spends its time on the whole model's LP and
finds few better matchings. Here the current matching is kept everywhere except in a small
group of themes (a theme and the themes that share most cities with it): every city placed in
those themes (and every city left out that could join them) is freed, and CP-SAT solves that
sub-problem, a problem of the same format restricted to those cities and themes, usually to
optimality in a fraction of a second. The rest of the matching does not change, so the
sub-problem's pair counts and rules are exactly the original ones, and a better sub-matching
makes a better whole. Groups are visited in turn until a full round finds nothing better or
the time is up.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from matching.solver.formulation import Formulation, Index
from matching.solver.problem import Constraints, Fixed, Problem, Triple

GROUP_SIZE = 3  # themes freed together
SUB_SECONDS = 2.0  # most time for one sub-problem


class Stopper:
    """Lets another thread end the search at once, including the sub-problem being solved."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._solver: cp_model.CpSolver | None = None
        self.stopped = False

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            if self._solver is not None:
                self._solver.stop_search()

    def running(self, solver: cp_model.CpSolver | None) -> bool:
        """Record the sub-problem's solver; False if the search is already stopped."""
        with self._lock:
            self._solver = solver
            return not self.stopped


def theme_groups(index: Index, size: int = GROUP_SIZE) -> list[tuple[str, ...]]:
    """For each theme, itself and the `size - 1` themes sharing most candidate cities with it."""
    cities: dict[str, set[str]] = defaultdict(set)
    for tr in index.triples:
        cities[tr.theme].update((tr.mentor, tr.implementer))
    themes = sorted(cities)
    groups: list[tuple[str, ...]] = []
    for theme in themes:
        near = sorted(
            (t for t in themes if t != theme),
            key=lambda t: (-len(cities[t] & cities[theme]), t),
        )
        group = tuple(sorted([theme, *near[: size - 1]]))
        if group not in groups:
            groups.append(group)
    return groups


def improve(
    problem: Problem,
    index: Index,
    chosen: Sequence[Triple],
    *,
    seconds: float,
    workers: int,
    build: Callable[[Problem, Index], tuple[cp_model.CpModel, Formulation]],
    on_better: Callable[[list[Triple]], None] | None = None,
    stopper: Stopper | None = None,
) -> list[Triple]:
    """A matching at least as good as `chosen` (which must obey every rule), within `seconds`.

    `build` is model.build_model (passed in to avoid a circular import): it must return the
    model and a Formulation whose `x` follows the sub-index's triples.
    """
    deadline = time.perf_counter() + seconds
    stopper = stopper or Stopper()
    current = list(chosen)
    themes = len({tr.theme for tr in index.triples})
    fixed_by_city: dict[str, list[Fixed]] = defaultdict(list)
    for entry in problem.constraints.fixed:
        fixed_by_city[entry.city].append(entry)
    size = GROUP_SIZE
    # Groups grow by one theme each time a full round of them finds nothing better; a group
    # of all themes would be the whole problem, which the main search takes on.
    while size < themes and time.perf_counter() < deadline - 0.05 and not stopper.stopped:
        groups = theme_groups(index, size)
        stale = turn = 0
        while stale < len(groups) and time.perf_counter() < deadline - 0.05 and not stopper.stopped:
            group = groups[turn % len(groups)]
            turn += 1
            better = _improve_group(
                problem,
                index,
                current,
                set(group),
                fixed_by_city,
                deadline,
                workers,
                build,
                stopper,
            )
            if better is None:
                stale += 1
                continue
            stale = 0
            current = better
            if on_better is not None:
                on_better(current)
        size += 1
    return current


def _improve_group(
    problem: Problem,
    index: Index,
    current: list[Triple],
    group: set[str],
    fixed_by_city: dict[str, list[Fixed]],
    deadline: float,
    workers: int,
    build: Callable[[Problem, Index], tuple[cp_model.CpModel, Formulation]],
    stopper: Stopper,
) -> list[Triple] | None:
    placed: dict[str, str] = {}
    for tr in current:
        placed[tr.mentor] = placed[tr.implementer] = tr.theme
    inside = [tr for tr in current if tr.theme in group]
    freed = {c for c, t in placed.items() if t in group}
    triples = [
        tr
        for tr in index.triples
        if tr.theme in group
        and (tr.mentor in freed or tr.mentor not in placed)
        and (tr.implementer in freed or tr.implementer not in placed)
    ]
    freed |= {tr.mentor for tr in triples} | {tr.implementer for tr in triples}
    sub = Problem(
        themes=tuple(t for t in problem.themes if t.id in group),
        cities=tuple(c for c in problem.cities if c.id in freed),
        constraints=Constraints(
            same_country=problem.constraints.same_country,
            require_all=False,
            forbidden_pairs=problem.constraints.forbidden_pairs,
            fixed=tuple(e for c in sorted(freed) for e in fixed_by_city.get(c, [])),
        ),
    )
    sub_index = Index(sub, triples)
    model, form = build(sub, sub_index)
    # Whoever took part before must still take part (in these themes): the others outside
    # the group keep their places, so this keeps `require_all` true of the whole.
    x, y = form.x, form.y
    if problem.constraints.require_all:
        for city in freed & set(placed):
            terms = [y[m, t] for (m, t) in y if m == city]
            terms += [x[k] for k in sub_index.by_implementer.get(city, [])]
            model.add(sum(terms) == 1)
    picked = set(inside)
    mentoring = {(tr.mentor, tr.theme) for tr in inside}
    for k, tr in enumerate(sub_index.triples):
        model.add_hint(x[k], tr in picked)
    for key, var in y.items():
        model.add_hint(var, key in mentoring)
    before = sum(tr.value for tr in inside)
    model.add(
        cp_model.LinearExpr.weighted_sum(x, [tr.value for tr in sub_index.triples]) >= before + 1
    )
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = 0
    solver.parameters.cp_model_presolve = False
    solver.parameters.max_time_in_seconds = max(
        0.0, min(SUB_SECONDS, deadline - time.perf_counter())
    )
    if not stopper.running(solver):
        return None
    status = solver.solve(model)
    stopper.running(None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    new = [tr for k, tr in enumerate(sub_index.triples) if solver.boolean_value(x[k])]
    return [tr for tr in current if tr.theme not in group] + new
