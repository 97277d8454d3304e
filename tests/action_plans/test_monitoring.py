"""After adoption: progress reports, milestones, check-ins, the dashboard roll-up, and the public
page showing only what the city chose."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from action_plans.models import ProgressUpdate
from action_plans.selectors import progress_dashboard, rolled_up_percent
from action_plans.services.monitoring import (
    ProgressInput,
    action_plan_publication_set,
    check_in_hold,
    milestone_add,
    progress_update_add,
)
from core.errors import DomainError
from tests.action_plans.builders import adopt, athens_plan
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db


def _report(user_of, action, percent, state="on_track", **extra):
    return progress_update_add(
        actor=user_of("athens-officer-1"),
        action=action,
        data=ProgressInput(on=date(2019, 3, 1), state=state, percent=percent, **extra),
    )


def test_progress_is_reported_only_after_adoption_and_by_the_city(user_of):
    plan = athens_plan(user_of)
    action = plan.actions.get()
    with pytest.raises(DomainError, match="once the plan has been adopted"):
        _report(user_of, action, 10)
    adopt(user_of, plan)
    _report(user_of, action, 40)
    with pytest.raises(DomainError):
        progress_update_add(
            actor=user_of("munich-officer-1"),
            action=action,
            data=ProgressInput(on=date(2019, 3, 1), state="on_track", percent=50),
        )
    # Monitoring goes on although the plan's text is frozen.
    assert ProgressUpdate.objects.filter(action=action).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"percent": 101}, "percent"),
        ({"state": "done", "percent": 90}, "percent"),
        ({"state": "flying"}, "state"),
        ({"on": date(2099, 1, 1)}, "on"),
        ({"evidence": SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100)}, "evidence"),
    ],
)
def test_bad_progress_is_named(user_of, changes, field):
    plan = adopt(user_of, athens_plan(user_of))
    data = {"on": date(2019, 3, 1), "state": "on_track", "percent": 50, **changes}
    with pytest.raises(DomainError) as refused:
        progress_update_add(
            actor=user_of("athens-officer-1"), action=plan.actions.get(), data=ProgressInput(**data)
        )
    assert field in refused.value.field_errors


def test_the_plan_rolls_up_its_actions_progress(user_of):
    plan = adopt(user_of, athens_plan(user_of, actions=3))
    first, second, third = plan.actions.order_by("order")
    _report(user_of, first, 50)
    _report(user_of, second, 100, state="done")
    _report(user_of, third, 20, state="dropped")  # left out of the mean
    _programme, rows = progress_dashboard(user_of("coordinator-1"), "cities-grow")
    (row,) = rows
    assert row.percent == Decimal("75.0")
    assert row.by_state == {"on_track": 1, "done": 1}
    assert row.next_check_in.months_after_end == 6
    assert rolled_up_percent({1: 33, 2: 34, 3: 0}, [1, 2, 3]) == Decimal("22.3")
    assert rolled_up_percent({}, []) == Decimal("0")


def test_milestones_and_check_ins(user_of):
    plan = adopt(user_of, athens_plan(user_of))
    officer = user_of("athens-officer-1")
    milestone = milestone_add(
        actor=officer, action=plan.actions.get(), title="Desk open", due_on=date(2019, 2, 1)
    )
    assert milestone.pk
    check_in = plan.check_ins.get(months_after_end=6)
    with pytest.raises(DomainError):
        check_in_hold(actor=officer, check_in=check_in, summary=" ")
    check_in_hold(actor=officer, check_in=check_in, summary="Two desks open; 140 placed.")
    check_in.refresh_from_db()
    assert check_in.done_at is not None


def test_the_public_page_shows_the_adopted_text_and_only_chosen_actions(client, user_of):
    plan = adopt(user_of, athens_plan(user_of, actions=2))
    shown, hidden = plan.actions.order_by("order")
    url = reverse("action_plans:public_plan", args=["cities-grow", "athens"])
    assert client.get(url).status_code == 404  # adopted, not yet published
    action_plan_publication_set(
        actor=user_of("athens-officer-1"), plan=plan, published=True, public_action_ids={shown.pk}
    )
    _report(user_of, shown, 60)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert shown.title in html and hidden.title not in html
    assert "60%" in html
    assert accessibility_problems(html) == []
    listing = client.get(reverse("action_plans:public_index")).content.decode()
    assert "Youth into work" in listing
    with pytest.raises(DomainError):
        action_plan_publication_set(
            actor=user_of("munich-officer-1"), plan=plan, published=False, public_action_ids=set()
        )


def test_progress_screen_keeps_what_was_typed(client_of, user_of):
    plan = adopt(user_of, athens_plan(user_of))
    action = plan.actions.get()
    url = reverse("action_plans:progress", args=["cities-grow", "athens", action.pk])
    client = client_of("athens-officer-1")
    page = client.get(url)
    assert accessibility_problems(page.content.decode()) == []
    refused = client.post(
        url,
        {"progress": "", "on": "2019-03-01", "state": "done", "percent": "80", "note": "Kept note"},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "A finished action has its progress at 100." in html and "Kept note" in html
    done = client.post(
        url, {"progress": "", "on": "2019-03-01", "state": "on_track", "percent": "80"}
    )
    assert done.status_code == 302
    assert action.updates.get().percent == 80


# The check-in reminders (notifications raised once, in each reader's language) are tested in
# tests/action_plans/test_notifications.py.


def test_dashboard_and_progress_pages_keep_their_query_count(client_of, user_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = adopt(user_of, athens_plan(user_of, actions=1))
    client = client_of("coordinator-1")
    action = plan.actions.get()
    urls = [
        reverse("action_plans:dashboard", args=["cities-grow"]),
        reverse("action_plans:progress", args=["cities-grow", "athens", action.pk]),
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            assert accessibility_problems(response.content.decode()) == []
            found.append(len(queries))
        return found

    before = counts()
    for percent in (10, 20, 30, 40):
        _report(user_of, action, percent)
        milestone_add(
            actor=user_of("athens-officer-1"),
            action=action,
            title=f"Step {percent}",
            due_on=date(2019, 1, percent // 10),
        )
    assert counts() == before
