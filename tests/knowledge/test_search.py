"""The practice search, run against whichever database the suite uses (CI runs it on SQLite's
FTS5 and on PostgreSQL): stemming, typos, ranking, snippets, facets, filters, hostile input."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.choices import PracticeState
from knowledge.models import GoodPractice, PracticeFacet
from knowledge.search.engine import SearchRequest, practice_search, query_terms
from knowledge.services.exchange import practices_import
from knowledge.workflow import PracticeStep, practice_step

pytestmark = pytest.mark.django_db

KITCHEN = "ghent-kitchen-incubator"


def _search(text="", **filters):
    sort = filters.pop("sort", "relevance")
    page = filters.pop("page", 1)
    per_page = filters.pop("per_page", 20)
    return practice_search(
        SearchRequest(
            text=text,
            filters={k: tuple(v) for k, v in filters.items()},
            sort=sort,
            page=page,
            per_page=per_page,
        )
    )


def _references(result):
    return [hit.practice.reference for hit in result.hits]


def _published_count(**lookup):
    return GoodPractice.objects.filter(state=PracticeState.PUBLISHED, **lookup).distinct().count()


def test_stemming_finds_the_singular_from_the_plural_and_back():
    plural = _search("entrepreneurs")
    singular = _search("entrepreneur")
    assert plural.total == singular.total > 0
    assert not plural.corrections and not singular.corrections  # both are known words
    assert KITCHEN in _references(_search("kitchen entrepreneurs"))


@pytest.mark.parametrize(
    "typed", ["kitchn incubator", "kitchen incubatr", "ktichen incubator", "Kitchen Incubator"]
)
def test_a_typo_finds_the_right_practice(typed):
    result = _search(typed)
    assert _references(result)[0] == KITCHEN
    if typed.islower():
        assert result.corrections  # shown as "also searched for"


def test_a_title_match_ranks_first_with_a_positive_score():
    result = _search("kitchen incubator newcomer food")
    assert _references(result)[0] == KITCHEN
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_snippets_highlight_the_words_and_escape_the_text():
    result = _search("multilingual storytelling")
    assert result.total == 1
    snippet = str(result.hits[0].snippet)
    assert "<mark>" in snippet.lower()
    # A stored angle bracket is shown, never interpreted.
    practice = result.hits[0].practice
    GoodPractice.objects.filter(pk=practice.pk).update(
        summary="Quaggas <script>alert(1)</script> and storytelling", search_text=""
    )
    snippet = str(_search("quaggas").hits[0].snippet)
    # Escaped by us (SQLite) or dropped as markup by ts_headline (PostgreSQL): never a tag.
    assert "<script" not in snippet and "alert(1)" in snippet


def test_unpublished_practices_are_not_found(user_of):
    assert _search("kitchen incubator").total >= 1
    assert KITCHEN in _references(_search(city=["Ghent"]))
    practice = GoodPractice.objects.get(reference=KITCHEN)
    practice_step(
        actor=user_of("coordinator-1"), practice=practice, step=PracticeStep.WITHDRAW, comment="x"
    )
    assert KITCHEN not in _references(_search("kitchen incubator"))
    assert KITCHEN not in _references(_search(city=["Ghent"]))


def test_facets_count_with_the_other_filters_applied():
    everything = _search()
    assert everything.total == _published_count()
    theme_counts = {c.value: c.count for c in everything.facets["theme"]}
    assert theme_counts["cities-grow-c"] == _published_count(themes__code="cities-grow-c")

    filtered = _search(theme=["cities-grow-c"], status=["ongoing"])
    expected = _published_count(themes__code="cities-grow-c", status="ongoing")
    assert filtered.total == expected
    # Country counts apply both filters...
    country_total = sum(c.count for c in filtered.facets["country"])
    assert country_total == expected  # one country per practice
    # ...while the theme facet leaves out its own filter, so other themes show what they add.
    themes = {c.value: c for c in filtered.facets["theme"]}
    assert themes["cities-grow-c"].selected
    assert themes["cities-grow-a"].count == _published_count(
        themes__code="cities-grow-a", status="ongoing"
    )
    status = {c.value: c.count for c in filtered.facets["status"]}
    assert status["ended"] == _published_count(themes__code="cities-grow-c", status="ended")


def test_values_of_one_facet_are_alternatives_and_facets_combine():
    one = _search(theme=["cities-grow-a"]).total
    two = _search(theme=["cities-grow-a", "cities-grow-d"]).total
    both = _published_count(themes__code__in=["cities-grow-a", "cities-grow-d"])
    assert one < two == both
    with_text = _search("discrimination", theme=["cities-grow-a", "cities-grow-d"])
    assert 0 < with_text.total <= two
    assert all(
        {t.code for t in hit.practice.themes.all()} & {"cities-grow-a", "cities-grow-d"}
        for hit in with_text.hits
    )


def test_every_facet_has_counts():
    result = _search()
    for facet in (
        "theme",
        "key_factor",
        "charter_role",
        "module",
        "country",
        "city",
        "target_group",
        "source",
        "year",
        "status",
    ):
        assert result.facets[facet], facet
        assert all(c.count > 0 for c in result.facets[facet])
    key_factor = {c.value: c.count for c in result.facets["key_factor"]}
    assert key_factor["c5"] == _published_count(key_factors__code="c5")


def test_sorting_and_pages():
    by_title = _search(sort="title", per_page=20)
    titles = [h.practice.title for h in by_title.hits]
    assert titles == sorted(titles)
    second = _search(sort="title", page=2)
    assert not set(_references(by_title)) & set(_references(second))
    newest = [h.practice.start_year or 0 for h in _search(sort="newest").hits]
    assert newest == sorted(newest, reverse=True)
    assert _search(page=10_000).request.page == 500  # clamped, no error
    assert _search(sort="nonsense").request.sort == "relevance"


HOSTILE = [
    '"',
    '"kitchen',
    "kitchen AND OR NOT NEAR(",
    "-kitchen +incubator* ^title:x",
    "title:kitchen",
    "'; DROP TABLE knowledge_goodpractice; --",
    "%_\\",
    "Gdańsk Αθήνα Rīga 中文 🎉 \u0000 \u202e",
    "kitchen " * 1500,  # 12 kB
    "a" * 10_000,
    "<script>alert(1)</script>",
    "&& || ! : * ( )",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_no_query_string_causes_an_error(query, client):
    result = _search(query)
    assert result.total >= 0
    response = client.get(reverse("knowledge:practices"), {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    api = client.get(reverse("api:practices"), {"q": query, "theme": ["<x>", "'"]})
    assert api.status_code == 200


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_is_a_valid_query(text):
    result = _search(text)
    assert result.total >= 0
    assert len(query_terms(text)) <= 12


def test_practices_published_later_are_found_and_withdrawn_ones_are_not(user_of):
    content = (
        '{"practices": [{"reference": "late-zebra", "title": "Zebra crossing mentors", '
        '"city": "Tallinn", "country": "EE", "summary": "Quokka volunteers.", '
        '"themes": ["implementoring-neighbourhoods"], "state": "draft"}]}'
    )
    assert practices_import(actor=None, content=content, file_format="json").ok
    assert _search("quokka").total == 0
    practice = GoodPractice.objects.get(reference="late-zebra")
    practice_step(actor=user_of("facilitator-c"), practice=practice, step=PracticeStep.PUBLISH)
    assert _references(_search("quokka")) == ["late-zebra"]
    assert _references(_search("quoka")) == ["late-zebra"]  # the new word is in the vocabulary
    practice_step(
        actor=user_of("facilitator-c"), practice=practice, step=PracticeStep.WITHDRAW, comment="x"
    )
    assert _search("quokka").total == 0
    assert PracticeFacet.objects.filter(practice=practice).exists()  # kept for a republish


def test_the_api_returns_ranked_results_with_scores_and_facets(client):
    response = client.get(
        reverse("api:practices"), {"q": "kitchen incubator", "theme": "cities-grow-c"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["total"] >= 1 and data["results"][0]["reference"] == KITCHEN
    assert data["results"][0]["score"] > 0
    assert "<mark>" in data["results"][0]["snippet"].lower()
    assert data["results"][0]["url"].endswith(f"/practices/{KITCHEN}/")
    theme = {f["value"]: f for f in data["facets"]["theme"]}
    assert theme["cities-grow-c"]["selected"] and theme["cities-grow-c"]["label"]
    assert set(data) == {"query", "total", "page", "pages", "corrections", "results", "facets"}


def test_the_search_page_shows_facets_snippets_and_keeps_the_query(client):
    response = client.get(
        reverse("knowledge:practices"), {"q": "kitchen incubatr", "theme": "cities-grow-c"}
    )
    html = response.content.decode()
    assert 'value="kitchen incubatr"' in html
    assert "Also searched for" in html and "incubator" in html
    assert 'name="theme" value="cities-grow-c" checked' in html
    assert "Kitchen Incubator for Newcomer Food Entrepreneurs" in html


def test_the_search_page_runs_a_bounded_number_of_queries(client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("knowledge:practices"), {"q": "migrants", "status": "ongoing"})
        return len(queries)

    before = count()
    copies = [
        {
            "reference": f"extra-{n}",
            "title": f"Extra migrants practice {n}",
            "city": f"Town {n}",
            "country": "AT",
            "summary": "For migrants.",
            "themes": ["implementoring-neighbourhoods"],
            "target_groups": ["residents", "newcomers"],
            "start_year": 2000 + n,
            "state": "published",
        }
        for n in range(30)
    ]
    assert practices_import(actor=None, content=json.dumps(copies), file_format="json").ok
    count()  # the new words reload the cached vocabulary once (one query, whatever its size)
    assert count() == before
