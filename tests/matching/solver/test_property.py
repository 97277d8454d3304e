"""The solver against brute force on random small problems (Hypothesis).

The brute force below is written from the format's rules alone, without the solver's code:
it tries every role/theme for every city, then every mentor for every implementer, and keeps
the best total. The solver must agree on feasibility and on the optimal value, and its pairs
must pass the independent rule checker.
"""

from __future__ import annotations

from itertools import product
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from matching.solver import solve, validate_problem
from matching.solver.explain import explain_conflict
from matching.solver.problem import allowed_pairs
from tests.matching.solver.builders import check_result

THEMES = ["A", "B", "C"]
COUNTRIES = ["NL", "DE", "FR"]


@st.composite
def problems(draw: st.DrawFn) -> dict[str, Any]:
    """Random problems; most hide a valid matching (then get perturbed), so that feasible,
    infeasible and conflicting cases all come up often."""
    themes = THEMES[: draw(st.integers(1, 3))]
    factors = {t: draw(st.integers(1, 4)) for t in themes}
    ids = [f"c{n}" for n in range(draw(st.integers(1, 7)))]
    planted = draw(st.booleans()) or draw(st.booleans())  # 3 in 4
    require_all = draw(st.booleans())
    roles = ["mentor", "implementer", "implementer"]
    if not require_all or not draw(st.integers(0, 3)):
        roles.append("out")
    # A hidden matching: each city out, mentoring in a theme, or implementing with a mentor.
    mentor_of: dict[str, str] = {}
    theme_of: dict[str, str] = {}
    if planted:
        for c in ids:
            role = draw(st.sampled_from(roles))
            mentors = [m for m, t in theme_of.items() if m not in mentor_of]
            if role == "mentor" or (role == "implementer" and not mentors):
                theme_of[c] = draw(st.sampled_from(themes))
            elif role == "implementer":
                mentor_of[c] = draw(st.sampled_from(mentors))
                theme_of[c] = theme_of[mentor_of[c]]
        for c in list(theme_of):  # a mentor nobody chose becomes a mentee of another
            others = [m for m in theme_of if m not in mentor_of and m != c]
            if c not in mentor_of and c not in mentor_of.values():
                if others:
                    mentor_of[c] = draw(st.sampled_from(others))
                    theme_of[c] = theme_of[mentor_of[c]]
                else:
                    del theme_of[c]
    mentees = {m: sum(1 for i in mentor_of if mentor_of[i] == m) for m in ids}
    theme_lists = st.lists(st.sampled_from(themes), unique=True, max_size=2)
    cities = []
    for c in ids:
        mentor, implement = draw(theme_lists), draw(theme_lists)
        if c in mentor_of and theme_of[c] not in implement:
            implement.append(theme_of[c])
        elif mentees[c] and theme_of[c] not in mentor:
            mentor.append(theme_of[c])
        scored = (
            set(mentor) | set(implement) | set(draw(st.lists(st.sampled_from(themes), max_size=1)))
        )
        cities.append(
            {
                "id": c,
                "country": draw(st.sampled_from(COUNTRIES)),
                "mentor_themes": mentor,
                "implement_themes": implement,
                "max_mentees": max(mentees[c], draw(st.integers(1, 3))),
                "scores": {
                    t: draw(st.lists(st.integers(0, 4), min_size=factors[t], max_size=factors[t]))
                    for t in sorted(scored)
                },
            }
        )
    pairs = {t: sum(1 for i in mentor_of if theme_of[i] == t) for t in themes}
    if not planted:
        pairs = {t: draw(st.integers(0, 2)) for t in themes}
    elif not draw(st.integers(0, 3)):  # sometimes off by one
        pairs = {t: max(0, n + draw(st.integers(-1, 1))) for t, n in pairs.items()}
    city_ids = st.sampled_from(ids)
    forbidden = draw(
        st.lists(st.lists(city_ids, min_size=2, max_size=2, unique=True), max_size=2)
        if len(ids) > 1
        else st.just([])
    )
    fixed = draw(
        st.lists(
            st.fixed_dictionaries(
                {"city": city_ids},
                optional={
                    "role": st.sampled_from(["mentor", "implementer"]),
                    "theme": st.sampled_from(themes),
                },
            ),
            max_size=2,
        )
    )
    for entry in fixed:  # mostly agree with the hidden matching, where there is one
        c = entry["city"]
        if c in theme_of and draw(st.integers(0, 3)):
            entry["role"] = "implementer" if c in mentor_of else "mentor"
            entry["theme"] = theme_of[c]
            for key in ("role", "theme"):
                if draw(st.booleans()):
                    del entry[key]
    return {
        "themes": [{"id": t, "pairs": n} for t, n in pairs.items()],
        "cities": cities,
        "constraints": {
            "same_country": draw(st.sampled_from(["allow", "forbid"])),
            "require_all": require_all,
            "forbidden_pairs": forbidden,
            "fixed": fixed,
        },
    }


def brute_force(data: dict[str, Any]) -> int | None:
    """The best total value over every valid matching, or None when there is none."""
    cities = data["cities"]
    pairs = {t["id"]: t["pairs"] for t in data["themes"]}
    cons = data["constraints"]
    forbidden = {frozenset(p) for p in cons["forbidden_pairs"]}

    def may_pair(m: dict, i: dict, t: str) -> bool:
        return (
            t in m["mentor_themes"]
            and t in i["implement_themes"]
            and m["id"] != i["id"]
            and frozenset((m["id"], i["id"])) not in forbidden
            and not (cons["same_country"] == "forbid" and m["country"] == i["country"])
        )

    def value(m: dict, i: dict, t: str) -> int:
        return sum(max(0, a - b) for a, b in zip(m["scores"][t], i["scores"][t], strict=True))

    def fixed_ok(city: dict, place: tuple[str, str] | None) -> bool:
        for f in cons["fixed"]:
            if f["city"] != city["id"]:
                continue
            if place is None:
                return False
            if f.get("role") and f["role"] != place[0]:
                return False
            if f.get("theme") and f["theme"] != place[1]:
                return False
        return True

    # Each city's place: out (None), ("mentor", t) or ("implementer", t).
    choices = []
    for city in cities:
        options: list[tuple[str, str] | None] = [None] if not cons["require_all"] else []
        options += [("mentor", t) for t in city["mentor_themes"]]
        options += [("implementer", t) for t in city["implement_themes"]]
        choices.append([o for o in options if fixed_ok(city, o)])

    best: int | None = None
    for places in product(*choices):
        implementers = {
            t: [c for c, p in zip(cities, places, strict=True) if p == ("implementer", t)]
            for t in pairs
        }
        mentors = {
            t: [c for c, p in zip(cities, places, strict=True) if p == ("mentor", t)] for t in pairs
        }
        if any(len(implementers[t]) != pairs[t] or len(mentors[t]) > pairs[t] for t in pairs):
            continue
        per_theme_best = 0
        for t in pairs:
            theme_best = None
            options_per_impl = [
                [m for m in mentors[t] if may_pair(m, i, t)] for i in implementers[t]
            ]
            for chosen in product(*options_per_impl):
                counts = {m["id"]: 0 for m in mentors[t]}
                for m in chosen:
                    counts[m["id"]] += 1
                if any(n == 0 for n in counts.values()):
                    continue  # a mentor without a mentee
                if any(counts[m["id"]] > m["max_mentees"] for m in mentors[t]):
                    continue
                total = sum(value(m, i, t) for m, i in zip(chosen, implementers[t], strict=True))
                theme_best = total if theme_best is None else max(theme_best, total)
            if theme_best is None:
                break
            per_theme_best += theme_best
        else:
            best = per_theme_best if best is None else max(best, per_theme_best)
    return best


@settings(
    max_examples=200,
    deadline=None,
    database=None,  # no .hypothesis directory in the working tree
    suppress_health_check=[HealthCheck.too_slow],
)
@given(problems())
def test_solver_matches_brute_force(data):
    expected = brute_force(data)
    result = solve(data, time_limit=20, workers=2)
    details = result["explanation"]["details"]
    event(
        result["status"]
        + (
            f" {details[0]['code']}"
            if expected is None and details
            else f" {len(result['pairs'])} pairs"
        )
    )
    if expected is None:
        assert result["status"] == "infeasible", result
        assert result["explanation"]["details"], result["explanation"]
        # The solver-based explanation must find a (minimal) conflict on its own too, also
        # where the pre-checks already gave the reason.
        problem = validate_problem(data)
        conflict, minimal = explain_conflict(problem, allowed_pairs(problem), time_limit=10)
        assert conflict and minimal
    else:
        assert result["status"] == "optimal", result["explanation"]
        assert result["objective"] == expected
        check_result(data, result)
