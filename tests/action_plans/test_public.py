"""The public pages of adopted plans: the date the council decided (not the day someone clicked),
the good practice each action adapts (linked only when that practice is public), the list of
published plans reached from the portal, and a bounded number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from action_plans.services.actions import citable_practices, plan_action_save
from action_plans.services.monitoring import action_plan_publication_set
from action_plans.services.plans import action_plan_save, action_plan_start
from action_plans.workflow import Step, plan_step
from knowledge.choices import PracticeState
from knowledge.models import GoodPractice
from programmes.models import City, Programme
from tests.action_plans.builders import SECTIONS, action_input, endorsement
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db


def _published_plan(user_of, city, *, actions=1, decided_on=date(2018, 10, 1), practices=()):
    """A plan of `city` adopted by its council on `decided_on` and published, each action
    adapting the next of `practices` (if any)."""
    officer = user_of(f"{city}-officer-1")
    plan = action_plan_start(
        actor=officer,
        programme=Programme.objects.get(slug="cities-grow"),
        city=City.objects.get(slug=city),
    )
    plan = action_plan_save(
        actor=officer, plan=plan, expected_revision=plan.revision, sections=SECTIONS, risks=[]
    )
    for number in range(actions):
        practice = practices[number % len(practices)].reference if practices else ""
        plan_action_save(
            actor=officer,
            plan=plan,
            action=None,
            expected_revision=None,
            data=action_input(f"Action {number + 1} of {city}", adapts_practice=practice),
        )
    plan_step(actor=officer, plan=plan, step=Step.SEND_FOR_REVIEW)
    plan_step(actor=user_of("coordinator-1"), plan=plan, step=Step.SUBMIT)
    plan_step(actor=user_of(f"{city}-approver-admin"), plan=plan, step=Step.APPROVE)
    plan_step(
        actor=user_of(f"{city}-approver-political"),
        plan=plan,
        step=Step.ENDORSE,
        endorsement=endorsement(body=f"{city.title()} City Council", decided_on=decided_on),
    )
    action_plan_publication_set(
        actor=officer,
        plan=plan,
        published=True,
        public_action_ids=set(plan.actions.values_list("pk", flat=True)),
    )
    return plan


def _public_url(city):
    return reverse("action_plans:public_plan", args=["cities-grow", city])


def test_the_public_page_shows_the_date_of_the_council_decision(client, user_of):
    plan = _published_plan(user_of, "athens", decided_on=date(2018, 10, 1))
    # The day the plan was recorded, in the platform's zone (UTC and Brussels differ after 23:00).
    assert timezone.localdate(plan.adopted_at) == timezone.localdate() != date(2018, 10, 1)
    page = client.get(_public_url("athens"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "adopted by Athens City Council on 1 October 2018" in html
    assert date_format(timezone.localtime(plan.adopted_at), "j F Y") not in html
    listing = client.get(reverse("action_plans:public_index")).content.decode()
    assert "adopted 1 October 2018" in listing
    assert "1 plan is published." in listing


def test_each_public_action_names_the_practice_it_adapts_linked_only_if_public(client, user_of):
    officer = user_of("athens-officer-1")
    start = action_plan_start(
        actor=officer,
        programme=Programme.objects.get(slug="cities-grow"),
        city=City.objects.get(slug="athens"),
    )
    public, withdrawn = citable_practices(start)[:2]
    _published_plan(user_of, "athens", actions=3, practices=[public, withdrawn])
    # Since adoption, the second practice went back to draft: its page is not public any more.
    GoodPractice.objects.filter(pk=withdrawn.pk).update(state=PracticeState.DRAFT)
    html = client.get(_public_url("athens")).content.decode()
    public_link = reverse("knowledge:practice", args=[public.reference])
    assert f'<a href="{public_link}">{public.title}</a>' in html
    assert withdrawn.title in html
    assert reverse("knowledge:practice", args=[withdrawn.reference]) not in html
    assert client.get(public_link).status_code == 200
    assert accessibility_problems(html) == []


def test_the_portal_links_to_the_published_plans(client, user_of):
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("action_plans:public_index") in home
    assert "No adopted plan is published yet." in home
    _published_plan(user_of, "athens")
    home = client.get(reverse("portal:home")).content.decode()
    assert "1 city has published the plan it adopted after mentoring." in home
    _published_plan(user_of, "dresden")
    home = client.get(reverse("portal:home")).content.decode()
    assert "2 cities have published the plans they adopted after mentoring." in home
    nav = home[home.index('<nav aria-label="Main">') : home.index("</nav>")]
    assert reverse("action_plans:public_index") in nav


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_public_pages_keep_their_query_count(client, user_of):
    officer = user_of("athens-officer-1")
    start = action_plan_start(
        actor=officer,
        programme=Programme.objects.get(slug="cities-grow"),
        city=City.objects.get(slug="athens"),
    )
    practices = citable_practices(start)[:3]
    _published_plan(user_of, "athens", actions=1, practices=practices)
    index = reverse("action_plans:public_index")
    home = reverse("portal:home")
    before = (_queries(client, _public_url("athens")), _queries(client, index))
    home_before = _queries(client, home)
    athens = start.__class__.objects.get(pk=start.pk)
    plan_step(actor=officer, plan=athens, step=Step.REVISE, comment="More actions")
    athens.refresh_from_db()
    for number in range(4):
        plan_action_save(
            actor=officer,
            plan=athens,
            action=None,
            expected_revision=None,
            data=action_input(f"Extra {number}", adapts_practice=practices[number % 3].reference),
        )
    # The revision's new edition is not public yet; the adopted text is still shown.
    _published_plan(user_of, "dresden", actions=4, practices=practices)
    _published_plan(user_of, "brighton-hove", actions=3, practices=practices)
    assert _queries(client, _public_url("athens")) == before[0]
    assert _queries(client, _public_url("dresden")) == before[0]
    assert _queries(client, index) == before[1]
    assert _queries(client, home) == home_before
    listing = client.get(index).content.decode()
    assert "3 plans are published." in listing


def test_the_public_actions_show_their_dates_in_the_readers_language(client, user_of):
    """The adopted version keeps an action's dates as ISO text; the page shows them as dates."""
    _published_plan(user_of, "athens")
    html = client.get(_public_url("athens")).content.decode()
    assert "1 January 2018 \u2013 31 December 2019" in html and "2018-01-01" not in html
    french = client.get(_public_url("athens"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "1 janvier 2018 \u2013 31 décembre 2019" in french
