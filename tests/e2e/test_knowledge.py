"""The knowledge base in the browser: the public searches the practices with a typo and a
facet; the theme's facilitator composes a toolkit, previews it and publishes it; the public
reads it as web pages and downloads it as a PDF (parsed here)."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from knowledge.models import Toolkit
from knowledge.services.exchange import CORPUS_FILE, practices_import
from tests.e2e.test_assessment_to_matching import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def corpus(demo_data):
    practices_import(
        actor=None, content=CORPUS_FILE.read_text(encoding="utf-8"), file_format="json"
    )


def test_search_then_compose_publish_and_read_a_toolkit(corpus, page):
    # 1. Anyone searches the practices, with a typo, then narrows by a facet.
    page.goto("/practices/")
    page.get_by_label("Search the practices").fill("kitchen incubatr")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Also searched for:")).to_be_visible()
    result = page.get_by_role("link", name="Kitchen Incubator for Newcomer Food Entrepreneurs")
    expect(result).to_be_visible()
    page.get_by_label(re.compile(r"^Belgium \(\d+\)$")).check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_label(re.compile(r"^Belgium"))).to_be_checked()
    result.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kitchen Incubator")

    # 2. The facilitator of theme B starts a toolkit and composes it.
    log_in(page, "facilitator-b")
    page.goto("/toolkits/")
    page.get_by_label("Title").fill("Job-skills match: the CITIES-GROW toolkit")
    page.get_by_label("Theme").select_option(
        label="Job-skills match for young people with a migrant background"
    )
    page.get_by_role("button", name="Start the toolkit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Compose the toolkit")
    page.get_by_role("textbox", name="Introduction").fill(
        "<p>How cities help <strong>young people</strong> into work.</p>"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The toolkit is saved.")).to_be_visible()
    page.locator("#id_rec-key_factor").select_option("b1")
    page.get_by_role("textbox", name="Recommendation").fill(
        "Write one strategy with schools and employers."
    )
    page.get_by_role("button", name="Add the recommendation").click()
    expect(page.get_by_text("The recommendation is added.")).to_be_visible()
    # One click adds a suggested practice under its key factor.
    page.get_by_role("button", name=re.compile(r"^Add “.*” under B1$")).first.click()
    expect(page.get_by_text("The practice is added.")).to_be_visible()

    # 3. The preview, then publishing.
    page.get_by_role("link", name="Preview the toolkit").click()
    expect(page.get_by_text("Preview: this toolkit is a draft")).to_be_visible()
    # Only B1 has content: the page names the empty key factors and asks for a confirmation.
    expect(
        page.get_by_role("heading", name=re.compile(r"key factors have nothing yet"))
    ).to_be_visible()
    page.get_by_role(
        "button", name="Publish for piloting"
    ).click()  # unchecked: the browser stops it
    assert Toolkit.objects.get(title="Job-skills match: the CITIES-GROW toolkit").state == "draft"
    page.get_by_label("I know these key factors are empty").check()
    page.get_by_role("button", name="Publish for piloting").click()
    expect(page.get_by_text("Done: Publish for piloting.")).to_be_visible()
    toolkit = Toolkit.objects.get(title="Job-skills match: the CITIES-GROW toolkit")
    assert toolkit.state == "published"
    log_out(page)

    # 4. The public reads it as web pages and downloads the PDF.
    page.goto("/toolkits/")
    page.get_by_role("link", name="Job-skills match: the CITIES-GROW toolkit").click()
    expect(page.locator(".rich-text strong")).to_have_text("young people")
    page.get_by_role("link", name=re.compile(r"^B1\. ")).click()
    expect(page.get_by_text("Write one strategy with schools and employers.")).to_be_visible()
    expect(page.get_by_role("heading", name="Guiding questions")).to_be_visible()
    page.get_by_role("link", name="Job-skills match: the CITIES-GROW toolkit").click()
    href = page.get_by_role("link", name="Download the PDF").get_attribute("href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.body())).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())  # lines wrap anywhere
    assert "Job-skills match: the CITIES-GROW toolkit" in text
    assert "Write one strategy with schools and employers." in text
    chosen = toolkit.entries.select_related("practice").get().practice
    assert chosen.title[:30] in text
