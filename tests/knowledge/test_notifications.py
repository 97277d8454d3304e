"""A practice sent for review tells its editors, a review decision its author, and a toolkit
published for piloting asks the piloting cities' officers for feedback: once each, in their own
language, never the one who acted."""

import json

import pytest

from knowledge import notification_kinds as kinds
from knowledge.workflow import PracticeStep, ToolkitStep, practice_step, toolkit_step
from notifications.models import Notification
from tests.conftest import DATA_FILE
from tests.knowledge.builders import draft_practice
from tests.knowledge.test_toolkits import _composed
from tests.notification_checks import (
    assert_french_email,
    exactly_once,
    last_notification_pk,
    notified_since,
    set_language,
)

pytestmark = pytest.mark.django_db

EDITORS = (
    "coordinator-1",
    "coordinator-2",
    "facilitator-a",
    "facilitator-b",
    "facilitator-c",
    "facilitator-d",
)
IMPLEMENTING = sorted({pair["implementing"] for pair in json.loads(DATA_FILE.read_text())["pairs"]})


def test_a_practice_in_review_tells_the_editors_and_decisions_tell_its_author(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("facilitator-c", "fr")
    set_language("athens-officer-1", "fr")
    officer, editor = user_of("athens-officer-1"), user_of("facilitator-b")
    practice = draft_practice(officer)
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        practice_step(actor=officer, practice=practice, step=PracticeStep.SUBMIT)
    assert notified_since(since, kinds.PRACTICE_IN_REVIEW) == exactly_once(*EDITORS)
    assert Notification.objects.filter(pk__gt=since).count() == len(EDITORS)
    assert Notification.objects.filter(pk__gt=since).first().url == (
        f"/practices/{practice.reference}/"
    )
    assert_french_email(mailoutbox, "facilitator-c", kinds.PRACTICE_IN_REVIEW, since)

    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        practice_step(actor=editor, practice=practice, step=PracticeStep.RETURN, comment="Data?")
    assert notified_since(since, kinds.PRACTICE_RETURNED) == exactly_once("athens-officer-1")
    assert Notification.objects.get(pk__gt=since).message == "Data?"
    assert_french_email(mailoutbox, "athens-officer-1", kinds.PRACTICE_RETURNED, since)

    practice_step(actor=officer, practice=practice, step=PracticeStep.SUBMIT)
    since = last_notification_pk()
    practice_step(actor=editor, practice=practice, step=PracticeStep.PUBLISH)
    assert notified_since(since, kinds.PRACTICE_PUBLISHED) == exactly_once("athens-officer-1")
    since = last_notification_pk()
    practice_step(actor=editor, practice=practice, step=PracticeStep.WITHDRAW, comment="Outdated.")
    assert notified_since(since, kinds.PRACTICE_WITHDRAWN) == exactly_once("athens-officer-1")
    assert Notification.objects.filter(pk__gt=since).count() == 1


def test_an_editor_sending_their_own_practice_is_not_told_of_it(user_of):
    editor = user_of("facilitator-b")
    practice = draft_practice(editor, reference="editor-own-practice")
    since = last_notification_pk()
    practice_step(actor=editor, practice=practice, step=PracticeStep.SUBMIT)
    others = [key for key in EDITORS if key != "facilitator-b"]
    assert notified_since(since, kinds.PRACTICE_IN_REVIEW) == exactly_once(*others)
    since = last_notification_pk()
    practice_step(actor=editor, practice=practice, step=PracticeStep.PUBLISH)
    assert Notification.objects.filter(pk__gt=since).count() == 0  # their own: nobody else


def test_a_toolkit_for_piloting_asks_the_implementing_cities_for_feedback(
    user_of, mailoutbox, django_capture_on_commit_callbacks
):
    set_language("athens-officer-2", "fr")
    toolkit = _composed(user_of)
    since = last_notification_pk()
    with django_capture_on_commit_callbacks(execute=True):
        toolkit = toolkit_step(
            actor=user_of("facilitator-b"),
            toolkit=toolkit,
            step=ToolkitStep.PUBLISH,
            accept_empty_factors=True,
        )
    officers = [f"{city}-officer-{n}" for city in IMPLEMENTING for n in (1, 2)]
    # Not the mentor cities (Munich), nor approvers, coordinators or facilitators.
    assert notified_since(since, kinds.TOOLKIT_PILOTING) == exactly_once(*officers)
    assert Notification.objects.filter(pk__gt=since).count() == len(officers)
    assert_french_email(mailoutbox, "athens-officer-2", kinds.TOOLKIT_PILOTING, since)
    since = last_notification_pk()
    toolkit_step(actor=user_of("facilitator-b"), toolkit=toolkit, step=ToolkitStep.FINALISE)
    assert Notification.objects.filter(pk__gt=since).count() == 0
