"""The platform in a city's language, in a real browser: a Latvian reader switches the header's
language select, every label they then read is Latvian (the page declares it), they find the
languages page from the footer and report a wrong translation with its form; the coordinator,
who reads the platform in Greek, is told in Greek."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from accessibility.models import Feedback, FeedbackKind
from programmes.models import Person
from tests.conftest import email_of
from tests.second_factor import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _in(language: str, text: str) -> str:
    with translation.override(language):
        translated = translation.gettext(text)
    assert translated != text, f"{text!r} has no {language} translation"
    return translated


def test_a_latvian_reader_reports_a_wrong_translation_and_a_greek_coordinator_reads_it(
    page, browser, live_server
):
    page.goto("/")
    page.get_by_label("Language").select_option("lv")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "lv")
    expect(page.get_by_role("link", name=_in("lv", "Skip to main content"))).to_be_attached()

    page.get_by_role("contentinfo").get_by_role("link", name=_in("lv", "Languages")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _in("lv", "Languages of the platform")
    )
    expect(page.get_by_role("rowheader", name="latviešu")).to_be_visible()
    page.get_by_role("link", name=re.compile(re.escape("latviešu"))).click()

    form = page.locator("main form")
    expect(form.get_by_label(_in("lv", "Language of the wrong text"))).to_have_value("lv")
    form.get_by_label(_in("lv", "Which text is wrong, and what should it say?")).fill(
        "«Iesniegt» vietā jābūt «Nosūtīt»."
    )
    form.get_by_role("button", name=_in("lv", "Send")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_in("lv", "Thank you"))
    report = Feedback.objects.get()
    assert (report.kind, report.language) == (FeedbackKind.TRANSLATION, "lv")

    Person.objects.filter(email=email_of("coordinator-1")).update(language="el")
    coordinator = browser.new_context(base_url=live_server.url).new_page()
    browser_log_in(coordinator, email_of("coordinator-1"), "cities-grow-demo")
    coordinator.goto("/inbox/")
    expect(coordinator.locator("html")).to_have_attribute("lang", "el")
    with translation.override("el"):
        title = translation.gettext(
            "A wrong translation was reported in %(language)s: answer it"
        ) % {"language": "latviešu"}
    coordinator.get_by_role("link", name=title).first.click()
    expect(coordinator.get_by_text("«Iesniegt» vietā jābūt «Nosūtīt».")).to_be_visible()
