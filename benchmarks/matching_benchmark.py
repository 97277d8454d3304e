"""Benchmark the city-matching solver on random feasible instances of growing size.

Each instance hides a feasible matching (every city takes part, different countries, within
each mentor's limit) and then adds random extra wishes, so the solver has real choices but a
solution always exists. Run from the repository root:

    .venv/bin/python benchmarks/matching_benchmark.py --sizes 16 40 100 200 500

`--write-dir DIR` saves each instance as JSON, ready for `citiesgrow-match DIR/cities-200.json`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.solver import solve
from matching.solver.problem import allowed_pairs
from matching.solver.validation import validate_problem

COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]


@dataclass(frozen=True)
class Shape:
    themes: int
    factors: tuple[int, int]  # fewest and most key factors per theme
    max_mentees: int  # each city's limit is drawn from 1..max_mentees


SHAPES: dict[int, Shape] = {
    16: Shape(themes=4, factors=(5, 6), max_mentees=1),
    40: Shape(themes=5, factors=(5, 6), max_mentees=1),
    100: Shape(themes=8, factors=(6, 8), max_mentees=2),
    200: Shape(themes=10, factors=(8, 8), max_mentees=2),
    500: Shape(themes=12, factors=(8, 8), max_mentees=3),
}


def _shape(size: int) -> Shape:
    if size in SHAPES:
        return SHAPES[size]
    # Sizes in between borrow the shape of the next listed size up.
    return SHAPES[min((s for s in SHAPES if s >= size), default=max(SHAPES))]


def _plant(
    ids: list[str],
    country: dict[str, str],
    limit: dict[str, int],
    themes: list[str],
    rng: random.Random,
) -> list[tuple[str, str, str]] | None:
    """A hidden matching using every city: (mentor, implementer, theme); None to retry."""
    order = ids[:]
    rng.shuffle(order)
    pairs: list[tuple[str, str, str]] = []
    mentor_theme: dict[str, str] = {}
    while order:
        mentor = order.pop()
        others = [c for c in order if country[c] != country[mentor]]
        if not others:
            # The last city(ies) join a mentor with room to spare, in that mentor's theme.
            room = [
                m
                for m, t in mentor_theme.items()
                if country[m] != country[mentor] and sum(1 for p in pairs if p[0] == m) < limit[m]
            ]
            if not room:
                return None
            host = rng.choice(room)
            pairs.append((host, mentor, mentor_theme[host]))
            continue
        theme = themes[len(mentor_theme) % len(themes)]
        mentor_theme[mentor] = theme
        for mentee in rng.sample(others, min(len(others), rng.randint(1, limit[mentor]))):
            order.remove(mentee)
            pairs.append((mentor, mentee, theme))
    return pairs


def generate(size: int, seed: int) -> dict[str, Any]:
    """A random feasible problem (format v1) with `size` cities."""
    rng = random.Random(f"{seed}-{size}")  # noqa: S311 - reproducible test data, not secrets
    shape = _shape(size)
    themes = [chr(ord("A") + n) if n < 26 else f"T{n}" for n in range(shape.themes)]
    factors = {t: rng.randint(*shape.factors) for t in themes}
    ids = [f"city{n:03d}" for n in range(size)]
    countries = COUNTRIES[: max(4, min(len(COUNTRIES), size // 2))]
    country = {c: rng.choice(countries) for c in ids}
    limit = {c: rng.randint(1, shape.max_mentees) for c in ids}
    planted = None
    while planted is None:
        planted = _plant(ids, country, limit, themes, rng)
    mentor_themes = {c: {t for m, _, t in planted if m == c} for c in ids}
    implement_themes = {c: {t for _, i, t in planted if i == c} for c in ids}
    for c in ids:  # extra wishes, so that the planted matching is one choice among many
        free = [t for t in themes if t not in mentor_themes[c] | implement_themes[c]]
        extra = rng.sample(free, min(len(free), rng.randint(1, 3)))
        for t in extra:
            (mentor_themes if rng.random() < 0.5 else implement_themes)[c].add(t)
    cities = []
    for c in ids:
        scores = {}
        for t in sorted(mentor_themes[c] | implement_themes[c]):
            low, high = (1, 5) if t in mentor_themes[c] else (0, 3)
            scores[t] = [rng.randint(low, high) for _ in range(factors[t])]
        cities.append(
            {
                "id": c,
                "country": country[c],
                "mentor_themes": sorted(mentor_themes[c]),
                "implement_themes": sorted(implement_themes[c]),
                "max_mentees": limit[c],
                "scores": scores,
            }
        )
    planted_pairs = {frozenset((m, i)) for m, i, _ in planted}
    forbidden: list[list[str]] = []
    while len(forbidden) < size // 10:
        a, b = rng.sample(ids, 2)
        if frozenset((a, b)) not in planted_pairs:
            forbidden.append(sorted([a, b]))
    first, second = planted[0], planted[len(planted) // 2]
    return {
        "format": "citiesgrow-match",
        "version": 1,
        "themes": [{"id": t, "pairs": sum(1 for p in planted if p[2] == t)} for t in themes],
        "cities": cities,
        "constraints": {
            "same_country": "forbid",
            "require_all": True,
            "forbidden_pairs": forbidden,
            "fixed": [
                {"city": first[0], "role": "mentor", "theme": first[2]},
                {"city": second[1], "role": "implementer"},
            ],
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=sorted(SHAPES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write-dir", type=Path, help="save each instance as JSON here")
    args = parser.parse_args(argv)
    columns = [
        "cities",
        "themes",
        "factors",
        "max_m",
        "triples",
        "status",
        "objective",
        "bound",
        "gap",
        "seconds",
    ]
    print(" ".join(f"{c:>9}" for c in columns))
    for size in args.sizes:
        data = generate(size, args.seed)
        if args.write_dir:
            args.write_dir.mkdir(parents=True, exist_ok=True)
            path = args.write_dir / f"cities-{size}-seed{args.seed}.json"
            path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        problem = validate_problem(data)
        result = solve(problem, time_limit=args.time_limit, workers=args.workers)
        lengths = sorted({len(levels) for c in problem.cities for levels in c.scores.values()})
        row = [
            size,
            len(problem.themes),
            "-".join(str(n) for n in (lengths[0], lengths[-1])) if lengths else 0,
            max(c.max_mentees for c in problem.cities),
            len(allowed_pairs(problem)),
            result["status"],
            result["objective"],
            result["bound"],
            result["gap"],
            result["seconds"],
        ]
        print(" ".join(f"{v!s:>9}" for v in row), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
