"""A visit in the browser, through its whole life: the coordinator plans the visits and confirms
one, invites the delegation, records who attended (the visit is then held), downloads the
participant list to be signed (PDF); the facilitator writes and submits the report (the visit is
then reported). Times are the host city's, named."""

import io
from datetime import date

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from programmes.models import Programme
from tests.conftest import email_of
from tests.e2e.test_assessment_to_matching import log_in, log_out
from visits import planner
from visits.models import Event, Participant
from visits.services.plan import visit_plan_propose
from visits.times import event_when

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visit_is_confirmed_held_with_its_attendance_and_reported(page, tmp_path):
    coordinator = User.objects.get(username=email_of("coordinator-1"))
    created, _ = visit_plan_propose(
        actor=coordinator,
        programme=Programme.objects.get(slug="cities-grow"),
        rules=planner.Rules(window_start=date(2017, 3, 1), window_end=date(2018, 6, 30)),
    )
    event = next(e for e in created if e.pair.implementing.city.slug == "athens")
    url = f"/programmes/cities-grow/events/{event.pk}/"
    log_in(page, "coordinator-1")
    page.goto(url)
    expect(page.get_by_text(event_when(event))).to_be_visible()
    page.get_by_role("button", name="Invite the usual delegation").click()
    expect(page.get_by_text("5 people are invited.")).to_be_visible()
    # A planned visit is not held: it is confirmed first.
    expect(page.get_by_role("button", name="Record attendance")).to_have_count(0)
    page.get_by_role("button", name="Confirm the dates").click()
    expect(page.get_by_text("The event is now “Confirmed”.")).to_be_visible()
    page.get_by_label("Eleni Papadaki attended").check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance is recorded: 1 person present.")).to_be_visible()
    assert Participant.objects.get(event=event, person__last_name="Papadaki").attended is True
    assert Event.objects.get(pk=event.pk).status == "held"
    with page.expect_download() as download:
        page.get_by_role("link", name="Participant list to sign (PDF)").click()
    saved = tmp_path / "participants.pdf"
    download.value.save_as(saved)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages)
    assert event_when(event) in text and "Papadaki" in text
    log_out(page)

    log_in(page, "facilitator-b")
    page.goto(url)
    page.get_by_role("link", name="Write the report").click()
    page.get_by_label("Summary").fill("Three days with the job centre and two schools.")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text("The report is saved.")).to_be_visible()
    assert Event.objects.get(pk=event.pk).status == "reported"
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reported")


def test_the_coordinator_finds_whom_to_invite_by_typing(page):
    """The invitation form lists the matches as one types (fetched from the scoped search),
    as radio buttons; choosing one and submitting invites that person."""
    coordinator = User.objects.get(username=email_of("coordinator-1"))
    created, _ = visit_plan_propose(
        actor=coordinator,
        programme=Programme.objects.get(slug="cities-grow"),
        rules=planner.Rules(window_start=date(2017, 3, 1), window_end=date(2018, 6, 30)),
    )
    event = next(e for e in created if e.pair.implementing.city.slug == "athens")
    log_in(page, "coordinator-1")
    page.goto(f"/programmes/cities-grow/events/{event.pk}/")
    page.get_by_text("Invite one person").click()
    page.locator("#id_who").press_sequentially("gdan", delay=30)
    choice = page.get_by_role("radio", name="Agnieszka Nowicka", exact=False)
    expect(choice).to_be_visible()
    expect(page.locator("[data-lookup-status]")).not_to_be_empty()
    choice.check()
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Agnieszka Nowicka is invited.")).to_be_visible()
    assert Participant.objects.filter(event=event, person__last_name="Nowicka").exists()
