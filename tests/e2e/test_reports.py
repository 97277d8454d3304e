"""The technical reports in the browser: the coordinator opens the work plan's timeline, sees the
interim report (D5.1) overdue, records its submission with a file, then starts the interim
report (months 1-12, linked to D5.1), writes a narrative section, generates the files on the
queue, freezes the submitted version and downloads both files, which say what was written
(under the CSP watcher)."""

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from reports.models import TechnicalReport
from tests.e2e.test_assessment_to_matching import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARRATIVE = "The sixteen cities met in Brussels and the first study visits took place."
FUNDING = "Co-funded by the European Union's Asylum, Migration and Integration Fund"


def test_the_coordinator_writes_freezes_and_downloads_the_interim_report(page, tmp_path):
    log_in(page, "coordinator-1")
    page.goto("/programmes/cities-grow/work-plan/")
    page.get_by_role("link", name=re.compile(r"^The timeline")).click()
    table = page.get_by_role("table", name=re.compile("Timeline of CITIES-GROW as a table"))
    interim = table.get_by_role("row", name=re.compile(r"D5\.1 Interim report"))
    expect(interim.get_by_text("Overdue")).to_be_visible()

    # Its submission to the funder, with the file sent.
    interim.get_by_role("link", name=re.compile(r"D5\.1 Interim report")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("D5.1 Interim report")
    page.get_by_role("link", name="Record: Submitted to the funder").click()
    sent = tmp_path / "Interim report as sent.pdf"
    sent.write_bytes(b"%PDF-1.4\n% the interim report as sent\n")
    page.get_by_label("Day it was submitted to the funder").fill("2018-03-05")
    page.get_by_label("The deliverable as submitted").set_input_files(str(sent))
    page.get_by_role("button", name="Record: Submitted to the funder").click()
    expect(page.get_by_text("Recorded: Submitted to the funder.")).to_be_visible()

    # The interim report, from the records of months 1-12.
    page.get_by_role("link", name="Technical reports").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Technical reports to the funder")
    page.get_by_role("link", name="Start an interim report").click()
    expect(page.get_by_label("Period from")).to_have_value("2017-01-01")
    expect(page.get_by_label("Period to")).to_have_value("2017-12-31")
    expect(page.get_by_label("Deliverable of the work plan")).to_contain_text("D5.1")
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interim report (draft)")
    expect(page.get_by_role("heading", name="WP5 Evaluation and reporting")).to_be_visible()

    page.get_by_role("link", name="Write Summary of the period").click()
    expect(page.get_by_label("Text")).to_contain_text("This report covers M1 to M12")
    page.get_by_label("Text").fill(NARRATIVE)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The section is saved.")).to_be_visible()
    expect(page.get_by_text(NARRATIVE)).to_be_visible()

    page.get_by_role("button", name="Generate the DOCX and PDF").click()
    expect(page.get_by_role("link", name="Download as PDF")).to_be_visible()
    page.get_by_role("link", name="See the whole report").click()
    expect(page.get_by_text(FUNDING)).to_be_visible()
    page.get_by_role("link", name="Back to the report").click()

    page.get_by_role("link", name="Freeze the submitted version").click()
    page.get_by_label(re.compile("I submit this version to the funder")).check()
    page.get_by_role("button", name="Freeze this version").click()
    expect(page.get_by_text("Version 1 is frozen")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interim report, version 1")
    expect(page.get_by_role("link", name="Write Summary of the period")).to_have_count(0)
    expect(page.get_by_role("link", name="Freeze the submitted version")).to_have_count(0)

    files = {}
    for label, kind in (("Download as DOCX", "docx"), ("Download as PDF", "pdf")):
        with page.expect_download() as download:
            page.get_by_role("link", name=label).click()
        assert download.value.suggested_filename.endswith(f"-v1.{kind}")
        saved = tmp_path / f"report.{kind}"
        download.value.save_as(saved)
        files[kind] = saved.read_bytes()
    document = Document(io.BytesIO(files["docx"]))
    text = "\n".join(p.text for p in document.paragraphs)
    assert NARRATIVE in text and "Interim report, version 1" in text
    assert FUNDING in document.sections[0].footer.paragraphs[0].text
    pdf_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(files["pdf"])).pages
    )
    assert NARRATIVE in pdf_text and FUNDING in pdf_text
    report = TechnicalReport.objects.get()
    assert (report.state, report.number, report.deliverable.code) == ("frozen", 1, "D5.1")
