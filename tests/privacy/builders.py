"""A person with data everywhere, made through the services the apps' own tests use: invited
and signed in (and once refused a log-in), an officer of Athens with a phone and a job title,
hours in a signed and approved month at a staff rate, a reimbursed claim with receipts, both
reported in a statement; a comment on Athens' plan and an action led by them (so a saved plan
version holds their name), attendance at a webinar, notifications, a preference and a calendar
feed; others' comments and the admin's log name them. Then their role ends: they left.

Their name has an accent and an apostrophe, so the HTML-escaped and JSON-escaped copies (the
e-mails to others, the admin's log) are covered too."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from action_plans.services.actions import plan_action_save
from action_plans.services.comments import plan_comment_add
from core.audit import attribute_to
from core.roles import Role
from finance.models import Statement
from finance.services.budget import budget_line_create
from finance.services.claims import (
    LineInput,
    claim_approve,
    claim_check,
    claim_create,
    claim_line_add,
    claim_reimburse,
    claim_submit,
)
from finance.services.rates import staff_rate_save
from finance.services.statements import statement_create
from finance.services.timesheets import (
    EntryInput,
    timesheet_approve,
    timesheet_open,
    timesheet_save,
    timesheet_sign,
)
from notifications.services import settings_save
from programmes.models import City, Membership, Person, Programme, ProgrammePartner
from programmes.services.people import invitation_accept, invitation_create, membership_end
from tests.action_plans.builders import action_input, athens_plan
from visits.models import Participant
from visits.services import EventInput, calendar_feed_open, event_create, participant_invite
from visits.services.attendance import attendance_record
from visits.workflow import EventTransition, event_transition

FIRST = "Zoë"
LAST = "O'Quillfeather"
FULL_NAME = f"{FIRST} {LAST}"
EMAIL = "zoe.oquillfeather@athens.test.invalid"
PHONE = "+30 210 555 0147"
PASSWORD = "a-long-and-unusual-passphrase-42"
RECEIPT_NAME = "../Hotel bill, Munich.pdf"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Built:
    person: Person
    user: Any
    statement: Statement


def _invite_and_accept(coordinator: Any, capture: Any) -> Any:
    athens = City.objects.get(slug="athens")
    with capture(execute=True):
        invitation_create(
            actor=coordinator,
            programme=Programme.objects.get(slug="cities-grow"),
            email=EMAIL,
            first_name=FIRST,
            last_name=LAST,
            organisation=athens.organisation,
            role=Role.CITY_OFFICER,
            city=athens,
            language="en",
        )
    link = re.search(r"/accounts/invitation/([\w-]+)/", mail.outbox[-1].body)
    assert link
    return invitation_accept(raw_token=link.group(1), password=PASSWORD)


def _hours(user: Any, approver: Any, programme: Programme) -> None:
    sheet = timesheet_open(actor=user, programme=programme, month=date(2017, 3, 1))
    entries = [EntryInput(date(2017, 3, d), "visit", Decimal("6")) for d in (6, 7, 8)]
    sheet = timesheet_save(
        actor=user,
        timesheet=sheet,
        entries=entries,
        days=[e.day for e in entries],
        revision=sheet.revision,
    )
    sheet = timesheet_sign(actor=user, timesheet=sheet)
    timesheet_approve(actor=approver, timesheet=sheet)


def _claim(user: Any, finance: Any, approver: Any, programme: Programme) -> None:
    claim = claim_create(
        actor=user, programme=programme, purpose=f"Study visit of {FULL_NAME} to Munich"
    )
    for day, kind, supplier, amount in (
        (date(2017, 3, 6), "travel", "Airline", "210.00"),
        (date(2017, 3, 7), "accommodation", "Hotel", "95.50"),
    ):
        claim_line_add(
            actor=user,
            claim=claim,
            data=LineInput(day, kind, supplier, Decimal(amount), "EUR"),
            receipts=[SimpleUploadedFile(RECEIPT_NAME, PDF, content_type="application/pdf")],
        )
    claim = claim_submit(actor=user, claim=claim)
    decisions = {line.pk: ("accepted", "") for line in claim.lines.all()}
    claim = claim_check(actor=finance, claim=claim, decisions=decisions, revision=claim.revision)
    coordinator = ProgrammePartner.objects.get(programme=programme, role="coordinator")
    if not coordinator.budget_lines.filter(category="travel").exists():
        budget_line_create(  # the coordinator's travel line, which the approval spends
            actor=finance,
            programme=programme,
            partner=coordinator,
            category="travel",
            planned_eur=Decimal("10000.00"),
        )
    claim = claim_approve(actor=approver, claim=claim)  # a second finance officer
    claim_reimburse(
        actor=finance,
        claim=claim,
        paid_on=date(2017, 4, 3),
        amount_eur=Decimal("305.50"),
        reference="PAY-ZQ",
    )


def _webinar(coordinator: Any, person: Person, programme: Programme) -> None:
    athens = City.objects.get(slug="athens")
    zone = ZoneInfo(athens.timezone)
    event = event_create(
        actor=coordinator,
        programme=programme,
        data=EventInput(
            format="webinar",
            title="Webinar on youth desks",
            starts_at=datetime(2017, 5, 2, 10, tzinfo=zone),
            ends_at=datetime(2017, 5, 2, 11, tzinfo=zone),
            host_city=athens,
        ),
    )
    event_transition(actor=coordinator, event=event, transition=EventTransition.CONFIRM)
    participant_invite(actor=coordinator, event=event, person=person)
    present = set(
        Participant.objects.filter(event=event, person=person).values_list("pk", flat=True)
    )
    attendance_record(actor=coordinator, event=event, present=present)


def _plan_work(user_of: Any, user: Any) -> None:
    plan = athens_plan(user_of)
    plan_comment_add(actor=user, plan=plan, section="vision", body="Shall we name the partners?")
    plan_comment_add(
        actor=user_of("athens-officer-1"),
        plan=plan,
        section="objectives",
        body=f"{FULL_NAME} will lead the youth desk; write to {EMAIL}.",
    )
    # A saved version of the plan (frozen: it never changes) holds their name.
    plan_action_save(
        actor=user,
        plan=plan,
        action=None,
        expected_revision=None,
        data=action_input("Mentoring desk", lead_department=f"Youth office ({FULL_NAME})"),
    )


def _sign_in_records(client: Client) -> None:
    """A good log-in and a refused one (django-axes keeps both by user name)."""
    login = reverse("accounts:login")
    client.post(login, {"username": EMAIL, "password": PASSWORD})
    client.logout()
    client.post(login, {"username": EMAIL, "password": "not-the-password"})


def person_with_data_everywhere(user_of: Any, capture: Any, client: Client) -> Built:
    programme = Programme.objects.get(slug="cities-grow")
    coordinator, finance = user_of("coordinator-1"), user_of("finance-1")
    user = _invite_and_accept(coordinator, capture)
    person = Person.objects.get(user=user)
    person.phone, person.job_title = PHONE, "Integration officer"
    attribute_to(person, coordinator, "contact details")
    person.save()
    _sign_in_records(client)
    staff_rate_save(
        actor=finance,
        programme=programme,
        person=person,
        year=2017,
        currency="EUR",
        annual_cost=Decimal("43000.00"),
    )
    budget_line_create(  # the staff line of the person's city, which approving the month spends
        actor=finance,
        programme=programme,
        partner=ProgrammePartner.objects.get(
            programme=programme, organisation_id=person.organisation_id
        ),
        category="staff",
        planned_eur=Decimal("20000.00"),
    )
    _hours(user, user_of("athens-approver-admin"), programme)
    _claim(user, finance, user_of("finance-2"), programme)
    statement = statement_create(
        actor=finance, programme=programme, kind="interim", period_end=date(2017, 6, 30)
    )
    _webinar(coordinator, person, programme)
    _plan_work(user_of, user)
    settings_save(
        actor=user, person=person, language="en", channels={"finance.timesheet_approved": "inbox"}
    )
    calendar_feed_open(actor=user)
    LogEntry.objects.create(
        user=user_of("platform-admin"),
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        # JSON as the admin writes it: "Zo\u00eb" in the column.
        change_message=json.dumps([{"changed": {"fields": ["Phone"]}, "note": FULL_NAME}]),
    )
    for membership in Membership.objects.current().filter(person=person):
        membership_end(
            actor=coordinator,
            membership=membership,
            ended_on=timezone.localdate(),
            reason=f"{FULL_NAME} moved to another city",
        )
    person.refresh_from_db()
    return Built(person=person, user=user, statement=statement)
