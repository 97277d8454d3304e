"""Proposing dates for every visit with OR-Tools CP-SAT, and explaining when none exist."""

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ortools.sat.python import cp_model

from .check import _check, _rule_one
from .context import _Ctx, _day, _days, _holiday, _number, _span, _unavailable
from .types import (
    KINDS,
    MENTORING,
    STUDY,
    Attendees,
    City,
    Conflict,
    Pair,
    PlanResult,
    Rules,
    Visit,
)

# --- planning ----------------------------------------------------------------------------------


@dataclass
class _Slot:
    """One visit to plan: its allowed start days (offsets from the window start)."""

    pair: str
    kind: str
    span: int
    starts: list[int]
    fixed: Visit | None = None
    blocked: dict[str, int] = field(default_factory=dict)


def _slots(ctx: _Ctx, fixed: Sequence[Visit]) -> list[_Slot]:
    """The allowed start days per visit: whole Monday-Friday blocks clear of holidays and
    unavailable dates of both cities; a fixed visit is pinned where the coordinator put it."""
    rules = ctx.rules
    pinned: dict[tuple[str, str], Visit] = {}
    for v in fixed:
        if v.pair not in ctx.pairs or v.kind not in KINDS or (v.pair, v.kind) in pinned:
            raise ValueError(f"Fixed visit {v.kind!r} of pair {v.pair!r} is unknown or repeated.")
        pinned[(v.pair, v.kind)] = v
    window = _days(rules.window_start, rules.window_end)
    slots = []
    for pair_id in ctx.pairs:
        for kind in KINDS:
            if (pair_id, kind) in pinned:
                v = pinned[(pair_id, kind)]
                first = (v.start - rules.window_start).days
                slots.append(_Slot(pair_id, kind, max((v.end - v.start).days + 1, 1), [first], v))
                continue
            cities = (ctx.cities[ctx.host(pair_id, kind)], ctx.cities[ctx.traveller(pair_id, kind)])
            slot = _Slot(pair_id, kind, rules.visit_days, [])
            blocked = {"holiday": 0, "unavailable": 0, "blocks": 0}
            for i in range(len(window) - rules.visit_days + 1):
                block = window[i : i + rules.visit_days]
                if rules.visit_days < 1 or any(d.weekday() >= 5 for d in block):
                    continue
                blocked["blocks"] += 1
                if any(_holiday(c, d) for c in cities for d in block):
                    blocked["holiday"] += 1
                elif any(_unavailable(c, d) for c in cities for d in block):
                    blocked["unavailable"] += 1
                else:
                    slot.starts.append(i)
            slot.blocked = blocked
            slots.append(slot)
    return slots


def _precheck(ctx: _Ctx, slots: list[_Slot], attendees: Attendees) -> list[Conflict]:
    """Find the usual reasons a plan is impossible exactly and cheaply, in words."""
    rules, found = ctx.rules, []
    days = _number(rules.visit_days)
    for s in slots:
        if s.starts:
            continue
        b, window = s.blocked, _span(rules.window_start, rules.window_end)
        host, guest = ctx.city(ctx.host(s.pair, s.kind)), ctx.city(ctx.traveller(s.pair, s.kind))
        why = (
            f"of the {b['blocks']} blocks of {days} working days in the window, {b['holiday']} "
            f"touch a public holiday in {host}'s or {guest}'s country and {b['unavailable']} "
            f"touch dates {host} or {guest} declared unavailable"
            if b["blocks"]
            else f"the window ({window}) holds no {days} consecutive working days"
        )
        msg = f"There are no possible dates for {ctx.visit(s.pair, s.kind)}: {why}."
        found.append(Conflict("no_dates", msg, {"pair": s.pair, "kind": s.kind, **b}))
    if found:
        return found
    by_key = {(s.pair, s.kind): s for s in slots}
    for pair_id in ctx.pairs:
        study, mentoring = by_key[(pair_id, STUDY)], by_key[(pair_id, MENTORING)]
        earliest_end = min(study.starts) + study.span - 1
        latest_start = max(mentoring.starts)
        if latest_start - earliest_end < max(rules.min_gap_days, 1):
            end = _day(rules.window_start + timedelta(earliest_end))
            start = _day(rules.window_start + timedelta(latest_start))
            msg = (
                f"The two visits of {ctx.pair(pair_id)} do not fit in the window: the study "
                f"visit can end on {end} at the earliest and the mentoring visit can start on "
                f"{start} at the latest, but it must start at least {rules.min_gap_days} days "
                "after the study visit ends. Widen the window or shorten the gap."
            )
            params = {"pair": pair_id, "min_gap_days": rules.min_gap_days}
            found.append(Conflict("pair_does_not_fit", msg, params))
    people: dict[str, list[_Slot]] = defaultdict(list)
    for s in slots:
        for person in attendees.get((s.pair, s.kind), ()):
            people[person].append(s)
    for person, mine in sorted(people.items()):
        possible = {d for s in mine for first in s.starts for d in range(first, first + s.span)}
        needed = sum(s.span for s in mine)
        if len(mine) > 1 and needed > len(possible):
            listed = "; ".join(ctx.visit(s.pair, s.kind) for s in mine)
            msg = (
                f"{ctx.person(person)} is expected at {_number(len(mine))} visits, {needed} "
                f"days in all, but only {len(possible)} days in the window are possible for "
                f"them ({listed}). Widen the window or share the visits between several people."
            )
            params = {"person": person, "visits": len(mine), "days_needed": needed,
                      "days_available": len(possible)}  # fmt: skip
            found.append(Conflict("person_overloaded", msg, params))
    return found


Literal = cp_model.IntVar


def _model(
    ctx: _Ctx, slots: list[_Slot], attendees: Attendees, explain: bool
) -> tuple[cp_model.CpModel, list[cp_model.IntVar], list[tuple[Literal, Conflict]]]:
    """The CP-SAT model; with `explain`, each rule group hangs on an assumption literal."""
    model = cp_model.CpModel()
    groups: list[tuple[Literal, Conflict]] = []

    def literal(code: str, message: str, params: dict[str, Any]) -> Literal | None:
        if not explain:
            return None
        groups.append((model.new_bool_var(code), Conflict(code, message, params)))
        return groups[-1][0]

    # When explaining, a pin may be the culprit: a fixed visit may also take its usual dates.
    free = {(f.pair, f.kind): f.starts for f in _slots(ctx, [])} if explain else {}
    starts = []
    for s in slots:
        values = sorted({*s.starts, *free.get((s.pair, s.kind), [])}) if s.fixed else s.starts
        domain = cp_model.Domain.from_values(values)
        starts.append(model.new_int_var_from_domain(domain, f"{s.pair}/{s.kind}"))
        if s.fixed:
            when = _span(s.fixed.start, s.fixed.end)
            msg = f"{ctx.visit(s.pair, s.kind)} is fixed on {when}"
            lit = literal("fixed", msg, {"pair": s.pair, "kind": s.kind})
            if lit is not None:
                model.add(starts[-1] == s.starts[0]).only_enforce_if(lit)
    weeks: list[cp_model.IntVar | None] = []
    monday = ctx.rules.window_start.weekday()
    for s, var in zip(slots, starts, strict=True):
        start = (s.fixed.start - ctx.rules.window_start).days if s.fixed else min(s.starts)
        day = (start + monday) % 7
        if explain or s.span * 2 <= 5 or (s.fixed and day + s.span > 5):
            weeks.append(None)
            continue
        first, last = (min(s.starts) + monday) // 7, (max(s.starts) + monday) // 7
        week = model.new_int_var(first, last, f"week {s.pair}/{s.kind}")
        model.add(var + monday - 7 * week <= 5 - s.span)
        model.add(var + monday - 7 * week >= 0)
        weeks.append(week)
    index = {(s.pair, s.kind): i for i, s in enumerate(slots)}
    gap = max(ctx.rules.min_gap_days, 1)
    for pair_id in ctx.pairs:
        i, j = index[(pair_id, STUDY)], index[(pair_id, MENTORING)]
        msg = (
            f"the mentoring visit of {ctx.pair(pair_id)} comes at least "
            f"{ctx.rules.min_gap_days} days after its study visit"
        )
        lit = literal("gap", msg, {"pair": pair_id})
        ct = model.add(starts[j] >= starts[i] + slots[i].span - 1 + gap)
        if lit is not None:
            ct.only_enforce_if(lit)
    people: dict[str, list[int]] = defaultdict(list)
    for s in slots:
        for person in attendees.get((s.pair, s.kind), ()):
            people[person].append(index[(s.pair, s.kind)])
    for person, mine in sorted(people.items()):
        if len(mine) < 2:
            continue
        msg = f"{ctx.person(person)} attends {_number(len(mine))} visits, one at a time"
        lit = literal("double_booking", msg, {"person": person})
        intervals = [
            model.new_fixed_size_interval_var(starts[i], slots[i].span, f"{person}/{i}")
            if lit is None
            else model.new_optional_fixed_size_interval_var(
                starts[i], slots[i].span, lit, f"{person}/{i}"
            )
            for i in mine
        ]
        model.add_no_overlap(intervals)
        # Redundant but decisive for speed: two visits of 3+ days never share a Monday-Friday
        # week, and this week-level view gives CP-SAT the tight bound the day intervals lack.
        weekly = [w for w in (weeks[i] for i in mine) if w is not None]
        if len(weekly) > 1:
            model.add_all_different(weekly)
    return model, starts, groups


def _solver(seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = 8
    return solver


def _optimise(
    model: cp_model.CpModel, starts: list[cp_model.IntVar], slots: list[_Slot], seconds: float
) -> tuple[Any, list[int] | None]:
    """Finish as early as possible, then start each visit as early as it can.

    Two stages, because one weighted objective is slow to prove optimal when one person (say
    the coordinator's staff) attends every visit: the latest end is proved optimal, then the sum
    of starts is improved from that solution for at most a second.
    """
    began = time.monotonic()
    lo = min(min(s.starts) for s in slots)
    last = model.new_int_var(lo, max(max(s.starts) + s.span for s in slots), "last_end")
    model.add_max_equality(last, [var + s.span for var, s in zip(starts, slots, strict=True)])
    model.minimize(last)
    solver = _solver(seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, None
    found = [solver.value(var) for var in starts]
    model.add(last <= solver.value(last))
    model.clear_objective()
    model.minimize(sum(starts))
    for var, value in zip(starts, found, strict=True):
        model.add_hint(var, value)
    second = _solver(min(1.0, seconds - (time.monotonic() - began)))
    if second.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = [second.value(var) for var in starts]
    return status, found


def _explain(ctx: _Ctx, slots: list[_Slot], attendees: Attendees, seconds: float) -> Conflict:
    """Ask CP-SAT which rule groups clash, and shrink that set until each member is needed."""
    model, _, groups = _model(ctx, slots, attendees, explain=True)
    lits = [lit for lit, _ in groups]
    model.add_assumptions(lits)
    solver = _solver(seconds)
    solver.parameters.num_workers = 1  # Cores come from the single-worker search.
    if solver.solve(model) != cp_model.INFEASIBLE:
        return Conflict("infeasible", "No plan meets all the rules, for reasons not found.", {})
    core = set(solver.sufficient_assumptions_for_infeasibility())
    kept = [(lit, c) for lit, c in groups if lit.index in core]
    for item in list(kept):
        trial = [lit for lit, _ in kept if lit is not item[0]]
        model.clear_assumptions()
        model.add_assumptions(trial)
        if _solver(seconds / 4).solve(model) == cp_model.INFEASIBLE:
            kept.remove(item)
    text = "; ".join(c.message for _, c in kept)
    these = "this rule" if len(kept) == 1 else "these rules together"
    return Conflict(
        "infeasible",
        f"No plan within the window meets {these}: {text}. Relax one, or widen the window.",
        {"groups": [{"code": c.code, **c.params} for _, c in kept]},
    )


def plan_visits(
    pairs: Iterable[Pair],
    cities: Iterable[City],
    rules: Rules,
    attendees: Attendees,
    names: Mapping[str, str] | None = None,
    fixed: Sequence[Visit] = (),
    time_limit: float = 10.0,
) -> PlanResult:
    """Propose dates for every visit; when impossible, say why in words.

    Rule 1 (each city travels once and hosts once) is reported but never stops the planning.
    A planned result carries `check_plan`'s conflicts, e.g. a fixed visit on a holiday.
    """
    began = time.monotonic()
    ctx = _Ctx(pairs, cities, rules, names or {})
    slots = _slots(ctx, fixed)

    def result(status: str, visits: list[Visit], conflicts: list[Conflict]) -> PlanResult:
        return PlanResult(status, visits, conflicts, time.monotonic() - began)

    if not slots:
        return result("planned", [], _rule_one(ctx))
    problems = _precheck(ctx, slots, attendees)
    if problems:
        return result("infeasible", [], _rule_one(ctx) + problems)
    model, starts, _ = _model(ctx, slots, attendees, explain=False)
    status, found = _optimise(model, starts, slots, time_limit)
    if found is not None:
        visits = []
        for s, first in zip(slots, found, strict=True):
            day = rules.window_start + timedelta(first)
            visits.append(s.fixed or Visit(s.pair, s.kind, day, day + timedelta(s.span - 1)))
        return result("planned", visits, _check(ctx, visits, attendees))
    left = time_limit - (time.monotonic() - began)
    if status == cp_model.INFEASIBLE:
        return result("infeasible", [], [*_rule_one(ctx), _explain(ctx, slots, attendees, left)])
    msg = f"No plan was found within {time_limit:g} seconds; try again with more time."
    stopped = Conflict("time_limit", msg, {"seconds": time_limit})
    return result("infeasible", [], [*_rule_one(ctx), stopped])
