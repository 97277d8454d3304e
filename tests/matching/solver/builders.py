"""Small problem builders and an independent checker of results, shared by the solver tests."""

from __future__ import annotations

from typing import Any


def city(
    city_id: str,
    country: str,
    mentor: list[str] | None = None,
    implement: list[str] | None = None,
    levels: dict[str, list[int]] | None = None,
    max_mentees: int = 1,
) -> dict[str, Any]:
    """A city; themes without given levels get [1, 1]."""
    mentor, implement = mentor or [], implement or []
    scores = {t: [1, 1] for t in dict.fromkeys(mentor + implement)}
    scores.update(levels or {})
    return {
        "id": city_id,
        "country": country,
        "mentor_themes": mentor,
        "implement_themes": implement,
        "max_mentees": max_mentees,
        "scores": scores,
    }


def problem(
    themes: dict[str, int], cities: list[dict[str, Any]], **constraints: Any
) -> dict[str, Any]:
    return {
        "themes": [{"id": t, "pairs": n} for t, n in themes.items()],
        "cities": cities,
        "constraints": constraints,
    }


def europe(**constraints: Any) -> dict[str, Any]:
    """Five cities, themes A and B with one pair each (require_all off unless given).

    Allowed pairs and values (sum over factors of max(0, mentor - implementer)):
      A: amsterdam->berlin 2+1+0=3, amsterdam->dublin 3+2+0=5, amsterdam->essen 3+0+0=3,
         cork->berlin 1+1+1=3, cork->dublin 2+2+2=6 (both IE), cork->essen 2+0+2=4
      B: berlin->amsterdam 3+1=4, berlin->dublin 3+2=5
    berlin is the only B mentor, so B is berlin->amsterdam or berlin->dublin:
      berlin->amsterdam (4): A then needs a mentor other than amsterdam: cork->dublin 6 -> 10
      berlin->dublin (5): A's implementer must be essen: cork->essen 4 -> 9
    Optimum 10 (cork->dublin, berlin->amsterdam; essen left out). Without cork->dublin
    (same_country forbid, or that pair forbidden): 9 (cork->essen, berlin->dublin).
    """
    constraints.setdefault("require_all", False)
    return problem(
        {"A": 1, "B": 1},
        [
            city("amsterdam", "NL", ["A"], ["B"], {"A": [3, 2, 0], "B": [0, 1]}),
            city("berlin", "DE", ["B"], ["A"], {"A": [1, 1, 1], "B": [3, 2]}),
            city("cork", "IE", ["A"], [], {"A": [2, 2, 2]}),
            city("dublin", "IE", [], ["A", "B"], {"A": [0, 0, 0], "B": [0, 0]}),
            city("essen", "DE", [], ["A"], {"A": [0, 2, 0]}),
        ],
        **constraints,
    )


def triples(result: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(p["theme"], p["mentor"], p["implementer"]) for p in result["pairs"]}


def check_result(data: dict[str, Any], result: dict[str, Any]) -> None:
    """Assert that a solved result obeys every rule of the format, computed from scratch."""
    cities = {c["id"]: c for c in data["cities"]}
    cons = data.get("constraints", {})
    forbidden = {frozenset(p) for p in cons.get("forbidden_pairs", [])}
    pairs = result["pairs"]
    assert pairs == sorted(pairs, key=lambda p: (p["theme"], p["mentor"], p["implementer"]))
    mentor_theme: dict[str, set[str]] = {}
    mentees: dict[str, int] = {}
    implementers: list[str] = []
    for p in pairs:
        m, i, t = cities[p["mentor"]], cities[p["implementer"]], p["theme"]
        assert t in m["mentor_themes"] and t in i["implement_themes"]
        assert m["id"] != i["id"]
        assert frozenset((m["id"], i["id"])) not in forbidden
        if cons.get("same_country") == "forbid":
            assert m["country"] != i["country"]
        by_factor = [max(0, a - b) for a, b in zip(m["scores"][t], i["scores"][t], strict=True)]
        assert p["value_by_factor"] == by_factor
        assert p["value"] == sum(by_factor)
        mentor_theme.setdefault(m["id"], set()).add(t)
        mentees[m["id"]] = mentees.get(m["id"], 0) + 1
        implementers.append(i["id"])
    assert len(implementers) == len(set(implementers)), "an implementer has two mentors"
    assert not set(implementers) & set(mentor_theme), "a city is both mentor and implementer"
    assert all(len(ts) == 1 for ts in mentor_theme.values()), "a mentor in two themes"
    for m, count in mentees.items():
        assert count <= cities[m].get("max_mentees", 1)
    for theme in data["themes"]:
        assert sum(1 for p in pairs if p["theme"] == theme["id"]) == theme["pairs"]
    placed = set(implementers) | set(mentor_theme)
    if cons.get("require_all", True):
        assert placed == set(cities)
    for f in cons.get("fixed", []):
        c = f["city"]
        assert c in placed
        if f.get("role") == "mentor":
            assert c in mentor_theme
        if f.get("role") == "implementer":
            assert c in implementers
        if f.get("theme"):
            themes_of_c = {p["theme"] for p in pairs if c in (p["mentor"], p["implementer"])}
            assert themes_of_c == {f["theme"]}
    assert result["objective"] == sum(p["value"] for p in pairs)
    assert {e["city"] for e in result["left_out"]} == set(cities) - placed
