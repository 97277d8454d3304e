"""The solver on hand-checked instances: optimum, pairs and every kind of constraint."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from matching.solver import FORMAT_VERSION, report, solve, validate_problem
from matching.solver.partners import Reach
from matching.solver.problem import allowed_pairs
from tests.matching.solver.builders import check_result, city, europe, problem, triples

BEST = {("A", "cork", "dublin"), ("B", "berlin", "amsterdam")}  # value 6 + 4 = 10
WITHOUT_CORK_DUBLIN = {("A", "cork", "essen"), ("B", "berlin", "dublin")}  # 4 + 5 = 9


def solved(data: dict, **kwargs) -> dict:
    result = solve(data, time_limit=10, **kwargs)
    assert result["status"] == "optimal", result["explanation"]
    check_result(data, result)
    return result


def test_europe_optimum_and_result_shape():
    result = solved(europe())
    assert result["objective"] == result["bound"] == 10
    assert result["gap"] == 0
    assert triples(result) == BEST
    assert result["pairs"][0] == {
        "theme": "A",
        "mentor": "cork",
        "implementer": "dublin",
        "value": 6,
        "value_by_factor": [2, 2, 2],
    }
    assert result["left_out"] == [{"city": "essen", "reason": "not_selected"}]
    explanation = result["explanation"]
    assert explanation["code"] == "optimal"
    assert explanation["summary"] == "2 pairs in 2 themes, total value 10; proven optimal."
    assert [d["code"] for d in explanation["details"]] == ["city_left_out"]
    assert explanation["details"][0]["params"] == {"city": "essen", "reason": "not_selected"}


def test_accepts_a_validated_problem_and_the_format_header():
    data = {"format": "citiesgrow-match", "version": FORMAT_VERSION, **europe()}
    assert solve(validate_problem(data))["objective"] == 10


def test_same_country_forbid_changes_the_answer():
    assert triples(solved(europe(same_country="allow"))) == BEST
    result = solved(europe(same_country="forbid"))
    assert result["objective"] == 9
    assert triples(result) == WITHOUT_CORK_DUBLIN


@pytest.mark.parametrize("pair", [["cork", "dublin"], ["dublin", "cork"]])
def test_forbidden_pair_in_either_order_forbids_mentoring(pair):
    result = solved(europe(forbidden_pairs=[pair]))
    assert result["objective"] == 9
    assert triples(result) == WITHOUT_CORK_DUBLIN


def test_forbidden_pair_forbids_the_second_city_mentoring_the_first():
    # [amsterdam, berlin] also forbids berlin mentoring amsterdam (B, value 4).
    result = solved(europe(forbidden_pairs=[["amsterdam", "berlin"]]))
    assert result["objective"] == 9
    assert triples(result) == WITHOUT_CORK_DUBLIN


def test_fixed_role_only():
    # amsterdam must mentor (in A): B is then berlin->dublin, A amsterdam->essen: 5 + 3.
    result = solved(europe(fixed=[{"city": "amsterdam", "role": "mentor"}]))
    assert result["objective"] == 8
    assert triples(result) == {("A", "amsterdam", "essen"), ("B", "berlin", "dublin")}


def test_fixed_theme_only():
    # essen must take part (in A, its only theme): best is cork->essen 4 + berlin->dublin 5.
    result = solved(europe(fixed=[{"city": "essen", "theme": "A"}]))
    assert triples(result) == WITHOUT_CORK_DUBLIN


def test_fixed_role_and_theme():
    # dublin as an implementer is already in the optimum (in A); in B it costs 1.
    assert triples(solved(europe(fixed=[{"city": "dublin", "role": "implementer"}]))) == BEST
    result = solved(europe(fixed=[{"city": "dublin", "role": "implementer", "theme": "B"}]))
    assert result["objective"] == 9
    assert triples(result) == WITHOUT_CORK_DUBLIN


def mentors_two(max_mentees: int, require_all: bool) -> dict:
    """Theme A, 2 pairs. Values: m1->i1 6, m1->i2 6, m2->i1 5, m2->i2 2 (two factors)."""
    return problem(
        {"A": 2},
        [
            city("m1", "NL", ["A"], [], {"A": [6, 0]}, max_mentees=max_mentees),
            city("m2", "BE", ["A"], [], {"A": [0, 5]}),
            city("i1", "FR", [], ["A"], {"A": [0, 0]}),
            city("i2", "DE", [], ["A"], {"A": [0, 3]}),
        ],
        require_all=require_all,
    )


def test_max_mentees_two_lets_the_best_mentor_take_both():
    result = solved(mentors_two(max_mentees=2, require_all=False))
    assert result["objective"] == 12
    assert triples(result) == {("A", "m1", "i1"), ("A", "m1", "i2")}
    assert result["left_out"] == [{"city": "m2", "reason": "not_selected"}]


def test_max_mentees_one_limits_each_mentor():
    result = solved(mentors_two(max_mentees=1, require_all=False))
    assert result["objective"] == 11
    assert triples(result) == {("A", "m1", "i2"), ("A", "m2", "i1")}


def test_require_all_makes_every_city_take_part():
    result = solved(mentors_two(max_mentees=2, require_all=True))
    assert result["objective"] == 11
    assert triples(result) == {("A", "m1", "i2"), ("A", "m2", "i1")}
    assert result["left_out"] == []


def test_require_all_is_the_default():
    data = mentors_two(max_mentees=2, require_all=True)
    del data["constraints"]
    assert solved(data)["objective"] == 11


def test_each_theme_gets_exactly_its_pairs():
    # Three possible pairs of value 5, 4 and 3, but theme A asks for one and B for none.
    data = problem(
        {"A": 1, "B": 0},
        [
            city("m1", "NL", ["A", "B"], [], {"A": [5], "B": [9]}),
            city("m2", "BE", ["A"], [], {"A": [4]}),
            city("m3", "LU", ["A"], [], {"A": [3]}),
            city("i1", "FR", [], ["A", "B"], {"A": [0], "B": [0]}),
            city("i2", "DE", [], ["A"], {"A": [0]}),
            city("i3", "AT", [], ["A"], {"A": [0]}),
        ],
        require_all=False,
    )
    result = solved(data)
    assert result["objective"] == 5
    assert len(result["pairs"]) == 1


def test_no_city_is_both_mentor_and_implementer():
    # Pairs: hub->a 9 and high->a 2 (A); b->hub 8 and b->low 8-5=3 (B).
    # hub in both roles would give 9 + 8 = 17, but it has one role only:
    # mentoring, hub->a 9 + b->low 3 = 12; implementing, high->a 2 + b->hub 8 = 10.
    data = problem(
        {"A": 1, "B": 1},
        [
            city("hub", "NL", ["A"], ["B"], {"A": [9], "B": [0]}),
            city("a", "BE", [], ["A"], {"A": [0]}),
            city("high", "FR", ["A"], [], {"A": [2]}),
            city("b", "DE", ["B"], [], {"B": [8]}),
            city("low", "AT", [], ["B"], {"B": [5]}),
        ],
        require_all=False,
    )
    result = solved(data)
    assert result["objective"] == 12
    assert triples(result) == {("A", "hub", "a"), ("B", "b", "low")}


def test_a_mentor_mentors_in_one_theme_only():
    # star (max 2 mentees) is worth 7 in A and 6 in B; weak mentors are worth 1 each.
    data = problem(
        {"A": 1, "B": 1},
        [
            city("star", "NL", ["A", "B"], [], {"A": [7], "B": [6]}, max_mentees=2),
            city("weak", "BE", ["A", "B"], [], {"A": [1], "B": [1]}),
            city("ia", "FR", [], ["A"], {"A": [0]}),
            city("ib", "DE", [], ["B"], {"B": [0]}),
        ],
        require_all=False,
    )
    result = solved(data)
    assert result["objective"] == 8  # star->ia 7 + weak->ib 1 (not star in both: 13)
    assert triples(result) == {("A", "star", "ia"), ("B", "weak", "ib")}


def test_a_mentor_has_at_least_one_mentee():
    # Theme A needs 1 pair; 3 cities must all take part: 1 implementer, 2 mentors -> impossible.
    data = problem(
        {"A": 1},
        [city("m1", "NL", ["A"]), city("m2", "BE", ["A"]), city("i", "FR", [], ["A"])],
    )
    assert solve(data)["status"] == "infeasible"


def test_left_out_reasons():
    data = problem(
        {"A": 1, "B": 0},
        [
            city("m", "NL", ["A"], [], {"A": [3]}),
            city("i", "BE", [], ["A"], {"A": [0]}),
            city("spare", "FR", [], ["A"], {"A": [5]}),
            city("idle", "DE", [], ["B"]),
            city("lonely", "NL", [], ["A"], {"A": [0]}),
        ],
        require_all=False,
        same_country="forbid",
    )
    result = solved(data)
    assert result["left_out"] == [
        {"city": "spare", "reason": "not_selected"},
        {"city": "idle", "reason": "no_themes"},
        {"city": "lonely", "reason": "no_allowed_partner"},
    ]
    lonely = result["explanation"]["details"][2]
    assert lonely["params"]["options"] == [
        {
            "role": "implementer",
            "theme": "A",
            "reason": "all_blocked",
            "same_country": ["m"],
            "forbidden_pair": [],
        }
    ]
    assert "m (same country)" in lonely["message"]


def test_nothing_to_pair_is_optimal_with_zero():
    data = problem({"A": 0}, [city("a", "NL", ["A"])], require_all=False)
    result = solved(data)
    assert (result["objective"], result["pairs"]) == (0, [])
    assert result["explanation"]["summary"].startswith("0 pairs in 0 themes, total value 0")


def test_progress_reports_improving_solutions():
    seen: list[dict] = []
    result = solve(europe(), progress=seen.append)
    assert seen
    assert set(seen[-1]) == {"objective", "bound", "gap", "seconds"}
    assert seen[-1]["objective"] == result["objective"]
    assert all(s["bound"] >= s["objective"] for s in seen)


def test_time_limit_before_any_matching_gives_unknown(monkeypatch):
    # Building the 200-city benchmark model alone takes longer than the 1 ms allowed; and
    # here the greedy matching (which would otherwise be the answer) finds nothing.
    from benchmarks.matching_benchmark import generate
    from matching.solver import model

    monkeypatch.setattr(model, "greedy_matching", lambda *args, **kwargs: None)
    result = solve(generate(200, seed=1), time_limit=0.001, workers=1)
    assert result["status"] == "unknown"
    assert (result["objective"], result["bound"], result["gap"], result["pairs"]) == (
        None,
        None,
        None,
        [],
    )
    explanation = result["explanation"]
    assert explanation["code"] == "unknown"
    assert explanation["params"] == {"time_limit": 0.001}
    assert [d["code"] for d in explanation["details"]] == ["time_limit"]
    assert explanation["summary"].startswith(
        "No matching was found within the time limit (0.001 seconds)"
    )


def test_feasible_result_reports_bound_and_gap():
    parsed = validate_problem(europe())
    allowed = allowed_pairs(parsed)
    chosen = [t for t in allowed if (t.theme, t.mentor, t.implementer) in WITHOUT_CORK_DUBLIN]
    result = report.solved(
        parsed, Reach(parsed, allowed), chosen, optimal=False, bound=10, seconds=1
    )
    assert (result["status"], result["objective"], result["bound"]) == ("feasible", 9, 10)
    assert result["gap"] == 0.1
    assert result["explanation"]["summary"] == (
        "2 pairs in 2 themes, total value 9; the best possible total is at most 10 (gap "
        "10.00%): the time limit stopped the search before this was proven the best."
    )
    assert report.gap(2, 3) == 0.333333
    assert report.gap(0, 0) == 0


def test_the_documented_example_is_what_the_solver_returns():
    doc = Path(__file__).resolve().parents[3] / "docs" / "matching-format.md"
    blocks = re.findall(r"```json\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    data, documented = (json.loads(block) for block in blocks[:2])
    result = solve(data)
    assert result == {**documented, "seconds": result["seconds"]}
