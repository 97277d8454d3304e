"""Visit reports and their findings, listed per city for the action plan."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from core.errors import ConcurrentEditError, DomainError
from programmes.models import MentoringPair, Programme
from tests.html_checks import accessibility_problems
from tests.visits.lifecycle import hold
from visits.choices import EventFormat, EventStatus
from visits.models import Finding
from visits.services import EventInput, event_create
from visits.services.reports import FindingInput, visit_report_save

pytestmark = pytest.mark.django_db


def _mentoring_visit(user_of):
    pair = MentoringPair.objects.get(implementing__city__slug="athens")
    zone = ZoneInfo("Europe/Athens")
    return event_create(
        actor=user_of("coordinator-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        data=EventInput(
            format=EventFormat.MENTORING_VISIT,
            title="Mentoring visit of Munich to Athens",
            starts_at=datetime(2017, 11, 14, 9, tzinfo=zone),
            ends_at=datetime(2017, 11, 16, 17, tzinfo=zone),
            host_city=pair.implementing.city,
            pair=pair,
        ),
    )


def _form(revision="", submit=False, **finding):
    data = {
        "revision": revision,
        "summary": "Three days with the job centre and two schools.",
        "findings-TOTAL_FORMS": "3",
        "findings-INITIAL_FORMS": "0",
        "findings-0-kind": finding.get("kind", "recommendation"),
        "findings-0-text": finding.get("text", "Set up a shared youth employment board."),
        "findings-0-city": finding.get("city", "athens"),
        "findings-0-key_factor": finding.get("key_factor", "b1"),
    }
    if submit:
        data["submit"] = ""
    return data


def test_the_mentor_city_writes_and_submits_the_report(client_of, user_of):
    event = _mentoring_visit(user_of)
    client = client_of("munich-officer-1")
    url = reverse("visits:report", args=["cities-grow", event.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert accessibility_problems(page.content.decode()) == []
    early = client.post(url, _form(submit=True))
    assert early.status_code == 400 and "not held yet" in early.content.decode()
    hold(event)
    assert client.post(url, _form(submit=True)).status_code == 302
    finding = Finding.objects.get(report__event=event)
    assert (finding.kind, finding.city.slug, finding.key_factor.code) == (
        "recommendation",
        "athens",
        "b1",
    )
    event.refresh_from_db()
    assert event.status == EventStatus.REPORTED
    # Listed for Athens' action plan, with its key factor.
    listing = client_of("athens-officer-1").get(
        reverse("visits:findings", args=["cities-grow", "athens"])
    )
    html = listing.content.decode()
    assert "Set up a shared youth employment board." in html and "b1." in html
    assert accessibility_problems(html) == []


def test_bad_findings_get_a_message_next_to_the_field(client_of, user_of):
    event = hold(_mentoring_visit(user_of))
    client = client_of("munich-officer-1")
    url = reverse("visits:report", args=["cities-grow", event.pk])
    response = client.post(url, _form(key_factor="zz9", text="Kept text"))
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert "Kept text" in response.content.decode()
    with pytest.raises(DomainError) as error:
        visit_report_save(
            actor=user_of("munich-officer-1"),
            event=event,
            expected_revision=None,
            summary="",
            findings=[FindingInput("strength", "x", city="riga", key_factor="zz9")],
            submit=True,
        )
    assert set(error.value.field_errors) == {"findings-0-city", "findings-0-key_factor", "summary"}
    assert not Finding.objects.exists()


def test_only_the_pairs_officers_the_facilitator_and_coordinators_write(user_of):
    event = _mentoring_visit(user_of)
    for key in ("facilitator-a", "rotterdam-officer-1", "auditor-1", "athens-approver-political"):
        with pytest.raises(DomainError):
            visit_report_save(
                actor=user_of(key), event=event, expected_revision=None, summary="s", findings=[]
            )
    report = visit_report_save(
        actor=user_of("facilitator-b"),
        event=event,
        expected_revision=None,
        summary="s",
        findings=[],
    )
    with pytest.raises(ConcurrentEditError):
        visit_report_save(
            actor=user_of("athens-officer-1"),
            event=event,
            expected_revision=report.revision - 1,
            summary="other",
            findings=[],
        )


def test_the_report_editor_reads_key_factors_in_one_query(user_of, django_assert_num_queries):
    from visits.services.reports import report_key_factors

    event = _mentoring_visit(user_of)
    event.scheme.theme  # noqa: B018 (loaded before counting)
    with django_assert_num_queries(2):  # the latest version, then its key factors
        factors = report_key_factors(event)
    assert [f.code for f in factors] == [f"b{n}" for n in range(1, 8)]


def test_report_and_findings_pages_keep_their_query_count(user_of, client_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = _mentoring_visit(user_of)
    client = client_of("munich-officer-1")
    pages = [
        reverse("visits:report", args=["cities-grow", event.pk]),
        reverse("visits:findings", args=["cities-grow", "athens"]),
        reverse("visits:event", args=["cities-grow", event.pk]),
    ]

    def counts():
        result = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    def write(n):
        visit_report_save(
            actor=user_of("munich-officer-1"),
            event=event,
            expected_revision=getattr(getattr(event, "report", None), "revision", None),
            summary="s",
            findings=[
                FindingInput("strength", f"F{i}", city="athens", key_factor="b2") for i in range(n)
            ],
        )
        event.refresh_from_db()

    write(1)
    one = counts()
    write(6)
    assert counts() == one


def test_empty_finding_rows_as_a_browser_sends_them_are_left_out(client_of, user_of):
    """A browser sends each untouched row's selects (its first city, no key factor)."""
    event = hold(_mentoring_visit(user_of))
    data = _form(submit=True)
    for row in (1, 2):
        data |= {
            f"findings-{row}-kind": "",
            f"findings-{row}-text": "",
            f"findings-{row}-city": "athens",
            f"findings-{row}-key_factor": "",
        }
    url = reverse("visits:report", args=["cities-grow", event.pk])
    assert client_of("facilitator-b").post(url, data).status_code == 302
    assert Finding.objects.filter(report__event=event).count() == 1
