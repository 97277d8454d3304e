"""Travel to the conference, paid by the grant for the programme cities' delegates: a claim for
the conference's event is made only by a delegate registered in a delegation (travel paid) and
not cancelled; anyone else gets the reason next to the event; other events are claimed as
before. The organisers see each travel-eligible delegate with their claims' status and
accepted amount, in a bounded number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse

from conference.selectors.travel import conference_travel_claims
from conference.services import delegation_register, register, registration_cancel
from core.errors import DomainError
from finance.services.claims import (
    LineInput,
    claim_approve,
    claim_check,
    claim_create,
    claim_line_add,
    claim_submit,
)
from programmes.models import City, Person, Programme
from tests.conference.builders import delegate, icc, milan
from tests.conftest import email_of
from tests.finance.test_claims import pdf, travel_budget
from tests.html_checks import accessibility_problems
from visits.models import Event

pytestmark = pytest.mark.django_db

REFUSAL = (
    "Travel to the conference is paid for the programme cities' delegates registered in a "
    "delegation."
)
CITIES = ("athens", "birmingham", "rotterdam", "lisbon", "gdansk")


def _programme():
    return Programme.objects.get(slug="cities-grow")


def _as_delegate(key: str, n: int, kind: str = "officer"):
    person = Person.objects.get(email=email_of(key))
    return delegate(
        n,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        delegate_kind=kind,
        person_id=person.pk,
    )


def _register(user_of, conference, city_slug: str, key: str, n: int):
    [placed] = delegation_register(
        actor=user_of(key),
        conference=conference,
        city=City.objects.get(slug=city_slug),
        delegates=[_as_delegate(key, n)],
    )
    return placed


def _claim(user_of, key, event, amounts=("250.00",)):
    traveller = user_of(key)
    claim = claim_create(
        actor=traveller, programme=_programme(), purpose="ICC VIII in Milan", event=event
    )
    for amount in amounts:
        claim_line_add(
            actor=traveller,
            claim=claim,
            data=LineInput(date(2018, 11, 7), "travel", "Airline", Decimal(amount), "EUR"),
            receipts=[pdf()],
        )
    return claim


def test_a_delegate_of_a_city_delegation_claims_the_travel(user_of):
    conference = icc()
    _register(user_of, conference, "athens", "athens-officer-1", 1)
    claim = _claim(user_of, "athens-officer-1", conference.event)
    assert claim.event_id == conference.event_id
    assert claim.traveller.email == email_of("athens-officer-1")


def test_anyone_else_is_refused_with_the_reason_on_the_event(user_of):
    conference = icc()
    # Not registered at all.
    with pytest.raises(DomainError) as refused:
        _claim(user_of, "birmingham-officer-1", conference.event)
    assert refused.value.field_errors == {"event": REFUSAL}
    # Registered on the public form: their travel is not paid by the grant.
    register(
        conference=conference,
        data=delegate(2, email=email_of("birmingham-officer-2")),
    )
    with pytest.raises(DomainError) as refused:
        _claim(user_of, "birmingham-officer-2", conference.event)
    assert refused.value.field_errors == {"event": REFUSAL}
    # A delegate who cancelled.
    placed = _register(user_of, conference, "athens", "athens-officer-1", 1)
    registration_cancel(raw_token=placed.token)
    with pytest.raises(DomainError) as refused:
        _claim(user_of, "athens-officer-1", conference.event)
    assert refused.value.field_errors == {"event": REFUSAL}


def test_other_events_are_claimed_as_before(user_of):
    conference = icc()
    other = Event.objects.create(
        programme=_programme(),
        format="final_meeting",
        title="Final project meeting",
        starts_at=milan(9, day=9),
        ends_at=milan(17, day=9),
        timezone="Europe/Rome",
        venue="Milan",
    )
    assert conference.event_id != other.pk
    claim = _claim(user_of, "birmingham-officer-1", other)
    assert claim.event_id == other.pk


def test_the_refusal_is_shown_next_to_the_event_on_the_form(user_of, client_of):
    conference = icc()
    client = client_of("birmingham-officer-1")
    response = client.post(
        reverse("finance:claim_new", args=["cities-grow"]),
        {"purpose": "ICC VIII in Milan", "event": conference.event_id},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Travel to the conference is paid for the programme cities&#x27; delegates" in page
    assert "ICC VIII in Milan" in page  # what was typed is kept


def test_the_organisers_see_each_delegates_claims_and_accepted_amount(
    user_of, django_assert_max_num_queries
):
    conference = icc(capacity=20)
    _register(user_of, conference, "athens", "athens-officer-1", 1)
    _register(user_of, conference, "birmingham", "birmingham-officer-1", 2)
    _register(user_of, conference, "birmingham", "birmingham-officer-2", 3)
    register(conference=conference, data=delegate(9))  # public: not listed
    # Athens' officer: a claim checked, one line accepted and one rejected, then approved.
    claim = claim_submit(
        actor=user_of("athens-officer-1"),
        claim=_claim(user_of, "athens-officer-1", conference.event, ("250.00", "40.50")),
    )
    lines = list(claim.lines.order_by("pk"))
    finance = user_of("finance-1")
    claim = claim_check(
        actor=finance,
        claim=claim,
        decisions={lines[0].pk: ("accepted", ""), lines[1].pk: ("rejected", "A taxi to a bar")},
        revision=claim.revision,
    )
    travel_budget(user_of)
    claim_approve(actor=user_of("finance-2"), claim=claim)  # the duties are separated
    # Birmingham's first officer: a draft.
    _claim(user_of, "birmingham-officer-1", conference.event, ("99.99",))

    coordinator = user_of("coordinator-1")
    with django_assert_max_num_queries(6):
        rows = conference_travel_claims(coordinator, conference)

    by_name = {row.registration.email: row for row in rows}
    assert len(rows) == 3
    athens = by_name[email_of("athens-officer-1")]
    assert athens.city == "Athens"
    assert [(c.status, c.accepted_eur) for c in athens.claims] == [("approved", Decimal("250.00"))]
    assert athens.accepted_eur == Decimal("250.00")
    birmingham = by_name[email_of("birmingham-officer-1")]
    assert [(c.status, c.accepted_eur) for c in birmingham.claims] == [("draft", None)]
    assert birmingham.accepted_eur == Decimal(0)
    assert by_name[email_of("birmingham-officer-2")].claims == []


def test_the_list_is_bounded_whatever_the_number_of_delegates(
    user_of, django_assert_max_num_queries
):
    conference = icc(capacity=40)
    for i, slug in enumerate(CITIES):
        delegation_register(
            actor=user_of("coordinator-1"),
            conference=conference,
            city=City.objects.get(slug=slug),
            delegates=[delegate(10 * i + k, delegate_kind="stakeholder") for k in range(3)],
        )
    with django_assert_max_num_queries(6):
        rows = conference_travel_claims(user_of("coordinator-1"), conference)
    assert len(rows) == 15


@pytest.mark.parametrize("key", ["athens-officer-1", "auditor-1", "finance-1"])
def test_only_the_organisers_see_the_delegates_claims(user_of, key):
    conference = icc()
    with pytest.raises(Http404):
        conference_travel_claims(user_of(key), conference)


def test_the_organisers_travel_page_lists_the_city_delegates_and_their_claims(user_of, client_of):
    conference = icc()
    _register(user_of, conference, "athens", "athens-officer-1", 1)
    _claim(user_of, "athens-officer-1", conference.event)
    register(conference=conference, data=delegate(9, first_name="Public"))
    url = reverse("conference:organise_travel", args=[conference.slug])
    html = client_of("coordinator-1").get(url).content.decode()
    assert accessibility_problems(html) == []
    officer = Person.objects.get(email=email_of("athens-officer-1"))
    assert f"{officer.first_name} {officer.last_name}" in html and "Athens" in html
    assert "Public Test" not in html
    assert client_of("athens-officer-1").get(url).status_code == 404
