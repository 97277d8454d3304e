"""Checks shared by the workflow apps' notification tests: who was notified (exactly once
each), and the e-mail a reader gets in their own language."""

from collections import Counter

from django.utils import translation

from notifications.kinds import title_of
from notifications.models import Notification
from programmes.models import Person
from tests.conftest import email_of


def last_notification_pk() -> int:
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def notified_since(since: int, kind: str) -> Counter:
    """How many notifications of `kind` each person (by e-mail) got after `since`."""
    return Counter(
        Notification.objects.filter(pk__gt=since, kind=kind).values_list(
            "recipient__email", flat=True
        )
    )


def exactly_once(*keys: str) -> Counter:
    """The expected count: each of these demo people once, nobody else."""
    return Counter({email_of(key): 1 for key in keys})


def set_language(key: str, language: str) -> None:
    Person.objects.filter(email=email_of(key)).update(language=language)


def mails_to(mailoutbox, key: str) -> list:
    return [mail for mail in mailoutbox if mail.to == [email_of(key)]]


def assert_french_email(mailoutbox, key: str, kind: str, since: int = 0) -> str:
    """The reader whose language is French got one e-mail of this notification, its subject the
    title rendered under French and its text the French greeting; returns the subject."""
    notification = Notification.objects.get(pk__gt=since, kind=kind, recipient__email=email_of(key))
    with translation.override("fr"):
        title = title_of(kind, notification.params)
    programme = notification.programme
    subject = f"[{programme.name}] {title}" if programme else title
    (mail,) = [m for m in mails_to(mailoutbox, key) if m.subject == subject]
    assert "Bonjour" in mail.body and "Hello" not in mail.body
    assert notification.email is not None and notification.email.subject == subject
    return subject
