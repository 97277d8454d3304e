"""The timeline in the browser: the coordinator opens it from the work plan, narrows it to the
evaluation and reporting work package, sees the interim report (D5.1) flagged overdue in the
chart and in its table, and downloads the chart as an SVG file for a slide (under the CSP
watcher: the chart is drawn without inline style or script)."""

import re

import pytest
from defusedxml import ElementTree
from playwright.sync_api import expect

from tests.e2e.test_assessment_to_matching import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SVG = "{http://www.w3.org/2000/svg}"


def test_the_coordinator_filters_the_timeline_and_downloads_it(page, tmp_path):
    log_in(page, "coordinator-1")
    page.goto("/programmes/cities-grow/work-plan/")
    page.get_by_role("link", name=re.compile(r"^The timeline")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Timeline of the work plan")
    expect(page.get_by_role("img", name=re.compile(r"Chart of the timeline"))).to_be_visible()
    table = page.get_by_role("table", name=re.compile("Timeline of CITIES-GROW as a table"))
    expect(table.get_by_role("rowheader", name=re.compile(r"^WP1 Management"))).to_be_visible()

    page.get_by_label("WP5 Evaluation and reporting").check()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"timeline/\?wp=5"))
    expect(table.get_by_role("rowheader", name=re.compile(r"^WP1 Management"))).to_have_count(0)
    interim = table.get_by_role("row", name=re.compile(r"D5\.1 Interim report"))
    expect(interim.get_by_text("Overdue")).to_be_visible()
    expect(interim).to_contain_text("due by 28 February 2018")
    expect(page.locator('svg polygon.tl-overdue[data-item="D5.1"]')).to_have_count(1)

    with page.expect_download() as download:
        page.get_by_role("link", name="SVG").click()
    assert download.value.suggested_filename == "cities-grow-timeline.svg"
    saved = tmp_path / "timeline.svg"
    download.value.save_as(saved)
    root = ElementTree.fromstring(saved.read_bytes())
    marks = {
        p.get("data-item"): p.get("class")
        for p in root.iter(f"{SVG}polygon")
        if "tl-deliverable-mark" in p.get("class", "")
    }
    assert set(marks) == {"D5.1", "D5.2"}
    assert "tl-overdue" in marks["D5.1"]  # (the final report too: this test runs today)
