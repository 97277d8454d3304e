"""The reports' screens and API on the loaded programme: a coordinator starts a report from the
form the page shows, writes a section (a stale copy refused with both texts kept), sees the
whole report, generates its files through the queue and downloads them, and freezes it; a
frozen report then refuses every change on screen and through the API; the auditors read
everything and change nothing; every page passes the accessibility checks in a bounded number
of queries."""

import io

import pytest
from django.urls import reverse
from docx import Document

from reports.choices import ReportKind, ReportState
from reports.models import ReportSection, TechnicalReport
from reports.records import period_of_months
from reports.services.reports import ReportInput, technical_report_freeze, technical_report_start
from tests.html_checks import accessibility_problems
from tests.rendered_forms import form_data
from workplan.models import Deliverable

pytestmark = pytest.mark.django_db

SLUG = "cities-grow"


@pytest.fixture
def coordinator(user_of):
    return user_of("coordinator-1")


def _start(coordinator, first=1, last=12):
    from programmes.models import Programme

    programme = Programme.objects.get(slug=SLUG)
    start, end = period_of_months(programme, first, last)
    return technical_report_start(
        actor=coordinator,
        programme=programme,
        data=ReportInput(kind=ReportKind.INTERIM, period_start=start, period_end=end),
        language="en",
    )


def _freeze(coordinator, report):
    return technical_report_freeze(
        actor=coordinator, report=report, expected_revision=report.revision, language="en"
    )


def _ok(response):
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert accessibility_problems(html) == []
    return html


def test_a_coordinator_starts_writes_generates_and_freezes_a_report(
    coordinator, client_of, django_capture_on_commit_callbacks
):
    client = client_of("coordinator-1")
    index = _ok(client.get(reverse("reports:index", args=[SLUG])))
    assert "No report yet." in index
    new_url = reverse("reports:new", args=[SLUG])
    page = _ok(client.get(new_url + "?kind=interim"))
    data = form_data(page, new_url)
    # The interim report starts with months 1-12 and the interim report deliverable (D5.1).
    assert data["period_start"] == ["2017-01-01"] and data["period_end"] == ["2017-12-31"]
    d51 = Deliverable.objects.get(work_package__number=5, number=1)
    assert data["deliverable"] == [str(d51.pk)]
    response = client.post(new_url, data)
    report = TechnicalReport.objects.get()
    assert response.status_code == 302 and report.deliverable == d51
    html = _ok(client.get(reverse("reports:report", args=[SLUG, report.pk])))
    assert "Interim report (draft)" in html and "Summary of the period" in html
    assert reverse("workplan:deliverable", args=[SLUG, d51.pk]) in html
    assert "WP2 The four mentoring schemes" in html

    section_url = reverse("reports:section", args=[SLUG, report.pk, "actions"])
    form = form_data(_ok(client.get(section_url)), section_url)
    form["text"] = ["The cities met in Brussels and visited each other."]
    stale = dict(form)
    assert client.post(section_url, form).status_code == 302
    # A second writer on the copy read before: refused, both texts kept.
    stale["text"] = ["Another text."]
    refused = client.post(section_url, stale)
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Another text." in html and "The cities met in Brussels" in html
    section = ReportSection.objects.get(report=report, key="actions")
    assert section.text == "The cities met in Brussels and visited each other."
    # The audit trail of the section: who, before and after.
    change = section.history.latest()
    assert change.history_user == coordinator
    delta = change.diff_against(change.prev_record)
    text_change = next(c for c in delta.changes if c.field == "text")
    assert text_change.old == section.prefilled
    assert text_change.new == "The cities met in Brussels and visited each other."

    preview = _ok(client.get(reverse("reports:preview", args=[SLUG, report.pk])))
    assert "The cities met in Brussels and visited each other." in preview
    assert "Co-funded by the European Union" in preview

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:files_new", args=[SLUG, report.pk]))
    html = _ok(client.get(reverse("reports:report", args=[SLUG, report.pk])))
    assert "Download as DOCX" in html
    download = client.get(reverse("reports:file", args=[SLUG, report.pk, "docx"]))
    body = b"".join(download.streaming_content)
    assert download["Content-Disposition"].startswith("attachment")
    text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
    assert "The cities met in Brussels and visited each other." in text

    freeze_url = reverse("reports:freeze", args=[SLUG, report.pk])
    confirm = form_data(_ok(client.get(freeze_url)), freeze_url)
    assert client.post(freeze_url, {"revision": confirm["revision"]}).status_code == 400
    confirm["confirm"] = ["on"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(freeze_url, confirm).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.FROZEN and report.number == 1
    html = _ok(client.get(reverse("reports:report", args=[SLUG, report.pk])))
    assert "Interim report, version 1" in html and "Submitted version 1" in html
    assert section_url not in html and freeze_url not in html
    # Its deliverable's submission may now be recorded, from the report's page.
    record = reverse("workplan:deliverable_step", args=[SLUG, d51.pk, "submit"])
    assert record in html
    assert (
        record
        not in client_of("auditor-1")
        .get(reverse("reports:report", args=[SLUG, report.pk]))
        .content.decode()
    )
    client.force_login(coordinator)
    pdf = client.get(reverse("reports:file", args=[SLUG, report.pk, "pdf"]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_a_frozen_report_refuses_changes_on_screen(coordinator, client_of):
    frozen = _freeze(coordinator, _start(coordinator))
    client = client_of("coordinator-1")
    url = reverse("reports:section", args=[SLUG, frozen.pk, "summary"])
    page = _ok(client.get(url))
    assert "<textarea" not in page and "frozen" in page
    response = client.post(url, {"text": "changed", "revision": 1}, follow=True)
    assert response.status_code == 200
    assert "is frozen: its text never changes" in response.content.decode()
    again = client.post(
        reverse("reports:freeze", args=[SLUG, frozen.pk]),
        {"revision": frozen.revision, "confirm": "on"},
        follow=True,
    )
    assert again.status_code == 200 and "frozen already" in again.content.decode()
    assert ReportSection.objects.get(report=frozen, key="summary").text != "changed"
    assert TechnicalReport.objects.get(pk=frozen.pk).number == 1


def test_a_frozen_report_refuses_changes_through_the_api(coordinator, client_of):
    report = _start(coordinator)
    client = client_of("coordinator-1")
    url = reverse("api:report", args=[SLUG, report.pk])
    draft = client.patch(
        url,
        {"key": "summary", "text": "Written through the API.", "revision": 1},
        content_type="application/json",
    )
    assert draft.status_code == 200, draft.content
    assert draft.json()["sections"][0]["text"] == "Written through the API."
    stale = client.patch(
        url, {"key": "summary", "text": "x", "revision": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    report.refresh_from_db()
    _freeze(coordinator, report)
    listed = client.get(reverse("api:reports", args=[SLUG])).json()
    assert [(r["state"], r["number"]) for r in listed if r["id"] == report.pk] == [("frozen", 1)]
    refused = client.patch(
        url, {"key": "summary", "text": "changed", "revision": 2}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert "frozen" in refused.json()["error"]["message"]
    assert client.put(url, {}, content_type="application/json").status_code == 405
    assert client.delete(url).status_code == 405
    assert ReportSection.objects.get(report=report, key="summary").text == (
        "Written through the API."
    )
    # The auditors read it and change nothing; a city's officer never learns it exists.
    auditor = client_of("auditor-1")
    assert auditor.get(url).json()["number"] == 1
    draft2 = _start(coordinator)
    refused = auditor.patch(
        reverse("api:report", args=[SLUG, draft2.pk]),
        {"key": "summary", "text": "x", "revision": 1},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "coordinators" in refused.json()["error"]["message"]
    assert client_of("athens-officer-1").get(url).status_code == 404


def test_auditors_read_everything_and_change_nothing(coordinator, client_of):
    report = _start(coordinator)
    auditor = client_of("auditor-1")
    html = _ok(auditor.get(reverse("reports:report", args=[SLUG, report.pk])))
    assert reverse("reports:section", args=[SLUG, report.pk, "summary"]) not in html
    assert reverse("reports:freeze", args=[SLUG, report.pk]) not in html
    _ok(auditor.get(reverse("reports:preview", args=[SLUG, report.pk])))
    index = _ok(auditor.get(reverse("reports:index", args=[SLUG])))
    assert reverse("reports:new", args=[SLUG]) not in index
    section = reverse("reports:section", args=[SLUG, report.pk, "summary"])
    assert auditor.post(section, {"text": "x", "revision": 1}).status_code == 403
    freeze = reverse("reports:freeze", args=[SLUG, report.pk])
    assert auditor.post(freeze, {"revision": 1, "confirm": "on"}).status_code == 403
    assert auditor.post(reverse("reports:new", args=[SLUG]), {}).status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.revision == 1


def test_the_reports_tab_shows_for_coordinators_and_auditors_only(client_of):
    index = reverse("reports:index", args=[SLUG])
    for key in ("coordinator-1", "auditor-1"):
        assert index in client_of(key).get(reverse("workplan:plan", args=[SLUG])).content.decode()
    for key in ("finance-1", "facilitator-b", "athens-officer-1"):
        html = client_of(key).get(reverse("workplan:plan", args=[SLUG])).content.decode()
        assert index not in html


def test_the_report_pages_take_a_bounded_number_of_queries(
    coordinator, client_of, django_assert_max_num_queries
):
    report = _start(coordinator)
    client = client_of("coordinator-1")
    client.get(reverse("reports:index", args=[SLUG]))  # the session and the viewer warm up
    for name, args in (
        ("reports:index", [SLUG]),
        ("reports:report", [SLUG, report.pk]),
        ("reports:section", [SLUG, report.pk, "summary"]),
        ("reports:preview", [SLUG, report.pk]),
    ):
        with django_assert_max_num_queries(60):
            assert client.get(reverse(name, args=args)).status_code == 200
