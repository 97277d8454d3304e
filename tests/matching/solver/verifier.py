"""An independent checker of solver answers, written from docs/matching-format.md alone.

It imports nothing from the solver: every rule is re-read from the problem's JSON, so a bug in
the solver's own rules (problem.py, greedy.matching_errors) cannot hide here too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any


def pair_value(mentor: list[int], implementer: list[int]) -> list[int]:
    """Per key factor: max(0, mentor level - implementer level)."""
    assert len(mentor) == len(implementer)
    return [max(0, m - i) for m, i in zip(mentor, implementer, strict=True)]


def violations(data: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """Every way `result` breaks the format's rules for problem `data` (empty: all good)."""
    found: list[str] = []
    status = result["status"]
    if status not in ("optimal", "feasible"):
        if result["pairs"] or result["objective"] is not None:
            found.append(f"status {status} but a matching is given")
        return found
    cities = {c["id"]: c for c in data["cities"]}
    cons = data.get("constraints", {})
    forbidden = {frozenset(p) for p in cons.get("forbidden_pairs", [])}
    same_country_forbidden = cons.get("same_country", "allow") == "forbid"
    pairs = result["pairs"]
    mentor_themes: dict[str, set[str]] = {}
    mentees: Counter[str] = Counter()
    implementers: Counter[str] = Counter()
    per_theme: Counter[str] = Counter()
    total = 0
    for p in pairs:
        m, i, t = cities.get(p["mentor"]), cities.get(p["implementer"]), p["theme"]
        if m is None or i is None:
            found.append(f"unknown city in {p}")
            continue
        where = f"{t}: {m['id']} -> {i['id']}"
        if t not in m.get("mentor_themes", []):
            found.append(f"{where}: {m['id']} does not offer to mentor in {t}")
        if t not in i.get("implement_themes", []):
            found.append(f"{where}: {i['id']} does not want to implement {t}")
        if m["id"] == i["id"]:
            found.append(f"{where}: a city paired with itself")
        if frozenset((m["id"], i["id"])) in forbidden:
            found.append(f"{where}: forbidden pair")
        if same_country_forbidden and m["country"] == i["country"]:
            found.append(f"{where}: same country")
        if t in m["scores"] and t in i["scores"]:
            by_factor = pair_value(m["scores"][t], i["scores"][t])
            if p["value_by_factor"] != by_factor or p["value"] != sum(by_factor):
                found.append(f"{where}: value {p['value']} should be {sum(by_factor)}")
        mentor_themes.setdefault(m["id"], set()).add(t)
        mentees[m["id"]] += 1
        implementers[i["id"]] += 1
        per_theme[t] += 1
        total += p["value"]
    found += [f"{c} has {n} mentors" for c, n in implementers.items() if n > 1]
    found += [f"{c} both mentors and implements" for c in mentor_themes if c in implementers]
    found += [f"{c} mentors in {sorted(ts)}" for c, ts in mentor_themes.items() if len(ts) > 1]
    found += [
        f"{c} has {n} mentees, more than {cities[c].get('max_mentees', 1)}"
        for c, n in mentees.items()
        if n > cities[c].get("max_mentees", 1)
    ]
    found += [
        f"theme {t['id']} has {per_theme[t['id']]} pairs, not {t['pairs']}"
        for t in data["themes"]
        if per_theme[t["id"]] != t["pairs"]
    ]
    placed = set(mentor_themes) | set(implementers)
    if cons.get("require_all", True):
        found += [f"{c} takes no part" for c in cities if c not in placed]
    for entry in cons.get("fixed", []):
        c = entry["city"]
        if c not in placed:
            found.append(f"fixed {c} takes no part")
            continue
        role = "mentor" if c in mentor_themes else "implementer"
        if entry.get("role") not in (None, role):
            found.append(f"fixed {c} is a {role}, not a {entry['role']}")
        themes = {p["theme"] for p in pairs if c in (p["mentor"], p["implementer"])}
        if entry.get("theme") is not None and themes != {entry["theme"]}:
            found.append(f"fixed {c} is in {sorted(themes)}, not {entry['theme']}")
    # The numbers that come with the matching.
    if result["objective"] != total:
        found.append(f"objective {result['objective']} but the pairs add up to {total}")
    bound, gap = result["bound"], result["gap"]
    if bound is None or bound < total:
        found.append(f"bound {bound} below the objective {total}")
    elif gap != round((bound - total) / max(1, bound), 6):
        found.append(f"gap {gap} does not match bound {bound} and objective {total}")
    if status == "optimal" and (bound != total or gap != 0):
        found.append("optimal but the bound is not the objective")
    left_out = {e["city"] for e in result["left_out"]}
    if left_out != set(cities) - placed:
        found.append("left_out does not list exactly the cities in no pair")
    return found
