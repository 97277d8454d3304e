"""The run form names cities by typing, not through a select of every city: a name in any case,
accents optional, or with its country when two cities share it; what names no city or several
is said next to its field with everything typed kept. Locks come as rows, or as "keep today's
pairs"; the suggestions come from a coordinators-only endpoint; the page stays small at 400
cities, its current pairs a page at a time."""

import re
from html import unescape

import pytest
from django.urls import reverse

from assessments.models import ThemeWishes
from core.roles import Role
from matching.models import MatchRun
from matching.selectors import CITIES_SHOWN, PAIRS_PER_PAGE, city_chooser
from matching.services import RunSettings, match_problem_build
from programmes.models import City, Membership, MentoringPair, Programme
from tests.assessments.builders import assess_every_member, publish_benchmarks
from tests.factories import CityFactory, account_for, build_programme
from tests.html_checks import accessibility_problems
from tests.rendered_forms import form_data

pytestmark = pytest.mark.django_db

HOME = reverse("matching:home", args=["cities-grow"])


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _as_sent(client, **typed):
    """The run form as the page renders it (every field, blank rows included), with what the
    coordinator typed, posted."""
    data = form_data(client.get(HOME).content.decode(), "")
    data.update({name: [value] for name, value in typed.items()})
    return client.post(HOME, data)


def _field_group(html: str, field: str) -> str:
    """The field's group as rendered: its label, input and the messages beside it."""
    start = html.index(f'id="id_{field}"')
    opening = html.rfind('<div class="field', 0, start)
    return html[opening : html.index("</div>", start)]


def test_cities_are_named_in_any_case_accents_optional_or_with_their_country(client_of):
    response = _as_sent(
        client_of("coordinator-1"),
        label="Typed",
        forbid_1_a="gdansk",  # Gdańsk
        forbid_1_b="ROTTERDAM",
        forbid_2_a="Barcelona (ES)",
        forbid_2_b=" riga ",
        lock_1_city="brighton & hove",
        lock_1_theme="A",
    )
    assert response.status_code == 302
    run = MatchRun.objects.get(label="Typed")
    assert run.problem["constraints"]["forbidden_pairs"] == [
        ["gdansk", "rotterdam"],
        ["barcelona", "riga"],
    ]
    assert run.problem["constraints"]["fixed"] == [{"city": "brighton-hove", "theme": "A"}]


def test_a_city_named_wrongly_is_explained_beside_its_field_and_nothing_typed_is_lost(
    client_of,
):
    # A second Valencia, so that the name alone names two cities.
    programme = _programme()
    for country in ("ES", "VE"):
        city = CityFactory(name="Valencia", slug=f"valencia-{country.lower()}", country=country)
        ThemeWishes.objects.create(programme=programme, city=city)
    response = _as_sent(
        client_of("coordinator-1"),
        label="Kept as typed",
        forbid_1_a="Munnich",
        forbid_1_b="Athens",
        forbid_2_a="Valencia",
        forbid_2_b="Riga",
        forbid_3_a="Ghent",
        lock_1_role="mentor",
        lock_2_city="Lisbon",
        lock_3_city="Helsinki",
        lock_3_role="mentor",
        lock_4_city="helsinki",
        lock_4_theme="B",
    )
    assert response.status_code == 400
    assert not MatchRun.objects.filter(label="Kept as typed").exists()
    html = unescape(response.content.decode())
    assert accessibility_problems(response.content.decode()) == []
    expected = {
        "forbid_1_a": "No city of the matching is called “Munnich”. Did you mean “Munich (DE)”?",
        "forbid_2_a": "Several cities are called “Valencia”: choose one, e.g. “Valencia (ES)”.",
        "forbid_3_b": "Type both cities, or neither.",
        "lock_1_city": "Type the city to lock.",
        "lock_2_role": "Choose a role, a theme or both.",
        "lock_4_city": "This city is locked in another row.",
    }
    for field, message in expected.items():
        assert message in _field_group(html, field), field
    for field in ("forbid_1_b", "forbid_2_b", "lock_3_city"):
        assert "errorlist" not in _field_group(html, field), field
    # Everything typed comes back as typed.
    sent_back = form_data(response.content.decode(), "")
    for field, value in {
        "label": "Kept as typed",
        "forbid_1_a": "Munnich",
        "forbid_2_a": "Valencia",
        "lock_1_role": "mentor",
        "lock_4_city": "helsinki",
        "lock_4_theme": "B",
    }.items():
        assert sent_back[field] == [value], field
    # With its country, the name is enough.
    fixed = _as_sent(
        client_of("coordinator-1"), label="Valencia fixed", lock_1_city="Valencia (ve)"
    )
    assert fixed.status_code == 400  # a city without role or theme: said, not guessed
    assert "Choose a role, a theme or both." in _field_group(
        unescape(fixed.content.decode()), "lock_1_role"
    )
    chooser = city_chooser(programme)
    assert chooser.resolve("Valencia (ve)").key == "valencia-ve"


def test_keeping_todays_pairs_locks_each_of_their_cities_and_a_row_overrides_one():
    programme = _programme()
    current = list(
        MentoringPair.objects.current()
        .filter(scheme__programme=programme)
        .values_list("scheme__theme__code", "mentor__city__slug", "implementing__city__slug")
    )
    assert current, "the demo has pairs today"
    theme, mentor, implementing = sorted(current)[0]
    built = match_problem_build(
        programme=programme,
        run_settings=RunSettings(
            pairs={"A": 2, "B": 2, "C": 2, "D": 2},
            keep_current=True,
            locks={implementing: ("", "D")},
        ),
    )
    fixed = {
        f["city"]: (f.get("role", ""), f.get("theme", ""))
        for f in built.problem["constraints"]["fixed"]
    }
    expected = {}
    for code, m, i in current:
        expected[m], expected[i] = ("mentor", code), ("implementer", code)
    expected[implementing] = ("", "D")
    known = {c["id"] for c in built.problem["cities"]}
    assert fixed == {slug: lock for slug, lock in expected.items() if slug in known}
    assert fixed[mentor] == ("mentor", theme)


def test_the_city_suggestions_are_the_coordinators_and_bounded(client_of):
    url = reverse("matching:cities", args=["cities-grow"])
    client = client_of("coordinator-1")
    found = client.get(url, {"q": "gdan"}).json()
    assert found == {"results": [{"id": "gdansk", "label": "Gdańsk (PL)"}], "more": False}
    # Names that start with what was typed come first.
    labels = [r["label"] for r in client.get(url, {"q": "r"}).json()["results"]]
    starting = [label for label in labels if label.lower().startswith("r")]
    assert labels[: len(starting)] == starting and "Barcelona (ES)" in labels
    assert client.get(url, {"q": ""}).json() == {"results": [], "more": False}
    programme = _programme()
    for n in range(CITIES_SHOWN + 5):
        city = CityFactory(name=f"Riverton {n:02d}", slug=f"riverton-{n}")
        ThemeWishes.objects.create(programme=programme, city=city)
    many = client.get(url, {"q": "rivert"}).json()
    assert len(many["results"]) == CITIES_SHOWN and many["more"] is True
    # Cities without wishes are not in a run: they are not suggested.
    CityFactory(name="Nowishton", slug="nowishton")
    assert client.get(url, {"q": "nowish"}).json()["results"] == []
    assert client_of("auditor-1").get(url, {"q": "gdan"}).status_code == 404


def test_current_pairs_are_found_by_city_or_theme_and_paged(client_of):
    client = client_of("auditor-1")
    page = client.get(HOME, {"q": "athens"}).content.decode()
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', page)
    assert rows == [("Athens", "Munich")]
    assert "1 of today's 8 pairs concern “athens”." in page
    none = client.get(HOME, {"q": "Atlantis"}).content.decode()
    assert "No pair concerns this city or theme." in none


@pytest.fixture
def programme_of_400_cities():
    big = build_programme(schemes=100, slug="big")
    publish_benchmarks(big)
    assess_every_member(big)
    return big


def test_the_matching_home_of_400_cities_stays_small_and_pages_its_pairs(
    client, programme_of_400_cities
):
    big = programme_of_400_cities
    assert City.objects.filter(slug__startswith="big-").count() == 400
    coordinator = account_for(
        Membership.objects.filter(programme=big, role=Role.COORDINATOR).first().person
    )
    client.force_login(coordinator)
    url = reverse("matching:home", args=[big.slug])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 200_000, f"{len(response.content)} bytes"
    assert accessibility_problems(html) == []
    assert html.count("<option") < 1_500  # no select of every city, nor a theme select per city
    assert len(re.findall(r'<th scope="row">big city', html)) == PAIRS_PER_PAGE
    assert "200 pairs today." in html
    last = client.get(url, {"page": 4}).content.decode()
    assert len(re.findall(r'<th scope="row">big city', last)) == 200 - 3 * PAIRS_PER_PAGE
    # A city of the last page is found by name; the search is kept on the page links.
    searched = client.get(url, {"q": "city 99-"}).content.decode()
    assert len(re.findall(r'<th scope="row">big city 99-', searched)) == 2
    theme = client.get(url, {"q": "s42"}).content.decode()  # a theme's code
    assert re.findall(r"<tr><td>(S\d+)</td>", theme) == ["S42", "S42"]
    two_pages = client.get(url, {"q": "city"}).content.decode()
    assert "?q=city&amp;page=2" in two_pages
