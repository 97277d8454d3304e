"""A coordinator sets up a passkey as their second factor in Chromium, with the browser's own
WebAuthn stack answered by a virtual authenticator (DevTools' WebAuthn domain, as a phone's or a
laptop's built-in one answers: user present and verified), then logs in with password and
passkey. The platform's scripts run under its Content-Security-Policy, as everywhere."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from tests.conftest import email_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "cities-grow-demo"
# A WebAuthn ceremony is two requests and the browser's own work: on a busy machine, more than
# the 5 s an assertion waits by default.
CEREMONY = 20_000


@pytest.fixture
def passkey_page(browser, live_server, demo_data, settings):
    """A page on http://localhost:<port> (a passkey belongs to a host name, never to an IP),
    with a virtual platform authenticator attached to the browser."""
    base_url = live_server.url.replace("127.0.0.1", "localhost")
    settings.PLATFORM_BASE_URL = base_url
    context = browser.new_context(base_url=base_url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.devtools = devtools
    page.authenticator_id = authenticator["authenticatorId"]
    yield page
    context.close()


def _password(page, key):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email_of(key))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_coordinator_sets_up_a_passkey_at_first_log_in_then_logs_in_with_it(passkey_page):
    page = passkey_page
    email = email_of("coordinator-1")

    # 1. The role requires a second factor: the passkey is the one chosen.
    _password(page, "coordinator-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a second factor")
    page.get_by_role("button", name="Set up a passkey").click()

    # 2. The browser made the credential; the platform verified it and shows the codes.
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes", timeout=CEREMONY)
    expect(page.get_by_text("Your passkey is set up.")).to_be_visible()
    stored = WebAuthnCredential.objects.get(user__username=email)
    held = page.devtools.send(
        "WebAuthn.getCredentials", {"authenticatorId": page.authenticator_id}
    )["credentials"]
    assert len(held) == 1 and held[0]["rpId"] == "localhost"
    # No authenticator app was confirmed: the passkey alone is the second factor.
    assert not TOTPDevice.objects.filter(user__username=email, confirmed=True).exists()
    page.get_by_role("button", name="I have kept them: continue").click()
    expect(page.get_by_role("link", name="My account")).to_be_visible()
    page.locator("header").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    # 3. The next log-in: password, then the passkey instead of a code.
    _password(page, "coordinator-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
    page.goto("/programmes/cities-grow/")  # nothing opens before the second factor
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
    page.get_by_role("button", name="Use my passkey").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Second factor", timeout=CEREMONY)
    expect(page.get_by_role("link", name="My account")).to_be_visible()
    page.goto("/programmes/cities-grow/")
    expect(page).to_have_url(re.compile(r"/programmes/cities-grow/$"))
    stored.refresh_from_db()
    assert stored.sign_count >= 1 and stored.last_used_at is not None

    # 4. My account lists the passkey with the recovery codes left.
    page.get_by_role("link", name="My account").click()
    expect(page.get_by_role("button", name="Remove this passkey")).to_be_visible()
    expect(page.get_by_text("10 unused recovery codes")).to_be_visible()


def test_a_browser_without_the_passkey_stays_at_the_second_factor(passkey_page):
    """The passkey is on another device: the browser has nothing the platform accepts, says so,
    and the session stays unverified."""
    page = passkey_page
    _password(page, "coordinator-1")
    page.get_by_role("button", name="Set up a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes", timeout=CEREMONY)
    page.get_by_role("button", name="I have kept them: continue").click()
    page.locator("header").get_by_role("button", name="Log out").click()
    # The browser forgets the platform's passkey (another device, say).
    page.devtools.send("WebAuthn.clearCredentials", {"authenticatorId": page.authenticator_id})

    _password(page, "coordinator-1")
    page.get_by_role("button", name="Use my passkey").click()
    expect(page.locator("#passkey-verification-status-message")).not_to_be_empty(timeout=CEREMONY)
    page.goto("/programmes/cities-grow/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
