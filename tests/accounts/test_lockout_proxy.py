"""The log-in lock-out keys on the client's address, read from a trusted proxy's header only when
one is configured (accounts/client_ip.py, AXES_CLIENT_IP_CALLABLE)."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from accounts.client_ip import client_ip_address
from tests.conftest import email_of

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
PASSWORD = settings.DEMO_PASSWORD
BEHIND_PROXY = override_settings(TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_FOR", TRUSTED_PROXY_COUNT=1)


def _fail_until_locked(client, email, **headers):
    responses = [
        client.post(LOGIN, {"username": email, "password": "wrong"}, headers=headers)
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert [r.status_code for r in responses][-2:] == [200, 429]


@BEHIND_PROXY
def test_behind_a_proxy_the_attacker_is_locked_out_and_the_person_is_not():
    email = email_of("finance-1")
    attacker, person = Client(), Client()  # both reach the platform through the same proxy
    _fail_until_locked(attacker, email, **{"X-Forwarded-For": "203.0.113.66"})
    refused = attacker.post(
        LOGIN,
        {"username": email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.66"},
    )
    assert refused.status_code == 429
    welcome = person.post(
        LOGIN,
        {"username": email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert welcome.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}


@BEHIND_PROXY
def test_behind_a_proxy_what_the_client_writes_into_the_header_is_not_read():
    email = email_of("finance-1")
    attacker = Client()
    # The proxy appends the address it saw; the attacker's own entries sit to its left.
    for n in range(settings.AXES_FAILURE_LIMIT):
        last = attacker.post(
            LOGIN,
            {"username": email, "password": "wrong"},
            headers={"X-Forwarded-For": f"10.0.0.{n}, 203.0.113.66"},
        )
    assert last.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.66"]


def test_without_a_proxy_a_forged_header_does_not_change_the_key():
    email = email_of("finance-1")
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        last = client.post(
            LOGIN,
            {"username": email, "password": "wrong"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
        )
    assert last.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("proxy", "forwarded", "expected"),
    [
        ((None, 1), "203.0.113.5", "192.0.2.1"),  # no proxy configured: the connection
        (("HTTP_X_FORWARDED_FOR", 1), "203.0.113.5", "203.0.113.5"),
        (("HTTP_X_FORWARDED_FOR", 1), "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (("HTTP_X_FORWARDED_FOR", 2), "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (("HTTP_X_FORWARDED_FOR", 2), "203.0.113.5", "192.0.2.1"),  # not through both proxies
        (("HTTP_X_FORWARDED_FOR", 1), "", "192.0.2.1"),  # straight to the platform
        (("HTTP_X_FORWARDED_FOR", 1), "not-an-address", "192.0.2.1"),
        (("HTTP_X_FORWARDED_FOR", 1), "203.0.113.5:51234", "203.0.113.5"),
        (("HTTP_X_FORWARDED_FOR", 1), "[2001:db8::1]:443", "2001:db8::1"),
        (("HTTP_X_FORWARDED_FOR", 1), "2001:db8::1", "2001:db8::1"),
        (("HTTP_X_REAL_IP", 1), "203.0.113.5", "192.0.2.1"),  # another header is not read
    ],
)
def test_client_address(proxy, forwarded, expected):
    header, count = proxy
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_HEADER=header or "", TRUSTED_PROXY_COUNT=count):
        assert client_ip_address(request) == expected


def test_production_reads_the_proxy_header_and_the_embedded_mode_does_not():
    from config.settings import base

    assert base.TRUSTED_PROXY_HEADER == ""
    assert base.AXES_CLIENT_IP_CALLABLE == "accounts.client_ip.client_ip_address"
    source = (settings.BASE_DIR / "config/settings/production.py").read_text()
    assert 'env.str("TRUSTED_PROXY_HEADER", default="HTTP_X_FORWARDED_FOR")' in source
