"""Infeasible problems: the status, and an explanation naming the right theme or city."""

from __future__ import annotations

from matching.solver import solve
from matching.solver.explain import conflict_summary
from tests.matching.solver.builders import city, europe, problem


def explain(data: dict) -> tuple[dict, list[dict]]:
    result = solve(data, time_limit=10)
    assert result["status"] == "infeasible"
    assert result["objective"] is None and result["bound"] is None and result["gap"] is None
    assert result["pairs"] == [] and result["left_out"] == []
    explanation = result["explanation"]
    assert explanation["code"] == "infeasible"
    for entry in explanation["details"]:
        assert set(entry) == {"code", "params", "message"}
        assert entry["message"].endswith(".")
    return explanation, explanation["details"]


def test_too_few_mentors_for_a_theme():
    data = problem(
        {"A": 2},
        [
            city("rotterdam", "NL", ["A"]),
            city("gdansk", "PL", [], ["A"]),
            city("nicosia", "CY", [], ["A"]),
        ],
    )
    explanation, (entry,) = explain(data)
    assert entry["code"] == "theme_too_few_mentors"
    assert entry["params"]["theme"] == "A"
    assert entry["params"]["mentors"] == ["rotterdam"]
    assert (
        entry["message"]
        == "Theme A needs 2 pairs but only 1 city (rotterdam) offers to mentor in it."
    )
    assert explanation["summary"] == entry["message"]


def test_too_few_mentors_counts_mentee_limits_and_excluded_cities():
    data = problem(
        {"A": 4},
        [
            city("m1", "NL", ["A"], max_mentees=2),
            city("m2", "BE", ["A"]),
            city("m3", "FR", ["A"]),
            *[city(f"i{n}", "DE", [], ["A"]) for n in range(4)],
        ],
        require_all=False,
        forbidden_pairs=[["m3", f"i{n}"] for n in range(4)],
    )
    _, (entry,) = explain(data)
    assert entry["code"] == "theme_too_few_mentors"
    assert entry["params"]["capacity"] == 3
    assert entry["params"]["no_partner"] == ["m3"]
    assert "at most 3 mentees" in entry["message"]
    assert "m3 also offers to mentor in it but has no allowed partner there" in entry["message"]


def test_too_few_implementers_for_a_theme():
    data = problem(
        {"C": 3},
        [
            *[city(f"m{n}", "NL", ["C"]) for n in range(3)],
            city("lisbon", "PT", [], ["C"]),
            city("riga", "LV", [], ["C"]),
        ],
        require_all=False,
    )
    _, (entry,) = explain(data)
    assert entry["code"] == "theme_too_few_implementers"
    assert entry["params"] == {
        "theme": "C",
        "pairs": 3,
        "implementers": ["lisbon", "riga"],
        "no_partner": [],
        "fixed_elsewhere": [],
    }
    assert entry["message"] == (
        "Theme C needs 3 implementing cities but only 2 cities (lisbon and riga) want to "
        "implement it."
    )


def test_city_without_allowed_partner_under_require_all():
    data = problem(
        {"A": 1, "B": 0},
        [
            city("riga", "LV", ["A"], ["B"]),
            city("jurmala", "LV", [], ["A"]),
            city("tallinn", "EE", [], ["A"]),
            city("vilnius", "LT", ["A"]),
        ],
        same_country="forbid",
        forbidden_pairs=[["tallinn", "riga"]],
    )
    _, details = explain(data)
    entry = next(d for d in details if d["code"] == "city_no_partner")
    assert entry["params"]["city"] == "riga"
    assert entry["params"]["because"] == "require_all"
    assert entry["params"]["options"] == [
        {
            "role": "mentor",
            "theme": "A",
            "reason": "all_blocked",
            "same_country": ["jurmala"],
            "forbidden_pair": ["tallinn"],
        },
        {"role": "implementer", "theme": "B", "reason": "theme_needs_no_pairs"},
    ]
    assert entry["message"].startswith("riga must take part (every city must take part) but")
    assert "jurmala (same country), tallinn (forbidden pair)" in entry["message"]


def test_city_listing_no_theme_under_require_all():
    data = problem({"A": 1}, [city("m", "NL", ["A"]), city("i", "BE", [], ["A"]), city("x", "FR")])
    _, (entry,) = explain(data)
    assert entry["code"] == "city_no_partner"
    assert entry["params"] == {"city": "x", "because": "require_all", "options": []}


def test_contradictory_fixed_entries():
    fixed = [{"city": "amsterdam", "role": "mentor"}, {"city": "amsterdam", "role": "implementer"}]
    _, (entry,) = explain(europe(fixed=fixed))
    assert entry["code"] == "fixed_contradiction"
    assert entry["params"] == {
        "city": "amsterdam",
        "roles": ["implementer", "mentor"],
        "themes": [],
    }
    assert entry["message"] == (
        "The fixed entries for amsterdam contradict each other: one makes it a mentor, another "
        "an implementer."
    )


def test_fixed_entries_in_two_themes_contradict():
    fixed = [{"city": "dublin", "theme": "A"}, {"city": "dublin", "theme": "B"}]
    _, (entry,) = explain(europe(fixed=fixed))
    assert entry["code"] == "fixed_contradiction"
    assert entry["params"]["themes"] == ["A", "B"]


def test_fixed_entry_the_city_cannot_fill():
    _, (entry,) = explain(europe(fixed=[{"city": "cork", "role": "implementer"}]))
    assert entry["code"] == "fixed_impossible"
    assert entry["params"]["city"] == "cork"
    assert entry["message"] == (
        "cork is fixed to take part as an implementer, but it does not want to implement any theme."
    )


def test_counts_impossible_under_require_all():
    # 5 cities, 2 pairs: 2 implement, 3 would mentor, but 2 pairs leave room for 2 mentors.
    _, (entry,) = explain(europe(require_all=True))
    assert entry["code"] == "counts_impossible"
    assert entry["params"] == {
        "reason": "too_many_mentors",
        "cities": 5,
        "pairs": 2,
        "mentors": 3,
        "max_mentors": 2,
    }


def test_counts_impossible_with_too_little_mentor_capacity():
    # 6 cities, 4 pairs: 4 implement and the 2 others mentor at most 1 + 2 = 3 mentees... but
    # every mentor is capped at 1 except one: capacity of the best 2 is 1 + 2 = 3 < 4.
    cities = [
        city(f"c{n}", f"X{n}", ["A"], ["A"], max_mentees=2 if n == 0 else 1) for n in range(6)
    ]
    _, (entry,) = explain(problem({"A": 4}, cities))
    assert entry["code"] == "counts_impossible"
    assert entry["params"]["reason"] == "too_little_capacity"
    assert entry["params"]["capacity"] == 3
    assert entry["message"].startswith(
        "Every city must take part, but 6 cities cannot fill 4 pairs with the mentees allowed "
        "per mentor"
    )


def test_too_few_cities_for_all_pairs():
    cities = [city(f"c{n}", "NL", ["A", "B"], ["A", "B"]) for n in range(16)]
    _, (entry,) = explain(problem({"A": 5, "B": 4}, cities, require_all=False))
    assert entry["code"] == "too_few_cities"
    assert entry["params"] == {"cities": 16, "pairs": 9, "mentors_needed": 9}


def test_mentor_whose_partners_are_all_forbidden_does_not_count():
    data = problem(
        {"A": 2},
        [
            city("m1", "NL", ["A"]),
            city("m2", "BE", ["A"]),
            city("i1", "FR", [], ["A"]),
            city("i2", "DE", [], ["A"]),
        ],
        forbidden_pairs=[["m2", "i1"], ["i2", "m2"]],
        require_all=False,
    )
    _, (entry,) = explain(data)
    assert entry["code"] == "theme_too_few_mentors"
    assert entry["params"]["mentors"] == ["m1"]
    assert entry["params"]["no_partner"] == ["m2"]


def test_theme_with_too_few_allowed_pairs():
    # Enough mentors and implementers for 3 pairs, but i1 may only pair with m1 or m2 and
    # i2, i3 only with m3: at most 2 pairs.
    forbidden = [["m1", "i2"], ["m1", "i3"], ["m2", "i2"], ["m2", "i3"], ["m3", "i1"]]
    data = problem(
        {"A": 3},
        [city(f"m{n}", "NL", ["A"]) for n in (1, 2, 3)]
        + [city(f"i{n}", "BE", [], ["A"]) for n in (1, 2, 3)],
        forbidden_pairs=forbidden,
    )
    _, (entry,) = explain(data)
    assert entry["code"] == "theme_too_few_pairs"
    assert entry["params"] == {"theme": "A", "pairs": 3, "possible": 2}


def test_more_fixed_implementers_than_pairs():
    fixed = [{"city": c, "role": "implementer", "theme": "A"} for c in ("berlin", "dublin")]
    _, (overflow, no_mentor) = explain(europe(fixed=fixed))
    assert overflow["code"] == "theme_fixed_overflow"
    assert overflow["params"] == {
        "theme": "A",
        "pairs": 1,
        "role": "implementer",
        "cities": ["berlin", "dublin"],
    }
    # berlin, B's only mentor, is fixed to implement A, which leaves B without a mentor.
    assert no_mentor["code"] == "theme_too_few_mentors"
    assert no_mentor["params"]["theme"] == "B"
    assert no_mentor["params"]["fixed_elsewhere"] == ["berlin"]


def test_conflict_found_by_the_solver_names_the_conditions():
    # Every pre-check passes, yet: r must mentor A, so q (A's only implementer) implements,
    # so q cannot mentor B, which then has no mentor.
    data = problem(
        {"A": 1, "B": 1},
        [
            city("p", "NL", ["A"], ["B"]),
            city("q", "BE", ["B"], ["A"]),
            city("r", "FR", ["A"]),
            city("s", "DE", [], ["B"]),
        ],
    )
    explanation, details = explain(data)
    assert explanation["params"] == {"source": "conflict", "minimal": True}
    codes = {(d["code"], d["params"].get("city") or d["params"].get("theme")) for d in details}
    assert codes == {
        ("conflict_one_role", "q"),
        ("conflict_take_part", "r"),
        ("conflict_theme_pairs", "B"),
    }
    assert explanation["summary"] == (
        "No matching is possible: these conditions cannot all hold together: the pair count of "
        "theme B; r taking part; q having one role only. Changing any one of them may make a "
        "matching possible."
    )


def test_conflict_with_a_fixed_entry():
    # Without require_all only the fixed entry forces anything: r must mentor A, whose only
    # implementer is q, so q cannot mentor B, and B (1 pair) has no other mentor.
    data = problem(
        {"A": 1, "B": 1},
        [
            city("p", "NL", ["A"], ["B"]),
            city("q", "BE", ["B"], ["A"]),
            city("r", "FR", ["A"]),
            city("s", "DE", [], ["B"]),
        ],
        require_all=False,
        fixed=[{"city": "r", "role": "mentor"}],
    )
    explanation, details = explain(data)
    assert explanation["params"] == {"source": "conflict", "minimal": True}
    assert [d["code"] for d in details] == [
        "conflict_one_role",
        "conflict_fixed",
        "conflict_theme_pairs",
    ]
    assert details[1]["params"] == {"city": "r", "role": "mentor", "theme": None, "entry": 0}
    assert details[1]["message"] == "r is fixed to take part as a mentor."
    assert details[2]["message"] == "Theme B must get exactly 1 pair."


def test_more_cities_fixed_to_mentor_than_there_is_room_for():
    # Three pairs leave room for three mentors (each needs a mentee); four are fixed to mentor.
    data = problem(
        {"A": 2, "B": 1},
        [city(f"m{n}", "NL", ["A", "B"]) for n in range(1, 5)]
        + [city("i1", "BE", [], ["A"]), city("i2", "BE", [], ["A"]), city("j1", "BE", [], ["B"])],
        require_all=False,
        fixed=[{"city": f"m{n}", "role": "mentor"} for n in range(1, 5)],
    )
    _, (entry,) = explain(data)
    assert entry["code"] == "fixed_role_overflow"
    assert entry["params"] == {"role": "mentor", "cities": ["m1", "m2", "m3", "m4"], "limit": 3}
    assert entry["message"] == (
        "4 cities (m1, m2, m3 and m4) must mentor because of their fixed entries, but each "
        "mentor needs a mentee of its own in one theme, which leaves room for only 3 mentors."
    )


def test_a_fixed_role_with_one_possible_theme_counts_for_that_theme():
    # amsterdam and cork can only mentor in A (1 pair): fixing both as mentors overflows A.
    fixed = [{"city": "amsterdam", "role": "mentor"}, {"city": "cork", "role": "mentor"}]
    _, (entry,) = explain(europe(fixed=fixed))
    assert entry["code"] == "theme_fixed_overflow"
    assert entry["params"] == {
        "theme": "A",
        "pairs": 1,
        "role": "mentor",
        "cities": ["amsterdam", "cork"],
    }


def test_summary_of_a_conflict_that_was_not_minimised():
    details = [
        {"code": "conflict_fixed", "params": {"city": "a"}, "message": ""},
        {"code": "conflict_fixed", "params": {"city": "b"}, "message": ""},
        {"code": "conflict_theme_pairs", "params": {"theme": "A"}, "message": ""},
    ]
    assert conflict_summary(details, minimal=False) == (
        "No matching is possible: these conditions cannot all hold together: the pair count of "
        "theme A; the fixed entries for a and b. Some of them may not be needed for the "
        "conflict: the search for a smaller set was stopped by the time limit."
    )
    assert conflict_summary([], minimal=False).startswith(
        "No matching is possible, but no short reason was found"
    )
