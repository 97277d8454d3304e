"""After the conference: the anonymous feedback survey through the private link (once per
delegate and subject, nothing linking the answer to the delegate), its results for the
organisers and auditors only (averages hidden under 3 answers, a bounded number of queries),
the certificate of attendance for those who attended, and the conference's figures in the
work plan's deliverable and the technical report."""

import io
import re
from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conference.models import Attendance, FeedbackAnswer, FeedbackGiven, Registration, Session
from conference.selectors.after import after_links, conference_figures, feedback_results
from conference.services import register
from conference.services.after import FeedbackInput, feedback_answer
from core.errors import DomainError
from reports.documents import Heading, ReportDocument, Table, report_blocks
from reports.records import facts_from_json, facts_to_json, period_of_months, report_facts
from tests.conference.builders import delegate, icc, milan, workshop
from tests.html_checks import accessibility_problems
from tests.tagged_pdf import read_tagged_pdf
from tests.visits.lifecycle import hold
from tests.workplan.builders import deliverable
from workplan.choices import Source
from workplan.sources import records_for

pytestmark = pytest.mark.django_db


def _conference(**kwargs):
    """ICC VIII (November 2018), its delegates' data kept long enough for the survey to be open."""
    conference = icc(**kwargs)
    conference.retention_until = date(2099, 1, 1)
    conference.save(update_fields=["retention_until"])
    return conference


def _attend(placed, *days, sessions=()):
    for day in days:
        Attendance.objects.create(
            registration=placed.registration, day=date(2018, 11, day), recorded_at=timezone.now()
        )
    for session in sessions:
        Attendance.objects.create(
            registration=placed.registration,
            day=date(2018, 11, 7),
            session=session,
            recorded_at=timezone.now(),
        )


def _url(name, placed, *args):
    return reverse(f"conference:{name}", args=["icc-viii", placed.token, *args])


# ---------------------------------------------------------------- the survey


def test_the_answer_has_no_link_to_the_delegate():
    answer_fields = {f.name for f in FeedbackAnswer._meta.get_fields()}
    assert answer_fields == {
        "id",
        "conference",
        "session",
        "overall",
        "usefulness",
        "comment",
        "day",
    }
    related = {
        f.related_model
        for f in FeedbackAnswer._meta.get_fields()
        if f.is_relation and f.related_model
    }
    assert Registration not in related and "registration" not in answer_fields
    assert not hasattr(FeedbackAnswer, "history")  # no audit row that could name who answered


def test_a_delegate_answers_once_anonymously_and_twice_is_refused(client):
    conference = _conference()
    placed = register(conference=conference, data=delegate(1))
    survey = client.get(_url("feedback_survey", placed))
    html = survey.content.decode()
    assert accessibility_problems(html) == []
    assert "The whole conference" in html and "Opening" in html
    assert "Jobs for newcomers" not in html  # a workshop they hold no place in
    form = client.get(_url("feedback_conference", placed)).content.decode()
    assert accessibility_problems(form) == []
    assert 'type="radio"' in form and "5 – Very good" in form  # noqa: RUF001
    response = client.post(
        _url("feedback_conference", placed),
        {"overall": "4", "usefulness": "5", "comment": "Inspiring plenary"},
    )
    assert response.status_code == 302
    answer = FeedbackAnswer.objects.get()
    assert (answer.overall, answer.usefulness, answer.comment, answer.session) == (
        4,
        5,
        "Inspiring plenary",
        None,
    )
    given = FeedbackGiven.objects.get()
    assert given.registration_id == placed.registration.pk and given.session is None
    survey = client.get(_url("feedback_survey", placed)).content.decode()
    assert "answered" in survey
    again = client.post(_url("feedback_conference", placed), {"overall": "1", "usefulness": "1"})
    assert "You have answered already" in again.content.decode()
    assert FeedbackAnswer.objects.count() == 1
    with pytest.raises(DomainError, match="You have answered already"):
        feedback_answer(
            raw_token=placed.token, session_id=None, data=FeedbackInput(overall=2, usefulness=2)
        )


def test_a_session_form_keeps_what_was_typed_on_error_and_only_own_sessions(client):
    conference = _conference()
    jobs = workshop(conference)
    placed = register(conference=conference, data=delegate(1, session_ids=(jobs.pk,)))
    housing = workshop(conference, "Housing first")
    response = client.post(
        _url("feedback_session", placed, jobs.pk), {"usefulness": "3", "comment": "Kept text"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a score from 1 to 5." in html and "Kept text" in html
    assert re.search(r'<input[^>]*name="usefulness"[^>]*value="3"[^>]*checked', html)
    assert client.get(_url("feedback_session", placed, housing.pk)).status_code == 404
    with pytest.raises(DomainError, match="sessions you took part in"):
        feedback_answer(raw_token=placed.token, session_id=housing.pk, data=FeedbackInput(3, 3))
    assert (
        client.post(
            _url("feedback_session", placed, jobs.pk), {"overall": "5", "usefulness": "4"}
        ).status_code
        == 302
    )
    assert FeedbackAnswer.objects.get().session == jobs


def test_the_survey_opens_on_the_first_day_and_only_for_confirmed_delegates(client):
    conference = _conference(capacity=1)
    first = register(conference=conference, data=delegate(1))
    waiting = register(conference=conference, data=delegate(2))
    the_day_before = datetime(2018, 11, 6, 23, 30, tzinfo=ZoneInfo("Europe/Rome"))
    with pytest.raises(DomainError, match="opens on the conference's first day"):
        feedback_answer(
            raw_token=first.token, session_id=None, data=FeedbackInput(3, 3), now=the_day_before
        )
    with pytest.raises(DomainError, match="confirmed place"):
        feedback_answer(raw_token=waiting.token, session_id=None, data=FeedbackInput(3, 3))
    assert "confirmed place" in client.get(_url("feedback_survey", waiting)).content.decode()
    conference.retention_until = date(2019, 5, 8)
    conference.save(update_fields=["retention_until"])
    with pytest.raises(DomainError, match="closed"):
        feedback_answer(raw_token=first.token, session_id=None, data=FeedbackInput(3, 3))
    assert not FeedbackAnswer.objects.exists()


def test_a_wrong_token_is_a_404(client):
    _conference()
    for name, method in (
        ("feedback_survey", "get"),
        ("feedback_conference", "get"),
        ("feedback_conference", "post"),
        ("certificate", "post"),
    ):
        url = reverse(f"conference:{name}", args=["icc-viii", "not-a-token"])
        assert getattr(client, method)(url).status_code == 404


# ---------------------------------------------------------------- the results


def _answers(conference, session, scores):
    for overall, usefulness, comment in scores:
        FeedbackAnswer.objects.create(
            conference=conference,
            session=session,
            overall=overall,
            usefulness=usefulness,
            comment=comment,
            day=date(2018, 11, 8),
        )


def test_the_results_show_averages_distribution_and_hide_small_counts(client_of, user_of):
    conference = _conference()
    opening = conference.sessions.get(title="Opening")
    _answers(conference, None, [(5, 4, "Great"), (4, 4, ""), (3, 5, "Too long"), (4, 3, "")])
    _answers(conference, opening, [(2, 2, "Only mine")])
    results = feedback_results(user_of("coordinator-1"), conference)
    whole = results.conference
    assert whole.count == 4 and str(whole.overall) == "4.0" and str(whole.usefulness) == "4.0"
    assert whole.overall_counts == [0, 0, 1, 2, 1] and whole.usefulness_counts == [0, 0, 1, 2, 1]
    assert whole.comments == ["Great", "Too long"]
    hidden = next(r for r in results.sessions if r.session == opening)
    assert hidden.count == 1 and hidden.overall is None and hidden.comments == []
    html = (
        client_of("auditor-1")
        .get(reverse("conference:feedback_results", args=["icc-viii"]))
        .content.decode()
    )
    assert accessibility_problems(html) == []
    assert '<th scope="col">Score</th>' in html and "<caption>" in html
    assert "Averages hidden to protect anonymity" in html and "Only mine" not in html
    assert "Delegate" not in html


def test_the_results_are_a_404_for_city_officers_and_anonymous_must_log_in(client, client_of):
    _conference()
    url = reverse("conference:feedback_results", args=["icc-viii"])
    assert client.get(url).status_code == 302  # to the log-in page, like every staff page
    assert client_of("athens-officer-1").get(url).status_code == 404
    assert client_of("coordinator-1").get(url).status_code == 200


def test_the_results_page_has_a_bounded_number_of_queries(client_of, django_assert_max_num_queries):
    conference = _conference()
    for n in range(10):
        session = Session.objects.create(
            conference=conference,
            kind="panel",
            title=f"Panel {n}",
            starts_at=milan(14, day=8),
            ends_at=milan(15, day=8),
        )
        _answers(conference, session, [(n % 5 + 1, 3, f"Comment {n}")] * 3)
    client = client_of("coordinator-1")
    url = reverse("conference:feedback_results", args=["icc-viii"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200 and "Panel 9" in response.content.decode()


# ---------------------------------------------------------------- the certificate


def test_the_certificate_is_for_attendees_only(client):
    conference = _conference()
    opening = conference.sessions.get(title="Opening")
    present = register(conference=conference, data=delegate(1))
    absent = register(conference=conference, data=delegate(2))
    _attend(present, 7, 8, sessions=[opening])
    links = {
        placed.token: render_to_string(
            "conference/after/_private_links.html",
            {
                "after": after_links(Registration.objects.get(pk=placed.registration.pk)),
                "conference": conference,
                "token": placed.token,
            },
        )
        for placed in (present, absent)
    }
    assert _url("certificate", present) in links[present.token]
    assert _url("feedback_survey", present) in links[present.token]
    assert _url("certificate", absent) not in links[absent.token]
    assert "no record of your attendance" in links[absent.token]
    refused = client.post(_url("certificate", absent))
    assert refused.status_code == 302
    page = client.get(refused.url).content.decode()
    assert "no record of your attendance" in page
    assert Registration.objects.get(pk=absent.registration.pk).certificate_requested_at is None
    response = client.post(_url("certificate", present))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    registration = Registration.objects.get(pk=present.registration.pk)
    assert registration.certificate_requested_at is not None
    assert registration.history.first().history_change_reason == (
        "certificate of attendance requested"
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "Delegate1 Test" in text and "Integrating Cities Conference VIII" in text
    assert "Opening" in text and "Co-funded by the European Union" in text
    assert "8 November 2018" in text
    assert reader.metadata.title.startswith("Certificate of attendance")
    # Tagged PDF/UA-1 in the delegate's language, with a title and a heading.
    tagged = read_tagged_pdf(response.content)
    assert tagged.marked and tagged.language == registration.language
    assert any(tag.startswith("H") for tag in tagged.tags), tagged.tags
    assert client.get(_url("certificate", present)).status_code == 405


# ---------------------------------------------------------------- the figures


def test_the_figures_come_from_the_records(django_assert_max_num_queries):
    conference = _conference(capacity=3)
    opening = conference.sessions.get(title="Opening")
    first = register(conference=conference, data=delegate(1, level="local"))
    second = register(conference=conference, data=delegate(2, level="national"))
    register(conference=conference, data=delegate(3, level="local"))
    register(conference=conference, data=delegate(4))  # waiting
    _attend(first, 7, 8, sessions=[opening])
    _attend(second, 7)
    _answers(conference, None, [(5, 4, ""), (4, 4, ""), (4, 5, "")])
    with django_assert_max_num_queries(6):
        figures = conference_figures(conference)
    assert (figures.confirmed, figures.waiting, figures.cancelled) == (3, 1, 0)
    assert [(c.label, c.count) for c in figures.by_level] == [("National", 1), ("Local", 2)]
    assert figures.delegates_present == 2
    assert [c.count for c in figures.by_day] == [2, 1]
    assert ("Opening", 1) in [(c.label, c.count) for c in figures.by_session]
    assert [(c.label, c.count) for c in figures.sessions_by_kind] == [
        ("Plenary", 1),
        ("Parallel workshop", 2),
    ]
    assert str(figures.feedback_overall) == "4.3" and str(figures.feedback_usefulness) == "4.3"


def _held_conference():
    """ICC VIII held (on the calendar: one participant, the coordinator), with 3 confirmed
    delegates of whom 2 checked in, one from a programme city, and 3 answers to the survey."""
    conference = _conference(capacity=3)
    hold(conference.event)
    opening = conference.sessions.get(title="Opening")
    first = register(conference=conference, data=delegate(1, level="local", country="IT"))
    second = register(conference=conference, data=delegate(2, level="regional", country="GR"))
    register(conference=conference, data=delegate(3, level="local", country="IT"))
    register(conference=conference, data=delegate(4))  # waiting
    Registration.objects.filter(pk=second.registration.pk).update(travel_eligible=True)
    _attend(first, 7, 8, sessions=[opening])
    _attend(second, 8)
    _answers(conference, None, [(5, 4, ""), (4, 4, ""), (4, 5, "")])
    return conference


def test_the_figures_feed_the_conference_deliverable(client_of):
    conference = _held_conference()
    programme = conference.event.programme
    record = next(
        r
        for r in records_for(programme, [Source.HELD_CONFERENCE])[Source.HELD_CONFERENCE]
        if r.pk == conference.event.pk
    )
    assert (record.done, record.invited, record.attended) == (True, 3, 2)  # not the 1 participant
    d43 = deliverable("D4.3")
    response = client_of("coordinator-1").get(
        reverse("workplan:deliverable", args=[programme.slug, d43.pk])
    )
    html = response.content.decode()
    assert accessibility_problems(html) == []
    assert "Integrating Cities Conference VIII in figures" in html
    assert "Participant list (2 present)" in html
    rows = {
        unescape(label): value
        for label, value in re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', html)
    }
    assert rows["Confirmed registrations"] == "3" and rows["On the waiting list"] == "1"
    assert rows["Delegates present (checked in on at least one day)"] == "2"
    assert rows["Programme cities' delegates (travel paid by the grant)"] == "1"
    assert rows["Local"] == "2" and rows["Regional"] == "1" and rows["Italy"] == "2"
    assert rows["Opening"] == "1" and rows["Average overall score (1 to 5)"] == "4.3"


def test_the_figures_and_the_survey_feed_the_technical_report():
    conference = _held_conference()
    programme = conference.event.programme
    start, end = period_of_months(programme, 1, 24)
    facts = report_facts(programme, kind_label="Interim report", start=start, end=end)
    (held,) = [c for p in facts.packages for c in p.conferences]
    assert (held.confirmed, held.waiting, held.present, held.travel_eligible) == (3, 1, 2, 1)
    assert str(held.feedback_overall) == "4.3"
    event = next(e for e in facts.events if e.pk == conference.event.pk)
    assert (event.invited, event.attended) == (3, 2)
    assert facts_from_json(facts_to_json(facts)) == facts
    document = ReportDocument(
        title="Interim report", language="en", facts=facts, sections={}, state_line="Draft"
    )
    rows = {
        row[0]: row[1]
        for block in report_blocks(document)
        if isinstance(block, Table)
        for row in block.rows
        if len(row) == 2
    }
    headings = [b.text for b in report_blocks(document) if isinstance(b, Heading)]
    assert "Integrating Cities Conference VIII in figures" in headings
    assert rows["Confirmed registrations"] == "3"
    assert rows["Delegates present (checked in on at least one day)"] == "2"
    assert rows["Average overall score (1 to 5)"] == "4.3"
    assert rows["Average usefulness (1 to 5)"] == "4.3"
    assert rows["Sessions: Parallel workshop"] == "2"
    assert rows["Greece"] == "1" and rows["Regional"] == "1"
    assert rows["Opening"] == "1"
