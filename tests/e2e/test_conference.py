"""The Integrating Cities Conference in the browser, under the Content-Security-Policy: an
anonymous visitor registers for ICC VIII and a full workshop (waiting list); another delegate
cancels through their private link and the visitor moves up and gets the e-mail; Athens
registers a delegation of three within its quota and a fourth is refused; the organiser prints
the badges, checks two people in on a phone-sized screen, and downloads the participants'
list."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from conference.models import Attendance, Registration
from conference.services import register
from tests.conference.builders import delegate, icc, workshop
from tests.conftest import email_of
from tests.second_factor import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "cities-grow-demo"
PHONE = {"width": 375, "height": 667}


def log_in(page, key):
    browser_log_in(page, email_of(key), PASSWORD)


def _visitor_registers_for_the_full_workshop(page):
    page.goto("/conferences/icc-viii/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Integrating Cities Conference VIII")
    page.get_by_role("link", name="Register", exact=True).click()
    page.get_by_label("First name").fill("Eleni")
    page.get_by_label("Last name").fill("Papadopoulou")
    page.get_by_role("textbox", name="E-mail").fill("not-an-address")
    page.get_by_role("textbox", name="Organisation").fill("Δήμος Αθηναίων")
    page.get_by_label("Level of government").select_option("local")
    full = "Jobs for newcomers (Room A) – full: you join the waiting list"  # noqa: RUF001
    expect(page.get_by_text(full)).to_be_visible()
    page.get_by_role("radio", name=re.compile("Jobs for newcomers")).check()
    page.get_by_label("List my name and organisation among the participants").check()
    page.get_by_role("button", name="Register").click()
    # One wrong field: its message next to it, everything else as typed.
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Organisation")).to_have_value("Δήμος Αθηναίων")
    expect(page.get_by_role("radio", name=re.compile("Jobs for newcomers"))).to_be_checked()
    page.get_by_role("textbox", name="E-mail").fill("eleni@example.gr")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your registration")
    expect(page.get_by_text("Jobs for newcomers: On the waiting list")).to_be_visible()


def _delegation_of_three_and_a_fourth_refused(browser, live_server):
    officer = browser.new_page(base_url=live_server.url, locale="en-GB")
    log_in(officer, "athens-officer-1")
    officer.goto("/conferences/icc-viii/")
    officer.get_by_role("link", name="Register the delegation of Athens").click()
    people = (
        ("officer", "Maria", "Officer"),
        ("politician", "Kostas", "Deputy-Mayor"),
        ("stakeholder", "Anna", "Solidarity"),
        ("officer", "Nikos", "Fourth"),
    )
    officer.get_by_role("button", name="Add a delegate").click()  # a fourth row
    for n, (kind, first, last) in enumerate(people):
        row = officer.get_by_role("group", name=f"Delegate {n + 1}")
        row.get_by_label("Delegate").select_option(kind)
        row.get_by_label("First name").fill(first)
        row.get_by_label("Last name").fill(last)
        row.get_by_role("textbox", name="E-mail").fill(f"{first.lower()}@athens.example.gr")
    officer.get_by_role("button", name="Register the delegation").click()
    expect(
        officer.get_by_text(
            "Athens may send 3 delegates; 0 registered already, so 4 more cannot be added."
        )
    ).to_be_visible()
    assert not Registration.objects.filter(delegation__isnull=False).exists()
    fourth = officer.get_by_role("group", name="Delegate 4")
    expect(fourth.get_by_role("textbox", name="E-mail")).to_have_value(
        "nikos@athens.example.gr"
    )  # kept
    fourth.get_by_label("Delegate").select_option("")
    for name in ("First name", "Last name", "E-mail"):
        fourth.get_by_role("textbox", name=name).fill("")
    officer.get_by_role("button", name="Register the delegation").click()
    expect(officer.get_by_text("3 delegates registered")).to_be_visible()
    expect(officer.get_by_text("The delegation is complete")).to_be_visible()
    assert Registration.objects.filter(delegation__city__slug="athens").count() == 3
    officer.close()


def test_register_wait_move_up_delegation_badges_check_in_and_the_list(
    page, browser, live_server, settings
):
    settings.PLATFORM_BASE_URL = live_server.url
    conference = icc(workshop_places=1)
    holder = register(
        conference=conference,
        data=delegate(1, session_ids=(workshop(conference).pk,), consent_listed=True),
    )
    mail.outbox = []

    # 1. An anonymous visitor registers and lands on the workshop's waiting list.
    _visitor_registers_for_the_full_workshop(page)

    # 2. The workshop's holder cancels through their private link; the visitor moves up.
    other = browser.new_page(base_url=live_server.url, locale="en-GB")
    other.goto(f"/conferences/icc-viii/registration/{holder.token}/")
    other.get_by_role("button", name="Cancel my registration").click()
    expect(other.get_by_text("Your registration is cancelled.")).to_be_visible()
    other.close()
    page.reload()
    expect(page.get_by_text("Jobs for newcomers: Confirmed")).to_be_visible()
    moved = [m for m in mail.outbox if m.to == ["eleni@example.gr"]]
    assert [m.subject.split(" · ")[0] for m in moved][-1].endswith("A place is yours")

    # 3. Athens registers its delegation: three within the quota, a fourth refused.
    _delegation_of_three_and_a_fourth_refused(browser, live_server)

    # 4. The organiser prints the badges, checks two people in on a phone, downloads the list.
    _organiser_on_site(browser, live_server)


def _organiser_on_site(browser, live_server):
    organiser = browser.new_page(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    log_in(organiser, "coordinator-1")
    organiser.goto("/conferences/icc-viii/organise/")
    organiser.get_by_role("link", name=re.compile("^On site: badges")).click()
    organiser.get_by_role("link", name=re.compile("^Print the badges")).click()
    with organiser.expect_download() as badges:
        organiser.get_by_role("button", name="Download the badges (PDF)").click()
    assert badges.value.suggested_filename.endswith(".pdf")
    organiser.goto("/conferences/icc-viii/on-site/check-in/")
    # The conference was in 2018: the page says so and counts the check-ins for its first day.
    expect(organiser.get_by_text("The conference is not on today.")).to_be_visible()
    for name in ("Papadopoulou", "Deputy-Mayor"):
        organiser.get_by_label("Name or organisation").fill(name)
        organiser.get_by_role("button", name="Search").click()
        organiser.get_by_role("button", name=re.compile("^Check in")).click()
        expect(organiser.get_by_text(re.compile("^Checked in at")).first).to_be_visible()
    # Nothing on the phone-sized page scrolls sideways.
    assert organiser.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    present = Attendance.objects.filter(session__isnull=True).select_related("registration")
    assert sorted(a.registration.last_name for a in present) == ["Deputy-Mayor", "Papadopoulou"]
    organiser.goto("/conferences/icc-viii/on-site/participants/")
    organiser.get_by_role("radio", name="Checked in that day").check()
    with organiser.expect_download() as listed:
        organiser.get_by_role("button", name="Download the list").click()
    assert listed.value.suggested_filename.endswith(".pdf")
    text = _pdf_text(listed.value.path())
    assert "Papadopoulou" in text  # she agreed to be listed
    assert "Deputy-Mayor" not in text  # a delegation's delegate has not (yet) agreed
    assert "1 participant who did not agree to be listed" in text
    organiser.close()


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(path).pages)
