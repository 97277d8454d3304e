"""A delegate's personal data reaches the organisers (and, read-only, the auditors) and nobody
else: not another delegate through their own link, not a city officer (even one whose city sent
the delegate), not the public pages; the funder's participants' list names
only those who agreed, and a delegate can withdraw that agreement."""

import pytest
from django.urls import reverse

from conference.services import delegation_register, register, registration_consents_change
from programmes.models import City
from tests.conference.builders import delegate, icc

pytestmark = pytest.mark.django_db

SECRET = {"dietary_needs": "coeliac", "access_needs": "wheelchair", "organisation": "Secret NGO"}


def _two_delegates():
    conference = icc()
    eleni = register(
        conference=conference,
        data=delegate(
            1, first_name="Eleni", email="eleni@example.gr", consent_listed=True, **SECRET
        ),
    )
    jan = register(
        conference=conference, data=delegate(2, first_name="Jan", email="jan@example.nl")
    )
    return conference, eleni, jan


def _pages(conference, registration):
    slug = conference.slug
    return [
        reverse("conference:organise_registrations", args=[slug]) + "?q=Eleni",
        reverse("conference:organise_registration", args=[slug, registration.pk]),
        reverse("conference:onsite_checkin", args=[slug]) + "?q=Eleni",
        reverse("conference:onsite_participants", args=[slug]),
        reverse("conference:organise_travel", args=[slug]),
    ]


def test_another_delegate_sees_only_their_own_data(client):
    conference, _eleni, jan = _two_delegates()
    html = client.get(
        reverse("conference:registration", args=[conference.slug, jan.token])
    ).content.decode()
    assert "Jan Test" in html
    assert not any(word in html for word in ("Eleni", "eleni@example.gr", "coeliac", "Secret NGO"))


def test_the_public_pages_name_nobody(client):
    conference, _eleni, _jan = _two_delegates()
    for url in (
        reverse("conference:public", args=[conference.slug]),
        reverse("conference:register", args=[conference.slug]),
    ):
        html = client.get(url).content.decode()
        assert "Eleni" not in html and "eleni@example.gr" not in html and "coeliac" not in html


@pytest.mark.parametrize(
    ("key", "sees"),
    [
        ("coordinator-1", True),
        ("auditor-1", True),
        ("athens-officer-1", False),
        ("facilitator-b", False),
        ("finance-1", False),
    ],
)
def test_only_the_organisers_and_auditors_read_the_delegates_data(client_of, user_of, key, sees):
    conference, eleni, _jan = _two_delegates()
    # Even the officer of the city that sent a delegate does not read the delegate's needs.
    delegation_register(
        actor=user_of("coordinator-1"),
        conference=conference,
        city=City.objects.get(slug="athens"),
        delegates=[delegate(3, first_name="Maria", delegate_kind="officer", **SECRET)],
    )
    client = client_of(key)
    readable = [
        url
        for url in _pages(conference, eleni.registration)
        if client.get(url).status_code == 200 and "coeliac" in client.get(url).content.decode()
    ]
    if sees:
        assert readable  # the registration's own page at least
    else:
        assert readable == []
        for url in _pages(conference, eleni.registration):
            assert client.get(url).status_code == 404


def test_a_withdrawn_agreement_takes_the_name_off_the_participants_list(client_of):
    conference, eleni, _jan = _two_delegates()
    client = client_of("coordinator-1")
    url = reverse("conference:onsite_participants", args=[conference.slug])
    day = conference.event.starts_at.date().isoformat()
    query = {"day": day, "variant": "sign-in", "file_format": "xlsx"}

    def listed() -> bytes:
        response = client.get(url, query)
        assert response.status_code == 200
        return b"".join(response) if response.streaming else response.content

    assert _xlsx_text(listed()).count("Eleni") == 1
    registration_consents_change(raw_token=eleni.token, listed=False, photos=False)
    text = _xlsx_text(listed())
    assert "Eleni" not in text and "Jan" not in text  # Jan never agreed
    assert "2 participants who did not agree to be listed" in text


def _xlsx_text(content: bytes) -> str:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content))
    return " ".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )
