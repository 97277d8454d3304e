"""Benchmark the practice search on a generated knowledge base of realistic size.

Builds a fresh database (SQLite file or PostgreSQL), loads CITIES-GROW's reference data and
benchmarks, generates N published practices whose text is drawn from the illustrative corpus
(so words, stems and facet values are realistic), then times `practice_search` for a set of
queries, with and without facets, and prints p50 and p95. Run from the repository root:

    .venv/bin/python benchmarks/search_benchmark.py --practices 20000 --database sqlite
    .venv/bin/python benchmarks/search_benchmark.py --practices 20000 --database postgres

PostgreSQL: `--postgres-url` (default postgres://postgres@127.0.0.1:5432/postgres) names the
server; the benchmark creates and drops its own database there.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _prepare_database(kind: str, postgres_url: str) -> tuple[str, Callable[[], None]]:
    """A DATABASE_URL for a new, empty database, and how to remove it afterwards."""
    if kind == "sqlite":
        folder = tempfile.mkdtemp(prefix="search-bench-")
        print(f"SQLite database: {folder}/bench.sqlite3 (kept for inspection)")
        return f"sqlite:///{folder}/bench.sqlite3", lambda: None
    import psycopg

    name = f"cg_search_bench_{os.getpid()}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(postgres_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')

    base = postgres_url.rsplit("/", 1)[0]
    return f"{base}/{name}", drop


def _generate(count: int, seed: int) -> None:
    """N published practices, text and codes drawn from the corpus, bulk-inserted and indexed."""
    from knowledge.choices import PracticeState
    from knowledge.models import GoodPractice, PracticeTheme
    from knowledge.services.exchange import CORPUS_FILE
    from knowledge.services.indexing import practices_index
    from knowledge.services.references import References

    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    corpus = json.loads(CORPUS_FILE.read_text(encoding="utf-8"))["practices"]
    words = " ".join(p["summary"] + " " + p["results"] for p in corpus).split()
    refs = References.load()
    themes = list(PracticeTheme.objects.all())
    factors_by_theme: dict[str, list[Any]] = {}
    for code, factor in refs.key_factors.items():
        factors_by_theme.setdefault(refs.key_factor_theme[code], []).append(factor)
    commitments = list(refs.commitments.values())
    places = sorted({(p["city"], p["country"]) for p in corpus})
    Through = GoodPractice.themes.through
    FactorThrough = GoodPractice.key_factors.through
    CommitmentThrough = GoodPractice.commitments.through
    batch = 2000
    for start in range(0, count, batch):
        practices = []
        for number in range(start, min(count, start + batch)):
            model = rng.choice(corpus)
            city, country = rng.choice(places)
            practices.append(
                GoodPractice(
                    reference=f"bench-{number}",
                    title=" ".join(rng.sample(words, 6)).strip(".,").capitalize(),
                    city_name=city,
                    country=country,
                    organisation=f"City of {city}",
                    summary=" ".join(rng.sample(words, 40)),
                    description="<p>" + " ".join(rng.sample(words, 120)) + "</p>",
                    target_groups=model["target_groups"],
                    start_year=rng.randint(1998, 2025),
                    status=rng.choice(["ongoing", "ended"]),
                    results=model["results"],
                    budget_range=model["budget_range"],
                    source_kind=model["source"]["kind"],
                    source_name=model["source"]["name"],
                    european_module=refs.modules.get(model["european_module"]),
                    state=PracticeState.PUBLISHED,
                    published_at="2026-01-01T00:00:00Z",
                    illustrative=True,
                )
            )
        created = GoodPractice.objects.bulk_create(practices)
        theme_rows, factor_rows, commitment_rows = [], [], []
        for practice in created:
            theme = rng.choice(themes)
            theme_rows.append(Through(goodpractice_id=practice.pk, practicetheme_id=theme.pk))
            for factor in rng.sample(
                factors_by_theme.get(theme.code, []),
                k=min(2, len(factors_by_theme.get(theme.code, []))),
            ):
                factor_rows.append(
                    FactorThrough(goodpractice_id=practice.pk, keyfactor_id=factor.pk)
                )
            for commitment in rng.sample(commitments, k=rng.randint(0, 2)):
                commitment_rows.append(
                    CommitmentThrough(
                        goodpractice_id=practice.pk, chartercommitment_id=commitment.pk
                    )
                )
        Through.objects.bulk_create(theme_rows)
        FactorThrough.objects.bulk_create(factor_rows)
        CommitmentThrough.objects.bulk_create(commitment_rows)
        practices_index([p.pk for p in created])
        print(f"  generated {min(count, start + batch)} practices", flush=True)


QUERIES = [
    "entrepreneurs",
    "language course",
    "young migrants apprenticeship",
    "procurement supplier diversity",
    "discrimination",
    "mentoring network",
    "neighbourhood volunteers",
    "recognition of qualifications",
    "entreprenuers",  # a typo
    "langauge cafe",  # two typos
    "city council consultative",
    "refugees housing",
    "",  # browsing: no text, facets only
]
FILTERS: list[dict[str, tuple[str, ...]]] = [
    {},
    {"theme": ("cities-grow-c",)},
    {"status": ("ongoing",), "country": ("DE", "NL")},
    {"target_group": ("refugees",), "year": ("2015", "2016", "2017")},
]


def _measure(rounds: int, with_facets: bool) -> list[float]:
    from knowledge.search.engine import SearchRequest, practice_search

    timings = []
    for _round in range(rounds):
        for text in QUERIES:
            for filters in FILTERS:
                request = SearchRequest(text=text, filters=filters, with_facets=with_facets)
                began = time.perf_counter()
                practice_search(request)
                timings.append((time.perf_counter() - began) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--practices", type=int, default=20000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the query set")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()

    url, cleanup = _prepare_database(args.database, args.postgres_url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    try:
        began = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_programme", verbosity=0)
        call_command("load_assessment_data", verbosity=0)
        call_command("load_practices", verbosity=0)
        print(f"Database {args.database}: generating {args.practices} practices...")
        _generate(args.practices, args.seed)
        if args.database == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"  ready in {time.perf_counter() - began:.0f} s")
        _measure(1, True)  # warm caches (the vocabulary, the database's pages)
        print(f"{'search':<16} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for label, with_facets in (("with facets", True), ("without facets", False)):
            timings = _measure(args.rounds, with_facets)
            cuts = statistics.quantiles(timings, n=100)
            print(
                f"{label:<16} {len(timings):>8} {statistics.median(timings):>8.1f} "
                f"{cuts[94]:>8.1f} {max(timings):>8.1f}"
            )
    finally:
        if args.keep:
            print(f"Kept: {url}")
        else:
            cleanup()


if __name__ == "__main__":
    main()
