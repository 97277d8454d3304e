"""The infographics home of a large programme: ten schemes a page, each with its pairs, a search
by city or theme code kept on the page links, the same queries for 4 schemes as for 25, and a
start that finds its pair or scheme whatever the page (404 outside the editor's reach)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from infographics.models import Infographic
from infographics.selectors import SCHEMES_PER_PAGE
from programmes.models import Membership, MentoringPair
from tests.factories import account_for, build_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def big():
    return build_programme(schemes=25, slug="big")


def _coordinator(programme):
    person = Membership.objects.filter(programme=programme, role=Role.COORDINATOR).first().person
    return account_for(person)


def _schemes(html: str) -> list[str]:
    return re.findall(r'<th scope="row">Scheme (S\d+) ', html)


def _pairs(html: str) -> list[str]:
    return re.findall(r'<th scope="row">(big city \d+-\d) \u2013 (big city \d+-\d)</th>', html)


def test_schemes_are_listed_ten_a_page_with_their_pairs(client, big):
    client.force_login(_coordinator(big))
    url = reverse("infographics:index", args=[big.slug])
    first = client.get(url).content.decode()
    assert _schemes(first) == sorted(f"S{n}" for n in range(25))[:SCHEMES_PER_PAGE]
    assert len(_pairs(first)) == 2 * SCHEMES_PER_PAGE
    assert "page 1 of 3" in first
    last = client.get(url, {"page": 3}).content.decode()
    assert len(_schemes(last)) == 25 - 2 * SCHEMES_PER_PAGE
    # A city is found by its name: its scheme and its pair only.
    city = client.get(url, {"q": "city 17-2"}).content.decode()
    assert _schemes(city) == ["S17"]
    assert _pairs(city) == [("big city 17-0", "big city 17-2")]
    # A theme by its code: the scheme and all its pairs.
    theme = client.get(url, {"q": "s17"}).content.decode()
    assert _schemes(theme) == ["S17"] and len(_pairs(theme)) == 2
    assert "No scheme or pair matches" in client.get(url, {"q": "Atlantis"}).content.decode()
    assert "?q=city&amp;page=2" in client.get(url, {"q": "city"}).content.decode()


def test_a_pair_of_a_later_page_is_started_and_a_malformed_subject_is_a_404(client, big):
    client.force_login(_coordinator(big))
    start = reverse("infographics:start", args=[big.slug])
    pair = MentoringPair.objects.get(
        scheme__theme__code="S9", implementing__city__slug="big-city-9-3"
    )
    response = client.post(start, {"subject": f"pair-{pair.pk}", "language": "en"})
    assert response.status_code == 302
    infographic = Infographic.objects.get(pair=pair)
    home = client.get(reverse("infographics:index", args=[big.slug]), {"q": "s9"}).content.decode()
    assert reverse("infographics:edit", args=[big.slug, infographic.pk]) in home
    for subject in ("pair-x", "pair-", "other-1", "scheme-999999"):
        response = client.post(start, {"subject": subject, "language": "en"})
        assert response.status_code == 404, subject
    # A pair of another programme is outside this programme's reach.
    other = MentoringPair.objects.filter(scheme__programme__slug="cities-grow").first()
    response = client.post(start, {"subject": f"pair-{other.pk}", "language": "en"})
    assert response.status_code == 404


def test_the_home_costs_the_same_queries_for_4_schemes_as_for_25(client, user_of, big):
    counts = []
    for user, slug in ((user_of("coordinator-1"), "cities-grow"), (_coordinator(big), "big")):
        client.force_login(user)
        url = reverse("infographics:index", args=[slug])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
