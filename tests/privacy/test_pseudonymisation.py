"""Pseudonymisation with four eyes: after it, no table (history included, and none that the
database alone knows) holds the person's name, e-mail or phone; money and approvals stay under
the pseudonym and the statements that report their costs still reconcile."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.roles import Role
from finance.models import ClaimLine, ExpenseClaim, StaffRate, Timesheet
from finance.services.statements import statement_content
from privacy.choices import RequestStatus
from privacy.models import PseudonymisationRequest
from privacy.services import (
    pseudonymisation_cancel,
    pseudonymisation_confirm,
    pseudonymisation_request,
)
from programmes.models import City, Membership, Person
from tests.privacy.builders import EMAIL, FIRST, FULL_NAME, LAST, PHONE
from tests.privacy.search import orm_hits, raw_hits

pytestmark = pytest.mark.django_db

NEEDLES = [
    FULL_NAME,
    LAST,
    EMAIL,
    PHONE,
    f"{LAST}, {FIRST}",
    "O&#x27;Quillfeather",  # as an HTML e-mail writes it
    json.dumps(FULL_NAME)[1:-1],  # as JSON written by Python keeps it: Zo\u00eb
]


def _pseudonymised(built, user_of):
    request = pseudonymisation_request(
        actor=user_of("coordinator-1"), person=built.person, reason=f"{FULL_NAME} asked for it"
    )
    return pseudonymisation_confirm(actor=user_of("coordinator-2"), request=request)


def _reconciled(statement):
    """The statement's totals, checked against the sums of its lines."""
    content = statement_content(statement)
    staff = sum((r.cost.amount_eur for r in content.staff), Decimal(0))
    travel = sum((r.line.amount_eur for r in content.travel), Decimal(0))
    indirect = sum((p.indirect for p in content.partners), Decimal(0))
    assert content.total == staff + travel + indirect
    for partner in content.partners:
        assert partner.total == partner.direct + partner.indirect
    return content


def test_no_table_holds_the_name_email_or_phone_afterwards(built, user_of):
    assert orm_hits(NEEDLES) and raw_hits([FULL_NAME, EMAIL])  # they were everywhere
    done = _pseudonymised(built, user_of)
    assert done.status == RequestStatus.DONE
    assert orm_hits(NEEDLES) == []
    assert raw_hits(NEEDLES) == []
    person = Person.objects.get(pk=built.person.pk)
    assert person.full_name == done.pseudonym == f"Former participant #{done.pk}"
    assert person.phone == "" and person.email.endswith("@pseudonymised.invalid")
    # The history keeps its rows, rewritten; the pseudonymisation itself is audited.
    assert person.history.count() >= 3
    assert set(person.history.values_list("last_name", flat=True)) == {f"#{done.pk}"}
    assert done.history.filter(history_change_reason="confirmed: pseudonymised").exists()
    assert done.summary["replaced"] and done.summary["erased"]["notifications"]


def test_the_account_is_closed(built, user_of, client):
    _pseudonymised(built, user_of)
    user = type(built.user).objects.get(pk=built.user.pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.username == user.email == Person.objects.get(pk=built.person.pk).email
    login = client.post(reverse("accounts:login"), {"username": EMAIL, "password": "x" * 20})
    assert login.status_code == 200 and "_auth_user_id" not in client.session


def test_money_and_approvals_stay_and_the_statement_still_reconciles(built, user_of):
    before = _reconciled(built.statement)
    sheets = list(Timesheet.objects.filter(person=built.person).values("pk", "approved_by"))
    claims = list(ExpenseClaim.objects.filter(traveller=built.person).values())
    lines = list(ClaimLine.objects.filter(claim__traveller=built.person).values("pk", "amount"))
    rates = list(StaffRate.objects.filter(person=built.person).values("annual_cost", "frozen_at"))
    done = _pseudonymised(built, user_of)
    after = _reconciled(built.statement)
    assert after.total == before.total and after.eu_contribution == before.eu_contribution
    assert [r.cost.amount_eur for r in after.staff] == [r.cost.amount_eur for r in before.staff]
    assert {r.person for r in after.staff} >= {done.pseudonym}
    assert FULL_NAME not in {r.person for r in after.staff}
    # The records keep their keys, amounts and approvals; only the text naming them changed.
    assert list(Timesheet.objects.filter(person=built.person).values("pk", "approved_by")) == sheets
    kept = list(ExpenseClaim.objects.filter(traveller=built.person).values())
    assert [c["purpose"] for c in kept] == [f"Study visit of {done.pseudonym} to Munich"]
    assert [{**c, "purpose": ""} for c in kept] == [{**c, "purpose": ""} for c in claims]
    assert list(ClaimLine.objects.filter(claim__traveller=built.person).values("pk", "amount")) == (
        lines
    )
    assert (
        list(StaffRate.objects.filter(person=built.person).values("annual_cost", "frozen_at"))
        == rates
    )


def test_the_frozen_records_stay_frozen(built, user_of):
    """Their guards stepped aside for the one update, and are back."""
    from django.db import connection

    _pseudonymised(built, user_of)
    claim = ExpenseClaim.objects.get(traveller=built.person)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE finance_expenseclaim SET purpose = 'x' WHERE id = %s", [claim.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE action_plans_planversion SET note = 'x'")


def test_one_coordinator_cannot_both_ask_and_confirm(built, user_of):
    coordinator = user_of("coordinator-1")
    request = pseudonymisation_request(actor=coordinator, person=built.person, reason="Left")
    with pytest.raises(DomainError, match="second person"):
        pseudonymisation_confirm(actor=coordinator, request=request)
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        PseudonymisationRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.DONE, confirmed_by=coordinator, confirmed_at=timezone.now()
        )
    assert Person.objects.get(pk=built.person.pk).full_name == FULL_NAME


def test_a_person_with_a_current_role_cannot_be_pseudonymised(built, user_of):
    officer = Person.objects.get(user=user_of("athens-officer-1"))
    with pytest.raises(DomainError, match="still holds a role"):
        pseudonymisation_request(actor=user_of("coordinator-1"), person=officer, reason="Left")
    # A role given again after the request: the confirmation is refused, nothing changes.
    request = pseudonymisation_request(
        actor=user_of("coordinator-1"), person=built.person, reason="Left"
    )
    Membership.objects.create(
        person=built.person,
        role=Role.CITY_OFFICER,
        programme_id=request.person.memberships.first().programme_id,
        city=City.objects.get(slug="athens"),
    )
    with pytest.raises(DomainError, match="still holds a role"):
        pseudonymisation_confirm(actor=user_of("coordinator-2"), request=request)
    assert Person.objects.get(pk=built.person.pk).full_name == FULL_NAME


def test_a_role_ending_in_the_future_is_still_current(built, user_of):
    Membership.objects.filter(person=built.person).update(
        ended_on=timezone.localdate() + timedelta(days=3)
    )
    with pytest.raises(DomainError, match="still holds a role"):
        pseudonymisation_request(actor=user_of("coordinator-1"), person=built.person, reason="x")


def test_only_coordinators_and_admins_ask(built, user_of):
    for key in ("athens-officer-1", "finance-1", "auditor-1", "facilitator-b"):
        with pytest.raises(DomainError):
            pseudonymisation_request(actor=user_of(key), person=built.person, reason="Left")
    request = pseudonymisation_request(
        actor=user_of("platform-admin"), person=built.person, reason="Left"
    )
    with pytest.raises(DomainError):
        pseudonymisation_confirm(actor=user_of("athens-officer-1"), request=request)
    assert pseudonymisation_confirm(actor=user_of("coordinator-1"), request=request).status == (
        RequestStatus.DONE
    )


def test_a_withdrawn_request_changes_nothing_and_may_be_asked_again(built, user_of):
    request = pseudonymisation_request(
        actor=user_of("coordinator-1"), person=built.person, reason="Left"
    )
    with pytest.raises(DomainError, match="waiting already"):
        pseudonymisation_request(actor=user_of("coordinator-2"), person=built.person, reason="x")
    pseudonymisation_cancel(actor=user_of("coordinator-2"), request=request)
    with pytest.raises(DomainError, match="no longer waiting"):
        pseudonymisation_confirm(actor=user_of("coordinator-2"), request=request)
    assert Person.objects.get(pk=built.person.pk).full_name == FULL_NAME
    again = pseudonymisation_request(
        actor=user_of("coordinator-2"), person=built.person, reason="Left"
    )
    assert again.pk != request.pk


def test_the_second_coordinator_is_notified(built, user_of):
    pseudonymisation_request(actor=user_of("coordinator-1"), person=built.person, reason="Left")
    other = Person.objects.get(user=user_of("coordinator-2"))
    assert other.notifications.filter(kind="privacy.pseudonymisation_requested").exists()


def test_the_pages_ask_confirm_and_refuse_by_role(built, client_of):
    new = reverse("privacy:request_new", args=[built.person.pk])
    first = client_of("coordinator-1")
    page = first.get(reverse("privacy:requests"))
    assert page.status_code == 200 and new in page.content.decode()
    assert first.post(new, {"reason": ""}).status_code == 200  # the reason is required
    assert first.post(new, {"reason": "Left in March"}).status_code == 302
    request = PseudonymisationRequest.objects.get(person=built.person)
    confirm = reverse("privacy:request_confirm", args=[request.pk])
    first.post(confirm)
    assert PseudonymisationRequest.objects.get(pk=request.pk).is_open  # refused: same person
    for key in ("athens-officer-1", "auditor-1"):
        assert client_of(key).post(confirm).status_code == 404, key
        assert client_of(key).get(reverse("privacy:requests")).status_code == 404, key
    response = client_of("coordinator-2").post(confirm, follow=True)
    assert "Pseudonymised" in response.content.decode()
    assert Person.objects.get(pk=built.person.pk).full_name.startswith("Former participant")


def test_the_statements_generated_files_naming_them_are_removed(
    built, user_of, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from finance.models import StatementFiles

    files, _created = StatementFiles.objects.get_or_create(
        statement=built.statement, language="en", defaults={"requested_at": timezone.now()}
    )
    files.xlsx.save("statement.xlsx", ContentFile(FULL_NAME.encode()), save=False)
    files.pdf.save("statement.pdf", ContentFile(FULL_NAME.encode()), save=False)
    files.status = StatementFiles.Status.DONE
    files.save()
    stored = [(f.storage, f.name) for f in (files.xlsx, files.pdf)]
    with django_capture_on_commit_callbacks(execute=True):
        done = _pseudonymised(built, user_of)
    assert done.summary["statement_files_removed"] == 1
    assert not StatementFiles.objects.filter(statement=built.statement).exists()
    assert not any(storage.exists(name) for storage, name in stored)
