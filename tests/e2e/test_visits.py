"""A visit in the browser: the coordinator plans the visits, invites a delegation, records who
attended and downloads the participant list to be signed (PDF)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.models import User
from programmes.models import Programme
from tests.conftest import email_of
from tests.e2e.test_assessment_to_matching import log_in
from visits import planner
from visits.models import Participant
from visits.services.plan import visit_plan_propose

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_attendance_and_the_signed_participant_list(page, tmp_path):
    coordinator = User.objects.get(username=email_of("coordinator-1"))
    created, _ = visit_plan_propose(
        actor=coordinator,
        programme=Programme.objects.get(slug="cities-grow"),
        rules=planner.Rules(window_start=date(2017, 3, 1), window_end=date(2018, 6, 30)),
    )
    event = next(e for e in created if e.pair.implementing.city.slug == "athens")
    log_in(page, "coordinator-1")
    page.goto(f"/programmes/cities-grow/events/{event.pk}/")
    page.get_by_role("button", name="Invite the usual delegation").click()
    expect(page.get_by_text("5 people are invited.")).to_be_visible()
    page.get_by_label("Eleni Papadaki attended").check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance is recorded: 1 present.")).to_be_visible()
    assert Participant.objects.get(event=event, person__last_name="Papadaki").attended is True
    with page.expect_download() as download:
        page.get_by_role("link", name="Participant list to sign (PDF)").click()
    saved = tmp_path / "participants.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
