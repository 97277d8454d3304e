"""notify(): one notification per person who must act, in their language; their choice of
channel per kind (an e-mail at once, a daily digest, the inbox only) is honoured."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from core.roles import Role
from notifications.choices import Channel, EmailStatus
from notifications.kinds import title_of
from notifications.models import Notification, OutgoingEmail, Preference
from notifications.recipients import holders
from notifications.services import digests_send, notify
from programmes.models import Person, Programme
from tests.conftest import email_of
from tests.notification_checks import set_language

pytestmark = pytest.mark.django_db

KIND = "assessments.submitted"  # an e-mail at once unless the reader chose otherwise
PARAMS = {"city": "Athens", "theme": "Employment", "phase_label": "baseline"}


def _person(key: str) -> Person:
    return Person.objects.get(email=email_of(key))


def _notify(*keys: str, actor=None, params=PARAMS, once_key=""):
    return notify(
        kind=KIND,
        recipients=[_person(k) for k in keys],
        url="/programmes/cities-grow/",
        programme=Programme.objects.get(slug="cities-grow"),
        actor=actor,
        params=params,
        once_key=once_key,
    )


def test_each_recipient_once_and_never_the_actor(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = _notify(
            "coordinator-1",
            "coordinator-1",
            "facilitator-b",
            "athens-officer-1",
            actor=_person("athens-officer-1"),
        )
    assert sorted(n.recipient.email for n in made) == sorted(
        [email_of("coordinator-1"), email_of("facilitator-b")]
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [email_of("coordinator-1"), email_of("facilitator-b")]
    )


def test_a_person_without_an_active_account_is_not_notified():
    person = _person("facilitator-b")
    person.user.is_active = False
    person.user.save()
    assert _notify("facilitator-b") == []
    assert not Notification.objects.filter(recipient=person).exists()


def test_a_reminder_raised_twice_is_one_notification_and_one_email(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify("coordinator-1", once_key="reminder:1")
        second = _notify("coordinator-1", once_key="reminder:1")
    assert len(first) == 1 and second == []
    assert Notification.objects.filter(once_key="reminder:1").count() == 1
    assert len(mailoutbox) == 1


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(kind="nobody.knows", recipients=[_person("coordinator-1")], url="/")


def test_the_email_is_written_in_the_readers_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    set_language("coordinator-2", "fr")
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = _notify("coordinator-2")
    with translation.override("fr"):
        french_title = title_of(KIND, note.params)
    with translation.override("en"):
        english_title = title_of(KIND, note.params)
    assert french_title != english_title
    (mail,) = mailoutbox
    assert mail.subject == f"[CITIES-GROW] {french_title}"
    assert "Bonjour" in mail.body
    html = mail.alternatives[0][0]
    assert 'lang="fr"' in html and french_title in html
    # The link opens the notification (and marks it read) on the platform.
    assert reverse("notifications:open", args=[note.pk]) in mail.body


def test_inbox_only_sends_no_email_now_nor_in_the_digest(
    mailoutbox, django_capture_on_commit_callbacks
):
    Preference.objects.create(person=_person("coordinator-1"), kind=KIND, channel=Channel.INBOX)
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = _notify("coordinator-1")
        assert digests_send(now=timezone.now() + timedelta(days=1)) == 0
    assert note.channel == Channel.INBOX and note.email is None
    assert mailoutbox == []


def test_digest_gathers_the_days_notifications_into_one_email_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    person = _person("coordinator-2")
    set_language("coordinator-2", "fr")
    Preference.objects.create(person=person, kind=KIND, channel=Channel.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        _notify("coordinator-2")
        _notify("coordinator-2", params={**PARAMS, "city": "Riga"})
    assert mailoutbox == []  # nothing at once
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
        assert digests_send() == 0  # the same notifications never go twice
    (mail,) = mailoutbox
    assert mail.to == [person.email]
    assert "2" in mail.subject and "Bonjour" in mail.body
    assert "Athens" in mail.body and "Riga" in mail.body
    digest = OutgoingEmail.objects.get(is_digest=True)
    assert digest.status == EmailStatus.SENT
    assert Notification.objects.filter(recipient=person, email=digest).count() == 2


def test_a_digest_takes_only_what_came_before_it(django_capture_on_commit_callbacks):
    Preference.objects.create(person=_person("coordinator-1"), kind=KIND, channel=Channel.DIGEST)
    (early,) = _notify("coordinator-1")
    (late,) = _notify("coordinator-1")
    Notification.objects.filter(pk=late.pk).update(created_at=timezone.now() + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send(now=timezone.now() + timedelta(hours=1)) == 1
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.email is not None and late.email is None


def test_a_date_param_shows_in_the_readers_format_and_a_moment_as_its_local_day():
    from notifications.kinds import shown_params

    brussels_evening = datetime(2017, 3, 25, 23, 30, tzinfo=ZoneInfo("UTC"))  # 26th in Brussels
    with translation.override("fr"), timezone.override("Europe/Brussels"):
        shown = shown_params({"due_on": date(2018, 2, 28).isoformat()})
        moment = shown_params({"held_on": brussels_evening.isoformat()})
    assert shown["due_on"] == "28 février 2018"
    assert moment["held_on"] == "26 mars 2017"


def test_city_and_scheme_roles_need_their_scope():
    programme = Programme.objects.get(slug="cities-grow")
    with pytest.raises(ValueError):
        holders(programme.pk, Role.CITY_OFFICER)
    with pytest.raises(ValueError):
        holders(programme.pk, Role.FACILITATOR)
    coordinators = holders(programme.pk, Role.COORDINATOR)
    assert email_of("coordinator-1") in {p.email for p in coordinators}


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES if code != "en"])
def test_every_kind_has_its_title_and_label_in_each_language(language):
    """A kind's texts are marked for translation where makemessages finds them (a lazy gettext
    under an alias it does not know would leave them English for every reader)."""
    from notifications.kinds import all_kinds

    untranslated = []
    for kind in all_kinds():
        for text in (kind.title, kind.label):
            with translation.override("en"):
                english = str(text)
            with translation.override(language):
                if str(text) == english:
                    untranslated.append(english)
    assert untranslated == []
