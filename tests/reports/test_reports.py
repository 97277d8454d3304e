"""The technical reports on the living demo (month 18): the interim report generated from the
records, its DOCX parsed and its PDF's text extracted; a frozen report refuses every change
through the services, the screens, the API and the database; numbering and history.

The demo is loaded once for the module (tests/conftest.py `living_demo`), in a transaction
rolled back at its end; each test's own changes are rolled back too."""

import io
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from docx import Document
from pypdf import PdfReader

from action_plans.choices import PlanStatus
from action_plans.models import ActionPlan
from core.errors import ConcurrentEditError, DomainError
from programmes.models import Programme
from reports.choices import FilesStatus, ReportKind, ReportState
from reports.models import ReportFiles, ReportSection, TechnicalReport
from reports.records import facts_from_json, facts_to_json, period_of_months, report_facts
from reports.services.files import report_files_request
from reports.services.reports import (
    ReportInput,
    report_section_save,
    technical_report_freeze,
    technical_report_start,
)
from tests.tagged_pdf import assert_accessible_pdf
from visits.choices import EventStatus
from visits.models import Event
from visits.times import event_first_day
from workplan.models import WorkPackage

SLUG = "cities-grow"
ATHENS_PLAN = "Athens: from skills to jobs for young migrants and refugees"
RIGA_PLAN = "Riga: business support open to newcomer entrepreneurs"
FUNDING = "Co-funded by the European Union's Asylum, Migration and Integration Fund"


@pytest.fixture(scope="module")
def demo(living_demo):
    return living_demo


@pytest.fixture
def programme(demo):
    return Programme.objects.get(slug=SLUG)


@pytest.fixture
def coordinator(demo, user_of):
    return user_of("coordinator-1")


def _start(coordinator, programme, first=1, last=18, kind=ReportKind.INTERIM):
    start, end = period_of_months(programme, first, last)
    return technical_report_start(
        actor=coordinator,
        programme=programme,
        data=ReportInput(kind=kind, period_start=start, period_end=end),
        language="en",
    )


def _held_in(programme, start, end):
    return [
        e
        for e in Event.objects.filter(
            programme=programme, status__in=(EventStatus.HELD, EventStatus.REPORTED)
        ).prefetch_related("participants")
        if start <= event_first_day(e) <= end
    ]


def _generate(report, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_files_request(actor=user, report=report, language="en")
    files = ReportFiles.objects.get(report=report, language="en")
    assert files.status == FilesStatus.DONE, files.error
    assert files.progress == 100
    return files


def _content(stored):
    with stored.open("rb") as opened:
        return opened.read()


def _docx_text(document):
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# ---------------------------------------------------------------- the records of the period


def test_the_facts_follow_the_records_of_the_period(programme, coordinator):
    start, end = period_of_months(programme, 1, 18)
    facts = report_facts(programme, kind_label="Interim report", start=start, end=end)
    held = _held_in(programme, start, end)
    assert held, "the demo holds events by month 18"
    assert facts.indicators.events_held == len(held)
    assert {e.pk for e in facts.events} == {e.pk for e in held}
    for event in held:
        shown = next(e for e in facts.events if e.pk == event.pk)
        present = [p for p in event.participants.all() if p.attended]
        assert shown.attended == len(present)
        assert sum(a.count for a in shown.attendance) == len(present)
    assert [p.number for p in facts.packages] == list(
        WorkPackage.objects.filter(programme=programme).values_list("number", flat=True)
    )
    adopted = ActionPlan.objects.filter(programme=programme, status=PlanStatus.ADOPTED)
    assert {p.title for p in facts.plans} == {p.title for p in adopted} == {ATHENS_PLAN, RIGA_PLAN}
    assert facts.indicators.plans_adopted == 2
    assert facts.finance is not None and facts.finance.total > 0
    # The first twelve months end before the plans were adopted (June 2018).
    start12, end12 = period_of_months(programme, 1, 12)
    first_year = report_facts(programme, kind_label="Interim report", start=start12, end=end12)
    assert first_year.plans == []
    assert first_year.indicators.events_held == len(_held_in(programme, start12, end12))
    # Frozen facts come back the same from their JSON.
    assert facts_from_json(facts_to_json(facts)) == facts


def test_the_facts_take_a_fixed_number_of_queries(programme):
    """As many queries for a small period as for a full one: M1-M6 (the launch meeting) and
    M1-M9 (the visits too), without a financial statement; M1-M12 and M1-M18 (the adopted plans
    too), with the interim statement (whose summary reads its own lines)."""
    counts, sizes = {}, {}
    for last in (6, 9, 12, 18):
        start, end = period_of_months(programme, 1, last)
        with CaptureQueriesContext(connection) as queries:
            facts = report_facts(programme, kind_label="Interim report", start=start, end=end)
        i = facts.indicators
        counts[last] = len(queries)
        sizes[last] = (i.events_held, i.participants, i.findings, i.plans_adopted)
    assert sizes[6] != sizes[9] and sizes[12] != sizes[18], sizes
    assert counts[6] == counts[9] and counts[12] == counts[18], counts
    assert 0 < max(counts.values()) <= 30, counts
    print(f"queries per period's last month: {counts}; events, people, findings, plans: {sizes}")


# ---------------------------------------------------------------- the interim report's files


def test_the_interim_report_generated_on_the_demo(
    programme, coordinator, django_capture_on_commit_callbacks
):
    report = _start(coordinator, programme)
    summary = report.sections.get(key="summary")
    assert "M1 to M18" in summary.text and summary.text == summary.prefilled
    report_section_save(
        actor=coordinator,
        section=summary,
        text="The schemes started well: every pair met twice.",
        expected_revision=summary.revision,
    )
    files = _generate(report, coordinator, django_capture_on_commit_callbacks)
    start, end = report.period_start, report.period_end
    held = _held_in(programme, start, end)

    document = Document(io.BytesIO(_content(files.docx)))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "CITIES-GROW" in section.header.paragraphs[0].text
    footer_xml = section.footer._element.xml
    assert FUNDING in section.footer.paragraphs[0].text
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for wp in WorkPackage.objects.filter(programme=programme):
        assert f"WP{wp.number} {wp.title}" in headings
    text = _docx_text(document)
    assert "The schemes started well: every pair met twice." in text
    for event in held:
        present = sum(1 for p in event.participants.all() if p.attended)
        assert event.title in text
        assert f"{present} present of {event.participants.count()} invited" in text
    assert ATHENS_PLAN in text and RIGA_PLAN in text
    assert "Athens, City officer:" in text
    assert "Interim statement to 31 December 2017" in text

    pdf_content = _content(files.pdf)
    # Tagged PDF/UA-1 on A4: title, language, headings and table headers (tests/tagged_pdf.py).
    assert_accessible_pdf(pdf_content, title=document.core_properties.title, language="en")
    pdf = PdfReader(io.BytesIO(pdf_content))
    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    assert FUNDING in pdf_text
    assert "CITIES-GROW" in pdf_text
    assert f"Page 1 of {len(pdf.pages)}" in pdf_text
    for wp in WorkPackage.objects.filter(programme=programme):
        assert f"WP{wp.number}" in pdf_text
    assert "Athens: from skills to jobs" in pdf_text
    for event in held[:3]:
        assert " ".join(event.title.split()[:3]) in pdf_text


def test_a_section_saved_on_a_stale_copy_is_refused(programme, coordinator):
    report = _start(coordinator, programme)
    section = report.sections.get(key="deviations")
    report_section_save(actor=coordinator, section=section, text="First.", expected_revision=1)
    with pytest.raises(ConcurrentEditError):
        report_section_save(actor=coordinator, section=section, text="Second.", expected_revision=1)
    assert ReportSection.objects.get(pk=section.pk).text == "First."


def test_only_coordinators_write_reports(programme, coordinator, user_of):
    with pytest.raises(DomainError):
        _start(user_of("auditor-1"), programme)
    report = _start(coordinator, programme)
    section = report.sections.get(key="summary")
    for key in ("auditor-1", "finance-1", "facilitator-b", "athens-officer-1"):
        with pytest.raises(DomainError):
            report_section_save(actor=user_of(key), section=section, text="x", expected_revision=1)


# ---------------------------------------------------------------- freezing


def test_freezing_numbers_the_version_and_keeps_its_facts(
    programme, coordinator, django_capture_on_commit_callbacks
):
    first = _start(coordinator, programme, 1, 12)
    with django_capture_on_commit_callbacks(execute=True):
        frozen = technical_report_freeze(
            actor=coordinator, report=first, expected_revision=first.revision, language="en"
        )
    assert frozen.state == ReportState.FROZEN and frozen.number == 1
    assert frozen.frozen_by == coordinator and frozen.facts["period_end"] == "2017-12-31"
    # Its files are generated from the frozen version.
    files = ReportFiles.objects.get(report=frozen, language="en")
    assert files.status == FilesStatus.DONE
    assert "Interim report, version 1" in _docx_text(Document(io.BytesIO(_content(files.docx))))
    second = _start(coordinator, programme, 1, 14)
    frozen2 = technical_report_freeze(
        actor=coordinator, report=second, expected_revision=second.revision, language="en"
    )
    assert frozen2.number == 2
    final = _start(coordinator, programme, 1, 24, kind=ReportKind.FINAL)
    assert (
        technical_report_freeze(
            actor=coordinator, report=final, expected_revision=final.revision, language="en"
        ).number
        == 1
    )
    # The audit trail: who froze it, when, before and after.
    record = frozen.history.latest()
    assert record.history_user == coordinator
    assert record.history_change_reason == "frozen as version 1"
    delta = record.diff_against(record.prev_record)
    assert {c.field for c in delta.changes} >= {"state", "number", "frozen_at"}


def test_a_frozen_report_refuses_changes_in_the_services_and_the_database(programme, coordinator):
    report = _start(coordinator, programme, 1, 12)
    section = report.sections.get(key="summary")
    frozen = technical_report_freeze(
        actor=coordinator, report=report, expected_revision=report.revision, language="en"
    )
    with pytest.raises(DomainError, match="frozen"):
        report_section_save(actor=coordinator, section=section, text="x", expected_revision=1)
    with pytest.raises(DomainError, match="frozen"):
        technical_report_freeze(
            actor=coordinator, report=frozen, expected_revision=frozen.revision, language="en"
        )
    # Whoever writes to the database directly.
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportSection.objects.filter(pk=section.pk).update(text="changed behind its back")
    with pytest.raises(IntegrityError), transaction.atomic():
        TechnicalReport.objects.filter(pk=frozen.pk).update(period_end=date(2018, 6, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportSection.objects.create(report=frozen, key="extra", title="Extra")
    assert ReportSection.objects.get(pk=section.pk).text == section.text
