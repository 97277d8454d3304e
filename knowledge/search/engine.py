"""Searching the published practices: ranked full-text search with stemming and typo
tolerance, highlighted snippets, facets with counts, filters, sorting and pages.

One service for both databases: only the text match and the snippets are written per engine
(see index.py); filters, facets, sorting and paging are the same SQL. Filters within one facet
are alternatives (OR), filters of different facets all apply (AND), and each facet's counts
apply every filter but its own, so a person sees how many practices each other choice adds.
Every query is parameterised: the words of the query are the only user input in SQL, and they
are passed as parameters (FTS5 reads them as quoted strings, PostgreSQL as plain text).
"""

import math
import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..models import GoodPractice, SearchTerm
from ..services.indexing import VOCABULARY_VERSION_KEY, Facet

MAX_QUERY_CHARS = 1000
MAX_TERMS = 12
PER_PAGE = 20
MAX_PAGE = 500
SORTS = ("relevance", "newest", "oldest", "title", "city")
_WORD = re.compile(r"[^\W_]+")
_START, _STOP = "\x02", "\x03"


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    with_facets: bool = True


@dataclass
class Hit:
    practice: GoodPractice
    score: float
    snippet: SafeString


@dataclass
class FacetCount:
    value: str
    count: int
    selected: bool
    label: str = ""


@dataclass
class SearchResult:
    request: SearchRequest
    terms: list[str]
    corrections: dict[str, str]
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.request.per_page))


def search_request_from(params: Any) -> SearchRequest:
    """The search a query string asks for (`q`, one parameter per facet, `sort`, `page`): the
    HTML page and the API read it alike."""
    try:
        page = int(params.get("page") or 1)
    except ValueError:
        page = 1
    return SearchRequest(
        text=params.get("q", ""),
        filters={f: tuple(params.getlist(f)) for f in Facet.ALL if params.getlist(f)},
        sort=params.get("sort", "relevance"),
        page=page,
    )


# ---------------------------------------------------------------- the query's words


def query_terms(text: str) -> list[str]:
    """The words of a query: letters and digits only (quotes, operators and symbols are
    ignored), lower-cased, at most MAX_TERMS, each at most 40 characters."""
    words = _WORD.findall((text or "")[:MAX_QUERY_CHARS].lower())
    terms = [w[:40] for w in words if len(w) >= 2]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


_vocabulary: dict[str, Any] = {"version": None, "words": [], "known": frozenset()}


def _vocabulary_words() -> tuple[list[str], frozenset[str]]:
    """The words of the published practices, cached in the process until an index changes."""
    version = cache.get(VOCABULARY_VERSION_KEY, 0)
    if _vocabulary["version"] != version:
        words = list(SearchTerm.objects.values_list("term", flat=True))
        _vocabulary.update(version=version, words=words, known=frozenset(words))
    return _vocabulary["words"], _vocabulary["known"]


def corrections_for(terms: list[str]) -> dict[str, str]:
    """For each word the practices never use, the nearest word they do use (one edit for
    short words, two for longer; a swap of two letters counts as one)."""
    words, known = _vocabulary_words()
    found: dict[str, str] = {}
    for term in terms:
        if len(term) < 4 or term in known or term.isdigit():
            continue
        match = process.extractOne(
            term, words, scorer=OSA.distance, score_cutoff=1 if len(term) <= 5 else 2
        )
        if match is not None:
            found[term] = match[0]
    return found


# ---------------------------------------------------------------- SQL pieces


def _match_sql(groups: list[list[str]]) -> tuple[str, list[Any]]:
    """SELECT id, score of the published practices that match every group of words (each
    group: a word and its correction)."""
    if not groups:
        return (
            "SELECT id, 0.0 AS score FROM knowledge_goodpractice WHERE state = 'published'",
            [],
        )
    if connection.vendor == "postgresql":
        parts = [
            "(" + " || ".join(["plainto_tsquery('english', %s)"] * len(g)) + ")" for g in groups
        ]
        params = [word for group in groups for word in group]
        return (
            "SELECT p.id AS id, ts_rank_cd(p.search_vector, q.query, 32) AS score "
            f"FROM knowledge_goodpractice p, (SELECT {' && '.join(parts)} AS query) q "
            "WHERE p.state = 'published' AND p.search_vector @@ q.query",
            params,
        )
    return (
        "SELECT rowid AS id, -rank AS score FROM knowledge_practice_fts "
        "WHERE knowledge_practice_fts MATCH %s",
        [_fts5_query(groups)],
    )


def _fts5_query(groups: list[list[str]]) -> str:
    # Each word is a quoted string (the words hold only letters and digits): FTS5 applies
    # its tokenizer, so stemming and diacritic folding still work, and nothing is an operator.
    return " AND ".join("(" + " OR ".join(f'"{w}"' for w in group) + ")" for group in groups)


def _filter_sql(filters: dict[str, tuple[str, ...]], column: str) -> tuple[str, list[Any]]:
    clauses, params = [], []
    for facet, values in sorted(filters.items()):
        marks = ", ".join(["%s"] * len(values))
        clauses.append(
            f"{column} IN (SELECT practice_id FROM knowledge_practicefacet "
            f"WHERE facet = %s AND value IN ({marks}))"
        )
        params += [facet, *values]
    return (" AND ".join(clauses) or "1 = 1"), params


_ORDER = {
    "relevance": "m.score DESC, p.title, p.id",
    "newest": "COALESCE(p.start_year, 0) DESC, p.title, p.id",
    "oldest": "COALESCE(p.start_year, 9999), p.title, p.id",
    "title": "p.title, p.id",
    "city": "p.city_name, p.title, p.id",
}


def _clean(request: SearchRequest) -> SearchRequest:
    filters = {
        facet: tuple(dict.fromkeys(v[:120] for v in values if v))[:20]
        for facet, values in request.filters.items()
        if facet in Facet.ALL and values
    }
    filters = {facet: values for facet, values in filters.items() if values}
    sort = request.sort if request.sort in SORTS else "relevance"
    page = min(max(1, request.page), MAX_PAGE)
    per_page = min(max(1, request.per_page), 100)
    return SearchRequest(request.text, filters, sort, page, per_page, request.with_facets)


# ---------------------------------------------------------------- the search


def practice_search(request: SearchRequest) -> SearchResult:
    """Published practices for a query, with facet counts (no user scope: all are public)."""
    request = _clean(request)
    terms = query_terms(request.text)
    corrections = corrections_for(terms) if terms else {}
    groups = [[t, corrections[t]] if t in corrections else [t] for t in terms]
    match_sql, match_params = _match_sql(groups)
    where, where_params = _filter_sql(request.filters, "m.id")
    order = _ORDER[request.sort if terms or request.sort != "relevance" else "title"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM ({match_sql}) m WHERE {where}", match_params + where_params
        )
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT m.id, m.score FROM ({match_sql}) m "
            f"JOIN knowledge_goodpractice p ON p.id = m.id WHERE {where} "
            f"ORDER BY {order} LIMIT %s OFFSET %s",
            match_params + where_params + [request.per_page, (request.page - 1) * request.per_page],
        )
        scored = cursor.fetchall()
    facets = _facet_counts(request, match_sql, match_params) if request.with_facets else {}
    return SearchResult(
        request=request,
        terms=terms,
        corrections=corrections,
        total=total,
        hits=_hits(scored, groups),
        facets=facets,
    )


def _facet_counts(
    request: SearchRequest, match_sql: str, match_params: list[Any]
) -> dict[str, list[FacetCount]]:
    """Every facet's counts in one query: the facets nobody filters on share one part; each
    filtered facet has its own part that leaves out its own filter."""
    parts, params = [], []
    unfiltered = [f for f in Facet.ALL if f not in request.filters]
    if unfiltered:
        where, where_params = _filter_sql(request.filters, "f.practice_id")
        marks = ", ".join(["%s"] * len(unfiltered))
        parts.append(
            f"SELECT f.facet, f.value, COUNT(*) FROM knowledge_practicefacet f "
            f"JOIN ({match_sql}) m ON m.id = f.practice_id "
            f"WHERE f.facet IN ({marks}) AND {where} GROUP BY f.facet, f.value"
        )
        params += match_params + unfiltered + where_params
    for facet in request.filters:
        others = {k: v for k, v in request.filters.items() if k != facet}
        where, where_params = _filter_sql(others, "f.practice_id")
        parts.append(
            f"SELECT f.facet, f.value, COUNT(*) FROM knowledge_practicefacet f "
            f"JOIN ({match_sql}) m ON m.id = f.practice_id "
            f"WHERE f.facet = %s AND {where} GROUP BY f.facet, f.value"
        )
        params += [*match_params, facet, *where_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    counts: dict[str, list[FacetCount]] = {facet: [] for facet in Facet.ALL}
    for facet, value, count in rows:
        selected = value in request.filters.get(facet, ())
        counts[facet].append(FacetCount(value=value, count=count, selected=selected))
    # A chosen value stays visible even when nothing matches it any more.
    for facet, values in request.filters.items():
        present = {c.value for c in counts[facet]}
        counts[facet] += [FacetCount(v, 0, True) for v in values if v not in present]
    for facet, values in counts.items():
        if facet == Facet.YEAR:
            values.sort(key=lambda c: c.value, reverse=True)
        else:
            values.sort(key=lambda c: (-c.count, c.value))
    return counts


def _hits(scored: list[tuple[int, float]], groups: list[list[str]]) -> list[Hit]:
    if not scored:
        return []
    ids = [pk for pk, _score in scored]
    practices = GoodPractice.objects.in_bulk(ids)
    snippets = _snippets(ids, groups) if groups else {}
    hits = []
    for pk, score in scored:
        practice = practices.get(pk)
        if practice is None:  # deleted since the count: skip rather than fail
            continue
        # Both kinds of snippet are escaped text with only our own <mark> tags added.
        snippet = mark_safe(snippets.get(pk) or escape(_shorten(practice.summary)))  # noqa: S308
        hits.append(Hit(practice=practice, score=round(float(score), 6), snippet=snippet))
    return hits


def _shorten(text: str, limit: int = 280) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "\u2026"


def _snippets(ids: list[int], groups: list[list[str]]) -> dict[int, str]:
    """Highlighted passages for one page of results: escaped text, the matches in <mark>."""
    marks = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        parts = [
            "(" + " || ".join(["plainto_tsquery('english', %s)"] * len(g)) + ")" for g in groups
        ]
        sql = (
            "SELECT p.id, ts_headline('english', p.summary || ' ' || p.search_text, q.query, %s) "
            f"FROM knowledge_goodpractice p, (SELECT {' && '.join(parts)} AS query) q "
            f"WHERE p.id IN ({marks})"
        )
        options = (
            f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, "
            'MaxFragments=2, FragmentDelimiter=" \u2026 "'
        )
        params: list[Any] = [options, *[w for g in groups for w in g], *ids]
    else:
        sql = (
            "SELECT rowid, snippet(knowledge_practice_fts, -1, char(2), char(3), '\u2026', 24) "
            f"FROM knowledge_practice_fts WHERE knowledge_practice_fts MATCH %s "
            f"AND rowid IN ({marks})"
        )
        params = [_fts5_query(groups), *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {pk: _highlight(text) for pk, text in rows if text and _START in text}


def _highlight(text: str) -> str:
    return escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
