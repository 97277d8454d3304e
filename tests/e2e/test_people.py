"""A coordinator invites a new Athens officer in French; the officer sets a password from the
e-mail's link, sees Athens only, and loses access on their next page once the role is ended."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import email_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "cities-grow-demo"
NEW_PASSWORD = "a-long-and-unusual-passphrase-42"
ATHENS = "/programmes/cities-grow/cities/athens/"
ROTTERDAM = "/programmes/cities-grow/cities/rotterdam/"


def log_in(page, key):
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email_of(key))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_invite_an_officer_who_then_loses_access_when_the_role_ends(
    page, browser, live_server, settings
):
    settings.PLATFORM_BASE_URL = live_server.url
    mail.outbox = []
    coordinator = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()

    # 1. The coordinator invites a new Athens officer, writing to them in French.
    log_in(coordinator, "coordinator-1")
    coordinator.goto("/programmes/cities-grow/people/")
    coordinator.get_by_role("link", name="Invite a person").click()
    coordinator.get_by_label("E-mail address").fill("ioanna.testaki@athens.test.invalid")
    coordinator.get_by_label("First name").fill("Ioanna")
    coordinator.get_by_label("Last name").fill("Testaki")
    coordinator.get_by_label(re.compile(r"^Role")).select_option("city_officer")
    coordinator.get_by_label(re.compile(r"^City")).select_option(label="Athens")
    coordinator.get_by_label("Language of the e-mail").select_option("fr")
    coordinator.get_by_role("button", name="Send the invitation").click()
    expect(coordinator.get_by_text("ioanna.testaki@athens.test.invalid").first).to_be_visible()

    # 2. The e-mail, in French, links to choosing a password.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ioanna.testaki@athens.test.invalid"]
    assert "Agent de la ville" in message.body
    link = re.search(r"https?://\S+/accounts/invitation/[\w-]+/", message.body).group(0)

    # 3. The officer follows it, sets a password, and is signed in.
    page.goto(link)
    page.get_by_label(re.compile(r"^Password")).fill(NEW_PASSWORD)
    page.get_by_label("The same password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password and sign in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # 4. They see Athens, and not another city.
    assert page.goto(ATHENS).status == 200
    assert page.goto(ROTTERDAM).status == 404

    # 5. The coordinator ends the role...
    coordinator.goto("/programmes/cities-grow/people/?q=Testaki")
    coordinator.get_by_role("link", name=re.compile("End this role Ioanna Testaki")).click()
    coordinator.get_by_label("Why it ends").fill("Left the city administration")
    coordinator.get_by_role("button", name="End this role").click()
    expect(coordinator.get_by_text("The role has ended.")).to_be_visible()

    # 6. ...and the officer's next page load has lost access.
    assert page.goto(ATHENS).status == 404
    coordinator.context.close()
