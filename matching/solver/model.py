"""Solve a matching problem with CP-SAT and report the result in the documented format.

The path through `solve`: validate, list the allowed triples, run the exact pre-checks (an
impossible problem gets precise reasons without any search), build the CP-SAT model on the
allowed triples only, solve, and either report the pairs or explain the infeasibility.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from ortools.sat.python import cp_model

from matching.solver.explain import conflict_summary, explain_conflict
from matching.solver.formulation import Formulation, Index
from matching.solver.partners import Reach
from matching.solver.precheck import fits, fixed_wishes, precheck
from matching.solver.problem import Problem, Triple, allowed_pairs
from matching.solver.report import Result, solved, unsolved
from matching.solver.validation import validate_problem
from matching.solver.wording import detail

Progress = Callable[[dict[str, Any]], None]

# Time the infeasibility explanation may take on top of the main solve.
EXPLAIN_SECONDS = 10.0


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution, so a web app can show the search advancing."""

    def __init__(self, progress: Progress, started: float) -> None:
        super().__init__()
        self._progress = progress
        self._started = started

    def on_solution_callback(self) -> None:
        self._progress(
            {
                "objective": round(self.objective_value),
                "bound": math.floor(self.best_objective_bound + 1e-6),
                "seconds": round(time.perf_counter() - self._started, 3),
            }
        )


def _usable_triples(problem: Problem, triples: list[Triple]) -> list[Triple]:
    """Drop triples a fixed entry rules out (role or theme), so they get no variables."""
    wishes = fixed_wishes(problem, [])
    return [
        tr
        for tr in triples
        if fits(wishes.get(tr.mentor), "mentor", tr.theme)
        and fits(wishes.get(tr.implementer), "implementer", tr.theme)
    ]


def build_model(problem: Problem, index: Index) -> tuple[cp_model.CpModel, Formulation]:
    """The solving model: every rule hard, plus redundant counts that tighten the LP."""
    model = cp_model.CpModel()
    form = Formulation(model, index)
    required = {f.city for f in problem.constraints.fixed}
    for city in problem.cities:
        form.one_place(city.id, required=problem.constraints.require_all or city.id in required)
        form.capacity(city.id, None)
    for entry in problem.constraints.fixed:
        form.fixed(entry, None)
    total = 0
    for theme in problem.themes:
        if theme.pairs == 0:
            continue
        total += theme.pairs
        form.theme_pairs(theme.id, theme.pairs, None)
        ys = [form.y[m, t] for (m, t) in form.y if t == theme.id]
        caps = [index.capacity(m, t) for (m, t) in form.y if t == theme.id]
        if ys:
            # Between ceil(pairs / biggest capacity) and `pairs` mentors serve this theme.
            model.add_linear_constraint(sum(ys), math.ceil(theme.pairs / max(caps)), theme.pairs)
    if problem.constraints.require_all:
        # Everybody takes part, so whoever does not implement one of the pairs mentors.
        model.add(sum(form.y.values()) == len(problem.cities) - total)
    model.maximize(form.objective())
    return model, form


def solve(
    problem: Problem | Mapping[str, Any],
    *,
    time_limit: float | None = 60.0,
    workers: int = 2,
    progress: Progress | None = None,
) -> Result:
    """Find the pairs of highest total value; see docs/matching-format.md for the result.

    `problem` is a validated Problem or a decoded JSON dict (validated here; ProblemError on
    bad input). `time_limit` bounds the search in seconds (None: no limit); when it stops the
    search early the status is "feasible" (with a gap) or "unknown". `progress`, if given, is
    called with {"objective", "bound", "seconds"} on each improving solution.
    """
    started = time.perf_counter()
    if not isinstance(problem, Problem):
        problem = validate_problem(problem)
    triples = allowed_pairs(problem)
    reasons = precheck(problem, triples)
    if reasons:
        summary = (
            reasons[0]["message"]
            if len(reasons) == 1
            else (
                f"No matching is possible, for {len(reasons)} reasons: "
                + " ".join(r["message"] for r in reasons)
            )
        )
        return unsolved(
            "infeasible", summary, reasons, time.perf_counter() - started, source="precheck"
        )
    index = Index(problem, _usable_triples(problem, triples))
    model, form = build_model(problem, index)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = 0
    # CP-SAT's presolve rewrites the pair -> mentor implications in a way that weakens the LP
    # relaxation (100-city benchmark: root bound 940 instead of the LP's 933, optimum 932).
    # Without presolve the LP stays tight and 100-500 city benchmark instances are proven
    # optimal in 0.4-10 s; with it, not even the 100-city one is in 60 s.
    params.cp_model_presolve = False
    if time_limit is not None:
        params.max_time_in_seconds = max(0.0, time_limit - (time.perf_counter() - started))
    callback = _ProgressCallback(progress, started) if progress else None
    status = solver.solve(model, callback)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [tr for k, tr in enumerate(index.triples) if solver.boolean_value(form.x[k])]
        return solved(
            problem,
            Reach(problem, triples),
            chosen,
            optimal=status == cp_model.OPTIMAL,
            bound=math.floor(solver.best_objective_bound + 1e-6),
            seconds=time.perf_counter() - started,
        )
    if status == cp_model.INFEASIBLE:
        budget = (
            EXPLAIN_SECONDS if time_limit is None else min(EXPLAIN_SECONDS, max(1.0, time_limit))
        )
        details, minimal = explain_conflict(problem, triples, time_limit=budget)
        return unsolved(
            "infeasible",
            conflict_summary(details, minimal),
            details,
            time.perf_counter() - started,
            source="conflict" if details else "unexplained",
            minimal=minimal,
        )
    if status == cp_model.MODEL_INVALID:  # a bug here, not a property of the input
        raise RuntimeError(f"invalid CP-SAT model: {model.validate()}")
    seconds = time.perf_counter() - started
    limit = "" if time_limit is None else f" ({time_limit:g} seconds)"
    return unsolved(
        "unknown",
        f"No matching was found within the time limit{limit}; it is not known whether one "
        "exists. Allow more time or relax the constraints.",
        [
            detail(
                "time_limit",
                "The search stopped at the time limit before finding a matching or proving "
                "that none exists.",
                time_limit=time_limit,
            )
        ],
        seconds,
        time_limit=time_limit,
    )
