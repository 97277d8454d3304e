"""Someone who cannot use a page reports it: from any page's footer to the accessibility
statement, then its form, in a real browser (at a phone's 320 CSS px, where neither page may
scroll sideways); a coordinator finds the report in their inbox and records what was done."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import email_of
from tests.second_factor import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_a_problem_reported_from_a_phone_reaches_a_coordinator(page, browser, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/privacy/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    assert not _scrolls_sideways(page)
    page.get_by_role("link", name="Report an accessibility problem").click()
    assert not _scrolls_sideways(page)

    page.get_by_label("Which page, document or video?").fill("/programmes/cities-grow/")
    page.get_by_label("What is the problem, or what do you need?").fill(
        "The map has no text alternative."
    )
    page.get_by_label("Your e-mail address (optional)").fill("not an address")
    page.get_by_role("button", name="Send").click()
    # Refused next to the field, and nothing typed is lost.
    expect(page.get_by_text("Enter a valid email address.")).to_be_visible()
    expect(page.get_by_label("What is the problem, or what do you need?")).to_have_value(
        "The map has no text alternative."
    )
    page.get_by_label("Your e-mail address (optional)").fill("reader@example.org")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")

    coordinator = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    browser_log_in(coordinator, email_of("coordinator-1"), "cities-grow-demo")
    coordinator.goto("/inbox/")
    coordinator.get_by_role(
        "link", name=re.compile("An accessibility problem was reported")
    ).first.click()
    expect(coordinator.get_by_text("The map has no text alternative.")).to_be_visible()
    coordinator.get_by_label("What was done").fill("Alternative text added; answered by e-mail.")
    coordinator.get_by_role("button", name="Mark answered").click()
    expect(coordinator.get_by_text("The feedback is marked answered.")).to_be_visible()
    expect(coordinator.get_by_role("link", name=re.compile(r"Answered \(1\)"))).to_be_visible()
