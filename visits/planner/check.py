"""Checking a plan, possibly adjusted by hand: every broken rule as a Conflict in words."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .context import _cap, _country_name, _Ctx, _day, _days, _holiday, _number, _span, _visit_params
from .types import _WEEKEND, KINDS, MENTORING, STUDY, Attendees, City, Conflict, Pair, Rules, Visit

# --- checking ----------------------------------------------------------------------------------


def _rule_one(ctx: _Ctx) -> list[Conflict]:
    """Each city travels once and hosts once: a city in two pairs does both twice."""
    in_pairs: dict[str, list[str]] = defaultdict(list)
    for pair in ctx.pairs.values():
        in_pairs[pair.mentor].append(pair.id)
        in_pairs[pair.implementer].append(pair.id)
    found = []
    for cid in ctx.cities:
        ids, name = in_pairs.get(cid, []), ctx.city(cid)
        params = {"city": cid, "count": len(ids), "pairs": ids}
        if not ids:
            for code, verb in (("city_never_travels", "travel"), ("city_never_hosts", "host")):
                msg = f"{name} is in no pair, so it would never {verb}; the programme plans one."
                found.append(Conflict(code, msg, params))
        elif len(ids) > 1:
            n, pairs = _number(len(ids)), [ctx.pairs[p] for p in ids]
            trips = "; ".join(ctx.visit(p.id, STUDY if p.implementer == cid else MENTORING)
                              for p in pairs)  # fmt: skip
            hosted = "; ".join(ctx.visit(p.id, STUDY if p.mentor == cid else MENTORING)
                               for p in pairs)  # fmt: skip
            msg = (
                f"{name} would travel for {n} visits ({trips}), but the programme plans one "
                "trip per city: a mentor city with several implementing cities needs extra "
                "budget and days for its officers."
            )
            found.append(Conflict("city_travels_twice", msg, params))
            msg = f"{name} would host {n} visits ({hosted}), but each city hosts one visit."
            found.append(Conflict("city_hosts_twice", msg, params))
    return found


def _check_visit(ctx: _Ctx, v: Visit) -> list[Conflict]:
    """The rules about one visit alone: length, weekdays, window, holidays, unavailable dates."""
    rules, found = ctx.rules, []
    label, params = _cap(ctx.visit(v.pair, v.kind, v.start, v.end)), _visit_params(v)
    if v.end < v.start:
        return [Conflict("bad_length", f"{label} ends before it starts.", params)]
    days = _days(v.start, v.end)
    weekend = [d for d in days if d.weekday() >= 5]
    working = len(days) - len(weekend)
    if weekend:
        listed = ", ".join(f"{_WEEKEND[d.weekday() - 5]} {_day(d)}" for d in weekend)
        msg = f"{label} includes a weekend day ({listed}); visits are on working days."
        found.append(Conflict("weekend", msg, {**params, "days": [str(d) for d in weekend]}))
    extra: dict[str, Any]
    if working != rules.visit_days or len(days) != rules.visit_days:
        msg = (
            f"{label} lasts {_number(working)} working days over {len(days)} calendar days; "
            f"a visit is {_number(rules.visit_days)} consecutive working days."
        )
        extra = {"working_days": working, "visit_days": rules.visit_days}
        found.append(Conflict("bad_length", msg, {**params, **extra}))
    if v.start < rules.window_start or v.end > rules.window_end:
        window = _span(rules.window_start, rules.window_end)
        msg = f"{label} is not inside the planning window ({window})."
        extra = {"window_start": str(rules.window_start), "window_end": str(rules.window_end)}
        found.append(Conflict("outside_window", msg, {**params, **extra}))
    pair = ctx.pairs[v.pair]
    both = [ctx.cities[pair.mentor], ctx.cities[pair.implementer]]
    countries: dict[str, list[City]] = defaultdict(list)
    for city in both:
        countries[city.country.upper()].append(city)
    for d in days:
        for country, cities in countries.items():
            name = _holiday(cities[0], d)
            if name:
                whose = " and ".join(c.name for c in cities)
                msg = (
                    f"{label} falls on {name} in {_country_name(country)} ({_day(d)}), "
                    f"a public holiday for {whose}."
                )
                extra = {"date": str(d), "holiday": name, "country": country}
                found.append(Conflict("holiday", msg, {**params, **extra}))
    for city in both:
        for a, b in city.unavailable:
            if a <= v.end and v.start <= b:
                msg = f"{label} falls on dates {city.name} declared unavailable ({_span(a, b)})."
                extra = {"city": city.id, "from": str(a), "to": str(b)}
                found.append(Conflict("unavailable", msg, {**params, **extra}))
    return found


def _check_order(ctx: _Ctx, study: Visit, mentoring: Visit) -> list[Conflict]:
    """The mentoring visit follows the study visit by at least the minimum gap."""
    gap, need = (mentoring.start - study.end).days, ctx.rules.min_gap_days
    params = {"pair": study.pair, "gap_days": gap, "min_gap_days": need}
    s_label = ctx.visit(study.pair, STUDY, study.start, study.end)
    m_label = _cap(ctx.visit(mentoring.pair, MENTORING, mentoring.start, mentoring.end))
    if mentoring.start < study.start:
        msg = f"{m_label} comes before {s_label}; the study visit comes first."
        return [Conflict("order", msg, params)]
    if gap < max(need, 1):
        msg = (
            f"{m_label} starts {gap} days after {s_label} ends; it should start at least "
            f"{need} days after, to leave time to prepare it."
        )
        return [Conflict("gap", msg, params)]
    return []


def _check_people(ctx: _Ctx, visits: Sequence[Visit], attendees: Attendees) -> list[Conflict]:
    """Nobody is in two visits at once. The visits that overlap are found by a sweep in date
    order (each visit meets only those still running when it starts), not by comparing every
    two: a programme of hundreds of visits stays quick. They are reported in the plan's order."""
    found = []
    overlapping: list[tuple[int, int]] = []
    running: list[int] = []
    for k in sorted(range(len(visits)), key=lambda n: (visits[n].start, n)):
        v = visits[k]
        running = [j for j in running if visits[j].end >= v.start]
        overlapping += [(min(j, k), max(j, k)) for j in running if v.end >= visits[j].start]
        running.append(k)
    for i, j in sorted(overlapping):
        a, b = visits[i], visits[j]
        if a.start > b.end or b.start > a.end:
            continue
        shared = set(attendees.get((a.pair, a.kind), ()))
        shared &= set(attendees.get((b.pair, b.kind), ()))
        for person in sorted(shared):
            msg = (
                f"{ctx.person(person)} is expected at two visits at once: "
                f"{ctx.visit(a.pair, a.kind, a.start, a.end)} and "
                f"{ctx.visit(b.pair, b.kind, b.start, b.end)}."
            )
            params = {"person": person, "visits": [_visit_params(a), _visit_params(b)]}
            found.append(Conflict("double_booking", msg, params))
    return found


def _check(ctx: _Ctx, visits: Sequence[Visit], attendees: Attendees) -> list[Conflict]:
    found = _rule_one(ctx)
    by_key: dict[tuple[str, str], Visit] = {}
    for v in visits:
        if v.pair not in ctx.pairs or v.kind not in KINDS:
            raise ValueError(f"Unknown visit {v.kind!r} of pair {v.pair!r}.")
        if (v.pair, v.kind) in by_key:
            msg = f"The plan has {ctx.visit(v.pair, v.kind)} twice; each pair has one."
            found.append(Conflict("duplicate_visit", msg, _visit_params(v)))
        by_key.setdefault((v.pair, v.kind), v)
    for pair_id in ctx.pairs:
        for kind in KINDS:
            if (pair_id, kind) not in by_key:
                msg = f"The plan has no dates for {ctx.visit(pair_id, kind)}."
                found.append(Conflict("missing_visit", msg, {"pair": pair_id, "kind": kind}))
    for v in visits:
        found += _check_visit(ctx, v)
    for pair_id in ctx.pairs:
        if (pair_id, STUDY) in by_key and (pair_id, MENTORING) in by_key:
            found += _check_order(ctx, by_key[(pair_id, STUDY)], by_key[(pair_id, MENTORING)])
    return found + _check_people(ctx, visits, attendees)


def check_plan(
    pairs: Iterable[Pair],
    cities: Iterable[City],
    rules: Rules,
    visits: Sequence[Visit],
    attendees: Attendees,
    names: Mapping[str, str] | None = None,
) -> list[Conflict]:
    """Every rule the plan breaks, explained; an empty list means the plan is good."""
    return _check(_Ctx(pairs, cities, rules, names or {}), list(visits), attendees)
