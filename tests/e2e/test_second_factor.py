"""A finance officer is made to set up a second factor at their first log-in (the key read from
the page, the codes computed from it as an authenticator app does), signs in with it, then with
a recovery code, which works once."""

import re
from base64 import b32decode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import email_of
from tests.second_factor import totp_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "cities-grow-demo"


def _password(page, key):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email_of(key))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _log_out(page):
    page.locator("header").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_finance_officer_enrols_at_first_log_in_then_uses_the_app_and_a_recovery_code(page):
    # 1. The password is right, but the role requires a second factor: set one up first.
    _password(page, "finance-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a second factor")
    expect(page).to_have_url(re.compile(r"/accounts/second-factor/enrol/"))
    expect(page.locator(".qr-code svg")).to_be_visible()
    page.goto("/programmes/cities-grow/")  # nothing else opens meanwhile
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up a second factor")
    key = page.locator("#totp-key").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user__username=email_of("finance-1"), confirmed=False)
    assert b32decode(key) == device.bin_key  # the key shown is the one the platform checks
    page.get_by_label("Code shown by the app").fill(
        "000000" if totp_code(device) != "000000" else "111111"
    )
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("This code is not the one your app shows now.")).to_be_visible()
    device.throttle_reset()  # django-otp makes a person wait a second after a wrong code
    page.get_by_label("Code shown by the app").fill(totp_code(device))
    page.get_by_role("button", name="Confirm").click()

    # 2. The recovery codes, shown once; then the page first asked for.
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    expect(page.get_by_role("button", name="Print the codes")).to_be_visible()
    page.get_by_role("button", name="I have kept them: continue").click()
    expect(page).to_have_url(re.compile(r"/programmes/cities-grow/$"))
    _log_out(page)

    # 3. The next log-in asks for the app's code.
    _password(page, "finance-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
    page.get_by_label("Code").fill(totp_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="My account")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Second factor")
    _log_out(page)

    # 4. A recovery code instead (the phone is elsewhere) ...
    _password(page, "finance-1")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("You used a recovery code: 9 are left.")).to_be_visible()
    _log_out(page)

    # 5. ... works once.
    _password(page, "finance-1")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("This code is not valid: type the code")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Second factor")
