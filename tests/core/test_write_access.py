"""Every write endpoint x every role: only the roles allowed change anything; for the others the
request is refused (a redirect to log in, a 403, a 404 or a refusal message) and nothing moves."""

from decimal import Decimal

import pytest
from django.urls import reverse

from action_plans.models import ActionPlan
from assessments.models import Benchmark, SelfAssessment, ThemeWishes
from knowledge.models import GoodPractice, Toolkit
from knowledge.services.toolkits import toolkit_practice_add
from knowledge.workflow import PracticeStep, ToolkitStep, practice_step, toolkit_step
from matching.models import MatchRun
from matching.services import RunSettings, match_run_create, match_run_execute
from programmes.models import (
    City,
    Invitation,
    Membership,
    MentoringPair,
    Person,
    Programme,
    Theme,
)
from tests.conftest import email_of
from tests.core.test_access_table import ROLES, _event_pk
from tests.knowledge.builders import draft_practice, toolkit_b
from visits.models import Event, Participant

pytestmark = pytest.mark.django_db
ADMINS = {"platform_admin"}


def _coordinator(django_user_model):
    return django_user_model.objects.get(username=email_of("coordinator-1"))


def _finished_run(django_user_model):
    run = match_run_create(
        actor=_coordinator(django_user_model),
        programme=Programme.objects.get(slug="cities-grow"),
        run_settings=RunSettings(pairs={"A": 2, "B": 2, "C": 2, "D": 2}),
    )
    return match_run_execute(run.pk)


def _start(_):
    url = reverse("assessments:assessment_start", args=["cities-grow", "athens", "B", "final"])
    return url, {}, lambda: SelfAssessment.objects.filter(city__slug="athens", phase="final")


def _review(_):
    assessment = SelfAssessment.objects.get(city__slug="tampere", theme__code="B")
    url = reverse("assessments:assessment_review", args=["cities-grow", "tampere", "B", "baseline"])
    data = {"decision": "accept", "comment": "", "revision": assessment.revision}
    return url, data, lambda: SelfAssessment.objects.filter(pk=assessment.pk, status="accepted")


def _open_benchmark(_):
    url = reverse("assessments:benchmark_open", args=["cities-grow", "B"])
    return url, {}, lambda: Benchmark.objects.filter(theme__code="B", status="draft")


def _wishes(_):
    url = reverse("assessments:wishes", args=["cities-grow", "athens"])
    wishes = ThemeWishes.objects.get(city__slug="athens")
    theme_a = Theme.objects.get(programme__slug="cities-grow", code="A")
    data = {"revision": wishes.revision, "implement_themes": [theme_a.pk], "max_mentees": "1"}
    return url, data, lambda: ThemeWishes.objects.filter(pk=wishes.pk, revision__gt=wishes.revision)


def _accept_run(django_user_model):
    run = _finished_run(django_user_model)
    url = reverse("matching:run_accept", args=["cities-grow", run.pk])
    return url, {}, lambda: MatchRun.objects.filter(pk=run.pk, accepted_at__isnull=False)


def _change_mentor(_):
    url = reverse("matching:mentor_change", args=["cities-grow", "athens"])
    return (
        url,
        {"mentor": "utrecht"},
        lambda: MentoringPair.objects.filter(
            implementing__city__slug="athens", mentor__city__slug="utrecht"
        ),
    )


def _new_run(_):
    url = reverse("matching:home", args=["cities-grow"])
    data = {"same_country": "allow", "time_limit": "5", **{f"pairs_{c}": "2" for c in "ABCD"}}
    return url, data, lambda: MatchRun.objects.all()


_NEW_EVENT = {
    "format": "webinar",
    "title": "Webinar on housing",
    "start_day": "2017-06-01",
    "start_time": "10:00",
    "end_day": "2017-06-01",
    "end_time": "11:00",
}


def _plan_event(_):
    url = reverse("visits:event_new", args=["cities-grow"])
    return url, _NEW_EVENT, lambda: Event.objects.filter(title="Webinar on housing")


def _edit_event(_):
    event = Event.objects.get(pk=_event_pk())
    url = reverse("visits:event_edit", args=["cities-grow", event.pk])
    data = {**_NEW_EVENT, "revision": event.revision, "host_city": "athens"}
    return url, data, lambda: Event.objects.filter(pk=event.pk, title="Webinar on housing")


def _confirm_event(_):
    pk = _event_pk()
    url = reverse("visits:status", args=["cities-grow", pk])
    return url, {"transition": "confirm"}, lambda: Event.objects.filter(pk=pk, status="confirmed")


def _invite_person(_):
    pk = _event_pk()
    athens = Person.objects.get(email=email_of("athens-officer-1"))
    url = reverse("visits:participant_add", args=["cities-grow", pk])
    return url, {"person": athens.pk}, lambda: Participant.objects.filter(event_id=pk)


def _invite_to_role(_):
    athens = City.objects.get(slug="athens")
    url = reverse("programmes:invitation_new", args=["cities-grow"])
    data = {
        "email": "invited@test.invalid",
        "first_name": "New",
        "last_name": "Officer",
        "role": "city_officer",
        "city": athens.pk,
        "language": "fr",
    }
    return url, data, lambda: Invitation.objects.filter(email="invited@test.invalid")


def _revoke_invitation(django_user_model):
    from programmes.services.people import invitation_create

    athens = City.objects.get(slug="athens")
    invitation = invitation_create(
        actor=_coordinator(django_user_model),
        programme=Programme.objects.get(slug="cities-grow"),
        email="invited@test.invalid",
        first_name="New",
        last_name="Officer",
        organisation=athens.organisation,
        role="city_officer",
        city=athens,
        language="en",
    )
    url = reverse("programmes:invitation_revoke", args=["cities-grow", invitation.pk])
    return url, {}, lambda: Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=False)


def _end_role(_):
    membership = Membership.objects.get(
        person__email=email_of("athens-officer-1"), city__slug="athens"
    )
    url = reverse("programmes:membership_end", args=["cities-grow", membership.pk])
    data = {"ended_on": "2030-01-01", "reason": "Left"}
    return url, data, lambda: Membership.objects.filter(pk=membership.pk, ended_on__isnull=False)


def _deactivate_account(_):
    person = Person.objects.get(email=email_of("athens-officer-1"))
    url = reverse("programmes:person_deactivate", args=["cities-grow", person.pk])
    return url, {}, lambda: Person.objects.filter(pk=person.pk, user__is_active=False)


def _change_role(_):
    membership = Membership.objects.get(
        person__email=email_of("athens-officer-1"), city__slug="athens"
    )
    url = reverse("programmes:membership_change", args=["cities-grow", membership.pk])
    data = {"role": "auditor"}
    return url, data, lambda: Membership.objects.filter(person=membership.person, role="auditor")


def _start_plan(_):
    url = reverse("action_plans:start", args=["cities-grow", "athens"])
    return url, {}, lambda: ActionPlan.objects.filter(city__slug="athens")


def _athens_plan():
    from tests.action_plans.builders import athens_plan

    return athens_plan(lambda key: Person.objects.get(email=email_of(key)).user)


def _add_action(_):
    plan = _athens_plan()
    url = reverse("action_plans:action_new", args=["cities-grow", "athens"])
    data = {
        "title": "Second desk",
        "start": "2018-01-01",
        "end": "2018-12-31",
        "budget_eur": "0",
        "staff_days": "0",
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-name": "Desks",
        "indicators-0-target": "1",
    }
    return url, data, lambda: plan.actions.filter(title="Second desk")


def _send_plan(_):
    plan = _athens_plan()
    url = reverse("action_plans:step", args=["cities-grow", "athens", "send_for_review"])
    return url, {}, lambda: ActionPlan.objects.filter(pk=plan.pk, status="in_review")


def _comment_plan(_):
    plan = _athens_plan()
    url = reverse("action_plans:comment_add", args=["cities-grow", "athens"])
    data = {"section": "vision", "body": "Say by when."}
    return url, data, lambda: plan.comments.all()


# endpoint -> (set-up returning (url, data, changed queryset), roles that may change it)
def _add_practice(_):
    data = {
        "title": "Athens night classes",
        "reference": "athens-night-classes",
        "city_name": "Athens",
        "country": "GR",
        "summary": "Evening language classes.",
        "themes": ["mixities-introductory-language"],
        "status": "ongoing",
        "budget_range": "unknown",
        "language": "en",
        "source_kind": "project",
    }
    return (
        reverse("knowledge:practice_new"),
        data,
        lambda: GoodPractice.objects.filter(reference="athens-night-classes"),
    )


def _publish_practice(django_user_model):
    officer = django_user_model.objects.get(username=email_of("athens-officer-1"))
    practice = draft_practice(officer)
    practice_step(actor=officer, practice=practice, step=PracticeStep.SUBMIT)
    url = reverse("knowledge:practice_step", args=[practice.reference, "publish"])
    return url, {}, lambda: GoodPractice.objects.filter(pk=practice.pk, state="published")


def _start_toolkit(_):
    url = reverse("knowledge:toolkit_new", args=["cities-grow"])
    data = {"new-title": "Youth jobs toolkit", "new-theme": "cities-grow-b"}
    return url, data, lambda: Toolkit.objects.filter(title="Youth jobs toolkit")


def _add_toolkit_practice(django_user_model):
    toolkit = toolkit_b(django_user_model.objects.get(username=email_of("facilitator-b")))
    url = reverse("knowledge:toolkit_practice_new", args=[toolkit.slug])
    data = {"prac-practice": "ghent-kitchen-incubator", "prac-key_factor": ""}
    return url, data, lambda: toolkit.entries.all()


def _give_feedback(django_user_model):
    facilitator = django_user_model.objects.get(username=email_of("facilitator-b"))
    toolkit = toolkit_b(facilitator)
    toolkit_practice_add(actor=facilitator, toolkit=toolkit, reference="ghent-kitchen-incubator")
    toolkit_step(
        actor=facilitator, toolkit=toolkit, step=ToolkitStep.PUBLISH, accept_empty_factors=True
    )
    url = reverse("knowledge:toolkit_feedback", args=[toolkit.slug])
    data = {"city": City.objects.get(slug="athens").pk, "text": "The guide helped us."}
    return url, data, lambda: toolkit.feedback.all()


def _submit_claim(_):
    from finance.models import ExpenseClaim
    from tests.core.test_access_table import _athens_claim_pk

    pk = _athens_claim_pk()
    url = reverse("finance:claim_step", args=["cities-grow", pk, "submit"])
    return url, {}, lambda: ExpenseClaim.objects.filter(pk=pk, status="submitted")


def _check_claim(django_user_model):
    from finance.models import ExpenseClaim
    from finance.services.claims import claim_submit
    from tests.core.test_access_table import _athens_claim_pk

    claim = ExpenseClaim.objects.get(pk=_athens_claim_pk())
    traveller = django_user_model.objects.get(username=email_of("athens-officer-1"))
    claim = claim_submit(actor=traveller, claim=claim)
    data = {"revision": claim.revision}
    data |= {f"line-{line.pk}-decision": "accepted" for line in claim.lines.all()}
    url = reverse("finance:claim_check", args=["cities-grow", claim.pk])
    return url, data, lambda: ExpenseClaim.objects.filter(pk=claim.pk, status="checked")


def _approve_month(_):
    from finance.models import Timesheet
    from tests.core.test_access_table import _athens_sheet_pk
    from tests.finance.test_timesheets import prepare_approval

    pk = _athens_sheet_pk()
    sheet = Timesheet.objects.get(pk=pk)
    prepare_approval(sheet.person, Person.objects.get(email=email_of("finance-1")).user)
    url = reverse("finance:timesheet_approve", args=["cities-grow", pk])
    return url, {}, lambda: Timesheet.objects.filter(pk=pk, status="approved")


def _reopen_month(_):
    from finance.models import Timesheet
    from tests.core.test_access_table import _athens_sheet_pk

    pk = _athens_sheet_pk()
    url = reverse("finance:timesheet_reopen", args=["cities-grow", pk])
    return url, {"reason": "A day too many"}, lambda: Timesheet.objects.filter(pk=pk, status="open")


def _finance_user(django_user_model):
    return django_user_model.objects.get(username=email_of("finance-1"))


def _transfer(django_user_model):
    from finance.models import BudgetLine, BudgetTransfer
    from finance.services.demo import demo_finance_load

    demo_finance_load(_finance_user(django_user_model), Programme.objects.get(slug="cities-grow"))
    travel, other = (
        BudgetLine.objects.get(partner__role="coordinator", category=c) for c in ("travel", "other")
    )
    url = reverse("finance:budget_transfer_new", args=["cities-grow"])
    data = {
        "source": travel.pk,
        "target_category": other.category,
        "amount_eur": "10",
        "reason": "Venue",
    }
    return url, data, lambda: BudgetTransfer.objects.all()


def _override(django_user_model):
    from finance.models import BudgetLine, BudgetOverride
    from finance.services.demo import demo_finance_load

    demo_finance_load(_finance_user(django_user_model), Programme.objects.get(slug="cities-grow"))
    travel = BudgetLine.objects.get(partner__role="coordinator", category="travel")
    url = reverse("finance:budget_override_new", args=["cities-grow"])
    data = {"line": travel.pk, "amount_eur": "500", "reason": "The final conference"}
    return url, data, lambda: BudgetOverride.objects.all()


def _record_rate(_):
    from finance.models import ExchangeRate

    url = reverse("finance:rates", args=["cities-grow"])
    data = {"currency": "GBP", "month": "2017-03", "rate": "0.85"}
    return url, data, lambda: ExchangeRate.objects.all()


def _set_salary(_):
    from finance.models import StaffRate

    person = Person.objects.get(email=email_of("athens-officer-1"))
    url = reverse("finance:salaries", args=["cities-grow"])
    data = {
        "person": person.pk,
        "year": 2017,
        "currency": "EUR",
        "annual_cost": "40000",
        "productive_hours": "1720",
    }
    return url, data, lambda: StaffRate.objects.filter(person=person)


def _prepare_statement(django_user_model):
    from finance.models import Statement, Timesheet
    from finance.services.rates import staff_rate_save
    from finance.services.timesheets import timesheet_approve
    from tests.core.test_access_table import _athens_sheet_pk
    from tests.finance.test_timesheets import staff_line

    sheet = Timesheet.objects.get(pk=_athens_sheet_pk())
    approver = django_user_model.objects.get(username=email_of("athens-approver-admin"))
    staff_rate_save(
        actor=_finance_user(django_user_model),
        programme=sheet.programme,
        person=sheet.person,
        year=2017,
        currency="EUR",
        annual_cost=Decimal("40000"),
    )
    staff_line(_finance_user(django_user_model), sheet.person)
    timesheet_approve(actor=approver, timesheet=sheet)
    url = reverse("finance:statements", args=["cities-grow"])
    data = {"kind": "interim", "period_end": "2017-06-30"}
    return url, data, lambda: Statement.objects.all()


def _statement_files(_):
    from finance.models import StatementFiles
    from tests.core.test_access_table import _statement_pk

    pk = _statement_pk()
    url = reverse("finance:statement_files_new", args=["cities-grow", pk])
    return url, {}, lambda: StatementFiles.objects.filter(statement_id=pk)


def _mark_notification(_):
    from notifications.models import Notification
    from tests.core.test_access_table import _athens_notification_pk

    pk = _athens_notification_pk()
    url = reverse("notifications:mark", args=[pk])
    return url, {}, lambda: Notification.objects.filter(pk=pk, read_at__isnull=False)


def _retry_email(_):
    from notifications.choices import EmailStatus
    from notifications.models import OutgoingEmail

    email = OutgoingEmail.objects.create(
        recipient=Person.objects.get(email=email_of("athens-officer-1")),
        programme=Programme.objects.get(slug="cities-grow"),
        to_address="athens@test.invalid",
        subject="A step waits for you",
        text="Hello",
        status=EmailStatus.FAILED,
        attempts=5,
    )
    url = reverse("notifications:email_retry", args=[email.pk])
    return url, {}, lambda: OutgoingEmail.objects.filter(pk=email.pk, status=EmailStatus.PENDING)


WRITES = {
    # A notification is its recipient's alone; a failed e-mail is retried by the coordinators.
    "mark notification read": (_mark_notification, {"officer_athens"}),
    "retry e-mail": (_retry_email, {"coordinator"} | ADMINS),
    "transfer budget": (_transfer, {"finance"} | ADMINS),
    "override budget": (_override, {"finance"} | ADMINS),
    "record exchange rate": (_record_rate, {"finance"} | ADMINS),
    "set staff rate": (_set_salary, {"finance"} | ADMINS),
    "prepare statement": (_prepare_statement, {"finance"} | ADMINS),
    # The files of a statement (generated on the queue): whoever reads the books asks for them.
    "ask for statement files": (_statement_files, {"coordinator", "finance", "auditor"} | ADMINS),
    # Athens' months are approved by its administrative approver (tests/finance), not by any
    # role here but the platform's administrators; finance officers may also reopen them.
    "approve month": (_approve_month, ADMINS),
    "reopen month": (_reopen_month, {"finance"} | ADMINS),
    "submit claim": (_submit_claim, {"officer_athens"}),
    "check claim": (_check_claim, {"finance"} | ADMINS),
    "add practice": (_add_practice, {"coordinator", "facilitator_b", "officer_athens"} | ADMINS),
    "publish practice": (_publish_practice, {"coordinator", "facilitator_b"} | ADMINS),
    "start toolkit": (_start_toolkit, {"coordinator", "facilitator_b"} | ADMINS),
    "add toolkit practice": (_add_toolkit_practice, {"coordinator", "facilitator_b"} | ADMINS),
    "give toolkit feedback": (_give_feedback, {"officer_athens"} | ADMINS),
    "start assessment": (_start, {"officer_athens"} | ADMINS),
    "review assessment": (_review, {"coordinator", "facilitator_b"} | ADMINS),
    "open benchmark draft": (_open_benchmark, {"coordinator", "facilitator_b"} | ADMINS),
    "state wishes": (_wishes, {"coordinator", "officer_athens"} | ADMINS),
    "run matching": (_new_run, {"coordinator"} | ADMINS),
    "accept run": (_accept_run, {"coordinator"} | ADMINS),
    "change mentor": (_change_mentor, {"coordinator"} | ADMINS),
    "plan event": (_plan_event, {"coordinator"} | ADMINS),
    "edit event": (_edit_event, {"coordinator"} | ADMINS),
    # The webinar is hosted by Athens: its officers confirm the dates with the coordinators.
    "confirm event": (_confirm_event, {"coordinator", "officer_athens"} | ADMINS),
    "invite person": (_invite_person, {"coordinator"} | ADMINS),
    "invite to a role": (_invite_to_role, {"coordinator"} | ADMINS),
    "revoke invitation": (_revoke_invitation, {"coordinator"} | ADMINS),
    "end a role": (_end_role, {"coordinator"} | ADMINS),
    "change a role": (_change_role, {"coordinator"} | ADMINS),
    "deactivate an account": (_deactivate_account, {"coordinator"} | ADMINS),
    "start plan": (_start_plan, {"coordinator", "officer_athens"} | ADMINS),
    "add plan action": (_add_action, {"officer_athens"} | ADMINS),
    "send plan for review": (_send_plan, {"officer_athens"} | ADMINS),
    "comment on plan": (
        _comment_plan,
        {"coordinator", "facilitator_b", "officer_athens", "officer_munich"} | ADMINS,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", WRITES)
def test_only_allowed_roles_change_anything(write, role, client, client_of, django_user_model):
    setup, allowed = WRITES[write]
    url, data, changed = setup(django_user_model)
    assert not changed().exists()
    if role == "outsider":
        client.force_login(
            django_user_model.objects.create_user("outsider@test.invalid", "outsider@test.invalid")
        )
    elif ROLES[role]:
        client = client_of(ROLES[role])
    response = client.post(url, data)
    assert response.status_code < 500
    assert changed().exists() == (role in allowed), f"{role} on {write}: {response.status_code}"
