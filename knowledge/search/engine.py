"""Searching the published practices: ranked full-text search with stemming and typo
tolerance, highlighted snippets, facets with counts, filters, sorting and pages.

One service for both databases: only the text match and the snippets are written per engine
(see index.py), each on its engine's fast path. Filters, facet counts, sorting and paging use
an in-process index of the published practices' facet values as bit sets, rebuilt when the
published practices change (a one-query fingerprint tells), so they cost the same on both
engines and stay fast at tens of thousands of practices. Filters within one facet are
alternatives (OR), filters of different facets all apply (AND), and each facet's counts apply
every filter but its own, so a person sees how many practices each other choice adds.
Every query is parameterised: the words of the query are the only user input in SQL, and they
are passed as parameters (FTS5 reads them as quoted strings, PostgreSQL as plain text).
"""

import math
import re
from dataclasses import dataclass, field
from html import escape
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..choices import PracticeState
from ..models import GoodPractice, PracticeFacet, SearchTerm, SearchVersion
from ..services.indexing import Facet
from .stemming import postgresql_configs, word_stems

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


# ---------------------------------------------------------------- what is published now


def _fingerprint() -> Any:
    """The search data's version (one primary-key read): when it changes, the in-process
    vocabulary and facet index are rebuilt. Every re-index draws a new one."""
    return SearchVersion.objects.filter(pk=1).values_list("token", flat=True).first()


@dataclass
class FacetIndex:
    """The published practices' facet values as bit sets (bit i = the i-th practice by id),
    so that filters, counts and orders cost a few big-integer operations, whatever the size."""

    fingerprint: Any
    ids: list[int]  # bit -> practice id
    position: dict[int, int]  # practice id -> bit
    values: dict[str, dict[str, int]]  # facet -> value -> bit set
    everything: int
    orders: dict[str, list[int]]  # sort -> bits in that order
    languages: frozenset[str]  # the languages practices are written in: a query is stemmed in each

    @classmethod
    def build(cls, fingerprint: Any) -> "FacetIndex":
        rows = list(
            GoodPractice.objects.filter(state=PracticeState.PUBLISHED)
            .order_by("id")
            .values_list("id", "title", "city_name", "start_year", "language")
        )
        ids = [row[0] for row in rows]
        position = {pk: bit for bit, pk in enumerate(ids)}
        bits: dict[str, dict[str, list[int]]] = {}
        facet_rows = PracticeFacet.objects.filter(
            practice__state=PracticeState.PUBLISHED
        ).values_list("practice_id", "facet", "value")
        for practice_id, facet, value in facet_rows.iterator(chunk_size=20000):
            bits.setdefault(facet, {}).setdefault(value, []).append(position[practice_id])
        size = (len(ids) + 8) // 8
        values = {
            facet: {value: _bit_set(members, size) for value, members in by_value.items()}
            for facet, by_value in bits.items()
        }
        by_title = sorted(range(len(rows)), key=lambda b: (rows[b][1].lower(), rows[b][0]))
        orders = {
            "title": by_title,
            "city": sorted(by_title, key=lambda b: rows[b][2].lower()),
            "newest": sorted(by_title, key=lambda b: -(rows[b][3] or 0)),
            "oldest": sorted(by_title, key=lambda b: rows[b][3] or 9999),
        }
        languages = frozenset(row[4] for row in rows)
        return cls(fingerprint, ids, position, values, (1 << len(ids)) - 1, orders, languages)

    def bits_of(self, ids: list[int]) -> int:
        return _bit_set(
            [self.position[pk] for pk in ids if pk in self.position], len(self.ids) // 8 + 1
        )

    def matching(self, facet: str, chosen: tuple[str, ...]) -> int:
        """Practices with any of the chosen values of a facet."""
        found = 0
        for value in chosen:
            found |= self.values.get(facet, {}).get(value, 0)
        return found


def _bit_set(members: list[int], size: int) -> int:
    buffer = bytearray(size)
    for bit in members:
        buffer[bit >> 3] |= 1 << (bit & 7)
    return int.from_bytes(buffer, "little")


_cache: dict[str, Any] = {"index": None, "vocabulary": (None, [], frozenset())}


def facet_index() -> FacetIndex:
    fingerprint = _fingerprint()
    index = _cache["index"]
    if index is None or index.fingerprint != fingerprint:
        index = _cache["index"] = FacetIndex.build(fingerprint)
    return index


def _vocabulary_words(fingerprint: Any) -> tuple[list[str], frozenset[str]]:
    """The words of the published practices, cached in the process until they change."""
    cached_for, words, known = _cache["vocabulary"]
    if cached_for != fingerprint:
        words = list(SearchTerm.objects.values_list("term", flat=True))
        known = frozenset(words)
        _cache["vocabulary"] = (fingerprint, words, known)
    return words, known


def corrections_for(terms: list[str], fingerprint: Any) -> dict[str, str]:
    """For each word the practices never use, the nearest word they do use (one edit for
    short words, two for longer; a swap of two letters counts as one)."""
    words, known = _vocabulary_words(fingerprint)
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


# ---------------------------------------------------------------- the text match


def _tsquery(groups: list[list[str]], languages: frozenset[str]) -> tuple[str, list[str]]:
    """Each word stemmed by every configuration the practices are indexed with (a word matches a
    practice stemmed alike); the configuration names are ours, the words are parameters."""
    configs = postgresql_configs(languages) or ["simple"]
    parts, params = [], []
    for group in groups:
        alternatives = [f"plainto_tsquery('{c}', %s)" for _word in group for c in configs]
        parts.append("(" + " || ".join(alternatives) + ")")
        params += [word for word in group for _config in configs]
    return " && ".join(parts), params


def _fts5_query(groups: list[list[str]], languages: frozenset[str]) -> str:
    # Each word is a quoted string (the words hold only letters and digits): FTS5 applies
    # its tokenizer, so stemming and diacritic folding still work, and nothing is an operator.
    # The word's stem in each language of the practices is looked for in their stems column.
    def alternatives(word: str) -> list[str]:
        return [f'"{word}"', *(f'stems : "{stem}"' for stem in word_stems(word, languages))]

    return " AND ".join(
        "(" + " OR ".join(a for w in group for a in alternatives(w)) + ")" for group in groups
    )


def _ranked_matches(groups: list[list[str]], languages: frozenset[str]) -> list[tuple[int, float]]:
    """(id, score) of the published practices matching every group of words, best first.
    Each engine's own fast path: FTS5's BM25 rank order over the whole text; PostgreSQL's GIN
    index over the whole text, then ts_rank_cd over the title and summary (a match in the body
    alone ranks after them)."""
    if connection.vendor == "postgresql":
        tsquery, params = _tsquery(groups, languages)
        sql = (
            "SELECT t.practice_id, ts_rank_cd(t.head, q.query, 32) AS score "
            f"FROM knowledge_practice_tsv t, (SELECT {tsquery} AS query) q "
            "WHERE t.document @@ q.query ORDER BY score DESC, t.practice_id"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            # A broad query matches half the base: the planner would then read every document
            # instead of the GIN index, which answers it ten times faster.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, params)
            return [(pk, float(score)) for pk, score in cursor.fetchall()]
    else:
        sql = (
            "SELECT rowid, -rank FROM knowledge_practice_fts "
            "WHERE knowledge_practice_fts MATCH %s ORDER BY rank, rowid"
        )
        params = [_fts5_query(groups, languages)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


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
    index = facet_index()
    terms = query_terms(request.text)
    corrections = corrections_for(terms, index.fingerprint) if terms else {}
    groups = [[t, corrections[t]] if t in corrections else [t] for t in terms]
    ranked = _ranked_matches(groups, index.languages) if groups else []
    matched = index.bits_of([pk for pk, _score in ranked]) if groups else index.everything
    chosen = {f: index.matching(f, values) for f, values in request.filters.items()}
    selected = matched
    for bits in chosen.values():
        selected &= bits
    total = selected.bit_count()
    start = (request.page - 1) * request.per_page
    if groups and request.sort == "relevance":
        members = selected.to_bytes(len(index.ids) // 8 + 1, "little")
        page = [(pk, score) for pk, score in ranked if _has(members, index.position.get(pk))][
            start : start + request.per_page
        ]
    else:
        order = index.orders["title" if request.sort == "relevance" else request.sort]
        members = selected.to_bytes(len(index.ids) // 8 + 1, "little")
        scores = dict(ranked)
        in_order = (index.ids[bit] for bit in order if _has(members, bit))
        page = [
            (pk, scores.get(pk, 0.0)) for pk in islice(in_order, start, start + request.per_page)
        ]
    facets = _facet_counts(request, index, matched, chosen) if request.with_facets else {}
    return SearchResult(
        request=request,
        terms=terms,
        corrections=corrections,
        total=total,
        hits=_hits(page, groups, index.languages),
        facets=facets,
    )


def _has(members: bytes, bit: int | None) -> bool:
    return bit is not None and bool(members[bit >> 3] >> (bit & 7) & 1)


def _facet_counts(
    request: SearchRequest, index: FacetIndex, matched: int, chosen: dict[str, int]
) -> dict[str, list[FacetCount]]:
    """Each facet's counts apply the text and every filter but the facet's own."""
    counts: dict[str, list[FacetCount]] = {}
    for facet in Facet.ALL:
        base = matched
        for other, bits in chosen.items():
            if other != facet:
                base &= bits
        picked = request.filters.get(facet, ())
        found = [
            FacetCount(value=value, count=count, selected=value in picked)
            for value, bits in index.values.get(facet, {}).items()
            if (count := (bits & base).bit_count()) or value in picked
        ]
        # A chosen value stays visible even when nothing has it any more.
        present = {c.value for c in found}
        found += [FacetCount(v, 0, True) for v in picked if v not in present]
        if facet == Facet.YEAR:
            found.sort(key=lambda c: c.value, reverse=True)
        else:
            found.sort(key=lambda c: (-c.count, c.value))
        counts[facet] = found
    return counts


def _hits(
    scored: list[tuple[int, float]], groups: list[list[str]], languages: frozenset[str]
) -> list[Hit]:
    if not scored:
        return []
    ids = [pk for pk, _score in scored]
    practices = GoodPractice.objects.in_bulk(ids)
    snippets = _snippets(ids, groups, languages) if groups else {}
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


def _snippets(ids: list[int], groups: list[list[str]], languages: frozenset[str]) -> dict[int, str]:
    """Highlighted passages for one page of results: escaped text, the matches in <mark>."""
    marks = ", ".join(["%s"] * len(ids))
    if connection.vendor == "postgresql":
        tsquery, words = _tsquery(groups, languages)
        sql = (
            "SELECT p.id, ts_headline(knowledge_search_config(p.language), "
            "p.summary || ' ' || p.search_text, q.query, %s) "
            f"FROM knowledge_goodpractice p, (SELECT {tsquery} AS query) q "
            f"WHERE p.id IN ({marks})"
        )
        options = (
            f"StartSel={_START}, StopSel={_STOP}, MaxWords=30, MinWords=12, "
            'MaxFragments=2, FragmentDelimiter=" \u2026 "'
        )
        params: list[Any] = [options, *words, *ids]
    else:
        # The passage comes from the body, else the summary: never from the stems column.
        sql = (
            "SELECT rowid, snippet(knowledge_practice_fts, 2, char(2), char(3), '\u2026', 24), "
            "snippet(knowledge_practice_fts, 1, char(2), char(3), '\u2026', 24) "
            "FROM knowledge_practice_fts WHERE knowledge_practice_fts MATCH %s "
            f"AND rowid IN ({marks})"
        )
        params = [_fts5_query(groups, languages), *ids]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    passages = {}
    for pk, *texts in rows:
        marked = [text for text in texts if text and _START in text]
        if marked:
            passages[pk] = _highlight(marked[0])
    return passages


def _highlight(text: str) -> str:
    return escape(text).replace(_START, "<mark>").replace(_STOP, "</mark>")
