"""A fast matching that obeys every rule, found without CP-SAT: the first answer and the hint.

CP-SAT is exact, but on dense problems (hundreds of cities, mentors with several mentees) it
may search a long time before its first matching. This module finds a good one in seconds, so
`solve` can show it at once, give it to CP-SAT as a hint, and fall back on it if CP-SAT finds
nothing better in time.

The idea: once we know which cities mentor and in which theme (the *mentor set*), the rest (who
implements, with which mentor) is a min-cost flow, solved exactly and fast:

    source -> implementer -> mentor (one arc per allowed pair, cost -value) -> theme -> sink

Theme arcs carry exactly the theme's pairs; a "deficit" arc from the source to each theme, and
a reward on the arcs that place a required city (its implementer arc, a mentor's first
mentee), price every broken rule at `big` (more than any matching's value). So a flow always
exists and its cost counts the broken rules first and the value second. A local search then
changes the mentor set (promote a city, demote a mentor, swap, change a mentor's theme),
directed by the rules the last flow broke, until none is broken, and then a little further to
raise the value.

Deterministic: no clock, no randomness, fixed budgets. It may fail (None); it never returns a
matching that breaks a rule (`matching_errors` checks the answer before it is returned).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.solver.formulation import Index
from matching.solver.problem import Problem, Triple

NO_THEME = -1


@dataclass(frozen=True)
class Evaluation:
    """A mentor set and its best matching: broken rules first, then value (higher is better)."""

    mentors: tuple[int, ...]  # theme number per city, NO_THEME when not a mentor
    broken: int
    value: int
    chosen: tuple[int, ...]  # indices into Index.triples
    unplaced: tuple[int, ...]  # required cities in no pair
    deficits: tuple[int, ...]  # themes short of pairs
    short: tuple[int, ...]  # pairs missing per theme
    mentees: tuple[int, ...]  # mentee count per city

    def better_than(self, other: Evaluation | None) -> bool:
        return other is None or (self.broken, -self.value) < (other.broken, -other.value)


class Greedy:
    """The min-cost-flow evaluation of mentor sets and the local search over them."""

    def __init__(self, problem: Problem, index: Index) -> None:
        self.problem = problem
        self.index = index
        self.cities = [c.id for c in problem.cities]
        city_no = {c: n for n, c in enumerate(self.cities)}
        self.themes = [t.id for t in problem.themes if t.pairs > 0]
        theme_no = {t: n for n, t in enumerate(self.themes)}
        self.pairs = np.array([problem.theme_by_id[t].pairs for t in self.themes], dtype=np.int64)
        triples = index.triples
        self.t_mentor = np.array([city_no[tr.mentor] for tr in triples], dtype=np.int64)
        self.t_impl = np.array([city_no[tr.implementer] for tr in triples], dtype=np.int64)
        self.t_theme = np.array([theme_no[tr.theme] for tr in triples], dtype=np.int64)
        self.t_value = np.array([tr.value for tr in triples], dtype=np.int64)
        n = len(self.cities)
        fixed = {f.city for f in problem.constraints.fixed}
        self.required = np.array(
            [problem.constraints.require_all or c in fixed for c in self.cities], dtype=bool
        )
        # Capacity of each (mentor, theme): its limit, or its allowed mentees there if fewer.
        self.capacity: dict[tuple[int, int], int] = {
            (city_no[m], theme_no[t]): index.capacity(m, t) for (m, t) in index.by_mentor_theme
        }
        self.mentor_options: list[list[int]] = [[] for _ in range(n)]
        for m, t in self.capacity:
            self.mentor_options[m].append(t)
        self.can_implement = np.zeros(n, dtype=bool)
        self.can_implement[self.t_impl] = True
        # What a city is worth as a mentor in a theme: its best `capacity` pair values there.
        values: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.best_mentors: dict[tuple[int, int], list[int]] = defaultdict(list)
        for k, tr in enumerate(triples):
            values[self.t_mentor[k], self.t_theme[k]].append(tr.value)
            self.best_mentors[self.t_impl[k], self.t_theme[k]].append(k)
        self.potential = {
            key: sum(sorted(vs, reverse=True)[: self.capacity[key]]) for key, vs in values.items()
        }
        for key, ks in self.best_mentors.items():
            ks.sort(key=lambda k: -self.t_value[k])
            self.best_mentors[key] = ks
        self.big = int(self.t_value.max(initial=0)) * n + 1
        self.mentor_target = n - int(self.pairs.sum())  # under require_all
        self.evaluations = 0
        self._seen: dict[tuple[int, ...], Evaluation] = {}

    # The flow -----------------------------------------------------------------------------

    def evaluate(self, mentors: Sequence[int]) -> Evaluation:
        """The best matching for this mentor set, with the rules it cannot meet counted."""
        key = tuple(mentors)
        if key in self._seen:
            return self._seen[key]
        self.evaluations += 1
        n, themes = len(self.cities), len(self.themes)
        theme_of = np.array(key, dtype=np.int64)
        is_mentor = theme_of != NO_THEME
        use = (theme_of[self.t_mentor] == self.t_theme) & ~is_mentor[self.t_impl]
        arcs = np.flatnonzero(use)
        # Nodes: 0 source, 1 sink, 2.. themes, then one node per city.
        source, sink, city0 = 0, 1, 2 + themes
        big = self.big
        impls = np.flatnonzero(~is_mentor & self.can_implement)
        ments = np.flatnonzero(is_mentor)
        caps = np.array([self.capacity[int(m), int(theme_of[m])] for m in ments], dtype=np.int64)
        theme_nodes = 2 + np.arange(themes, dtype=np.int64)
        starts = [
            np.full(len(impls), source),
            city0 + self.t_impl[arcs],
            city0 + ments,
            city0 + ments,
            np.full(themes, source),
            theme_nodes,
        ]
        ends = [
            city0 + impls,
            city0 + self.t_mentor[arcs],
            2 + theme_of[ments],
            2 + theme_of[ments],
            theme_nodes,
            np.full(themes, sink),
        ]
        capacities = [
            np.ones(len(impls), dtype=np.int64),
            np.ones(len(arcs), dtype=np.int64),
            np.ones(len(ments), dtype=np.int64),
            caps - 1,
            self.pairs,
            self.pairs,
        ]
        costs = [
            np.where(self.required[impls], -big, 0),
            -self.t_value[arcs],
            np.where(self.required[ments], -big, 0),
            np.zeros(len(ments), dtype=np.int64),
            np.full(themes, big),
            np.zeros(themes, dtype=np.int64),
        ]
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.concatenate(starts).astype(np.int32),
            np.concatenate(ends).astype(np.int32),
            np.concatenate(capacities),
            np.concatenate(costs).astype(np.int64),
        )
        total = int(self.pairs.sum())
        flow.set_nodes_supplies(np.array([source, sink]), np.array([total, -total]))
        status = flow.solve()
        if status != flow.OPTIMAL:  # cannot happen: the deficit arcs always carry the supply
            raise RuntimeError(f"min-cost flow failed with status {status}")
        first = len(impls)
        used = flow.flows(np.arange(first, first + len(arcs), dtype=np.int32)) > 0
        chosen = arcs[used]
        mentees = np.bincount(self.t_mentor[chosen], minlength=n)
        placed = mentees > 0
        placed[self.t_impl[chosen]] = True
        unplaced = np.flatnonzero(self.required & ~placed)
        counts = np.bincount(self.t_theme[chosen], minlength=themes)
        deficits = np.flatnonzero(counts < self.pairs)
        # A mentor with no mentee is simply not a mentor (broken only if it had to take part).
        theme_of[is_mentor & ~placed] = NO_THEME
        result = Evaluation(
            mentors=tuple(int(t) for t in theme_of),
            broken=len(unplaced) + int((self.pairs - counts).sum()),
            value=int(self.t_value[chosen].sum()),
            chosen=tuple(int(k) for k in chosen),
            unplaced=tuple(int(c) for c in unplaced),
            deficits=tuple(int(t) for t in deficits),
            short=tuple(int(v) for v in self.pairs - counts),
            mentees=tuple(int(v) for v in mentees),
        )
        self._seen[key] = result
        return result

    # The search ---------------------------------------------------------------------------

    def start(self) -> list[int]:
        """First mentor set: pairs taken by falling value while they fit, as a greedy would."""
        n = len(self.cities)
        theme_of = [NO_THEME] * n
        load = [0] * n
        implementing = [False] * n
        count = np.zeros(len(self.themes), dtype=np.int64)
        mentors_left = self.mentor_target if self.problem.constraints.require_all else n
        for k in np.argsort(-self.t_value, kind="stable"):
            m, i, t = int(self.t_mentor[k]), int(self.t_impl[k]), int(self.t_theme[k])
            if implementing[i] or theme_of[i] != NO_THEME or implementing[m]:
                continue
            if count[t] >= self.pairs[t]:
                continue
            if theme_of[m] == NO_THEME:
                if mentors_left <= 0:
                    continue
                theme_of[m] = t
                mentors_left -= 1
            elif theme_of[m] != t or load[m] >= self.capacity[m, t]:
                continue
            load[m] += 1
            implementing[i] = True
            count[t] += 1
        # Cities left over that must take part become mentors in their best theme, those who
        # cannot implement first, while the count of mentors allows (all of them if they
        # cannot implement); the flow then gives them mentees.
        left = [
            c
            for c in range(n)
            if self.required[c]
            and theme_of[c] == NO_THEME
            and not implementing[c]
            and self.mentor_options[c]
        ]
        left.sort(key=lambda c: (bool(self.can_implement[c]), -self._best_potential(c), c))
        for c in left:
            if mentors_left <= 0 and self.can_implement[c]:
                break
            theme_of[c] = self._best_theme(c)
            mentors_left -= 1
        return theme_of

    def _best_theme(self, c: int) -> int:
        return max(self.mentor_options[c], key=lambda t: (self.potential[c, t], -t))

    def _best_potential(self, c: int) -> int:
        return max((self.potential[c, t] for t in self.mentor_options[c]), default=0)

    def _weak_mentors(self, ev: Evaluation, limit: int) -> list[int]:
        """Mentors giving the least value per mentee, preferring those who may implement."""
        mentors = [c for c, t in enumerate(ev.mentors) if t != NO_THEME]
        gain: dict[int, int] = defaultdict(int)
        for k in ev.chosen:
            gain[int(self.t_mentor[k])] += int(self.t_value[k])
        mentors.sort(key=lambda m: (not self.can_implement[m], gain[m] / max(1, ev.mentees[m]), m))
        return mentors[:limit]

    def _candidates(self, theme: int, ev: Evaluation, limit: int) -> list[int]:
        """Non-mentors that could mentor in `theme`, best potential first."""
        found = [
            c for c, t in enumerate(ev.mentors) if t == NO_THEME and (c, theme) in self.potential
        ]
        found.sort(key=lambda c: (-self.potential[c, theme], c))
        return found[:limit]

    def _repairs(self, ev: Evaluation) -> list[list[int]]:
        """Mentor sets that may fix a rule this evaluation breaks, most promising first."""
        moves: list[list[int]] = []
        base = list(ev.mentors)
        weak = self._weak_mentors(ev, 3)

        def promote(c: int, t: int) -> None:
            changed = base[:]
            changed[c] = t
            moves.append(changed)
            for m in weak:  # also as a swap, keeping the number of mentors
                if m != c:
                    swapped = changed[:]
                    swapped[m] = NO_THEME
                    moves.append(swapped)

        mentors = sum(1 for t in base if t != NO_THEME)
        if ev.deficits:
            moves.append(self._fill_themes(ev, mentors))
        if self.problem.constraints.require_all and mentors < self.mentor_target:
            # Too few mentors (so too many would-be implementers for the themes' pairs): make
            # a mentor of an implementing city that could mentor, best first.
            implementing = {int(self.t_impl[k]) for k in ev.chosen}
            able = [c for c in implementing if self.mentor_options[c]]
            able.sort(key=lambda c: (-self._best_potential(c), c))
            for c in able[:6]:
                changed = base[:]
                changed[c] = self._best_theme(c)
                moves.append(changed)
        for c in ev.unplaced[:3]:
            for t in self.mentor_options[c]:
                promote(c, t)
            for t in range(len(self.themes)):
                for k in self.best_mentors.get((c, t), [])[:3]:
                    m = int(self.t_mentor[k])
                    if base[m] == NO_THEME:
                        promote(m, t)
                    elif base[m] != t:
                        changed = base[:]
                        changed[m] = t
                        moves.append(changed)
        for t in ev.deficits[:3]:
            for c in self._candidates(t, ev, 4):
                promote(c, t)
            for m, mt in enumerate(base):
                if mt not in (NO_THEME, t) and (m, t) in self.potential and ev.mentees[m] <= 1:
                    changed = base[:]
                    changed[m] = t
                    moves.append(changed)
        for m in weak:
            changed = base[:]
            changed[m] = NO_THEME
            moves.append(changed)
        return moves

    def _fill_themes(self, ev: Evaluation, mentors: int) -> list[int]:
        """One move for all short themes: enough new mentors there, the weakest ones out."""
        changed = list(ev.mentors)
        unplaced = set(ev.unplaced)
        promoted: set[int] = set()
        for t in ev.deficits:
            need = ev.short[t]
            able = [c for c in self._candidates(t, ev, len(self.cities)) if c not in promoted]
            able.sort(key=lambda c: (c not in unplaced, -self.potential[c, t], c))
            for c in able:
                if need <= 0:
                    break
                changed[c] = t
                promoted.add(c)
                need -= self.capacity[c, t]
        excess = mentors + len(promoted) - self.mentor_target
        if self.problem.constraints.require_all and excess > 0:
            for m in self._weak_mentors(ev, excess + len(promoted)):
                if excess <= 0:
                    break
                if m not in promoted and self.can_implement[m]:
                    changed[m] = NO_THEME
                    excess -= 1
        return changed

    def _improvements(self, ev: Evaluation, round_no: int) -> list[list[int]]:
        """Swaps of a weak mentor for a strong candidate, and theme changes of weak mentors."""
        moves: list[list[int]] = []
        base = list(ev.mentors)
        weak = self._weak_mentors(ev, 4 + round_no % 4)
        for t in range(len(self.themes)):
            for c in self._candidates(t, ev, 2):
                for m in weak:
                    changed = base[:]
                    changed[c], changed[m] = t, NO_THEME
                    moves.append(changed)
        for m in weak:
            for t in self.mentor_options[m]:
                if t != base[m]:
                    changed = base[:]
                    changed[m] = t
                    moves.append(changed)
        return moves

    def search(
        self,
        *,
        repair_rounds: int = 200,
        improve_evaluations: int = 60,
        on_first: Callable[[Evaluation], None] | None = None,
    ) -> Evaluation:
        best = self.evaluate(self.start())
        tabu: list[tuple[int, ...]] = []
        current = best
        rounds = 0
        while current.broken and rounds < repair_rounds:
            rounds += 1
            step: Evaluation | None = None
            for mentors in self._repairs(current):
                ev = self.evaluate(mentors)
                if ev.mentors not in tabu and ev.better_than(step):
                    step = ev
                    if ev.broken < current.broken:  # first improvement: good enough
                        break
            if step is None:
                break
            # Take the best neighbour even if it is worse (tabu keeps us from cycling).
            current = step
            tabu = [*tabu[-20:], current.mentors]
            if current.better_than(best):
                best = current
        if best.broken:
            return best
        if on_first is not None:
            on_first(best)
        spent = self.evaluations
        round_no = 0
        while self.evaluations - spent < improve_evaluations:
            improved = False
            for mentors in self._improvements(best, round_no):
                if self.evaluations - spent >= improve_evaluations:
                    break
                ev = self.evaluate(mentors)
                if ev.better_than(best):
                    best, improved = ev, True
                    break
            round_no += 1
            if not improved and round_no > 8:
                break
        return best


def greedy_matching(
    problem: Problem, index: Index, *, on_first: Callable[[list[Triple]], None] | None = None
) -> list[Triple] | None:
    """A matching that obeys every rule (from `index`'s allowed triples), or None if not found.

    `index` must hold only the triples the fixed entries allow (as the solving model does).
    `on_first`, if given, gets the first valid matching at once, before the short improvement
    that follows (so it can be shown while that runs).
    """
    if not index.triples:
        return None

    def checked(ev: Evaluation) -> list[Triple] | None:
        chosen = [index.triples[k] for k in ev.chosen]
        # A bug here must never hand on a matching that breaks a rule.
        return None if ev.broken or matching_errors(problem, chosen) else chosen

    def first(ev: Evaluation) -> None:
        chosen = checked(ev)
        if chosen is not None and on_first is not None:
            on_first(chosen)

    return checked(Greedy(problem, index).search(on_first=first))


def matching_errors(problem: Problem, chosen: Sequence[Triple]) -> list[str]:
    """Every rule of the format that `chosen` breaks (empty when it is a valid matching)."""
    errors: list[str] = []
    cities = problem.city_by_id
    mentor_theme: dict[str, set[str]] = defaultdict(set)
    mentees: dict[str, int] = defaultdict(int)
    implementers: dict[str, int] = defaultdict(int)
    per_theme: dict[str, int] = defaultdict(int)
    same_country = problem.constraints.same_country == "forbid"
    for tr in chosen:
        m, i = cities[tr.mentor], cities[tr.implementer]
        if tr.theme not in m.mentor_themes or tr.theme not in i.implement_themes:
            errors.append(f"{tr}: theme not offered or wanted")
        if m.id == i.id or problem.is_forbidden(m.id, i.id):
            errors.append(f"{tr}: pair not allowed")
        if same_country and m.country == i.country:
            errors.append(f"{tr}: same country")
        mentor_theme[m.id].add(tr.theme)
        mentees[m.id] += 1
        implementers[i.id] += 1
        per_theme[tr.theme] += 1
    errors += [f"{c} has {n} mentors" for c, n in implementers.items() if n > 1]
    errors += [f"{c} both mentors and implements" for c in mentor_theme if c in implementers]
    errors += [f"{c} mentors in several themes" for c, ts in mentor_theme.items() if len(ts) > 1]
    errors += [f"{c} has too many mentees" for c, n in mentees.items() if n > cities[c].max_mentees]
    errors += [
        f"theme {t.id} has {per_theme[t.id]} pairs, not {t.pairs}"
        for t in problem.themes
        if per_theme[t.id] != t.pairs
    ]
    placed = set(mentor_theme) | set(implementers)
    if problem.constraints.require_all:
        errors += [f"{c.id} takes no part" for c in problem.cities if c.id not in placed]
    for entry in problem.constraints.fixed:
        if entry.city not in placed:
            errors.append(f"fixed {entry.city} takes no part")
        elif entry.role == "mentor" and entry.city not in mentor_theme:
            errors.append(f"fixed {entry.city} is not a mentor")
        elif entry.role == "implementer" and entry.city not in implementers:
            errors.append(f"fixed {entry.city} is not an implementer")
        if entry.theme is not None:
            themes = mentor_theme.get(entry.city, set()) | {
                tr.theme for tr in chosen if tr.implementer == entry.city
            }
            if themes != {entry.theme}:
                errors.append(f"fixed {entry.city} is not in theme {entry.theme}")
    return errors


def quick_bound(problem: Problem, index: Index) -> int:
    """An upper limit on any matching's value, known before the search.

    Each implementing city is in one pair at most, worth at most its best allowed pair: so a
    theme's pairs are worth at most its `pairs` best implementers there, and all pairs
    together at most the `pairs` total best implementers anywhere. The smaller of the two.
    """
    best_in_theme: dict[tuple[str, str], int] = defaultdict(int)
    best: dict[str, int] = defaultdict(int)
    for tr in index.triples:
        key = (tr.implementer, tr.theme)
        best_in_theme[key] = max(best_in_theme[key], tr.value)
        best[tr.implementer] = max(best[tr.implementer], tr.value)
    by_theme: dict[str, list[int]] = defaultdict(list)
    for (_, theme), value in best_in_theme.items():
        by_theme[theme].append(value)
    per_theme = sum(sum(sorted(by_theme[t.id], reverse=True)[: t.pairs]) for t in problem.themes)
    total = sum(t.pairs for t in problem.themes)
    overall = sum(sorted(best.values(), reverse=True)[:total])
    return min(per_theme, overall)
