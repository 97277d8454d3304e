"""Delivery through a real mail server (SMTP on 127.0.0.1): while it refuses connections,
notifications and reminders are kept and retried with back-off, failures are shown to the
coordinator; once it accepts, each e-mail is delivered exactly once."""

import socket
from collections import Counter
from datetime import date, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.urls import reverse
from django.utils import timezone

from finance.services.reminders import statement_deadlines_remind
from notifications.choices import EmailStatus
from notifications.models import Notification, OutgoingEmail
from notifications.services import email_deliver, emails_due, emails_recover_stale, notify
from programmes.models import Person, Programme
from tests.conftest import email_of

pytestmark = pytest.mark.django_db

DELAYS = [60, 300, 900]


class _Collect:
    """The mail server's side: every message it accepted, by recipient and subject."""

    def __init__(self) -> None:
        self.accepted: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        message = message_from_bytes(envelope.content, policy=policy.default)
        subject = str(message["Subject"])
        for address in envelope.rcpt_tos:
            self.accepted.append((address, subject))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mail_server(settings):
    """An SMTP address where nothing listens yet; `.start()` opens a server there."""
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.NOTIFICATIONS_RETRY_DELAYS = DELAYS

    class Server:
        handler = _Collect()
        controller: Controller | None = None

        def start(self) -> None:
            self.controller = Controller(self.handler, hostname="127.0.0.1", port=port)
            self.controller.start()

    server = Server()
    yield server
    if server.controller is not None:
        server.controller.stop()


def _sweep(at) -> None:
    """What the worker's periodic task does at `at`: deliver every e-mail whose time has come."""
    for email_id in emails_due(now=at):
        email_deliver(email_id, now=at)


def _next_try(emails):
    """Just after the latest of their next tries."""
    return max(emails.values_list("next_attempt_at", flat=True)) + timedelta(seconds=1)


def _raise_work(django_capture_on_commit_callbacks):
    """Two workflow notifications and a statement-deadline reminder (to the finance officers),
    each first tried at once by the queue after commit (the tests' queue runs tasks inline)."""
    programme = Programme.objects.get(slug="cities-grow")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind="assessments.submitted",
            recipients=Person.objects.filter(
                email__in=[email_of("coordinator-1"), email_of("facilitator-b")]
            ),
            url="/programmes/cities-grow/",
            programme=programme,
            params={"city": "Athens", "theme": "Employment", "phase_label": "baseline"},
        )
        reminded = statement_deadlines_remind(today=date(2018, 2, 20))
    assert reminded >= 1
    return OutgoingEmail.objects.order_by("pk")


def test_refused_then_accepted_each_email_delivered_exactly_once(
    mail_server, django_capture_on_commit_callbacks
):
    start = timezone.now()
    emails = _raise_work(django_capture_on_commit_callbacks)
    count = emails.count()
    assert count >= 3
    # Refused: every e-mail is kept, pending, tried once, its next try a minute later.
    for email in emails.all():
        assert email.status == EmailStatus.PENDING and email.attempts == 1
        assert "Refused" in email.last_error or "refused" in email.last_error
        assert email.next_attempt_at >= start + timedelta(seconds=DELAYS[0])
    # The notifications themselves are in the inboxes whatever the mail server does.
    assert Notification.objects.filter(email__in=emails).count() == count
    # Nothing is due before its back-off; at the next sweep it is tried again and refused again,
    # its next try further away.
    assert emails_due(now=start + timedelta(seconds=30)) == []
    second = _next_try(emails)
    _sweep(second)
    assert set(emails.values_list("attempts", flat=True)) == {2}
    assert (
        list(emails.values_list("next_attempt_at", flat=True))
        == [second + timedelta(seconds=DELAYS[1])] * count
    ), second

    # The server accepts from now on: the next sweep delivers each once, and later sweeps and
    # the reminder raised again on another day send nothing more.
    mail_server.start()
    later = _next_try(emails)
    _sweep(later)
    _sweep(later + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert statement_deadlines_remind(today=date(2018, 2, 21)) == 0
    _sweep(later + timedelta(days=1))
    delivered = Counter(mail_server.handler.accepted)
    assert len(delivered) == count and set(delivered.values()) == {1}
    assert set(emails.values_list("status", flat=True)) == {EmailStatus.SENT}


def test_after_the_last_retry_it_fails_visibly_and_the_coordinator_retries_it(
    mail_server, django_capture_on_commit_callbacks, client_of
):
    emails = _raise_work(django_capture_on_commit_callbacks)
    for _retry in DELAYS:
        at = _next_try(emails)
        _sweep(at)
    assert set(emails.values_list("status", flat=True)) == {EmailStatus.FAILED}
    assert set(emails.values_list("attempts", flat=True)) == {len(DELAYS) + 1}
    assert emails_due(now=at + timedelta(days=30)) == []  # given up: no more tries alone

    coordinator = client_of("coordinator-1")
    inbox = coordinator.get(reverse("notifications:inbox")).content.decode()
    assert reverse("notifications:email_problems") in inbox
    page = coordinator.get(reverse("notifications:email_problems")).content.decode()
    failed = emails.first()
    assert failed.subject in page and failed.to_address in page
    # An officer never sees the programme's e-mail problems.
    assert (
        client_of("athens-officer-1").get(reverse("notifications:email_problems")).status_code
        == 404
    )

    mail_server.start()
    coordinator = client_of("coordinator-1")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(reverse("notifications:email_retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == EmailStatus.SENT
    assert mail_server.handler.accepted == [(failed.to_address, failed.subject)]
    # Retrying what is no longer failed is refused with a message, and sends nothing.
    response = coordinator.post(reverse("notifications:email_retry", args=[failed.pk]), follow=True)
    assert "no longer failed" in response.content.decode()
    assert len(mail_server.handler.accepted) == 1


def test_a_send_claimed_twice_goes_once_and_a_worker_lost_mid_send_is_not_resent(
    mail_server, django_capture_on_commit_callbacks, settings
):
    mail_server.start()
    settings.HUEY = {**settings.HUEY, "immediate": True}
    programme = Programme.objects.get(slug="cities-grow")
    (note,) = notify(  # made outside a commit callback: the queue has not run it yet
        kind="assessments.submitted",
        recipients=[Person.objects.get(email=email_of("coordinator-1"))],
        url="/programmes/cities-grow/",
        programme=programme,
        params={"city": "Athens", "theme": "Employment", "phase_label": "baseline"},
    )
    email_id = note.email_id
    assert email_deliver(email_id) is True
    assert email_deliver(email_id) is False  # the task and the sweep both ran: one e-mail
    assert len(mail_server.handler.accepted) == 1

    # A worker that died while sending leaves the e-mail "being sent": after a while it is
    # marked failed for a person to judge, never sent a second time on its own.
    OutgoingEmail.objects.filter(pk=email_id).update(
        status=EmailStatus.SENDING, claimed_at=timezone.now() - timedelta(hours=2)
    )
    assert emails_recover_stale() == 1
    stale = OutgoingEmail.objects.get(pk=email_id)
    assert stale.status == EmailStatus.FAILED and "Interrupted" in stale.last_error
    _sweep(timezone.now() + timedelta(days=1))
    assert len(mail_server.handler.accepted) == 1


def test_an_invitation_made_while_the_mail_server_refuses_waits_and_leaves_once(
    mail_server, django_capture_on_commit_callbacks, client_of, user_of
):
    """The coordinator's invitation is saved whatever the mail server does; its e-mail waits in
    the outbox, leaves at the first sweep the server accepts, and its body, which held the
    link that creates an account, is erased once sent."""
    from programmes.models import City, Invitation

    athens = City.objects.get(slug="athens")
    coordinator = client_of("coordinator-1")
    form = {
        "email": "new.officer@athens.test.invalid",
        "first_name": "Eleni",
        "last_name": "Papadaki",
        "organisation": athens.organisation.pk,
        "role": "city_officer",
        "city": athens.pk,
        "language": "en",
    }
    with django_capture_on_commit_callbacks(execute=True):
        answer = coordinator.post(reverse("programmes:invitation_new", args=["cities-grow"]), form)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    invitation = Invitation.objects.get(email="new.officer@athens.test.invalid")
    email = OutgoingEmail.objects.get(to_address=invitation.email)
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "/accounts/invitation/" in email.text and email.holds_link

    mail_server.start()
    _sweep(_next_try(OutgoingEmail.objects.filter(pk=email.pk)))
    assert mail_server.handler.accepted == [(invitation.email, email.subject)]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert (email.text, email.html) == ("", "")  # no usable link is kept
