"""Fast, exact reasons why a problem cannot be solved, found before any search.

Each check here is sound: it reports only what makes a matching impossible, so when any check
fires the solver answers "infeasible" without searching. These are the common cases (a theme
short of mentors, a city nobody may be paired with, contradicting fixed entries, counts that
cannot add up) and each gets a precise, actionable sentence. Whatever they miss is explained
by the CP-SAT core search in explain.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from math import ceil

from matching.solver.partners import Reach, listed_options, option_text, why_no_partner
from matching.solver.problem import ROLES, Problem, Role, Triple
from matching.solver.wording import Detail, cities_phrase, detail, names, plural


@dataclass(frozen=True)
class FixedWish:
    """All fixed entries of one city merged: role and theme, None when free."""

    role: Role | None
    theme: str | None


def fits(wish: FixedWish | None, role: Role, theme: str) -> bool:
    return wish is None or (wish.role in (None, role) and wish.theme in (None, theme))


def fixed_wishes(problem: Problem, out: list[Detail]) -> dict[str, FixedWish | None]:
    """Each fixed city's entries merged; None (and a reported detail) when they contradict."""
    roles: dict[str, set[Role]] = defaultdict(set)
    themes: dict[str, set[str]] = defaultdict(set)
    for entry in problem.constraints.fixed:
        roles[entry.city].update([entry.role] if entry.role else [])
        themes[entry.city].update([entry.theme] if entry.theme else [])
    wishes: dict[str, FixedWish | None] = {}
    for city in dict.fromkeys(entry.city for entry in problem.constraints.fixed):
        r, t = sorted(roles[city]), sorted(themes[city])
        if len(r) <= 1 and len(t) <= 1:
            wishes[city] = FixedWish(r[0] if r else None, t[0] if t else None)
            continue
        wishes[city] = None
        clash = (
            "one makes it a mentor, another an implementer"
            if len(r) > 1
            else f"they put it in different themes ({names(t)}), but a city takes part in "
            "one theme only"
        )
        out.append(
            detail(
                "fixed_contradiction",
                f"The fixed entries for {city} contradict each other: {clash}.",
                city=city,
                roles=list(r),
                themes=t,
            )
        )
    return wishes


def _narrowed(
    problem: Problem, reach: Reach, wishes: dict[str, FixedWish | None]
) -> dict[str, FixedWish | None]:
    """Fixed wishes narrowed to what can still happen: a city fixed to take part whose only
    usable choices all share a role (or a theme) is as good as fixed to that role (theme)."""
    narrowed = dict(wishes)
    for city_id, wish in wishes.items():
        if wish is None:
            continue
        options = [
            (r, t) for r, t in reach.options(problem.city_by_id[city_id]) if fits(wish, r, t)
        ]
        roles, themes = {r for r, _ in options}, {t for _, t in options}
        narrowed[city_id] = FixedWish(
            roles.pop() if len(roles) == 1 else wish.role,
            themes.pop() if len(themes) == 1 else wish.theme,
        )
    return narrowed


def _wish_text(wish: FixedWish) -> str:
    role = {"mentor": " as a mentor", "implementer": " as an implementer", None: ""}[wish.role]
    return role + (f" in theme {wish.theme}" if wish.theme else "")


def _participation(
    problem: Problem, reach: Reach, wishes: dict[str, FixedWish | None], out: list[Detail]
) -> None:
    """Every city that must take part needs at least one usable (role, theme) choice."""
    require_all = problem.constraints.require_all
    for city in problem.cities:
        if not require_all and city.id not in wishes:
            continue
        if city.id in wishes and wishes[city.id] is None:
            continue  # contradiction already reported
        wish = wishes.get(city.id)
        options = reach.options(city)
        if any(fits(wish, role, theme) for role, theme in options):
            continue
        must = (
            "must take part (every city must take part)" if require_all else "is fixed to take part"
        )
        if wish is not None and options and (wish.role or wish.theme):
            wanted: list[tuple[Role, str | None]] = [
                (r, t) for r, t in listed_options(city) if fits(wish, r, t)
            ] or [(r, wish.theme) for r in ROLES if wish.role in (None, r)]
            whys = [
                why_no_partner(problem, city, r, t)
                if t is not None
                else {"role": r, "theme": None, "reason": "not_offered"}
                for r, t in wanted
            ]
            texts = "; ".join(option_text(city.id, w) for w in whys)
            out.append(
                detail(
                    "fixed_impossible",
                    f"{city.id} is fixed to take part{_wish_text(wish)}, but {texts}.",
                    city=city.id,
                    role=wish.role,
                    theme=wish.theme,
                    options=whys,
                )
            )
            continue
        whys = [why_no_partner(problem, city, r, t) for r, t in listed_options(city)]
        if whys:
            reason = "has no allowed partner: " + "; ".join(option_text(city.id, w) for w in whys)
        else:
            reason = "offers to mentor in no theme and wants to implement none"
        out.append(
            detail(
                "city_no_partner",
                f"{city.id} {must} but {reason}.",
                city=city.id,
                because="require_all" if require_all else "fixed",
                options=whys,
            )
        )


def _max_pairs(mentors: dict[str, int], edges: dict[str, list[str]], need: int) -> int:
    """Most pairs one theme allows, ignoring other themes (a bipartite b-matching, by
    augmenting paths); stops once `need` pairs are found."""
    taken: dict[str, list[str]] = {m: [] for m in mentors}

    def place(implementer: str, seen: set[str]) -> bool:
        for mentor in edges[implementer]:
            if mentor in seen:
                continue
            seen.add(mentor)
            if len(taken[mentor]) < mentors[mentor]:
                taken[mentor].append(implementer)
                return True
            for n, other in enumerate(taken[mentor]):
                if place(other, seen):
                    taken[mentor][n] = implementer
                    return True
        return False

    found = 0
    for implementer in edges:
        if found >= need:
            break
        found += place(implementer, set())
    return found


def _themes(
    problem: Problem, reach: Reach, wishes: dict[str, FixedWish | None], out: list[Detail]
) -> dict[str, dict[str, int]]:
    """Per theme: enough mentors, implementers and allowed pairs? Returns usable mentors."""
    usable: dict[str, dict[str, int]] = {}
    for theme in problem.themes:
        t, need = theme.id, theme.pairs
        if need == 0:
            continue
        sides: dict[Role, tuple[list[str], list[str], list[str]]] = {}
        for role in ("mentor", "implementer"):
            listed = [
                c
                for c in problem.cities
                if t in (c.mentor_themes if role == "mentor" else c.implement_themes)
            ]
            ok = [
                c.id
                for c in listed
                if reach.partners(c.id, role, t) and fits(wishes.get(c.id), role, t)
            ]
            no_partner = [c.id for c in listed if not reach.partners(c.id, role, t)]
            elsewhere = [c.id for c in listed if c.id not in ok and c.id not in no_partner]
            sides[role] = (ok, no_partner, elsewhere)
        mentors = {
            m: min(problem.city_by_id[m].max_mentees, len(reach.partners(m, "mentor", t)))
            for m in sides["mentor"][0]
        }
        usable[t] = mentors
        capacity = sum(mentors.values())
        ok, no_partner, elsewhere = sides["mentor"]
        if capacity < need:
            if capacity == len(ok):
                verb = (
                    "can"
                    if no_partner or elsewhere
                    else ("offers to" if len(ok) == 1 else "offer to")
                )
                head = (
                    f"Theme {t} needs {plural(need, 'pair')} but {cities_phrase(ok)} {verb} "
                    "mentor in it"
                )
            else:
                head = (
                    f"Theme {t} needs {plural(need, 'pair')} but the cities that can mentor in "
                    f"it ({names(ok)}) can take at most {capacity} mentees together"
                )
            out.append(
                detail(
                    "theme_too_few_mentors",
                    head + _also(no_partner, elsewhere, "offer", "offers", "to mentor in it") + ".",
                    theme=t,
                    pairs=need,
                    mentors=ok,
                    capacity=capacity,
                    no_partner=no_partner,
                    fixed_elsewhere=elsewhere,
                )
            )
        ok, no_partner, elsewhere = sides["implementer"]
        if len(ok) < need:
            verb = "can" if no_partner or elsewhere else ("wants to" if len(ok) == 1 else "want to")
            out.append(
                detail(
                    "theme_too_few_implementers",
                    f"Theme {t} needs {plural(need, 'implementing city', 'implementing cities')} "
                    f"but {cities_phrase(ok)} {verb} implement it"
                    + _also(no_partner, elsewhere, "want", "wants", "to implement it")
                    + ".",
                    theme=t,
                    pairs=need,
                    implementers=ok,
                    no_partner=no_partner,
                    fixed_elsewhere=elsewhere,
                )
            )
        if capacity >= need <= len(ok):
            allowed = set(mentors)
            edges = {
                i: [m for m in reach.partners(i, "implementer", t) if m in allowed] for i in ok
            }
            possible = _max_pairs(mentors, edges, need)
            if possible < need:
                out.append(
                    detail(
                        "theme_too_few_pairs",
                        f"Theme {t} needs {plural(need, 'pair')}, but the country and "
                        f"forbidden-pair rules allow at most {possible} between the cities "
                        "that mentor and implement it.",
                        theme=t,
                        pairs=need,
                        possible=possible,
                    )
                )
        for role, verb in (("mentor", "mentor in"), ("implementer", "implement")):
            fixed_here = [c for c, w in wishes.items() if w and w.role == role and w.theme == t]
            if len(fixed_here) > need:
                out.append(
                    detail(
                        "theme_fixed_overflow",
                        f"Theme {t} gets exactly {plural(need, 'pair')}, but "
                        f"{plural(len(fixed_here), 'city', 'cities')} ({names(fixed_here)}) must "
                        f"{verb} it because of their fixed entries"
                        + (", and each mentor needs a mentee" if role == "mentor" else "")
                        + ".",
                        theme=t,
                        pairs=need,
                        role=role,
                        cities=fixed_here,
                    )
                )
    return usable


def _also(no_partner: list[str], elsewhere: list[str], verb: str, verbs: str, what: str) -> str:
    """'; gdansk also offers to mentor in it but has no allowed partner there'."""
    text = ""
    if no_partner:
        one = len(no_partner) == 1
        text += (
            f"; {names(no_partner)} also {verbs if one else verb} {what} but "
            f"{'has' if one else 'have'} no allowed partner there"
        )
    if elsewhere:
        one = len(elsewhere) == 1
        text += f"; {names(elsewhere)} {'is' if one else 'are'} fixed to another role or theme"
    return text


def _fixed_roles(
    problem: Problem,
    wishes: dict[str, FixedWish | None],
    total: int,
    room: int,
    out: list[Detail],
) -> None:
    """No more cities fixed to implement than there are pairs, nor fixed to mentor than there
    is room for mentors (`room`)."""
    for role, limit in (("implementer", total), ("mentor", room)):
        cities = [c for c, w in wishes.items() if w and w.role == role]
        if len(cities) <= limit:
            continue
        if role == "implementer":
            why = f"the themes need only {plural(total, 'pair')}, one implementing city each"
        elif problem.constraints.require_all and room == len(problem.cities) - total:
            why = (
                f"every city must take part and {total} of the {len(problem.cities)} cities "
                f"implement, which leaves room for only {plural(room, 'mentor')}"
            )
        else:
            why = (
                f"each mentor needs a mentee of its own in one theme, which leaves room for "
                f"only {plural(room, 'mentor')}"
            )
        verb = "implement" if role == "implementer" else "mentor"
        out.append(
            detail(
                "fixed_role_overflow",
                f"{plural(len(cities), 'city', 'cities')} ({names(cities)}) must {verb} because "
                f"of their fixed entries, but {why}.",
                role=role,
                cities=cities,
                limit=limit,
            )
        )


def _counts(
    problem: Problem,
    usable: dict[str, dict[str, int]],
    wishes: dict[str, FixedWish | None],
    out: list[Detail],
) -> None:
    """Do the totals add up: enough cities overall, and under require_all not too many?"""
    n = len(problem.cities)
    active = [t for t in problem.themes if t.pairs > 0 and usable.get(t.id)]
    total = sum(t.pairs for t in problem.themes)
    mentors_needed = sum(ceil(t.pairs / max(usable[t.id].values())) for t in active)
    if total + mentors_needed > n:
        out.append(
            detail(
                "too_few_cities",
                f"The themes need {plural(total, 'pair')} in all: {total} implementing "
                f"{'city' if total == 1 else 'cities'} and at least {mentors_needed} mentor "
                f"{'city' if mentors_needed == 1 else 'cities'}, {total + mentors_needed} "
                f"together, but there {'is' if n == 1 else 'are'} only "
                f"{plural(n, 'city', 'cities')}.",
                cities=n,
                pairs=total,
                mentors_needed=mentors_needed,
            )
        )
        return
    room = sum(min(t.pairs, len(usable[t.id])) for t in active)
    if problem.constraints.require_all:
        _fixed_roles(problem, wishes, total, min(room, n - total), out)
    else:
        _fixed_roles(problem, wishes, total, room, out)
        return
    if out:
        return
    mentors = n - total
    head = (
        f"Every city must take part, but {n} cities cannot fill {plural(total, 'pair')}: "
        f"{total} would implement, leaving {mentors} to mentor"
    )
    if mentors > room:
        out.append(
            detail(
                "counts_impossible",
                f"{head}, yet each mentor needs a mentee of its own in one theme, so there is "
                f"room for at most {plural(room, 'mentor')}.",
                reason="too_many_mentors",
                cities=n,
                pairs=total,
                mentors=mentors,
                max_mentors=room,
            )
        )
        return
    best: dict[str, int] = defaultdict(int)
    for caps in usable.values():
        for city, cap in caps.items():
            best[city] = max(best[city], cap)
    capacity = sum(sorted(best.values(), reverse=True)[:mentors])
    if capacity < total:
        limits = {problem.city_by_id[c].max_mentees for c in best}
        per = (
            f"at most {plural(limits.pop(), 'mentee')} per mentor"
            if len(limits) == 1
            else "the mentees allowed per mentor"
        )
        out.append(
            detail(
                "counts_impossible",
                f"Every city must take part, but {n} cities cannot fill "
                f"{plural(total, 'pair')} with {per}: {total} would implement, leaving "
                f"{mentors} to mentor, who can take at most {capacity} mentees.",
                reason="too_little_capacity",
                cities=n,
                pairs=total,
                mentors=mentors,
                capacity=capacity,
            )
        )


def precheck(problem: Problem, triples: Iterable[Triple]) -> list[Detail]:
    """Reasons that make the problem infeasible for sure; empty when none is found."""
    reach = Reach(problem, triples)
    out: list[Detail] = []
    wishes = fixed_wishes(problem, out)
    _participation(problem, reach, wishes, out)
    wishes = _narrowed(problem, reach, wishes)
    usable = _themes(problem, reach, wishes, out)
    if not out:
        _counts(problem, usable, wishes, out)
    return out
