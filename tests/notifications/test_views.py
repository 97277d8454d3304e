"""The inbox (unread count in the header, mark read, open the object), a person's settings (the
form the page renders, posted as a browser would), and the interface following the person's
stored language after log-in."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.choices import Channel
from notifications.models import Notification, Preference
from notifications.services import notify
from programmes.models import Person, Programme
from tests.conftest import email_of
from tests.rendered_forms import form_data

pytestmark = pytest.mark.django_db

KIND = "assessments.submitted"


def _raise(key: str, count: int = 1, city: str = "Athens") -> list[Notification]:
    person = Person.objects.get(email=email_of(key))
    programme = Programme.objects.get(slug="cities-grow")
    made = []
    for n in range(count):
        made += notify(
            kind=KIND,
            recipients=[person],
            url=reverse("programmes:overview", args=["cities-grow"]),
            programme=programme,
            params={"city": f"{city} {n}", "theme": "Employment", "phase_label": "baseline"},
        )
    return made


def _badge(page: str) -> str | None:
    found = re.search(r'Inbox <span class="badge">(\d+)<', page)
    return found.group(1) if found else None


def test_header_counts_unread_and_opening_one_marks_it_read_and_goes_to_its_object(client_of):
    (first, _second) = _raise("coordinator-1", 2)
    client = client_of("coordinator-1")
    home = client.get(reverse("programmes:overview", args=["cities-grow"])).content.decode()
    assert _badge(home) == "2"
    response = client.get(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:overview", args=["cities-grow"])
    first.refresh_from_db()
    assert first.read_at is not None
    assert _badge(client.get(response["Location"]).content.decode()) == "1"


def test_someone_elses_notification_is_not_found(client_of):
    (note,) = _raise("coordinator-1")
    client = client_of("athens-officer-1")
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notifications:mark", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_read_unread_all_and_the_unread_filter(client_of):
    notes = _raise("coordinator-1", 3)
    client = client_of("coordinator-1")
    inbox = reverse("notifications:inbox")
    client.post(reverse("notifications:mark", args=[notes[0].pk]), {"next": inbox})
    unread = client.get(inbox + "?show=unread").content.decode()
    assert "Athens 0" not in unread and "Athens 1" in unread and "Athens 2" in unread
    # Back to unread; a foreign "next" never leaves the site.
    response = client.post(
        reverse("notifications:mark", args=[notes[0].pk]),
        {"read": "0", "next": "https://evil.example/"},
    )
    assert response["Location"] == inbox
    assert Notification.objects.filter(pk=notes[0].pk, read_at__isnull=True).exists()
    page = client.get(inbox).content.decode()
    client.post(inbox, form_data(page, action=""))  # the page's "Mark all as read"
    assert not Notification.objects.filter(
        recipient__email=email_of("coordinator-1"), read_at__isnull=True
    ).exists()
    assert "Nothing unread." in client.get(inbox + "?show=unread").content.decode()


def test_inbox_pages_and_its_queries_do_not_grow_with_the_notifications(client_of):
    client = client_of("coordinator-1")
    _raise("coordinator-1", 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    _raise("coordinator-1", 60, city="Riga")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("notifications:inbox")).content.decode()
    assert len(many) == len(few)
    assert "Page 1 of 3" in page
    assert "Riga 59" in page and "Athens 0" not in page  # newest first
    last = client.get(reverse("notifications:inbox") + "?page=3").content.decode()
    assert "Athens 0" in last


def test_settings_page_posted_as_rendered_keeps_defaults_and_saves_a_change(client_of):
    client = client_of("coordinator-1")
    url = reverse("notifications:settings")
    page = client.get(url).content.decode()
    # The kinds come under their area's heading, the reminders last.
    areas = re.findall(r"<h2>([^<]+)</h2>", page)
    assert {"Benchmarks and self-assessments", "Grant finance", "Visits and meetings"} <= set(areas)
    assert areas[-1] == "Reminders"
    data = form_data(page, action="")
    assert data[f"kind__{KIND}"] == [Channel.IMMEDIATE]
    assert data["language"] == ["en"]
    # Unchanged, the form saves no preference at all (every kind keeps its default).
    assert client.post(url, data).status_code == 302
    person = Person.objects.get(email=email_of("coordinator-1"))
    assert not Preference.objects.filter(person=person).exists()
    # The person picks the digest for one kind and French for the platform.
    data[f"kind__{KIND}"] = [Channel.DIGEST]
    data["language"] = ["fr"]
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert Preference.objects.get(person=person, kind=KIND).channel == Channel.DIGEST
    person.refresh_from_db()
    assert person.language == "fr"
    (note,) = _raise("coordinator-1")
    assert note.channel == Channel.DIGEST and note.email is None
    assert "1 notification attend votre prochain résumé" in client.get(url).content.decode()


def test_a_bad_channel_keeps_the_form_and_says_so_at_the_field(client_of):
    client = client_of("coordinator-1")
    url = reverse("notifications:settings")
    data = form_data(client.get(url).content.decode(), action="")
    data[f"kind__{KIND}"] = ["pigeon"]
    data["language"] = ["fr"]
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert re.search(r'value="fr"[^>]*selected', page)  # what was chosen is kept
    assert Person.objects.get(email=email_of("coordinator-1")).language == "en"


def test_the_interface_follows_the_stored_language_after_log_in(client):
    Person.objects.filter(email=email_of("athens-officer-1")).update(language="fr")
    client.cookies["django_language"] = "en"  # a browser last used in English
    response = client.post(
        reverse("accounts:login"),
        {"username": email_of("athens-officer-1"), "password": settings.DEMO_PASSWORD},
        follow=True,
    )
    assert '<html lang="fr">' in response.content.decode()
    # The header's switcher changes both the interface and the stored choice.
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert Person.objects.get(email=email_of("athens-officer-1")).language == "en"
    assert '<html lang="en">' in client.get("/").content.decode()
