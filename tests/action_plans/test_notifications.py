"""Every step of a plan's workflow tells the people who must act next, once each, in their own
language; a suggested text tells the city's officers; the check-in reminders are notifications
raised once per check-in and person, by the queue's daily task or by hand."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from action_plans import notification_kinds as kinds
from action_plans.services.comments import plan_comment_add
from action_plans.tasks import check_in_reminders_daily
from action_plans.workflow import Step, plan_step
from notifications.choices import Channel
from notifications.models import Notification, Preference
from notifications.services import digests_send
from programmes.models import Person
from tests.action_plans.builders import adopt, athens_plan, endorsement
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

ATHENS_OFFICERS = ("athens-officer-1", "athens-officer-2")
COORDINATORS = ("coordinator-1", "coordinator-2")
# Pair B: Athens mentored by Munich, facilitated by facilitator-b.
REVIEWERS = (*COORDINATORS, "facilitator-b", "munich-officer-1", "munich-officer-2")


def _step(user_of, plan, key, step, **extra):
    """Take the step; returns the notifications it made, as {e-mail: count} for its kind."""
    since = last_notification_pk()
    plan_step(actor=user_of(key), plan=plan, step=step, **extra)
    made = Notification.objects.filter(pk__gt=since)
    return since, made


def test_sending_for_review_tells_the_reviewers_and_the_mentor_city_in_their_language(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("munich-officer-1", "fr")
    plan = athens_plan(user_of)
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)
    # Not the other schemes' facilitators, not Athens' own people, not another city's officers.
    assert notified_since(since, kinds.IN_REVIEW) == exactly_once(*REVIEWERS)
    assert Notification.objects.filter(pk__gt=since).count() == len(REVIEWERS)
    notification = Notification.objects.get(
        pk__gt=since, recipient__email=email_of("munich-officer-1")
    )
    assert notification.url == "/programmes/cities-grow/plans/athens/"
    assert notification.params == {"plan": plan.title, "city": "Athens"}
    assert_french_email(mailoutbox, "munich-officer-1", kinds.IN_REVIEW, since)
    (english,) = mails_to(mailoutbox, "facilitator-b")
    assert "Athens sent its action plan for review" in english.subject
    assert len(mailoutbox) == len(REVIEWERS)


def test_each_decision_tells_who_acts_next_with_the_reasons(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("athens-officer-2", "fr")
    plan = athens_plan(user_of)
    plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)

    # The mentor city requests changes: the implementing city's officers, with the reasons.
    with django_capture_on_commit_callbacks(execute=True):
        since, made = _step(
            user_of,
            plan,
            "munich-officer-1",
            Step.REQUEST_CHANGES,
            comment="Add a measurable target.",
        )
    assert notified_since(since, kinds.CHANGES_REQUESTED) == exactly_once(*ATHENS_OFFICERS)
    assert {n.message for n in made} == {"Add a measurable target."}
    assert_french_email(mailoutbox, "athens-officer-2", kinds.CHANGES_REQUESTED, since)
    assert "Add a measurable target." in mails_to(mailoutbox, "athens-officer-2")[0].body

    # Review cleared: only the administrative approver of Athens.
    plan_step(actor=user_of("athens-officer-2"), plan=plan, step=Step.SEND_FOR_REVIEW)
    since, made = _step(user_of, plan, "facilitator-b", Step.SUBMIT)
    assert notified_since(since, kinds.SUBMITTED) == exactly_once("athens-approver-admin")
    assert made.count() == 1

    # Returned by the administration: the officers, with the reasons.
    since, made = _step(user_of, plan, "athens-approver-admin", Step.RETURN, comment="Budget?")
    assert notified_since(since, kinds.RETURNED) == exactly_once(*ATHENS_OFFICERS)
    assert {n.message for n in made} == {"Budget?"} and made.count() == 2

    # Approved: only the political approver of Athens (not Munich's).
    plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)
    plan_step(actor=user_of("coordinator-1"), plan=plan, step=Step.SUBMIT)
    since, made = _step(user_of, plan, "athens-approver-admin", Step.APPROVE)
    assert notified_since(since, kinds.APPROVED) == exactly_once("athens-approver-political")
    assert made.count() == 1

    # Declined: the officers and the coordinators, with the reasons.
    since, made = _step(
        user_of, plan, "athens-approver-political", Step.DECLINE, comment="Not this year."
    )
    assert notified_since(since, kinds.DECLINED) == exactly_once(*ATHENS_OFFICERS, *COORDINATORS)
    assert {n.message for n in made} == {"Not this year."} and made.count() == 4


def test_adoption_tells_the_officers_and_coordinators_and_a_revision_tells_nobody(user_of):
    plan = athens_plan(user_of)
    plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)
    plan_step(actor=user_of("facilitator-b"), plan=plan, step=Step.SUBMIT)
    plan_step(actor=user_of("athens-approver-admin"), plan=plan, step=Step.APPROVE)
    since, made = _step(
        user_of, plan, "athens-approver-political", Step.ENDORSE, endorsement=endorsement()
    )
    assert notified_since(since, kinds.ADOPTED) == exactly_once(*ATHENS_OFFICERS, *COORDINATORS)
    assert made.count() == 4
    since, made = _step(user_of, plan, "athens-officer-1", Step.REVISE, comment="New year.")
    assert made.count() == 0


def test_a_coordinator_who_reviews_is_not_told_of_their_own_step(user_of):
    plan = athens_plan(user_of)
    plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)
    plan_step(actor=user_of("coordinator-1"), plan=plan, step=Step.SUBMIT)
    plan_step(actor=user_of("athens-approver-admin"), plan=plan, step=Step.APPROVE)
    since, made = _step(
        user_of, plan, "athens-approver-political", Step.DECLINE, comment="Not now."
    )
    assert made.count() == 4
    # The officers send it again; the coordinator requests changes: not told of it themself.
    plan_step(actor=user_of("athens-officer-1"), plan=plan, step=Step.SEND_FOR_REVIEW)
    since, made = _step(user_of, plan, "coordinator-1", Step.REQUEST_CHANGES, comment="Fix it.")
    assert notified_since(since, kinds.CHANGES_REQUESTED) == exactly_once(*ATHENS_OFFICERS)


def test_a_suggested_text_tells_the_citys_officers_but_not_its_author(user_of):
    plan = athens_plan(user_of)
    since = last_notification_pk()
    plan_comment_add(
        actor=user_of("munich-officer-1"),
        plan=plan,
        section="vision",
        body="Make the vision measurable.",
        suggestion="Every young newcomer has a job within six months.",
    )
    assert notified_since(since, kinds.SUGGESTION) == exactly_once(*ATHENS_OFFICERS)
    notification = Notification.objects.filter(pk__gt=since).first()
    assert notification.message == "Make the vision measurable."
    assert notification.params["section_label"] == "Vision"
    assert notification.params["person"] == "Claudia Bauer"

    since = last_notification_pk()
    plan_comment_add(
        actor=user_of("athens-officer-1"),
        plan=plan,
        section="context",
        body="Shorter?",
        suggestion="One young migrant in three is idle.",
    )
    assert notified_since(since, kinds.SUGGESTION) == exactly_once("athens-officer-2")

    since = last_notification_pk()  # a plain comment waits for nobody
    plan_comment_add(actor=user_of("munich-officer-1"), plan=plan, section="risks", body="Ok.")
    assert Notification.objects.filter(pk__gt=since).count() == 0


def test_preferences_inbox_only_and_digest_are_honoured(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    Preference.objects.create(
        person=Person.objects.get(email=email_of("coordinator-1")),
        kind=kinds.IN_REVIEW,
        channel=Channel.INBOX,
    )
    Preference.objects.create(
        person=Person.objects.get(email=email_of("coordinator-2")),
        kind=kinds.IN_REVIEW,
        channel=Channel.DIGEST,
    )
    plan = athens_plan(user_of)
    with django_capture_on_commit_callbacks(execute=True):
        since, _made = _step(user_of, plan, "athens-officer-1", Step.SEND_FOR_REVIEW)
    assert notified_since(since, kinds.IN_REVIEW) == exactly_once(*REVIEWERS)
    assert mails_to(mailoutbox, "coordinator-1") == []
    assert mails_to(mailoutbox, "coordinator-2") == []
    assert len(mailoutbox) == len(REVIEWERS) - 2
    with django_capture_on_commit_callbacks(execute=True):
        digests_send()
    (digest,) = mails_to(mailoutbox, "coordinator-2")
    assert "digest" in digest.subject and "sent its action plan for review" in digest.body
    assert mails_to(mailoutbox, "coordinator-1") == []


# ---------------------------------------------------------------- check-in reminders


@pytest.fixture
def june_2019(monkeypatch):
    monkeypatch.setattr(
        "action_plans.services.reminders.timezone.localdate", lambda: date(2019, 6, 1)
    )


def test_check_in_reminders_are_notifications_raised_once_after_commit(
    user_of, mailoutbox, june_2019, django_capture_on_commit_callbacks
):
    plan = adopt(user_of, athens_plan(user_of))
    mailoutbox.clear()
    since = last_notification_pk()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        call_command("send_check_in_reminders")
        raise RuntimeError("the work failed: nothing is raised or sent")
    assert callbacks == [] and mailoutbox == []
    assert Notification.objects.filter(pk__gt=since).count() == 0
    assert plan.check_ins.get(months_after_end=6).reminded_at is None

    with django_capture_on_commit_callbacks(execute=True):
        check_in_reminders_daily.call_local()  # the queue's daily task
    # Athens' officers and the coordinators, who record check-ins; not Munich's officers.
    assert notified_since(since, kinds.CHECK_IN_DUE) == exactly_once(
        *ATHENS_OFFICERS, *COORDINATORS
    )
    check_in = plan.check_ins.get(months_after_end=6)
    assert set(Notification.objects.filter(pk__gt=since).values_list("once_key", flat=True)) == {
        f"action-plan-check-in-{check_in.pk}"
    }
    assert check_in.reminded_at is not None
    assert plan.check_ins.get(months_after_end=12).reminded_at is None  # not due yet
    assert len(mailoutbox) == 4
    assert all(
        m.subject.endswith(f"Check-in due on 30 June 2019: {plan.title}") for m in mailoutbox
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_check_in_reminders")  # by hand: nothing twice
    assert Notification.objects.filter(pk__gt=since).count() == 4 and len(mailoutbox) == 4


def test_a_check_in_reminder_is_in_the_readers_language_with_the_date_day_first(
    user_of, mailoutbox, june_2019, django_capture_on_commit_callbacks
):
    set_language("athens-officer-2", "fr")
    adopt(user_of, athens_plan(user_of))
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_check_in_reminders")
    subject = assert_french_email(mailoutbox, "athens-officer-2", kinds.CHECK_IN_DUE, since)
    assert "30 juin 2019" in subject and "2019-06-30" not in subject
    (english,) = mails_to(mailoutbox, "athens-officer-1")
    assert "30 June 2019" in english.subject and "06/30" not in english.subject
