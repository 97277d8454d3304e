"""The privacy notice: public, linked from every page's footer, with the retention periods the
settings give and the links to a person's rights."""

import pytest
from django.test.utils import override_settings
from django.urls import reverse

from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db


def test_the_notice_is_public_and_linked_from_the_footer(client):
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("privacy:notice") in home
    page = client.get(reverse("privacy:notice"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "5 years after the programme" in text
    assert reverse("privacy:my_data") in text  # through the log-in
    assert accessibility_problems(text) == []


@override_settings(PRIVACY_FINANCE_RETENTION_YEARS=10, PRIVACY_CONTACT_EMAIL="dpo@x.invalid")
def test_the_notice_says_what_the_settings_say(client):
    text = client.get(reverse("privacy:notice")).content.decode()
    assert "10 years after the programme" in text and "dpo@x.invalid" in text


def test_the_notice_in_french(client):
    text = client.get(reverse("privacy:notice"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'lang="fr"' in text


def test_coordinators_reach_the_requests_from_the_notice(client_of):
    text = client_of("coordinator-1").get(reverse("privacy:notice")).content.decode()
    assert reverse("privacy:requests") in text
    text = client_of("athens-officer-1").get(reverse("privacy:notice")).content.decode()
    assert reverse("privacy:requests") not in text


def test_the_pages_pass_the_accessibility_checks(built, client_of):
    for url in (
        reverse("privacy:my_data"),
        reverse("privacy:requests"),
        reverse("privacy:request_new", args=[built.person.pk]),
    ):
        page = client_of("coordinator-1").get(url)
        assert page.status_code == 200, url
        assert accessibility_problems(page.content.decode()) == [], url
