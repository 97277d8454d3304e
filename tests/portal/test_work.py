"""The first screen's "Waiting for you" (core.work): on the living demo (month 18), each demo
role's home page lists the work waiting for it in the programme, with counts, each linked to a
screen that opens for that person; someone with nothing to do is told so. The section costs a
fixed number of queries, whatever the programme's size."""

import re
from html import unescape

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import work
from core.work import WorkItem, work_for
from tests.conftest import email_of
from visits.models import Event

WAITING = {
    "coordinator-1": [
        "2 self-assessments to review",
        "3 visit reports to write",
        "1 planned event to confirm",
        "2 action plans wait for your review or decision",
    ],
    "facilitator-b": [
        "2 self-assessments to review",
        "1 visit report to write",
        "1 action plan waits for your review or decision",
    ],
    "athens-officer-1": [
        "1 self-assessment of your city to finish",
        "1 month of your hours to sign",
    ],
    "athens-approver-admin": ["1 signed month of hours to approve"],
    "dresden-approver-admin": ["1 action plan waits for your review or decision"],
    "brighton-hove-approver-political": ["1 action plan waits for your review or decision"],
    "finance-1": ["2 expense claims to check, approve or pay"],
    "auditor-1": ["1 financial statement to audit, down to its records"],
    "ghent-approver-political": [],  # nothing waits: the page says so
}


@pytest.fixture
def log_in(living_demo, client, django_user_model):
    def as_(key: str):
        client.force_login(django_user_model.objects.get(username=email_of(key)))
        return client

    return as_


def _waiting_section(client) -> str:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    match = re.search(r'<section aria-labelledby="waiting-heading">(.*?)</section>', html, re.S)
    assert match, "no “Waiting for you” section"
    return match.group(1)


def _items(section: str) -> list[tuple[str, str]]:
    """(label, url) of each link of the section."""
    return [
        (re.sub(r"\s+", " ", label).strip(), url)
        for url, label in re.findall(r'<a href="([^"]+)">(.*?)</a>', section, re.S)
    ]


@pytest.mark.parametrize("key", WAITING)
def test_each_role_sees_its_work_with_counts_and_links_that_open(log_in, key):
    client = log_in(key)
    section = _waiting_section(client)
    items = _items(section)
    assert [label for label, _url in items] == WAITING[key]
    if items:
        assert "CITIES-GROW" in section and "Nothing waits for you" not in section
    else:
        assert "Nothing waits for you." in section
    for label, url in items:
        assert client.get(url).status_code == 200, (key, label, url)


def test_plans_link_to_the_plan_when_one_waits_and_to_the_dashboard_when_several(log_in):
    (_label, one), *_ = _items(_waiting_section(log_in("dresden-approver-admin")))
    assert one == reverse("action_plans:plan", args=["cities-grow", "dresden"])
    several = dict(_items(_waiting_section(log_in("coordinator-1"))))
    assert several["2 action plans wait for your review or decision"] == reverse(
        "action_plans:index", args=["cities-grow"]
    )


def test_the_month_to_sign_links_to_its_week(log_in):
    links = dict(_items(_waiting_section(log_in("athens-officer-1"))))
    assert links["1 month of your hours to sign"] == reverse(
        "finance:week", args=["cities-grow", 2018, 6]
    )


def test_anonymous_home_has_no_waiting_section(living_demo, client):
    html = client.get(reverse("portal:home")).content.decode()
    assert "Waiting for you" not in html


def test_work_for_keeps_only_items_with_something_to_do(living_demo, django_user_model):
    def provider(user, programme):
        return [WorkItem("0 things", 0, "/a/"), WorkItem("2 things", 2, "/b/")]

    user = django_user_model.objects.get(username=email_of("ghent-approver-political"))
    programme = user.person.memberships.first().programme
    work.register(provider)
    work.register(provider)  # a second ready() adds nothing
    try:
        assert work_for(user, programme) == [WorkItem("2 things", 2, "/b/")]
    finally:
        work._providers.remove(provider)
    assert work_for(user, programme) == []


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:home")).status_code == 200
    return len(queries)


def test_the_coordinators_home_runs_a_bounded_number_of_queries(log_in):
    client = log_in("coordinator-1")
    _home_queries(client)  # warm caches (session, sites)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:home")).status_code == 200
    # 16: one is the second factor's device that verified the session (django-otp).
    assert len(queries) <= 16, [q["sql"] for q in queries]


def test_more_events_waiting_cost_no_more_queries(log_in):
    client = log_in("coordinator-1")
    _home_queries(client)
    before = _home_queries(client)
    with transaction.atomic():
        held = Event.objects.filter(status="held").first()
        for _ in range(5):
            held.pk = None
            held.save()
        assert "8 visit reports to write" in _waiting_section(client)
        assert _home_queries(client) == before
        transaction.set_rollback(True)
