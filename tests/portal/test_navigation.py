"""The header navigation follows the person's roles."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _nav(client):
    html = client.get(reverse("portal:home")).content.decode()
    return html[html.index('<nav aria-label="Main">') : html.index("</nav>")]


def test_city_officer_gets_a_link_to_their_city(client_of):
    nav = _nav(client_of("athens-officer-1"))
    assert reverse("programmes:city", args=["cities-grow", "athens"]) in nav
    assert "My city: Athens" in nav
    assert "My scheme" not in nav
    assert reverse("admin:index") not in nav


def test_facilitator_gets_a_link_to_their_scheme(client_of):
    nav = _nav(client_of("facilitator-b"))
    assert reverse("programmes:scheme", args=["cities-grow", "B"]) in nav
    assert "My city" not in nav


def test_platform_admin_gets_the_administration(client_of):
    assert reverse("admin:index") in _nav(client_of("platform-admin"))


def test_anonymous_visitor_gets_log_in_only(client):
    nav = _nav(client)
    assert reverse("accounts:login") in nav
    assert "cities-grow" not in nav
