"""A coordinator invites a new Athens officer in French; the officer sets a password from the
e-mail's link, sees Athens only, and loses access on their next page once the role is ended.
A coordinator ends an Athens officer's role handing their event still ahead to the city's other
officer, who finds it in their inbox."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import email_of
from tests.second_factor import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "cities-grow-demo"
NEW_PASSWORD = "a-long-and-unusual-passphrase-42"
ATHENS = "/programmes/cities-grow/cities/athens/"
ROTTERDAM = "/programmes/cities-grow/cities/rotterdam/"


def log_in(page, key):
    """Password, then the second factor when the person's role requires one."""
    browser_log_in(page, email_of(key), PASSWORD)


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

    # 3. The officer follows it: the page is in French too; they set a password and are signed
    # in, and the platform speaks French to them (the language chosen for them is theirs now).
    page.goto(link)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer mon mot de passe et me connecter").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_text("Bienvenue : votre mot de passe est enregistré.")).to_be_visible()

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


def test_coordinator_hands_a_leaving_officers_event_to_the_citys_other_officer(
    page, browser, live_server
):
    from programmes.models import City, Person, Programme
    from visits.choices import EventFormat, Invitation
    from visits.models import Event, Participant

    start = timezone.now() + timedelta(days=10)
    event = Event.objects.create(
        programme=Programme.objects.get(slug="cities-grow"),
        format=EventFormat.WEBINAR,
        title="Handover webinar",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        host_city=City.objects.get(slug="athens"),
    )
    Participant.objects.create(
        event=event,
        person=Person.objects.get(email=email_of("athens-officer-1")),
        invitation=Invitation.ACCEPTED,
    )

    # 1. The coordinator opens the end of Eleni's role: her event ahead is listed.
    log_in(page, "coordinator-1")
    page.goto("/programmes/cities-grow/people/?q=Papadaki")
    page.get_by_role("link", name=re.compile("End this role Eleni Papadaki")).click()
    expect(page.get_by_role("link", name="Handover webinar")).to_be_visible()

    # 2. She hands it to Giorgos, the other Athens officer, and ends the role.
    page.get_by_label("Hand the work over to").select_option(label="Giorgos Karras")
    page.get_by_label("Why it ends").fill("Moved to another department")
    page.get_by_role("button", name="End this role").click()
    expect(page.get_by_text("1 event still ahead is handed over to Giorgos Karras")).to_be_visible()
    assert Participant.objects.get(event=event).person.email == email_of("athens-officer-2")

    # 3. Giorgos finds the handover in his inbox.
    officer = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    log_in(officer, "athens-officer-2")
    officer.goto("/inbox/")
    expect(
        officer.get_by_role("link", name="Eleni Papadaki's work for Athens is handed over to you")
    ).to_be_visible()
    expect(officer.get_by_text("Handover webinar")).to_be_visible()  # the message lists it
    officer.context.close()
