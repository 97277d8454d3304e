"""An officer fills in and submits a self-assessment, the facilitator accepts it, and the
coordinator runs the matching and accepts it: the whole flow in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from assessments.choices import AssessmentStatus
from assessments.models import SelfAssessment
from matching.models import MatchRun
from programmes.models import MentoringPair
from tests.conftest import email_of
from tests.second_factor import browser_log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "cities-grow-demo"


def log_in(page, key):
    """Password, then the second factor when the person's role requires one."""
    browser_log_in(page, email_of(key), PASSWORD)


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_self_assessment_review_and_matching_in_the_browser(page):
    # 1. Athens' officer starts the mid-term self-assessment of theme B and submits it.
    log_in(page, "athens-officer-1")
    page.goto("/programmes/cities-grow/assessments/")
    page.get_by_role("button", name="Start theme B, Mid-term").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self-assessment of Athens")
    page.get_by_role("button", name="Submit for review").click()  # nothing rated yet
    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below")
    for n in range(1, 8):
        factor = page.locator(f"#kf-b{n}")
        factor.get_by_label(re.compile(r"2 . Partly in place")).check()
        factor.get_by_label("Priority for your city").select_option(label="High")
        factor.get_by_label("Evidence").fill(f"Pilot with the job centre (factor b{n}).")
    page.get_by_role("button", name="Submit for review").click()
    expect(
        page.get_by_text("Submitted: the facilitator of the theme will review it.")
    ).to_be_visible()
    expect(page.locator(".status")).to_have_text("Submitted for review")
    log_out(page)

    # 2. The facilitator of theme B finds it in the review queue and accepts it.
    log_in(page, "facilitator-b")
    page.goto("/programmes/cities-grow/assessments/")
    page.get_by_role("link", name=re.compile(r"Athens, theme B, Mid-term")).click()
    page.get_by_label("Accept").check()
    page.get_by_label("Comments for the city").fill("Clear evidence, thank you.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".status")).to_have_text("Accepted")
    assessment = SelfAssessment.objects.get(city__slug="athens", theme__code="B", phase="mid_term")
    assert assessment.status == AssessmentStatus.ACCEPTED
    log_out(page)

    # 3. The coordinator runs the matching, reads the result and accepts it.
    log_in(page, "coordinator-1")
    page.goto("/programmes/cities-grow/matching/")
    page.get_by_label("Name of this run").fill("End-to-end")
    # The city is typed: the suggestions come from the coordinators' endpoint as one types.
    page.locator("#id_lock_1_city").press_sequentially("muni")
    expect(page.locator("#matching-cities option")).to_have_count(1)
    expect(page.locator("#matching-cities option")).to_have_attribute("value", "Munich (DE)")
    page.locator("#id_lock_1_city").fill("Munich (DE)")
    page.get_by_label("Lock 1, role").select_option("mentor")
    page.get_by_label("Lock 1, theme").select_option("B")
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Matching run 1")
    expect(page.locator("#run-status")).to_have_text("Best possible (proven)")
    expect(page.get_by_text(re.compile(r"Theme B: Munich mentors"))).to_be_visible()
    page.get_by_role("button", name="Accept this run").click()
    expect(page.get_by_text(re.compile(r"Run 1 is accepted"))).to_be_visible()
    run = MatchRun.objects.get(label="End-to-end")
    assert run.accepted_at is not None
    pairs = {
        (p.mentor.city.slug, p.implementing.city.slug)
        for p in MentoringPair.objects.current().select_related(
            "mentor__city", "implementing__city"
        )
    }
    assert pairs == {(p["mentor"], p["implementer"]) for p in run.result["pairs"]}
    assert any(mentor == "munich" for mentor, _ in pairs)


def test_a_large_matching_runs_in_the_background_and_the_page_follows_it(page, settings):
    settings.MATCHING_BACKGROUND_FROM_CITIES = 1  # every run counts as large
    log_in(page, "coordinator-1")
    page.goto("/programmes/cities-grow/matching/")
    page.get_by_label("Name of this run").fill("In the background")
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_text("The matching runs in the background.")).to_be_visible()
    # The page polls the run's progress and shows the result when it is done, without a click.
    expect(page.locator("#run-status")).to_have_text("Best possible (proven)", timeout=20_000)
    run = MatchRun.objects.get(label="In the background")
    assert run.solver_status == "optimal"
    expect(page.get_by_role("button", name="Accept this run")).to_be_visible()
