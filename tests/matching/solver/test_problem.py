"""Validation of the input format (every error collected, with its path) and pair values."""

from __future__ import annotations

import pytest

from matching.solver import ProblemError, pair_value, validate_problem
from matching.solver.problem import allowed_pairs
from tests.matching.solver.builders import city, europe, problem


def errors(data: object) -> dict[str, str]:
    with pytest.raises(ProblemError) as caught:
        validate_problem(data)
    return {e["path"]: e["message"] for e in caught.value.errors}


def test_pair_value_counts_only_what_the_mentor_knows_more():
    assert pair_value([3, 1, 4, 0], [1, 1, 5, 0]) == (2, [2, 0, 0, 0])
    assert pair_value([], []) == (0, [])
    with pytest.raises(ValueError, match="same number"):
        pair_value([1], [1, 2])


def test_allowed_pairs_follow_the_rules():
    data = europe(same_country="forbid", forbidden_pairs=[["berlin", "amsterdam"]])
    found = {
        (t.theme, t.mentor, t.implementer): t.value for t in allowed_pairs(validate_problem(data))
    }
    # cork->dublin: same country; berlin<->amsterdam: forbidden in both directions.
    assert found == {
        ("A", "amsterdam", "dublin"): 5,
        ("A", "amsterdam", "essen"): 3,
        ("A", "cork", "berlin"): 3,
        ("A", "cork", "essen"): 4,
        ("B", "berlin", "dublin"): 5,
    }


def test_a_city_never_mentors_itself():
    data = problem({"A": 1}, [city("a", "NL", ["A"], ["A"]), city("b", "BE", ["A"], ["A"])])
    found = {(t.mentor, t.implementer) for t in allowed_pairs(validate_problem(data))}
    assert found == {("a", "b"), ("b", "a")}


def test_defaults():
    data = {
        "themes": [{"id": "A", "pairs": 1}],
        "cities": [{"id": "a", "country": "NL", "scores": {}}],
    }
    parsed = validate_problem(data)
    (only,) = parsed.cities
    assert (only.mentor_themes, only.implement_themes, only.max_mentees) == ((), (), 1)
    c = parsed.constraints
    assert (c.same_country, c.require_all, c.forbidden_pairs, c.fixed) == (
        "allow",
        True,
        frozenset(),
        (),
    )


@pytest.mark.parametrize("data", [[], "problem", 3, None])
def test_not_an_object(data):
    assert list(errors(data)) == [""]
    assert "must be a JSON object" in errors(data)[""]


def test_empty_problem():
    assert errors({}) == {
        "themes": "missing required field 'themes'",
        "cities": "missing required field 'cities'",
    }
    found = errors({"themes": [], "cities": []})
    assert "at least one theme" in found["themes"]
    assert "at least one city" in found["cities"]


def test_every_error_is_collected_with_its_path():
    data = europe()
    data["themes"].append({"id": "A", "pairs": -1})  # duplicate id and negative pairs
    cities = data["cities"]
    cities[0]["max_mentees"] = 0
    cities[1]["scores"]["A"] = [1, 1]  # wrong length
    cities[2]["scores"]["A"] = [2, -1, "x"]
    cities[3]["mentor_themes"] = ["Z"]
    del cities[4]["scores"]["A"]
    cities.append(dict(cities[0]))  # duplicate city id
    data["constraints"].update(
        same_country="never",
        require_all="yes",
        forbidden_pairs=[["cork", "paris"], ["cork"], ["cork", "cork"]],
        fixed=[{"city": "rome"}, {"city": "cork", "role": "boss", "theme": "Q"}, {"theme": "A"}],
    )
    found = errors(data)
    assert set(found) == {
        "themes[2].id",
        "themes[2].pairs",
        "cities[0].max_mentees",
        "cities[1].scores.A",
        "cities[2].scores.A[1]",
        "cities[2].scores.A[2]",
        "cities[3].mentor_themes[0]",
        "cities[4].scores.A",
        "cities[5].id",
        "cities[5].max_mentees",
        "constraints.same_country",
        "constraints.require_all",
        "constraints.forbidden_pairs[0][1]",
        "constraints.forbidden_pairs[1]",
        "constraints.forbidden_pairs[2]",
        "constraints.fixed[0].city",
        "constraints.fixed[1].role",
        "constraints.fixed[1].theme",
        "constraints.fixed[2].city",
    }
    assert found["themes[2].id"] == "duplicate theme id 'A'"
    assert found["themes[2].pairs"] == "must be a whole number, 0 or more, got -1"
    assert found["cities[0].max_mentees"] == "must be a whole number, 1 or more, got 0"
    assert found["cities[1].scores.A"] == (
        "has 2 key factor levels, but theme 'A' has 3 (as given first by amsterdam)"
    )
    assert "got -1" in found["cities[2].scores.A[1]"]
    assert found["cities[3].mentor_themes[0]"] == "unknown theme 'Z'"
    assert "missing levels for theme 'A'" in found["cities[4].scores.A"]
    assert found["cities[5].id"] == "duplicate city id 'amsterdam'"
    assert found["constraints.forbidden_pairs[0][1]"] == "unknown city 'paris'"
    assert "two different cities" in found["constraints.forbidden_pairs[2]"]
    assert found["constraints.fixed[0].city"] == "unknown city 'rome'"
    assert "'mentor' or 'implementer'" in found["constraints.fixed[1].role"]
    assert found["constraints.fixed[2].city"] == "missing required field 'city'"


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        (lambda d: d.update(themes={"A": 1}), "themes", "must be a list"),
        (lambda d: d["themes"].__setitem__(0, "A"), "themes[0]", "must be an object"),
        (lambda d: d["themes"][0].update(pairs=1.5), "themes[0].pairs", "whole number"),
        (lambda d: d["themes"][0].update(pairs=True), "themes[0].pairs", "whole number"),
        (lambda d: d["themes"][0].pop("pairs"), "themes[0].pairs", "missing required"),
        (lambda d: d["themes"][0].update(id=""), "themes[0].id", "non-empty string"),
        (lambda d: d.update(cities="all"), "cities", "must be a list"),
        (lambda d: d["cities"][0].update(country=7), "cities[0].country", "non-empty string"),
        (lambda d: d["cities"][0].update(mentor_themes="A"), "cities[0].mentor_themes", "list"),
        (
            lambda d: d["cities"][0].update(implement_themes=["B", "B"]),
            "cities[0].implement_themes[1]",
            "twice",
        ),
        (lambda d: d["cities"][0].update(scores=[1]), "cities[0].scores", "must be an object"),
        (lambda d: d["cities"][0]["scores"].update(Z=[1]), "cities[0].scores.Z", "unknown theme"),
        (
            lambda d: d["cities"][0]["scores"].update(A="high"),
            "cities[0].scores.A",
            "list of levels",
        ),
        (lambda d: d["cities"][0].update(max_mentee=2), "cities[0].max_mentee", "unknown field"),
        (lambda d: d.update(constraints=[]), "constraints", "must be an object"),
        (lambda d: d["constraints"].update(fixed={}), "constraints.fixed", "must be a list"),
        (
            lambda d: d["constraints"].update(forbidden_pairs="none"),
            "constraints.forbidden_pairs",
            "list",
        ),
        (lambda d: d.update(format="other"), "format", "citiesgrow-match"),
        (lambda d: d.update(extra=1), "extra", "unknown field"),
    ],
)
def test_bad_input_kinds(change, path, fragment):
    data = europe()
    change(data)
    found = errors(data)
    assert path in found, found
    assert fragment in found[path]


def test_unsupported_version_is_rejected_on_its_own():
    data = {**europe(), "version": 2, "cities": "not even checked"}
    assert errors(data) == {"version": "unsupported format version 2; this solver reads version 1"}


def test_format_header_and_meta_are_accepted():
    data = {"format": "citiesgrow-match", "version": 1, "meta": {"run": 7}, **europe()}
    assert len(validate_problem(data).cities) == 5


def test_scores_of_unlisted_themes_may_be_omitted_or_given():
    data = problem(
        {"A": 1, "B": 0}, [city("a", "NL", ["A"], levels={"B": [1, 2]}), city("b", "BE", [], ["A"])]
    )
    assert validate_problem(data).city_by_id["a"].scores == {"A": (1, 1), "B": (1, 2)}


def test_problem_error_message_lists_every_error():
    with pytest.raises(ProblemError) as caught:
        validate_problem({"themes": [], "cities": []})
    text = str(caught.value)
    assert text.startswith("the matching problem has 2 errors")
    assert "themes: must list at least one theme" in text
