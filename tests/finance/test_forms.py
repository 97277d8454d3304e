"""The finance forms label their fields with amounts and dates in the reader's language."""

from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from finance.forms import CheckForm, ClaimForm, event_label

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "amount"),
    [("en", f"1,450.00{NBSP}GBP"), ("fr", f"1{NBSP}450,00{NBSP}GBP")],
)
def test_a_claim_line_decision_shows_its_amount_with_its_currency(language, amount):
    line = SimpleNamespace(pk=7, supplier="Airline", amount=Decimal("1450"), currency="GBP")
    with translation.override(language):
        form = CheckForm(lines=[line])
        label = str(form.fields["line-7-decision"].label)
    assert label.endswith(f"Airline, {amount}")
    if language == "en":
        assert label == f"Decision on Airline, {amount}"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_event_is_chosen_by_its_first_day_in_its_host_citys_zone(language):
    # 23:30 in London on 5 March is already 6 March in Athens, where the event is held.
    event = SimpleNamespace(
        pk=3,
        title="Study visit",
        starts_at=datetime(2017, 3, 5, 23, 30, tzinfo=UTC),
        timezone="Europe/Athens",
    )
    with translation.override(language):
        assert event_label(event) == "Study visit (06/03/2017)"
        form = ClaimForm(lookup=SimpleNamespace(search=lambda text: ([event], False)))
        form.matches = [event]
        assert form.match_choices == [(3, "Study visit (06/03/2017)")]
