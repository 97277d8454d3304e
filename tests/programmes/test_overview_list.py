"""The overview at scale: each scheme with its counts, and the cities a page of 25 at a time,
filtered by scheme and name, placed on the map, with the same queries on every page."""

import re

import pytest
from django.urls import reverse

from core.roles import Role
from programmes.models import Membership
from programmes.selectors import OVERVIEW_CITIES_PER_PAGE
from tests.factories import account_for, build_programme
from tests.html_checks import accessibility_problems
from tests.page_queries import page_and_queries as _get

pytestmark = pytest.mark.django_db


def _rows(html):
    table = html.split("<caption>Cities, their scheme and their role</caption>")[1]
    return re.findall(r"<tr><th scope=\"row\">", table.split("</table>")[0])


def test_the_cities_are_paged_and_filtered_and_the_schemes_counted(client):
    programme = build_programme(schemes=40)  # 160 cities, 80 pairs
    coordinator = Membership.objects.filter(programme=programme, role=Role.COORDINATOR).first()
    client.force_login(account_for(coordinator.person))
    url = reverse("programmes:overview", args=[programme.slug])

    html, first = _get(client, url)
    assert accessibility_problems(html) == []
    assert len(_rows(html)) == OVERVIEW_CITIES_PER_PAGE
    assert "Cities 1 to 25 of 160, by scheme and role." in html and "Page 1 of 7" in html
    # The figures are the programme's, not the page's.
    assert re.search(r"<dt>Cities</dt><dd>160</dd>", html)
    assert re.search(r"<dt>Pairs</dt><dd>80</dd>", html)
    schemes = html.split("Each scheme: its theme, facilitator, cities and pairs")[-1]  # the caption
    assert schemes.count('href="?scheme=') == 40
    assert re.search(r'href="\?scheme=S7#cities-heading">4</a></td>\s*<td>2</td>', schemes)
    # The map shows the page's cities; each row names the city it is paired with.
    assert html.count('class="map-city') <= OVERVIEW_CITIES_PER_PAGE
    row = re.search(r"scaled city 0-0</a></th>.*?</tr>", html, re.S).group(0)
    assert "<td>scaled city 0-2</td></tr>" in row

    last, on_last = _get(client, url, {"page": 7})
    assert on_last == first and len(_rows(last)) == 10
    scheme, on_scheme = _get(client, url, {"scheme": "S7"})
    assert len(_rows(scheme)) == 4 and "Page 1 of" not in scheme
    assert on_scheme == first + 1  # a filter adds the count of what it keeps
    assert all(f"scaled city 7-{c}" in scheme for c in range(4))
    named, _ = _get(client, url, {"q": "city 12-"})
    assert len(_rows(named)) == 4 and "Show every city" in named
    assert "No city matches." in _get(client, url, {"q": "nowhere"})[0]
    assert _get(client, url, {"page": "x", "scheme": "<b>"})[0]


def test_the_overview_reads_the_same_queries_for_few_and_many_cities(client, user_of):
    client.force_login(user_of("coordinator-1"))
    _, few = _get(client, reverse("programmes:overview", args=["cities-grow"]), {"page": 1})
    programme = build_programme(schemes=40)
    coordinator = Membership.objects.filter(programme=programme, role=Role.COORDINATOR).first()
    client.force_login(account_for(coordinator.person))
    url = reverse("programmes:overview", args=[programme.slug])
    for params in ({"page": 1}, {"page": 3}, {"scheme": "S1", "q": "city"}):
        _, many = _get(client, url, params)
        filtered = "q" in params
        assert many == few + filtered, params  # a filter adds the count of what it keeps
