"""Infographics in the browser, on the living demo: facilitator-b builds the Munich-Athens
infographic from the scheme page (rewords an item, hides another), previews and publishes it;
an anonymous visitor finds it on the portal and downloads it in each format. The CSP is
watched throughout (tests/e2e/conftest.py)."""

import struct

import pytest
from playwright.sync_api import expect

from tests.conftest import load_demo_as_make_setup_does
from tests.e2e.test_assessment_to_matching import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REWORDED = "Schools, job agency and employers share one list of young people."


def test_a_facilitator_publishes_munich_athens_and_a_visitor_downloads_it(page, tmp_path):
    load_demo_as_make_setup_does()
    log_in(page, "facilitator-b")
    page.goto("/programmes/cities-grow/schemes/B/")
    page.get_by_role("link", name="Infographics of the pairs and schemes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Infographics")
    page.get_by_role("button", name="Start the infographic of Munich \u2013 Athens").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Munich and Athens")
    page.get_by_label("Title").fill("Munich and Athens: one list of young people")
    page.get_by_label("Text on the infographic 1", exact=True).fill(REWORDED)
    page.get_by_label("Shown 2", exact=True).uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. The preview shows the new version.")).to_be_visible()
    expect(page.get_by_label("Text on the infographic 1", exact=True)).to_have_value(REWORDED)
    preview = page.get_by_role("img", name="Preview of the infographic")
    expect(preview).to_be_visible()
    page.wait_for_function(  # the SVG loaded and has its size
        "() => { const image = document.querySelector('.infographic-image img');"
        " return image && image.complete && image.naturalWidth > 0; }"
    )

    page.get_by_role("button", name="Publish a new version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Munich and Athens: one list of young people"
    )
    log_out(page)

    # An anonymous visitor, from the portal's list.
    page.goto("/infographics/")
    page.get_by_role("link", name="Munich and Athens: one list of young people").click()
    expect(page.get_by_role("img", name="Munich and Athens")).to_be_visible()
    expect(page.locator("#infographic-text")).to_contain_text(REWORDED)
    expect(page.get_by_label("Embed code")).to_contain_text("<img src=")
    files = {}
    for label in (
        "SVG for the web",
        "PNG for social media, portrait (1080 \u00d7 1350)",
        "PNG for social media, landscape (1200 \u00d7 630)",
        "PDF for print, A4",
        "PDF for print, A3",
    ):
        with page.expect_download() as download:
            page.get_by_role("link", name=label).click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        files[label] = saved.read_bytes()
    assert b"<title" in files["SVG for the web"] and REWORDED.encode() in files["SVG for the web"]
    assert struct.unpack(
        ">II", files["PNG for social media, portrait (1080 \u00d7 1350)"][16:24]
    ) == (
        1080,
        1350,
    )
    assert struct.unpack(
        ">II", files["PNG for social media, landscape (1200 \u00d7 630)"][16:24]
    ) == (
        1200,
        630,
    )
    assert files["PDF for print, A4"].startswith(b"%PDF")
    assert files["PDF for print, A3"].startswith(b"%PDF")
