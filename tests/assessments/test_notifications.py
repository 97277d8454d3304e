"""Every step of the self-assessment workflow tells the people who must act now, once each, in
their own language and through the channel they chose."""

import pytest

from assessments import notification_kinds as kinds
from assessments.services import (
    RatingInput,
    self_assessment_review,
    self_assessment_save,
    self_assessment_start,
    self_assessment_submit,
)
from notifications.choices import Channel
from notifications.models import Notification, Preference
from notifications.services import digests_send
from programmes.models import City, Person, Programme, Theme
from tests.conftest import email_of
from tests.notification_checks import (
    assert_french_email,
    exactly_once,
    last_notification_pk,
    mails_to,
    notified_since,
    set_language,
)

pytestmark = pytest.mark.django_db

REVIEWERS_OF_B = ("coordinator-1", "coordinator-2", "facilitator-b")
ATHENS_OFFICERS = ("athens-officer-1", "athens-officer-2")


def _filled(user_of, officer="athens-officer-1"):
    assessment = self_assessment_start(
        actor=user_of(officer),
        programme=Programme.objects.get(slug="cities-grow"),
        city=City.objects.get(slug="athens"),
        theme=Theme.objects.get(programme__slug="cities-grow", code="B"),
        phase="mid_term",
    )
    codes = assessment.ratings.values_list("key_factor__code", flat=True)
    return self_assessment_save(
        actor=user_of(officer),
        assessment=assessment,
        expected_revision=assessment.revision,
        ratings={code: RatingInput(2, 3, "Evidence") for code in codes},
    )


def _submit(user_of, assessment, officer="athens-officer-1"):
    return self_assessment_submit(
        actor=user_of(officer), assessment=assessment, expected_revision=assessment.revision
    )


def test_a_submission_tells_the_themes_reviewers_in_their_language(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("facilitator-b", "fr")
    assessment = _filled(user_of)
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        _submit(user_of, assessment)
    # The coordinators and theme B's facilitator; not another theme's facilitator, not the city.
    assert notified_since(since, kinds.SUBMITTED) == exactly_once(*REVIEWERS_OF_B)
    notification = Notification.objects.get(
        pk__gt=since, recipient__email=email_of("facilitator-b")
    )
    assert notification.url == "/programmes/cities-grow/assessments/athens/B/mid_term/"
    assert notification.params["city"] == "Athens" and notification.params["phase_label"] == (
        "Mid-term"
    )
    subject = assert_french_email(mailoutbox, "facilitator-b", kinds.SUBMITTED, since)
    assert "Mi-parcours" in subject  # the phase, a label, is translated for the reader
    (english,) = mails_to(mailoutbox, "coordinator-1")
    assert "Mid-term" in english.subject and "Hello" in english.body
    assert len(mailoutbox) == len(REVIEWERS_OF_B)


def test_a_return_tells_the_citys_officers_with_the_reviewers_comment(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("athens-officer-2", "fr")
    assessment = _submit(user_of, _filled(user_of))
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        assessment = self_assessment_review(
            actor=user_of("facilitator-b"),
            assessment=assessment,
            accept=False,
            comment="Key factor b3 needs evidence.",
        )
    assert notified_since(since, kinds.RETURNED) == exactly_once(*ATHENS_OFFICERS)
    assert set(Notification.objects.filter(pk__gt=since).values_list("message", flat=True)) == {
        "Key factor b3 needs evidence."
    }
    assert Notification.objects.filter(pk__gt=since).exclude(kind=kinds.RETURNED).count() == 0
    assert_french_email(mailoutbox, "athens-officer-2", kinds.RETURNED, since)
    (mail,) = mails_to(mailoutbox, "athens-officer-2")
    assert "Key factor b3 needs evidence." in mail.body

    # Submitted again by the other officer: the reviewers hear of it once more, once each.
    since = last_notification_pk()
    _submit(user_of, assessment, officer="athens-officer-2")
    assert notified_since(since, kinds.SUBMITTED) == exactly_once(*REVIEWERS_OF_B)


def test_an_acceptance_tells_the_citys_officers_but_not_the_reviewer_who_accepted(user_of):
    assessment = _submit(user_of, _filled(user_of))
    since = last_notification_pk()
    assessment = self_assessment_review(
        actor=user_of("coordinator-1"), assessment=assessment, accept=True, comment=""
    )
    assert notified_since(since, kinds.ACCEPTED) == exactly_once(*ATHENS_OFFICERS)
    assert Notification.objects.filter(pk__gt=since).count() == len(ATHENS_OFFICERS)
    # An accepted one reopened by the facilitator goes back to the city again.
    since = last_notification_pk()
    self_assessment_review(
        actor=user_of("facilitator-b"), assessment=assessment, accept=False, comment="Redo b1."
    )
    assert notified_since(since, kinds.RETURNED) == exactly_once(*ATHENS_OFFICERS)


def test_a_refused_step_notifies_nobody(user_of):
    assessment = _filled(user_of)
    since = last_notification_pk()
    with pytest.raises(Exception, match="facilitator"):
        self_assessment_review(
            actor=user_of("facilitator-a"), assessment=assessment, accept=True, comment=""
        )
    assert Notification.objects.filter(pk__gt=since).count() == 0


def test_preferences_inbox_only_and_digest_are_honoured(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    inbox_only = Person.objects.get(email=email_of("athens-officer-1"))
    digest = Person.objects.get(email=email_of("athens-officer-2"))
    Preference.objects.create(person=inbox_only, kind=kinds.RETURNED, channel=Channel.INBOX)
    Preference.objects.create(person=digest, kind=kinds.RETURNED, channel=Channel.DIGEST)
    assessment = _submit(user_of, _filled(user_of))
    mailoutbox.clear()
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        self_assessment_review(
            actor=user_of("facilitator-b"), assessment=assessment, accept=False, comment="Redo."
        )
    assert notified_since(since, kinds.RETURNED) == exactly_once(*ATHENS_OFFICERS)
    assert mailoutbox == []  # both still in their inboxes
    with django_capture_on_commit_callbacks(execute=True):
        assert digests_send() == 1
    (mail,) = mailoutbox
    assert mail.to == [email_of("athens-officer-2")] and "digest" in mail.subject
    assert "returned" in mail.body
