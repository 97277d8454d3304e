"""Solve a matching problem with CP-SAT and report the result in the documented format.

The path through `solve`: validate, list the allowed triples, run the exact pre-checks (an
impossible problem gets precise reasons without any search), build the CP-SAT model on the
allowed triples only, solve, and either report the pairs or explain the infeasibility.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ortools.sat.python import cp_model

from matching.solver import lns
from matching.solver.explain import conflict_summary, explain_conflict
from matching.solver.formulation import Formulation, Index
from matching.solver.greedy import greedy_matching, quick_bound
from matching.solver.partners import Reach
from matching.solver.precheck import fits, fixed_wishes, precheck
from matching.solver.problem import Problem, Triple, allowed_pairs
from matching.solver.report import Result, gap, solved, unsolved
from matching.solver.validation import validate_problem
from matching.solver.wording import detail

Progress = Callable[[dict[str, Any]], None]

# Time the infeasibility explanation may take on top of the main solve.
EXPLAIN_SECONDS = 10.0

# From this many cities, part of the time goes to our own large-neighbourhood search (lns.py)
# before the main search: there CP-SAT alone finds few better matchings (benchmarks/README.md).
LNS_FROM_CITIES = 300
LNS_SECONDS = 60.0  # without a time limit


class _Tracker(cp_model.CpSolverSolutionCallback):
    """The best value and bound so far, from the greedy matching and CP-SAT's threads.

    Reports each change to `progress` (if given), so a web app shows the search advancing:
    a better matching, or a tighter bound. CP-SAT's own bound is only trusted once it has
    reported it (after an early stop its `best_objective_bound` may be meaningless).
    """

    def __init__(self, progress: Progress | None, started: float, bound: int) -> None:
        super().__init__()
        self._progress = progress
        self._started = started
        self._lock = threading.Lock()
        self.best = -1
        self.bound = bound
        self.solver: cp_model.CpSolver | None = None  # stopped once best meets the bound

    def found(self, objective: int) -> None:
        """A better matching found outside CP-SAT (the large-neighbourhood search)."""
        with self._lock:
            if objective > self.best:
                self.best = objective
                self._report()
                self._proven()

    def on_solution_callback(self) -> None:
        objective = round(self.objective_value)
        with self._lock:
            if objective > self.best:
                self.best = objective
                self._lower(self.best_objective_bound)
                self._report()

    def on_bound(self, value: float) -> None:
        with self._lock:
            if self._lower(value) and self.best >= 0:
                self._report()
                self._proven()

    def _proven(self) -> None:
        if self.solver is not None and self.best >= self.bound:
            self.solver.stop_search()

    def _lower(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        bound = max(self.best, math.floor(value + 1e-6))
        if bound >= self.bound:
            return False
        self.bound = bound
        return True

    def _report(self) -> None:
        if self._progress is not None:
            self._progress(
                {
                    "objective": self.best,
                    "bound": self.bound,
                    "gap": gap(self.best, self.bound),
                    "seconds": round(time.perf_counter() - self._started, 3),
                }
            )


class _SideSearch:
    """Our large-neighbourhood search (lns.py) on one core, in a thread next to CP-SAT's."""

    def __init__(
        self, problem: Problem, index: Index, start: list[Triple], tracker: _Tracker
    ) -> None:
        self._problem, self._index, self._tracker = problem, index, tracker
        self.best = start
        self._stopper = lns.Stopper()
        self._thread = threading.Thread(target=self._run, daemon=True, name="matching-lns")
        self._seconds = 0.0

    def start(self, seconds: float) -> None:
        self._seconds = seconds
        self._thread.start()

    def _run(self) -> None:
        def better(chosen: list[Triple]) -> None:
            self.best = chosen
            self._tracker.found(sum(tr.value for tr in chosen))

        lns.improve(
            self._problem,
            self._index,
            self.best,
            seconds=self._seconds,
            workers=1,
            build=build_model,
            on_better=better,
            stopper=self._stopper,
        )

    def finish(self) -> list[Triple]:
        self._stopper.stop()
        self._thread.join()
        return self.best


def _hint(model: cp_model.CpModel, form: Formulation, index: Index, chosen: list[Triple]) -> None:
    """A complete hint (every x and y), which CP-SAT takes as its first solution."""
    picked = set(chosen)
    mentoring = {(tr.mentor, tr.theme) for tr in chosen}
    for k, tr in enumerate(index.triples):
        model.add_hint(form.x[k], tr in picked)
    for key, y in form.y.items():
        model.add_hint(y, key in mentoring)


def usable_triples(problem: Problem, triples: list[Triple]) -> list[Triple]:
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
    index = Index(problem, usable_triples(problem, triples))
    reach = Reach(problem, triples)
    # The fast matching first: shown at once, the start of the searches below, and the answer
    # if they find nothing better in time.
    tracker = _Tracker(progress, started, quick_bound(problem, index))
    greedy = greedy_matching(  # then improved by the LNS, if it runs
        problem, index, on_first=lambda chosen: tracker.found(sum(tr.value for tr in chosen))
    )
    if greedy is not None:
        tracker.found(sum(tr.value for tr in greedy))
        if tracker.best >= tracker.bound:  # the greedy matching reaches the bound: optimal
            return solved(
                problem,
                reach,
                greedy,
                optimal=True,
                bound=tracker.best,
                seconds=time.perf_counter() - started,
            )
    model, form = build_model(problem, index)
    # On large problems one core goes to our own large-neighbourhood search (lns.py), next to
    # CP-SAT's search, which keeps the others and proves the bound. There the main search is
    # not hinted: measured on the 500-city benchmark, the hint kept its LP-driven search near
    # the greedy matching (base class: not proven in 40 s instead of 32 s) while the side
    # search improves from it anyway. Below LNS_FROM_CITIES the hint helps the proof (200-city
    # classes: 7-18 s instead of 6-20 s on a loaded machine) and is given.
    side_search = greedy is not None and len(problem.cities) >= LNS_FROM_CITIES and workers >= 2
    if greedy is not None and not side_search:
        _hint(model, form, index, greedy)
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
    solver.best_bound_callback = tracker.on_bound
    tracker.solver = solver
    side: _SideSearch | None = None
    if greedy is not None and side_search:
        params.num_workers = workers - 1
        side = _SideSearch(problem, index, greedy, tracker)
        side.start(LNS_SECONDS if time_limit is None else params.max_time_in_seconds)
    status = solver.solve(model, tracker)
    if side is not None:
        greedy = side.finish()
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [tr for k, tr in enumerate(index.triples) if solver.boolean_value(form.x[k])]
        if greedy is None or sum(tr.value for tr in chosen) >= tracker.best:
            return solved(
                problem,
                reach,
                chosen,
                optimal=status == cp_model.OPTIMAL,
                bound=min(tracker.bound, math.floor(solver.best_objective_bound + 1e-6)),
                seconds=time.perf_counter() - started,
            )
    if greedy is not None:
        # CP-SAT found nothing better in time (or, impossibly, claimed there is no matching):
        # the greedy matching is the answer, with the best bound known.
        return solved(
            problem,
            reach,
            greedy,
            optimal=tracker.best >= tracker.bound,
            bound=tracker.bound,
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
