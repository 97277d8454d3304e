"""The fast first matching (greedy + repair) and how `solve` uses it: always an answer when it
finds one, never an answer that breaks a rule, never worse than it.

Every answer is checked by the independent verifier (verifier.py), on generated instances of
each benchmark class, small enough that each test stays well under 10 s.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from benchmarks.matching_benchmark import CLASSES, generate
from matching.solver import lns, model, solve, validate_problem
from matching.solver.formulation import Index
from matching.solver.greedy import greedy_matching, quick_bound
from matching.solver.model import usable_triples
from matching.solver.precheck import precheck
from matching.solver.problem import Triple, allowed_pairs
from tests.matching.solver.test_property import brute_force, problems
from tests.matching.solver.verifier import violations

KINDS = sorted(CLASSES)


def greedy(data: dict[str, Any]) -> list[Triple] | None:
    problem = validate_problem(data)
    triples = allowed_pairs(problem)
    return greedy_matching(problem, Index(problem, usable_triples(problem, triples)))


def as_result(data: dict[str, Any], chosen: list[Triple]) -> dict[str, Any]:
    """The greedy matching in the result format, built here (not by the solver's report)."""
    pairs = sorted(
        (
            {
                "theme": tr.theme,
                "mentor": tr.mentor,
                "implementer": tr.implementer,
                "value": tr.value,
                "value_by_factor": list(tr.by_factor),
            }
            for tr in chosen
        ),
        key=lambda p: (p["theme"], p["mentor"], p["implementer"]),
    )
    placed = {p["mentor"] for p in pairs} | {p["implementer"] for p in pairs}
    total = sum(p["value"] for p in pairs)
    return {
        "status": "feasible",
        "objective": total,
        "bound": total,
        "gap": 0.0,
        "pairs": pairs,
        "left_out": [{"city": c["id"]} for c in data["cities"] if c["id"] not in placed],
    }


def value(chosen: list[Triple] | None) -> int:
    assert chosen is not None
    return sum(tr.value for tr in chosen)


@pytest.mark.parametrize("size", [40, 150])
@pytest.mark.parametrize("kind", KINDS)
def test_greedy_answer_obeys_every_rule(kind, size):
    data = generate(size, 3, kind)
    chosen = greedy(data)
    assert chosen is not None
    assert violations(data, as_result(data, chosen)) == []


@pytest.mark.parametrize("kind", KINDS)
def test_greedy_is_deterministic(kind):
    data = generate(120, 4, kind)
    assert greedy(data) == greedy(data)


@pytest.mark.parametrize("kind", KINDS)
def test_solve_obeys_every_rule_and_is_never_worse_than_greedy(kind):
    data = generate(120, 5, kind)
    result = solve(data, time_limit=5, workers=2)
    assert result["status"] in ("optimal", "feasible")
    assert violations(data, result) == []
    assert result["objective"] >= value(greedy(data))


@pytest.mark.parametrize("time_limit", [0.001, 0.3, 3])
def test_the_hint_never_makes_the_answer_worse(time_limit):
    data = generate(200, 6, "capacity")
    result = solve(data, time_limit=time_limit, workers=2)
    assert violations(data, result) == []
    assert result["objective"] >= value(greedy(data))


def test_with_and_without_the_hint_the_optimum_is_the_same(monkeypatch):
    data = generate(60, 7, "fixed")
    hinted = solve(data, time_limit=10, workers=2)
    monkeypatch.setattr(model, "greedy_matching", lambda *args, **kwargs: None)
    plain = solve(data, time_limit=10, workers=2)
    assert hinted["status"] == plain["status"] == "optimal"
    assert hinted["objective"] == plain["objective"]


def test_tiny_time_limit_returns_the_greedy_matching_as_feasible():
    data = generate(300, 8, "capacity")
    expected = value(greedy(data))
    result = solve(data, time_limit=0.001, workers=2)
    assert result["status"] == "feasible"
    assert result["objective"] == expected
    assert result["bound"] > expected
    assert result["gap"] > 0
    assert result["explanation"]["code"] == "feasible"
    assert violations(data, result) == []


def test_first_progress_report_is_the_greedy_matching_then_they_improve():
    data = generate(150, 9, "forbidden")
    seen: list[dict[str, Any]] = []
    result = solve(data, time_limit=10, workers=2, progress=seen.append)
    # First the greedy matching as soon as it obeys every rule, then after its short
    # improvement, then CP-SAT's better ones.
    assert seen[0]["objective"] <= value(greedy(data))
    assert value(greedy(data)) in [s["objective"] for s in seen]
    assert all(set(s) == {"objective", "bound", "gap", "seconds"} for s in seen)
    assert all(s["bound"] >= s["objective"] for s in seen)
    assert all(a["objective"] <= b["objective"] for a, b in itertools.pairwise(seen))
    assert all(a["bound"] >= b["bound"] for a, b in itertools.pairwise(seen))
    assert seen[-1]["objective"] == result["objective"]


def test_quick_bound_is_an_upper_limit():
    for kind in KINDS:
        data = generate(60, 10, kind)
        problem = validate_problem(data)
        triples = allowed_pairs(problem)
        bound = quick_bound(problem, Index(problem, usable_triples(problem, triples)))
        result = solve(data, time_limit=10, workers=2)
        assert result["status"] == "optimal"
        assert bound >= result["objective"]


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problems())
def test_greedy_never_returns_a_matching_that_breaks_a_rule(data):
    problem = validate_problem(data)
    triples = allowed_pairs(problem)
    if precheck(problem, triples):
        return  # solve never gets to the greedy step
    chosen = greedy(data)
    best = brute_force(data)
    if best is None:
        assert chosen is None
    elif chosen is not None:
        assert violations(data, as_result(data, chosen)) == []
        assert value(chosen) <= best


@pytest.mark.parametrize("kind", KINDS)
def test_theme_group_search_keeps_every_rule_and_never_loses_value(kind):
    data = generate(150, 11, kind)
    problem = validate_problem(data)
    index = Index(problem, usable_triples(problem, allowed_pairs(problem)))
    start = greedy_matching(problem, index)
    assert start is not None
    seen: list[int] = []
    better = lns.improve(
        problem,
        index,
        start,
        seconds=3,
        workers=2,
        build=model.build_model,
        on_better=lambda chosen: seen.append(value(chosen)),
    )
    assert violations(data, as_result(data, better)) == []
    assert value(better) >= value(start)
    assert seen == sorted(seen) and (not seen or seen[-1] == value(better))


def test_large_problems_use_the_theme_group_search(monkeypatch):
    monkeypatch.setattr(model, "LNS_FROM_CITIES", 100)
    data = generate(150, 12, "capacity")
    seen: list[dict[str, Any]] = []
    result = solve(data, time_limit=4, workers=2, progress=seen.append)
    assert violations(data, result) == []
    assert value(greedy(data)) in [s["objective"] for s in seen]
    assert result["objective"] >= value(greedy(data))
