"""A local action plan's whole path in the browser: the officer drafts, the mentor comments, the
facilitator requests changes, the officer revises, the administration approves, the politicians
endorse with their decision document; the adopted plan is frozen and its PDF downloads."""

import re

import pytest
from playwright.sync_api import expect

from action_plans.models import ActionPlan, PlanComment
from tests.e2e.test_assessment_to_matching import log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PLAN = "/programmes/cities-grow/plans/athens/"


def _exactly(label):
    """A label by its whole text (Django may add a colon)."""
    return re.compile(rf"^{label}:?$")


def _step(page, name, comment=""):
    page.goto(PLAN)
    page.get_by_role("link", name=name).click()
    if comment:
        page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name=name).click()
    expect(page.get_by_text("Done: the plan is now")).to_be_visible()


def test_a_plan_from_draft_to_adoption(page, tmp_path):
    # 1. Athens' officer starts and drafts the plan.
    log_in(page, "athens-officer-1")
    page.goto("/programmes/cities-grow/plans/")
    page.get_by_role("button", name="Start the action plan of Athens").click()
    page.get_by_role("link", name="Edit the sections and risks").click()
    page.get_by_label("Context").fill("One young migrant in three is out of work or training.")
    page.get_by_label("Vision").fill("Every young newcomer in work or training within a year.")
    page.get_by_label("Objectives").fill("Open a youth desk in the job centre.")
    page.get_by_label(_exactly("Risk")).fill("Employers stay away")
    page.get_by_label("Likelihood").select_option(label="Medium")
    page.get_by_label("Impact").select_option(label="High")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The plan is saved; a version is kept.")).to_be_visible()
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label(_exactly("Action")).fill("Open a youth desk")
    page.get_by_label("Start").fill("2018-01-01")
    page.get_by_label("End").fill("2019-12-31")
    page.get_by_label("Budget (EUR)").fill("120000")
    page.get_by_label(_exactly("Indicator")).first.fill("Young people placed")
    page.get_by_label("Target").first.fill("300")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="1. Open a youth desk")).to_be_visible()
    _step(page, "Send for review")
    log_out(page)

    # 2. The mentor city comments on the action.
    log_in(page, "munich-officer-1")
    page.goto(PLAN)
    page.get_by_label("About").select_option(label="An action")
    page.get_by_label(_exactly("Action")).select_option(label="Open a youth desk")
    page.get_by_label(_exactly("Comment")).fill("Add the chamber of commerce as a partner.")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("Add the chamber of commerce as a partner.")).to_be_visible()
    log_out(page)

    # 3. The facilitator requests changes.
    log_in(page, "facilitator-b")
    _step(page, "Request changes", comment="Follow Munich's comment on partners.")
    log_out(page)

    # 4. The officer revises and sends the plan again; the facilitator closes the review.
    log_in(page, "athens-officer-1")
    page.goto(PLAN)
    expect(page.get_by_text("Follow Munich's comment on partners.")).to_be_visible()
    page.get_by_role("link", name="Edit Open a youth desk").click()
    page.get_by_label(_exactly("Partners")).fill("Chamber of commerce of Athens")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The action is saved; a version is kept.")).to_be_visible()
    _step(page, "Send for review")
    log_out(page)
    log_in(page, "facilitator-b")
    _step(page, "Review done: submit to the city")
    log_out(page)

    # 5. The administrative approver approves.
    log_in(page, "athens-approver-admin")
    _step(page, "Approve")
    log_out(page)

    # 6. The political approver endorses, with the council's decision.
    decision = tmp_path / "council-decision.pdf"
    decision.write_bytes(b"%PDF-1.4\n% Athens City Council, decision 412/2018\n")
    log_in(page, "athens-approver-political")
    page.goto(PLAN)
    page.get_by_role("link", name="Record the political endorsement").click()
    page.get_by_label("Decision-making body").fill("Athens City Council")
    page.get_by_label("Date of the decision").fill("2018-10-01")
    page.get_by_label("Decision reference").fill("412/2018")
    page.get_by_label("Decision document").set_input_files(str(decision))
    page.get_by_role("button", name="Record the political endorsement").click()
    expect(page.get_by_text("Done: the plan is now “Adopted”.")).to_be_visible()
    log_out(page)

    # 7. The adopted plan is frozen for its officers, and its PDF downloads.
    log_in(page, "athens-officer-1")
    page.goto(PLAN)
    expect(page.get_by_role("link", name="Edit the sections and risks")).to_have_count(0)
    expect(page.get_by_role("link", name="Add an action")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download (PDF)").click()
    saved = tmp_path / "plan.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")
    plan = ActionPlan.objects.get(city__slug="athens")
    assert plan.status == "adopted"
    assert plan.actions.get().partners == "Chamber of commerce of Athens"
    assert [t.transition for t in plan.transitions.order_by("at", "pk")] == [
        "send_for_review",
        "request_changes",
        "send_for_review",
        "submit",
        "approve",
        "endorse",
    ]
    assert PlanComment.objects.filter(plan=plan).count() == 1


def _start_plan(page):
    page.goto("/programmes/cities-grow/plans/")
    page.get_by_role("button", name="Start the action plan of Athens").click()
    expect(page.get_by_role("link", name="Edit the sections and risks")).to_be_visible()


def _save_sections(page):
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The plan is saved; a version is kept.")).to_be_visible()


def test_sections_save_with_no_risk_then_with_two(page):
    log_in(page, "athens-officer-1")
    _start_plan(page)
    page.get_by_role("link", name="Edit the sections and risks").click()
    page.get_by_label("Vision").fill("Every young newcomer in work or training within a year.")
    _save_sections(page)  # the blank risk row is left as the browser sends it
    plan = ActionPlan.objects.get(city__slug="athens")
    assert plan.vision.startswith("Every young newcomer") and not plan.risks.exists()

    page.get_by_role("link", name="Edit the sections and risks").click()
    page.get_by_label(_exactly("Risk")).fill("Employers stay away")
    page.get_by_label("Likelihood").select_option(label="Medium")
    page.get_by_label("Impact").select_option(label="High")
    _save_sections(page)
    page.get_by_role("link", name="Edit the sections and risks").click()
    page.get_by_label(_exactly("Risk")).nth(1).fill("The desk's staff leave")
    page.get_by_label("Likelihood").nth(1).select_option(label="Low")
    page.get_by_label("Impact").nth(1).select_option(label="Medium")
    page.get_by_label("Mitigation").nth(1).fill("Two people trained for each task")
    _save_sections(page)
    assert [(r.description, r.likelihood, r.impact) for r in plan.risks.order_by("order")] == [
        ("Employers stay away", "medium", "high"),
        ("The desk's staff leave", "low", "medium"),
    ]
    expect(page.get_by_role("row", name="Employers stay away")).to_be_visible()


def test_a_suggestion_applied_and_two_officers_saving_at_once(page, browser, live_server):
    # The officer starts the plan; the mentor city suggests a text for the vision.
    log_in(page, "athens-officer-1")
    _start_plan(page)
    log_out(page)
    log_in(page, "munich-officer-1")
    page.goto(PLAN)
    page.get_by_label("About").select_option(label="Vision")
    page.get_by_label(_exactly("Comment")).fill("A vision the council can measure?")
    page.get_by_label("Suggested text (optional)").fill("Every young newcomer in work in a year.")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("Your comment is added.")).to_be_visible()
    expect(page.get_by_role("button", name="Apply the suggested text")).to_have_count(0)
    log_out(page)

    # The officer applies it in one click: a new version, and the comment says so.
    log_in(page, "athens-officer-1")
    page.goto(PLAN)
    page.get_by_role("button", name="Apply the suggested text").click()
    expect(page.get_by_text("The suggested text is applied; a version is kept.")).to_be_visible()
    expect(page.get_by_text("Suggested text applied by")).to_be_visible()
    plan = ActionPlan.objects.get(city__slug="athens")
    assert plan.vision == "Every young newcomer in work in a year."
    comment = PlanComment.objects.get(plan=plan)
    assert comment.applied_at is not None
    assert str(comment.pk) in plan.versions.order_by("-number").first().note

    # Two officers open the sections at once; the second to save sees both texts.
    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    second = other.new_page()
    second.set_default_timeout(15_000)
    log_in(second, "athens-officer-2")
    page.goto(PLAN + "edit/")
    second.goto(PLAN + "edit/")
    page.get_by_label("Vision").fill("Vision of the first officer.")
    _save_sections(page)
    second.get_by_label("Vision").fill("Vision of the second officer.")
    second.get_by_role("button", name="Save").click()
    expect(second.get_by_text("Someone else saved the plan")).to_be_visible()
    expect(second.get_by_label("Vision")).to_have_value("Vision of the second officer.")
    expect(second.locator("#id_vision-saved")).to_contain_text("Vision of the first officer.")
    # Having compared, the second officer saves again: now it is taken.
    _save_sections(second)
    plan.refresh_from_db()
    assert plan.vision == "Vision of the second officer."
    other.close()
