"""The living demo: every loader of `make setup`, in its order, then each demo role's first
screens show the demo's records and work waiting for them; a second load changes nothing.

The load runs once for the module inside a transaction rolled back at its end, so the other
test modules keep the session database as conftest loaded it."""

import re
from datetime import date
from html import unescape

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.formats import date_format

from action_plans.models import ActionPlan, PlanTransition
from assessments.models import SelfAssessment
from finance.models import ExpenseClaim, Statement, Timesheet
from knowledge.models import Toolkit
from matching.models import MatchRun
from notifications.models import Notification, OutgoingEmail
from programmes.models import MentoringPair
from tests.conftest import email_of, load_demo_as_make_setup_does
from visits.models import Event

SLUG = "cities-grow"
ATHENS_PLAN = "Athens: from skills to jobs for young migrants and refugees"
RIGA_PLAN = "Riga: business support open to newcomer entrepreneurs"


@pytest.fixture(scope="module")
def demo(living_demo):
    return living_demo


@pytest.fixture
def page(demo, client, django_user_model):
    """GET a named URL as a demo person (by data-file key): the page's text, checked 200."""

    def get(key: str, name: str, *args: object, query: str = "") -> str:
        client.force_login(django_user_model.objects.get(username=email_of(key)))
        response = client.get(reverse(name, args=args) + query)
        assert response.status_code == 200, (key, name, response.status_code)
        return unescape(response.content.decode())

    return get


def _section(html: str, heading: str) -> str:
    """The part of the page from a heading to the next heading of the same level or higher."""
    match = re.search(rf"<h(\d)[^>]*>\s*{re.escape(heading)}\s*</h\1>", html)
    assert match, f"no heading “{heading}”"
    level = int(match.group(1))
    rest = html[match.end() :]
    end = re.search(rf"<h[1-{level}][\s>]", rest)
    return rest[: end.start()] if end else rest


# ---------------------------------------------------------------- the state the demo reaches


@pytest.mark.django_db
def test_the_demo_year_reaches_month_18_through_the_workflows(demo):
    out, err = demo
    assert "Demo year (mid-2018) loaded" in out
    assert err == ""
    accepted = MatchRun.objects.get(programme__slug=SLUG, accepted_at__isnull=False)
    assert accepted.label == "As agreed at the launch meeting"
    assert accepted.history.filter(history_change_reason="accepted").exists()
    assert MatchRun.objects.filter(programme__slug=SLUG).count() == 2
    real = {str(p) for p in MentoringPair.objects.filter(illustrative=False)}
    assert real == {"Munich → Athens", "Barcelona → Riga"}
    riga_visit = Event.objects.get(format="study_visit", pair__implementing__city__slug="riga")
    assert (riga_visit.starts_at.date().isoformat(), riga_visit.status) == (
        "2017-10-17",
        "reported",
    )
    assert riga_visit.report.findings.count() == 4
    statuses = dict(ActionPlan.objects.values_list("city__slug", "status"))
    assert statuses["athens"] == statuses["riga"] == "adopted"
    assert sorted(s for c, s in statuses.items() if c not in ("athens", "riga")) == [
        "approved",
        "draft",
        "draft",
        "in_review",
        "in_review",
        "submitted",
    ]
    endorsement = PlanTransition.objects.get(plan__city__slug="athens", decision="endorsed")
    assert endorsement.body == "Athens City Council" and endorsement.document
    assert endorsement.actor.username == email_of("athens-approver-political")
    mid_term = SelfAssessment.objects.filter(phase="mid_term")
    assert sorted(mid_term.values_list("city__slug", "status", "illustrative")) == [
        ("athens", "draft", True),
        ("tampere", "submitted", True),
    ]
    assert sorted(Toolkit.objects.values_list("state", flat=True)) == ["final", "published"]
    assert set(Timesheet.objects.values_list("status", flat=True)) == {"open", "signed", "approved"}
    assert set(ExpenseClaim.objects.values_list("status", flat=True)) == {
        "submitted",
        "approved",
        "reimbursed",
    }
    statement = Statement.objects.get()
    assert statement.kind == "interim"
    assert ExpenseClaim.objects.filter(reported_in=statement).count() == 3
    # The year's steps notified people (their inboxes hold them), but no 2018 e-mail is left
    # for the worker to send at the first `make run`.
    assert Notification.objects.filter(recipient__email=email_of("facilitator-b")).exists()
    assert not OutgoingEmail.objects.exists()


# ---------------------------------------------------------------- each role's first screens


@pytest.mark.django_db
def test_coordinator_sees_the_matching_calendar_and_plans_to_review(page):
    assert "CITIES-GROW" in page("coordinator-1", "portal:home")
    assert "As agreed at the launch meeting" in page("coordinator-1", "matching:home", SLUG)
    calendar = page("coordinator-1", "visits:calendar", SLUG)
    assert "Study visit of Riga to Barcelona" in calendar
    assert "Reported" in calendar
    plans = page("coordinator-1", "action_plans:index", SLUG)
    assert ATHENS_PLAN in plans and RIGA_PLAN in plans
    waiting = _section(plans, "Waiting for you")
    assert "Nicosia: opening the city's contracts to migrant entrepreneurs" in waiting
    assert "Tampere: one door to employers for young people's first jobs" in waiting


@pytest.mark.django_db
def test_facilitator_has_an_assessment_a_plan_and_a_report_waiting(page):
    queue = _section(page("facilitator-b", "assessments:home", SLUG), "Waiting for your review")
    assert "Tampere" in queue
    waiting = _section(page("facilitator-b", "action_plans:index", SLUG), "Waiting for you")
    assert "Tampere: one door to employers" in waiting
    visit = Event.objects.get(format="mentoring_visit", pair__implementing__city__slug="tampere")
    assert visit.status == "held" and visit.report.submitted_at is None  # the report to finish
    assert "Mentoring visit of Utrecht to Tampere" in page(
        "facilitator-b", "visits:event", SLUG, visit.pk
    )
    toolkits = page("facilitator-b", "knowledge:toolkits")
    assert "Job-skills match for young people with a migrant background" in toolkits


@pytest.mark.django_db
def test_city_officer_sees_the_adopted_plan_and_has_an_assessment_and_a_month_to_finish(page):
    home = page("athens-officer-1", "assessments:home", SLUG)
    assert "Self-assessments of Athens" in home
    mid_term = page("athens-officer-1", "assessments:assessment", SLUG, "athens", "B", "mid_term")
    assert "Draft" in mid_term
    assert ATHENS_PLAN in page("athens-officer-1", "action_plans:index", SLUG)
    plan = page("athens-officer-1", "action_plans:plan", SLUG, "athens")
    assert "Athens City Council" in plan and "One skills profile at every youth reception" in plan
    june = page("athens-officer-1", "finance:week", SLUG, 2018, 6)
    assert "Sign" in june  # the month is open with hours: hers to sign
    assert "Study visit of Athens to Munich" in page("athens-officer-1", "finance:home", SLUG)
    calendar = page("athens-officer-1", "visits:calendar", SLUG)
    assert "Mentoring visit of Munich to Athens" in calendar


@pytest.mark.django_db
def test_administrative_approvers_have_months_and_a_plan_to_approve(page):
    months = page("athens-approver-admin", "finance:approvals", SLUG)
    assert "Giorgos Karras" in months
    waiting = _section(
        page("dresden-approver-admin", "action_plans:index", SLUG), "Waiting for you"
    )
    assert "Dresden: business services designed with migrant entrepreneurs" in waiting


@pytest.mark.django_db
def test_political_approver_has_a_plan_to_endorse(page):
    plans = page("brighton-hove-approver-political", "action_plans:index", SLUG)
    assert "Brighton & Hove: fair recruitment with local employers" in _section(
        plans, "Waiting for you"
    )


@pytest.mark.django_db
def test_finance_officer_has_claims_waiting_and_the_interim_statement(page):
    inbox = page("finance-1", "finance:inbox", SLUG)
    assert "Mentoring visit of Birmingham to Nicosia" in inbox
    assert "Study visit of Tampere to Utrecht" in inbox  # approved, to be paid
    claims = page("finance-1", "finance:home", SLUG)
    assert "Study visit of Riga to Barcelona, 17-19 October 2017" in claims
    assert "Interim" in page("finance-1", "finance:statements", SLUG)


@pytest.mark.django_db
def test_auditor_reads_the_interim_statement_down_to_its_claims(page):
    statement = Statement.objects.get()
    assert "Interim" in page("auditor-1", "finance:statements", SLUG)
    detail = page("auditor-1", "finance:statement", SLUG, statement.pk)
    assert "Study visit of Athens to Munich" in detail or "Airline (illustrative)" in detail
    assert RIGA_PLAN in page("auditor-1", "action_plans:index", SLUG)


@pytest.mark.django_db
def test_the_public_sees_the_two_adopted_plans(demo, client):
    public = unescape(client.get(reverse("action_plans:public_index")).content.decode())
    assert ATHENS_PLAN in public and RIGA_PLAN in public
    assert "Dresden" not in public  # not adopted yet
    athens = client.get(reverse("action_plans:public_plan", args=[SLUG, "athens"]))
    assert athens.status_code == 200
    text = unescape(athens.content.decode())
    assert "One skills profile at every youth reception point" in text
    decided = date_format(date(2018, 6, 12), "DATE_FORMAT")  # the decision's day, not the click's
    assert "Athens City Council" in text and decided in text


# ---------------------------------------------------------------- idempotence


def _row_counts() -> dict[str, int]:
    """Rows of every table, histories included."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_loading_the_demo_again_changes_nothing(demo):
    before = _row_counts()
    out, err = load_demo_as_make_setup_does()
    assert "The demo year is already up to date: nothing changed." in out
    assert err == ""
    assert _row_counts() == before
