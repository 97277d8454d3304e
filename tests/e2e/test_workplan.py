"""The work plan in the browser: the coordinator opens the programme's work plan, sees the
interim report flagged overdue, records its submission to the funder with the report's file,
and finds it submitted, no longer overdue, its file downloadable."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_assessment_to_matching import log_in
from workplan.models import DeliverableStep

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_records_an_overdue_deliverable_submitted_with_its_file(page, tmp_path):
    log_in(page, "coordinator-1")
    page.goto("/programmes/cities-grow/")
    page.get_by_role("link", name="Work plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Work plan")
    interim = page.get_by_role("row", name=re.compile(r"D5\.1 Interim report"))
    expect(interim.get_by_text("Overdue")).to_be_visible()

    # Only what is overdue.
    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name=re.compile(r"D5\.1 Interim report"))).to_be_visible()

    page.get_by_role("link", name=re.compile(r"D5\.1 Interim report")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("D5.1 Interim report")
    expect(page.get_by_text("it was due by 28 February 2018 and is not submitted")).to_be_visible()
    page.get_by_role("link", name="Record: Submitted to the funder").click()

    # Without the file nor a link, the refusal is next to the file's field.
    page.get_by_label("Day it was submitted to the funder").fill("2018-03-05")
    page.get_by_label("Comment").fill("Sent through the funder's portal")
    page.get_by_role("button", name="Record: Submitted to the funder").click()
    expect(page.locator("#id_file_error")).to_contain_text("Add the deliverable's file")
    expect(page.get_by_label("Comment")).to_have_value("Sent through the funder's portal")

    report = tmp_path / "Interim report CITIES-GROW.pdf"
    report.write_bytes(b"%PDF-1.4\n% the interim report\n")
    page.get_by_label("Day it was submitted to the funder").fill("2018-03-05")
    page.get_by_label("The deliverable as submitted").set_input_files(str(report))
    page.get_by_role("button", name="Record: Submitted to the funder").click()
    expect(page.get_by_text("Recorded: Submitted to the funder.")).to_be_visible()
    expect(page.locator("dd").get_by_text("Submitted to the funder")).to_be_visible()
    expect(page.get_by_text("it was due by 28 February 2018")).to_have_count(0)

    with page.expect_download() as download:
        page.get_by_role("link", name="Interim report CITIES-GROW.pdf").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    step = DeliverableStep.objects.get()
    assert (step.step, step.file_name, step.on.isoformat()) == (
        "submit",
        "Interim report CITIES-GROW.pdf",
        "2018-03-05",
    )

    # Back on the work plan, the interim report is no longer overdue.
    page.get_by_role("link", name="Work plan").first.click()
    interim = page.get_by_role("row", name=re.compile(r"D5\.1 Interim report"))
    expect(interim.get_by_text("Submitted to the funder")).to_be_visible()
    expect(interim.get_by_text("Overdue")).to_have_count(0)
