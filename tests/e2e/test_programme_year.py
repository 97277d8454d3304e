"""The whole programme year in a browser, with the real roles, on fresh demo data: the
programme, its assessments and its calendar as `make run` has them before the year is played.

A coordinator re-runs the matching and accepts it while visits exist; the host city confirms a
visit, the facilitator records who attended and reports its findings; Athens drafts its plan,
Munich (its mentor) suggests a text that Athens applies, two officers save at once; the
facilitator closes the review, the administration approves, the council endorses; the plan is
published and an anonymous visitor reaches it from the portal with the council's date."""

import json
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.models import User
from action_plans.models import ActionPlan, PlanComment
from assessments.choices import AssessmentStatus
from assessments.models import SelfAssessment
from assessments.services import self_assessment_review, self_assessment_submit
from matching.models import MatchRun
from programmes.models import MentoringPair, Programme
from programmes.services.loading import DATA_DIR
from tests.conftest import email_of
from tests.e2e.test_assessment_to_matching import log_in, log_out
from visits.models import Event, Participant
from visits.services.demo import demo_events_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PROGRAMME = "/programmes/cities-grow"
PLAN = f"{PROGRAMME}/plans/athens/"
STUDY_VISIT = "Study visit of Athens to Munich"  # hosted by Munich, the mentor of Athens
DECISION_DAY = date(2018, 10, 1)


def _user(key):
    return User.objects.get(username=email_of(key))


def _exactly(label):
    """A label by its whole text (Django may add a colon)."""
    return re.compile(rf"^{re.escape(label)}:?$")


def _agreed_pairs():
    """(theme, mentor, implementing city) as agreed at the launch meeting (the programme file)."""
    rows = json.loads((DATA_DIR / "cities-grow.json").read_text(encoding="utf-8"))["pairs"]
    return {(row["theme"], row["mentor"], row["implementing"]) for row in rows}


def _current_pairs():
    return {
        (p.scheme.theme.code, p.mentor.city.slug, p.implementing.city.slug): p.pk
        for p in MentoringPair.objects.current().select_related(
            "scheme__theme", "mentor__city", "implementing__city"
        )
    }


def _before_the_year():
    """The demo as `make run` has it before the year: the calendar (a visit planned for every
    pair), and Helsinki's baseline assessment settled at the launch meeting as the demo year
    does (without it, Helsinki has no theme and no matching that keeps every city is possible)."""
    programme = Programme.objects.get(slug="cities-grow")
    assert demo_events_load(actor=_user("coordinator-1"), programme=programme) > 0
    assessment = SelfAssessment.objects.get(
        city__slug="helsinki", theme__code="D", phase="baseline"
    )
    if assessment.status == AssessmentStatus.DRAFT:
        assessment = self_assessment_submit(
            actor=_user("helsinki-officer-1"),
            assessment=assessment,
            expected_revision=assessment.revision,
        )
        self_assessment_review(
            actor=_user("facilitator-d"),
            assessment=assessment,
            accept=True,
            comment="Agreed at the launch meeting.",
            expected_revision=assessment.revision,
        )


def _step(page, name, comment=""):
    page.goto(PLAN)
    page.get_by_role("link", name=name).click()
    if comment:
        page.get_by_label("Comment").fill(comment)
    page.get_by_role("button", name=name).click()
    expect(page.get_by_text("Done: the plan is now")).to_be_visible()


def _save_sections(page):
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The plan is saved; a version is kept.")).to_be_visible()


def test_a_programme_year_end_to_end(page, browser, live_server, tmp_path):
    _before_the_year()
    agreed = _agreed_pairs()
    before = _current_pairs()
    assert set(before) == agreed
    events_before = Event.objects.count()

    # 1. The coordinator re-runs the matching while visits exist: every city keeps its role and
    #    theme, Barcelona no longer mentors Riga, Munich keeps Athens and Rotterdam Gdańsk.
    log_in(page, "coordinator-1")
    page.goto(f"{PROGRAMME}/matching/")
    page.get_by_label("Name of this run").fill("Mid-year: a new mentor for Riga")
    for row, (a, b) in enumerate(
        (("Barcelona", "Riga"), ("Munich", "Tampere"), ("Rotterdam", "Nicosia")), start=1
    ):
        page.get_by_label(f"Forbidden pair {row}, city A").fill(a)
        page.get_by_label(f"Forbidden pair {row}, city B").fill(b)
    page.get_by_label("Keep the cities of today's pairs in their roles and themes").check()
    page.get_by_role("button", name="Run the matching").click()
    expect(page.locator("#run-status")).to_have_text("Best possible (proven)")
    expect(page.get_by_text("Theme C: Lisbon mentors Riga")).to_be_visible()
    expect(page.get_by_text("Theme B: Munich mentors Athens")).to_be_visible()
    # The acceptance lists the visits of the pairs that end, each with its choice.
    accept = page.get_by_role("region", name="If you accept this run")
    expect(
        accept.get_by_role("group", name=re.compile("Ends: theme C, Barcelona mentors Riga"))
    ).to_contain_text("new mentor: Lisbon")
    expect(accept.get_by_role("link", name="Study visit of Riga to Barcelona")).to_be_visible()
    expect(accept.get_by_role("link", name="Mentoring visit of Barcelona to Riga")).to_be_visible()
    expect(accept.get_by_role("link", name=STUDY_VISIT)).to_have_count(0)  # its pair stays
    accept.get_by_role(
        "group", name="What becomes of “Study visit of Riga to Barcelona”"
    ).get_by_label("Cancel it").check()
    accept.get_by_role(
        "group", name="What becomes of “Mentoring visit of Barcelona to Riga”"
    ).get_by_label("Transfer it to the new pair").check()
    accept.get_by_role("button", name="Accept this run").click()
    expect(page.get_by_text(re.compile(r"Run \d+ is accepted"))).to_be_visible()
    run = MatchRun.objects.get(label="Mid-year: a new mentor for Riga")
    assert run.accepted_at is not None
    after = _current_pairs()
    assert set(after) == {(p["theme"], p["mentor"], p["implementer"]) for p in run.result["pairs"]}
    assert ("C", "lisbon", "riga") in after and ("C", "barcelona", "riga") not in after
    # Unchanged pairs stay the same rows; replaced ones end, with their visits.
    for kept in (("B", "munich", "athens"), ("A", "rotterdam", "gdansk")):
        assert after[kept] == before[kept]
    ended = MentoringPair.objects.get(pk=before[("C", "barcelona", "riga")])
    assert ended.ended_on is not None and ended.ended_by_run == run.number
    assert Event.objects.count() == events_before  # nothing deleted
    riga_study = Event.objects.get(title="Study visit of Riga to Barcelona")
    assert riga_study.status == "cancelled" and riga_study.pair_id == ended.pk
    moved = Event.objects.get(title="Mentoring visit of Barcelona to Riga")
    assert moved.status == "planned" and moved.pair_id == after[("C", "lisbon", "riga")]
    visit = Event.objects.get(title=STUDY_VISIT)
    assert visit.pair_id == before[("B", "munich", "athens")] and visit.status == "planned"
    visit_url = f"{PROGRAMME}/events/{visit.pk}/"
    expect(page.get_by_role("row", name=re.compile(r"Riga\s+Lisbon"))).to_be_visible()
    page.goto(f"{PROGRAMME}/events/{moved.pk}/")
    expect(page.get_by_text("Lisbon → Riga")).to_be_visible()
    # The coordinator invites the usual delegation of the study visit.
    page.goto(visit_url)
    page.get_by_role("button", name="Invite the usual delegation").click()
    expect(page.get_by_text(re.compile(r"\d+ people are invited\."))).to_be_visible()
    log_out(page)

    # 2. Munich, the host city, confirms the visit's dates.
    log_in(page, "munich-officer-1")
    page.goto(visit_url)
    page.get_by_role("button", name="Confirm the dates").click()
    expect(page.get_by_text("The event is now “Confirmed”.")).to_be_visible()
    assert Event.objects.get(pk=visit.pk).status == "confirmed"
    log_out(page)

    # 3. The facilitator of theme B records who attended: the visit is held.
    log_in(page, "facilitator-b")
    page.goto(visit_url)
    for name in ("Eleni Papadaki", "Claudia Bauer", "Helen Carter"):
        page.get_by_label(f"{name} attended").check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance is recorded: 3 people present.")).to_be_visible()
    assert Event.objects.get(pk=visit.pk).status == "held"
    present = Participant.objects.filter(event=visit, attended=True)
    assert {p.person.last_name for p in present} == {"Papadaki", "Bauer", "Carter"}
    assert not Participant.objects.filter(event=visit, attended__isnull=True).exists()

    # 4. She writes the report with its findings and submits it: the visit is reported.
    page.get_by_role("link", name="Write the report").click()
    page.get_by_label("Summary").fill("Two days at Munich's job centre and its youth desk.")
    findings = (
        ("Strength", "Munich", "One desk for every young newcomer."),
        ("Challenge", "Athens", "Employers do not know the young newcomers' skills."),
        ("Recommended action", "Athens", "Open a youth desk in the job centre."),
    )
    for n, (kind, city, text) in enumerate(findings, start=1):
        finding = page.get_by_role("group", name=f"Finding {n}")
        finding.get_by_label("Kind").select_option(label=kind)
        finding.get_by_label(_exactly("Finding")).fill(text)
        finding.get_by_label("About").select_option(label=city)
    page.get_by_role("button", name="Submit the report").click()
    expect(page.get_by_text("The report is saved.")).to_be_visible()
    page.goto(visit_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reported")
    expect(page.get_by_text("Open a youth desk in the job centre.")).to_be_visible()
    visit.refresh_from_db()
    assert visit.status == "reported"
    assert sorted((f.kind, f.city.slug) for f in visit.report.findings.select_related("city")) == [
        ("challenge", "athens"),
        ("recommendation", "athens"),
        ("strength", "munich"),
    ]
    log_out(page)

    # 5. Athens' officer starts the plan and drafts it: sections with no risk, then two risks.
    log_in(page, "athens-officer-1")
    page.goto(f"{PROGRAMME}/plans/")
    page.get_by_role("button", name="Start the action plan of Athens").click()
    page.get_by_role("link", name="Edit the sections and risks").click()
    page.get_by_label("Context").fill("One young migrant in three is out of work or training.")
    page.get_by_label("Vision").fill("Every young newcomer in work or training within a year.")
    page.get_by_label("Objectives").fill("Open a youth desk in the job centre.")
    _save_sections(page)  # the blank risk row goes as the browser sends it
    plan = ActionPlan.objects.get(city__slug="athens")
    assert plan.pair_id == before[("B", "munich", "athens")]
    assert plan.context.startswith("One young migrant") and not plan.risks.exists()
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
    _save_sections(page)  # with a third, blank row again
    expect(page.get_by_role("row", name="Employers stay away")).to_be_visible()
    expect(page.get_by_role("row", name="The desk's staff leave")).to_be_visible()
    assert [(r.description, r.likelihood, r.impact) for r in plan.risks.order_by("order")] == [
        ("Employers stay away", "medium", "high"),
        ("The desk's staff leave", "low", "medium"),
    ]
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label(_exactly("Action")).fill("Open a youth desk")
    page.get_by_label(_exactly("Start")).fill("2018-01-01")
    page.get_by_label(_exactly("End")).fill("2019-12-31")
    page.get_by_label("Budget (EUR)").fill("120000")
    page.get_by_label(_exactly("Indicator")).first.fill("Young people placed")
    page.get_by_label("Target").first.fill("300")
    # The action answers the visit's recommendation (the facilitator's finding).
    page.get_by_label("Recommended action: Open a youth desk in the job centre.").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="1. Open a youth desk")).to_be_visible()
    action = plan.actions.get()
    assert [f.kind for f in action.findings.all()] == ["recommendation"]
    assert action.findings.get().report.event_id == visit.pk
    log_out(page)

    # 6. Munich's officer (the mentor city) comments on the vision with a suggested text.
    suggestion = "Every young newcomer in work or training within six months."
    log_in(page, "munich-officer-1")
    page.goto(PLAN)
    page.get_by_label("About").select_option(label="Vision")
    page.get_by_label(_exactly("Comment")).fill("Six months: a vision the council can measure.")
    page.get_by_label("Suggested text (optional)").fill(suggestion)
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("Your comment is added.")).to_be_visible()
    log_out(page)
    # Athens' officer applies it in one click: the vision changes and a version is kept.
    versions = plan.versions.count()
    log_in(page, "athens-officer-1")
    page.goto(PLAN)
    page.get_by_role("button", name="Apply the suggested text").click()
    expect(page.get_by_text("The suggested text is applied; a version is kept.")).to_be_visible()
    expect(page.get_by_text("Suggested text applied by")).to_be_visible()
    plan.refresh_from_db()
    comment = PlanComment.objects.get(plan=plan)
    assert plan.vision == suggestion and comment.applied_at is not None
    assert plan.versions.count() == versions + 1
    assert str(comment.pk) in plan.versions.order_by("-number").first().note

    # 7. Two officers of Athens open the sections at once; the second to save sees both texts.
    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        second = other.new_page()
        second.set_default_timeout(15_000)
        log_in(second, "athens-officer-2")
        page.goto(PLAN + "edit/")
        second.goto(PLAN + "edit/")
        page.get_by_label("Objectives").fill("Open a youth desk in the job centre by 2019.")
        _save_sections(page)
        second.get_by_label("Objectives").fill("Open a youth desk with the employers.")
        second.get_by_role("button", name="Save").click()
        expect(second.get_by_text("Someone else saved the plan")).to_be_visible()
        expect(second.get_by_label("Objectives")).to_have_value(
            "Open a youth desk with the employers."
        )
        expect(second.locator("#id_objectives-saved")).to_contain_text(
            "Open a youth desk in the job centre by 2019."
        )
        plan.refresh_from_db()
        assert plan.objectives == "Open a youth desk in the job centre by 2019."
        assert plan.versions.filter(conflict=True).exists()  # the refused text is kept
        # Having compared, the second officer saves both ideas.
        second.get_by_label("Objectives").fill(
            "Open a youth desk in the job centre by 2019, with the employers."
        )
        _save_sections(second)
    finally:
        other.close()
    plan.refresh_from_db()
    assert plan.objectives == "Open a youth desk in the job centre by 2019, with the employers."
    assert plan.vision == suggestion and plan.risks.count() == 2

    # 8. The officer sends the plan for review; the facilitator closes the review; the
    #    administration approves; the council endorses it with its decision.
    _step(page, "Send for review")
    log_out(page)
    log_in(page, "facilitator-b")
    _step(page, "Review done: submit to the city")
    log_out(page)
    log_in(page, "athens-approver-admin")
    _step(page, "Approve")
    log_out(page)
    decision = tmp_path / "council-decision.pdf"
    decision.write_bytes(b"%PDF-1.4\n% Athens City Council, decision 412/2018\n%%EOF\n")
    log_in(page, "athens-approver-political")
    page.goto(PLAN)
    page.get_by_role("link", name="Record the political endorsement").click()
    page.get_by_label("Decision-making body").fill("Athens City Council")
    page.get_by_label("Date of the decision").fill(DECISION_DAY.isoformat())
    page.get_by_label("Decision reference").fill("412/2018")
    page.get_by_label("Decision document").set_input_files(str(decision))
    page.get_by_role("button", name="Record the political endorsement").click()
    expect(page.get_by_text("Done: the plan is now “Adopted”.")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == "adopted" and not plan.published
    assert [t.transition for t in plan.transitions.order_by("at", "pk")] == [
        "send_for_review",
        "submit",
        "approve",
        "endorse",
    ]
    endorsement = plan.transitions.get(transition="endorse")
    assert endorsement.decided_on == DECISION_DAY and endorsement.document
    log_out(page)

    # 9. Athens' officer publishes the adopted plan and its action.
    log_in(page, "athens-officer-1")
    page.goto(PLAN)
    page.get_by_label("Show the adopted plan on the public site").check()
    page.get_by_label("Open a youth desk", exact=True).check()
    page.get_by_role("button", name="Save the choice").click()
    expect(page.get_by_text("Your choice of what is published is saved.")).to_be_visible()
    expect(page.get_by_role("link", name="See the public page")).to_be_visible()
    plan.refresh_from_db()
    assert plan.published and plan.actions.get().public
    log_out(page)

    # 10. An anonymous visitor starts at the portal and reaches the plan by its links, with the
    #     council's decision and its date (British English: day first).
    visitor_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        visitor = visitor_context.new_page()
        visitor.set_default_timeout(15_000)
        visitor.goto("/")
        expect(visitor.get_by_role("button", name="Log out")).to_have_count(0)
        expect(
            visitor.get_by_text("1 city has published the plan it adopted after mentoring.")
        ).to_be_visible()
        visitor.get_by_role("link", name="See the adopted plans").click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Adopted local action plans")
        entry = visitor.get_by_role("listitem").filter(has_text="Athens")
        expect(entry).to_contain_text("adopted 1 October 2018")
        entry.get_by_role("link").click()
        expect(visitor.get_by_role("heading", level=1)).to_contain_text(
            "adopted by Athens City Council on 1 October 2018"
        )
        expect(visitor.get_by_text(suggestion)).to_be_visible()
        expect(visitor.get_by_role("heading", name="Open a youth desk")).to_be_visible()
        assert visitor.url.endswith("/plans/cities-grow/athens/")
    finally:
        visitor_context.close()
