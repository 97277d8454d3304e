"""The result dictionary: pairs, left-out cities and the explanation, in the documented shape.

Kept apart from the model so the output format (which integrators depend on) is defined in
one place, whatever the solver did to get there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matching.solver.partners import Reach, listed_options, option_text, why_no_partner
from matching.solver.problem import Problem, Triple
from matching.solver.wording import Detail, detail, plural

Result = dict[str, Any]


def gap(objective: int, bound: int) -> float:
    """Relative distance to the bound, as documented: (bound - objective) / max(1, bound)."""
    return round(max(0, bound - objective) / max(1, bound), 6)


def pair_entries(chosen: Sequence[Triple]) -> list[dict[str, Any]]:
    ordered = sorted(chosen, key=lambda tr: (tr.theme, tr.mentor, tr.implementer))
    return [
        {
            "theme": tr.theme,
            "mentor": tr.mentor,
            "implementer": tr.implementer,
            "value": tr.value,
            "value_by_factor": list(tr.by_factor),
        }
        for tr in ordered
    ]


def left_out(
    problem: Problem, reach: Reach, chosen: Sequence[Triple]
) -> tuple[list[dict[str, str]], list[Detail]]:
    """Cities in no pair, each with a reason code and an explanation entry."""
    placed = {tr.mentor for tr in chosen} | {tr.implementer for tr in chosen}
    entries: list[dict[str, str]] = []
    details: list[Detail] = []
    for city in problem.cities:
        if city.id in placed:
            continue
        c = city.id
        wanted = [(r, t) for r, t in listed_options(city) if problem.theme_by_id[t].pairs > 0]
        if not wanted:
            reason = "no_themes"
            text = (
                f"{c} is left out: it offers to mentor in no theme that needs pairs and wants "
                "to implement none."
            )
            extra: dict[str, Any] = {}
        elif not reach.options(city):
            reason = "no_allowed_partner"
            whys = [why_no_partner(problem, city, r, t) for r, t in wanted]
            text = f"{c} is left out because it has no allowed partner: " + "; ".join(
                option_text(c, w) for w in whys
            )
            text += "."
            extra = {"options": whys}
        else:
            reason = "not_selected"
            text = (
                f"{c} is left out: the pairs in its themes went to other cities, which gave a "
                "higher total value or were needed to fill every theme."
            )
            extra = {}
        entries.append({"city": c, "reason": reason})
        details.append(detail("city_left_out", text, city=c, reason=reason, **extra))
    return entries, details


def solved(
    problem: Problem,
    reach: Reach,
    chosen: Sequence[Triple],
    *,
    optimal: bool,
    bound: int,
    seconds: float,
) -> Result:
    objective = sum(tr.value for tr in chosen)
    bound = max(bound, objective)
    the_gap = 0.0 if optimal else gap(objective, bound)
    themes = len({tr.theme for tr in chosen})
    head = f"{plural(len(chosen), 'pair')} in {plural(themes, 'theme')}, total value {objective}"
    if optimal:
        summary = f"{head}; proven optimal."
    else:
        summary = (
            f"{head}; the best possible total is at most {bound} (gap {the_gap:.2%}): the time "
            "limit stopped the search before this was proven the best."
        )
    outs, details = left_out(problem, reach, chosen)
    return {
        "status": "optimal" if optimal else "feasible",
        "objective": objective,
        "bound": objective if optimal else bound,
        "gap": the_gap,
        "seconds": round(seconds, 3),
        "pairs": pair_entries(chosen),
        "left_out": outs,
        "explanation": {
            "code": "optimal" if optimal else "feasible",
            "params": {
                "pairs": len(chosen),
                "themes": themes,
                "objective": objective,
                "bound": objective if optimal else bound,
                "gap": the_gap,
            },
            "summary": summary,
            "details": details,
        },
    }


def unsolved(
    status: str, summary: str, details: list[Detail], seconds: float, **params: Any
) -> Result:
    """No matching: 'infeasible' (details say why) or 'unknown' (time ran out)."""
    return {
        "status": status,
        "objective": None,
        "bound": None,
        "gap": None,
        "seconds": round(seconds, 3),
        "pairs": [],
        "left_out": [],
        "explanation": {"code": status, "params": params, "summary": summary, "details": details},
    }
