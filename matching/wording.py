"""The solver's explanations in the reader's language.

The solver (matching.solver) writes English and gives each sentence a code and its params; here
the commonest codes get a translated sentence. Any other code falls back to the solver's own
English, with city ids replaced by names, so nothing is ever hidden.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _


def summary(explanation: dict[str, Any], fallback: str) -> str:
    code, params = explanation.get("code"), explanation.get("params") or {}
    if code == "optimal":
        return (
            _(
                "%(pairs)d pairs in %(themes)d themes, total value %(objective)d: the best "
                "possible (proven)."
            )
            % params
        )
    if code == "feasible":
        return (
            _(
                "%(pairs)d pairs in %(themes)d themes, total value %(objective)d. The time limit "
                "stopped the search before this was proven the best: no matching can exceed "
                "%(bound)d."
            )
            % params
        )
    if code == "unknown":
        return _("No matching was found in the time given; allow a longer search.")
    if code == "infeasible":
        return _("No matching meets every condition, for the reasons below.")
    return fallback


def detail(item: dict[str, Any], names: dict[str, str], fallback: Callable[[str], str]) -> str:
    code, p = item.get("code"), item.get("params") or {}
    city = names.get(p.get("city", ""), p.get("city", ""))
    if code == "city_left_out" and p.get("reason") == "not_selected":
        return _(
            "%(city)s could take part, but pairing others gave a higher total or was needed."
        ) % {"city": city}
    if code == "city_left_out" and p.get("reason") == "no_themes":
        return _("%(city)s chose no theme that needs pairs in this run.") % {"city": city}
    return fallback(item.get("message", ""))
