"""The plan screens: starting, editing with stale copies, actions with bad input, comments,
steps with the endorsement upload, versions compared, and bounded queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from action_plans.models import ActionPlan, PlanComment
from tests.action_plans.builders import athens_plan, decision_pdf
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db
ARGS = ["cities-grow", "athens"]


def _url(name, *extra):
    return reverse(f"action_plans:{name}", args=[*ARGS, *extra])


def _ok(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    assert accessibility_problems(response.content.decode()) == [], url
    return response, len(queries)


def test_officer_starts_the_plan_from_the_index(client_of):
    client = client_of("athens-officer-1")
    index, _ = _ok(client, reverse("action_plans:index", args=["cities-grow"]))
    assert "Start the action plan of Athens" in index.content.decode()
    response = client.post(_url("start"))
    assert response.status_code == 302 and response["Location"] == _url("plan")
    assert ActionPlan.objects.filter(city__slug="athens").exists()
    # Another city's officers cannot start it.
    assert client_of("rotterdam-officer-1").post(_url("start")).status_code == 404


def test_stale_section_edit_is_refused_and_keeps_the_text(client_of, user_of):
    athens_plan(user_of)
    first, second = client_of("athens-officer-1"), client_of("athens-officer-2")
    form = first.get(_url("edit")).context["form"]
    data = {
        **form.initial,
        "risks-TOTAL_FORMS": "1",
        "risks-INITIAL_FORMS": "0",
    }
    assert first.post(_url("edit"), {**data, "vision": "First vision"}).status_code == 302
    refused = second.post(_url("edit"), {**data, "vision": "Second vision, kept"})
    assert refused.status_code == 409
    html = refused.content.decode()
    assert "Someone else saved the plan" in html and "Second vision, kept" in html


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": "2019-01-01", "end": "2018-01-01"}, "The end must not come before the start."),
        ({"budget_eur": "-5"}, "greater than or equal to 0"),
        ({"indicators-0-target": ""}, "Give the indicator a target."),
        ({"start": "not a date"}, "Enter a valid date."),
    ],
)
def test_bad_action_input_is_explained_and_kept(client_of, user_of, changes, message):
    athens_plan(user_of, actions=0)
    data = {
        "title": "A youth desk in every district",
        "description": "Typed with care.",
        "start": "2018-01-01",
        "end": "2019-01-01",
        "budget_eur": "1000.50",
        "staff_days": "10",
        "indicators-TOTAL_FORMS": "2",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "Desks open",
        "indicators-0-target": "7",
        **changes,
    }
    response = client_of("athens-officer-1").post(_url("action_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "A youth desk in every district" in html and "Typed with care." in html
    assert not ActionPlan.objects.get(city__slug="athens").actions.exists()


def test_the_mentor_comments_and_the_officer_answers(client_of, user_of):
    plan = athens_plan(user_of)
    action = plan.actions.get()
    mentor = client_of("munich-officer-1")
    response = mentor.post(
        _url("comment_add"), {"action": action.pk, "body": "Which NGO runs the desk?"}
    )
    assert response.status_code == 302
    thread = PlanComment.objects.get(plan=plan)
    officer = client_of("athens-officer-1")
    officer.post(_url("comment_add"), {"parent": thread.pk, "body": "Ergani, from 2018."})
    page = officer.get(_url("plan")).content.decode()
    assert "Which NGO runs the desk?" in page and "Ergani, from 2018." in page
    officer.post(_url("comment_resolve", thread.pk))
    thread.refresh_from_db()
    assert thread.status == "resolved"
    # Officers of an unrelated city reach nothing.
    outsider = client_of("rotterdam-officer-1")
    assert outsider.get(_url("plan")).status_code == 404
    assert outsider.post(_url("comment_add"), {"body": "x", "section": "vision"}).status_code == 404


def test_steps_on_screen_up_to_the_endorsement_with_its_document(client_of, user_of):
    plan = athens_plan(user_of)
    client_of("athens-officer-1").post(_url("step", "send_for_review"))
    client_of("facilitator-b").post(_url("step", "submit"))
    client_of("athens-approver-admin").post(_url("step", "approve"))
    political = client_of("athens-approver-political")
    _ok(political, _url("step", "endorse"))
    refused = political.post(
        _url("step", "endorse"),
        {"body": "City Council", "decided_on": "2018-10-01", "reference": "412/2018"},
    )
    assert refused.status_code == 400
    assert "Upload the decision document." in refused.content.decode()
    assert 'value="City Council"' in refused.content.decode()
    done = political.post(
        _url("step", "endorse"),
        {
            "body": "City Council",
            "decided_on": "2018-10-01",
            "reference": "412/2018",
            "document": decision_pdf(),
        },
    )
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == "adopted"
    decision = plan.transitions.get(transition="endorse")
    download = client_of("auditor-1").get(_url("decision", decision.pk))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client_of("rotterdam-officer-1").get(_url("decision", decision.pk)).status_code == 404
    # No one edits the adopted plan through the screens.
    assert client_of("athens-officer-1").get(_url("edit")).status_code == 200
    refused_edit = client_of("athens-officer-1").post(_url("action_new"), {"title": "x"})
    assert refused_edit.status_code == 400
    assert plan.actions.count() == 1


def test_a_step_the_person_may_not_take_is_refused(client_of, user_of):
    athens_plan(user_of)
    assert client_of("munich-officer-1").post(_url("step", "send_for_review")).status_code == 403
    assert client_of("athens-officer-1").get(_url("step", "nonsense")).status_code == 404


def test_versions_compare_on_screen(client_of, user_of):
    athens_plan(user_of)
    client = client_of("facilitator-b")
    page, _ = _ok(client, _url("versions") + "?a=2&b=3")
    assert page.context["rows"]
    assert "<ins>" in page.content.decode()
    bad, _ = _ok(client, _url("versions") + "?a=999&b=abc")
    assert bad.context["rows"] is None


def test_plan_pages_keep_their_query_count(client_of, user_of):
    plan = athens_plan(user_of, actions=1)
    client = client_of("munich-officer-1")
    _, plan_before = _ok(client, _url("plan"))
    _, index_before = _ok(client, reverse("action_plans:index", args=["cities-grow"]))
    _, versions_before = _ok(client, _url("versions"))
    from action_plans.services.actions import plan_action_save
    from action_plans.services.comments import plan_comment_add
    from tests.action_plans.builders import action_input

    for n in range(6):
        action = plan_action_save(
            actor=user_of("athens-officer-1"),
            plan=plan,
            action=None,
            expected_revision=None,
            data=action_input(f"More {n}"),
        )
        plan_comment_add(
            actor=user_of("munich-officer-1"), plan=plan, body="?", section="action", action=action
        )
    assert _ok(client, _url("plan"))[1] == plan_before
    assert _ok(client, reverse("action_plans:index", args=["cities-grow"]))[1] == index_before
    assert _ok(client, _url("versions"))[1] == versions_before


def test_a_refused_comment_or_check_in_keeps_the_text_next_to_its_field(client_of, user_of):
    from tests.action_plans.builders import adopt

    plan = athens_plan(user_of)
    mentor = client_of("munich-officer-1")
    refused = mentor.post(_url("comment_add"), {"section": "action", "body": "Which NGO runs it?"})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Choose the action you comment on." in html and "Which NGO runs it?" in html
    assert accessibility_problems(html) == []
    assert not PlanComment.objects.filter(plan=plan).exists()
    adopt(user_of, plan)
    check_in = plan.check_ins.get(months_after_end=6)
    officer = client_of("athens-officer-1")
    blank = officer.post(_url("check_in", check_in.pk), {"summary": "   "})
    assert blank.status_code == 400
    assert "Summarise where the plan stands." in blank.content.decode()
    assert accessibility_problems(blank.content.decode()) == []
