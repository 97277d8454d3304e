"""Co-drafting in the browser: the sections form posted back exactly as a browser sends it, a
refused concurrent save showing both texts field by field, and a comment's suggested text
applied in one click."""

import pytest
from django.test import Client
from django.urls import reverse

from action_plans.models import ActionPlan, PlanComment
from action_plans.services.comments import plan_comment_add, plan_comment_apply
from action_plans.services.plans import action_plan_start
from action_plans.workflow import Step, plan_step
from core.errors import DomainError
from programmes.models import City, Programme
from tests.action_plans.browser import browser_post_data
from tests.action_plans.builders import athens_plan
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db
ARGS = ["cities-grow", "athens"]


def _url(name, *extra):
    return reverse(f"action_plans:{name}", args=[*ARGS, *extra])


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _new_plan(user_of):
    return action_plan_start(
        actor=user_of("athens-officer-1"),
        programme=Programme.objects.get(slug="cities-grow"),
        city=City.objects.get(slug="athens"),
    )


def _as_browser(client, typed=None):
    """Open the edit page and post its form back as a browser would, with `typed` typed in."""
    page = client.get(_url("edit"))
    assert page.status_code == 200
    return client.post(
        _url("edit"), browser_post_data(page.content.decode(), with_field="vision", typed=typed)
    )


def test_the_sections_form_saves_as_a_browser_sends_it_with_no_risk(user_of):
    plan = _new_plan(user_of)
    officer = _client(user_of("athens-officer-1"))
    html = officer.get(_url("edit")).content.decode()
    # The blank row's selects offer an empty choice, chosen.
    assert '<option value="" selected>—</option>' in html
    response = _as_browser(officer, {"vision": "Every newcomer in work within a year."})
    assert response.status_code == 302, response.content.decode()
    plan.refresh_from_db()
    assert plan.vision == "Every newcomer in work within a year."
    assert not plan.risks.exists()


def test_the_sections_form_saves_with_two_risks_then_none(user_of):
    plan = _new_plan(user_of)
    officer = _client(user_of("athens-officer-1"))
    first = {
        "risks-0-description": "Employers stay away",
        "risks-0-likelihood": "medium",
        "risks-0-impact": "high",
    }
    assert _as_browser(officer, first).status_code == 302
    second = {
        "risks-1-description": "The desk's staff leave",
        "risks-1-likelihood": "low",
        "risks-1-impact": "medium",
        "risks-1-mitigation": "Two people trained for each task",
    }
    assert _as_browser(officer, second).status_code == 302
    assert [(r.description, r.likelihood, r.impact) for r in plan.risks.order_by("order")] == [
        ("Employers stay away", "medium", "high"),
        ("The desk's staff leave", "low", "medium"),
    ]
    # Emptying a row's text removes that risk, whatever its selects still send.
    emptied = {
        "risks-0-description": "",
        "risks-1-description": "",
        "risks-1-mitigation": "",
    }
    assert _as_browser(officer, emptied).status_code == 302
    assert not plan.risks.exists()


def test_a_blank_row_is_empty_whatever_its_selects_send(client_of, user_of):
    plan = _new_plan(user_of)
    data = {
        "revision": plan.revision,
        "title": plan.title,
        "language": "en",
        "vision": "A vision",
        "risks-TOTAL_FORMS": "1",
        "risks-INITIAL_FORMS": "0",
        "risks-0-description": "",
        "risks-0-likelihood": "low",  # what a select without an empty choice sent
        "risks-0-impact": "low",
        "risks-0-mitigation": "",
    }
    assert client_of("athens-officer-1").post(_url("edit"), data).status_code == 302
    assert not ActionPlan.objects.get(pk=plan.pk).risks.exists()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"risks-0-mitigation": "A mitigation only"}, "Describe the risk."),
        ({"risks-0-description": "A risk", "risks-0-impact": "high"}, "Choose low, medium or"),
    ],
)
def test_a_risk_row_with_text_needs_its_description_and_levels(user_of, row, message):
    _new_plan(user_of)
    officer = _client(user_of("athens-officer-1"))
    response = _as_browser(officer, row)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert accessibility_problems(html) == []


def test_a_refused_concurrent_save_shows_both_texts_field_by_field(user_of):
    plan = athens_plan(user_of)
    first = _client(user_of("athens-officer-1"))
    second = _client(user_of("athens-officer-2"))
    first_page = first.get(_url("edit")).content.decode()
    second_page = second.get(_url("edit")).content.decode()
    saved = browser_post_data(
        first_page,
        with_field="vision",
        typed={"vision": "Vision of the first officer", "risks-1-description": "Rents rise"},
    )
    saved["risks-1-likelihood"], saved["risks-1-impact"] = ["high"], ["high"]
    assert first.post(_url("edit"), saved).status_code == 302
    refused = second.post(
        _url("edit"),
        browser_post_data(
            second_page,
            with_field="vision",
            typed={"vision": "Vision of the second officer, kept", "context": "Context, kept"},
        ),
    )
    assert refused.status_code == 409
    html = refused.content.decode()
    assert accessibility_problems(html) == []
    assert "Someone else saved the plan" in html
    # What the second officer typed is still in the form...
    assert "Vision of the second officer, kept</textarea>" in html
    assert "Context, kept</textarea>" in html
    # ...and beside each field that differs, what the first one saved, the new words marked.
    assert 'id="id_vision-saved"' in html and 'id="id_context-saved"' in html
    vision_saved = html[html.index('id="id_vision-saved"') :]
    assert "Vision of the <ins>first officer</ins>" in vision_saved[: vision_saved.index("</div>")]
    assert 'id="id_title-saved"' not in html  # the same on both sides
    assert 'id="risks-saved"' in html and "Rents rise" in html
    # Having compared, saving the page again keeps the second officer's text.
    again = second.post(_url("edit"), browser_post_data(html, with_field="vision"))
    assert again.status_code == 302
    plan.refresh_from_db()
    assert plan.vision == "Vision of the second officer, kept"


def _suggest(user_of, plan, section="vision", text="Every young newcomer in work within a year."):
    return plan_comment_add(
        actor=user_of("munich-officer-1"),
        plan=plan,
        section=section,
        body="Make the vision measurable.",
        suggestion=text,
    )


def test_the_officer_applies_a_suggestion_in_one_click(user_of):
    plan = athens_plan(user_of)
    comment = _suggest(user_of, plan)
    officer = _client(user_of("athens-officer-1"))
    page = officer.get(_url("plan")).content.decode()
    assert "Apply the suggested text" in page
    # The mentor suggests; only the city's officers apply.
    mentor = _client(user_of("munich-officer-1"))
    assert "Apply the suggested text" not in mentor.get(_url("plan")).content.decode()
    mentor.post(_url("comment_apply", comment.pk))
    assert ActionPlan.objects.get(pk=plan.pk).vision != comment.suggestion
    revision, versions = plan.revision, plan.versions.count()
    response = officer.post(_url("comment_apply", comment.pk))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.vision == "Every young newcomer in work within a year."
    assert plan.revision == revision + 1
    version = plan.versions.order_by("-number").first()
    assert plan.versions.count() == versions + 1
    assert version.content["vision"] == plan.vision and str(comment.pk) in version.note
    assert version.saved_by == user_of("athens-officer-1")
    audit = plan.history.order_by("-history_id").first()
    assert audit.history_user == user_of("athens-officer-1")
    assert f"comment {comment.pk}" in audit.history_change_reason
    comment.refresh_from_db()
    assert comment.applied_by == user_of("athens-officer-1") and comment.applied_at
    page = officer.get(_url("plan")).content.decode()
    assert "Suggested text applied by" in page and "Apply the suggested text" not in page
    assert accessibility_problems(page) == []


def test_a_suggestion_is_refused_once_the_section_changed(user_of):
    plan = athens_plan(user_of)
    comment = _suggest(user_of, plan)
    officer = user_of("athens-officer-1")
    other = _suggest(user_of, plan, section="objectives", text="New objectives")
    plan_comment_apply(actor=officer, comment=other)  # another section: no matter
    plan.refresh_from_db()
    plan.vision = "Changed by hand since"
    plan.save()
    with pytest.raises(DomainError, match="changed since this suggestion was made"):
        plan_comment_apply(actor=officer, comment=comment)
    assert ActionPlan.objects.get(pk=plan.pk).vision == "Changed by hand since"
    assert PlanComment.objects.get(pk=comment.pk).applied_at is None
    # On screen: no button, but a note; a post all the same is refused with a message.
    client = _client(officer)
    page = client.get(_url("plan")).content.decode()
    assert "The section changed since this text was suggested" in page
    assert "Apply the suggested text" not in page
    refused = client.post(_url("comment_apply", comment.pk), follow=True)
    assert "changed since this suggestion was made" in refused.content.decode()


def test_a_suggestion_applies_only_to_an_editable_draft_once(user_of):
    plan = athens_plan(user_of)
    officer = user_of("athens-officer-1")
    comment = _suggest(user_of, plan)
    on_action = plan_comment_add(
        actor=user_of("munich-officer-1"),
        plan=plan,
        section="action",
        action=plan.actions.get(),
        body="Name the partners.",
        suggestion="Partners: the chamber of commerce",
    )
    with pytest.raises(DomainError, match="context, vision or objectives"):
        plan_comment_apply(actor=officer, comment=on_action)
    with pytest.raises(DomainError, match="Only the city's officers"):
        plan_comment_apply(actor=user_of("facilitator-b"), comment=comment)
    plan_step(actor=officer, plan=plan, step=Step.SEND_FOR_REVIEW)
    with pytest.raises(DomainError, match="edited again once it is back to draft"):
        plan_comment_apply(actor=officer, comment=comment)
    plan_step(actor=user_of("facilitator-b"), plan=plan, step=Step.REQUEST_CHANGES, comment="x")
    plan_comment_apply(actor=officer, comment=comment)
    with pytest.raises(DomainError, match="already applied"):
        plan_comment_apply(actor=officer, comment=PlanComment.objects.get(pk=comment.pk))


def test_the_plan_page_keeps_its_query_count_with_suggestions(client_of, user_of):
    plan = athens_plan(user_of)
    client = client_of("athens-officer-1")
    before = _count(client)
    for n in range(4):
        comment = _suggest(user_of, plan, section="context", text=f"Context {n}")
        if n % 2:
            plan_comment_apply(actor=user_of("athens-officer-1"), comment=comment)
            plan.refresh_from_db()
    assert _count(client) == before


def _count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url("plan")).status_code == 200
    return len(queries)
