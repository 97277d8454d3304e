"""The publication rule: a video is on the portal only while everyone in it has a valid consent.
Publishing is refused naming who lacks what; a withdrawal takes the video off at once (the
public page answers 404); an expired consent does the same at the daily check, and every public
read already hides it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from tests.conftest import email_of
from tests.notification_checks import exactly_once, last_notification_pk, notified_since
from tests.videos.builders import athens_video, consent
from videos.choices import VideoState
from videos.models import Video
from videos.selectors import published_videos
from videos.services import appearance_withdraw, video_publish, video_save
from videos.tasks import consents_check_run

pytestmark = pytest.mark.django_db

UNPUBLISHED = "videos.video_unpublished"


@pytest.fixture
def video(user_of):
    coordinator = user_of("coordinator-1")
    found = athens_video(coordinator)
    consent(coordinator, found, "Eleni Demo", show_name_publicly=True)
    consent(coordinator, found, "A. K.")
    return found


def _public(client, video):
    return client.get(reverse("videos:public", args=[video.pk]))


def test_publishing_with_one_consent_missing_is_refused_naming_it(user_of, video):
    coordinator = user_of("coordinator-1")
    consent(coordinator, video, "Karim B.", consent_form=None, signed_on=None)
    consent(coordinator, video, "Maria P.", scope_portal=False)
    with pytest.raises(DomainError) as refusal:
        video_publish(actor=coordinator, video=video)
    message = refusal.value.message
    assert "Karim B.: no signed consent form" in message
    assert "Maria P.: consent does not cover publication on the portal" in message
    assert "Eleni Demo" not in message
    video.refresh_from_db()
    assert video.state == VideoState.DRAFT


def test_a_video_with_every_consent_is_published(user_of, video, client):
    published = video_publish(actor=user_of("facilitator-b"), video=video)
    assert published.state == VideoState.PUBLISHED and published.published_at is not None
    assert _public(client, video).status_code == 200


def test_withdrawal_unpublishes_at_once_and_the_public_page_answers_404(user_of, video, client):
    coordinator = user_of("coordinator-1")
    video_publish(actor=coordinator, video=video)
    assert _public(client, video).status_code == 200
    since = last_notification_pk()
    person = video.appearances.get(name="A. K.")
    appearance_withdraw(actor=coordinator, appearance=person, reason="By e-mail on 3 May")
    video.refresh_from_db()
    assert video.state == VideoState.UNPUBLISHED
    assert "A. K. withdrew their consent" in video.unpublished_reason
    assert _public(client, video).status_code == 404
    # The facilitator of theme B and the other coordinators are told (not the actor).
    told = notified_since(since, UNPUBLISHED)
    assert told >= exactly_once("facilitator-b")
    assert all(count == 1 for count in told.values())
    assert email_of("coordinator-1") not in told
    # Publishing again is refused while the withdrawal stands.
    with pytest.raises(DomainError, match=r"A\. K\.: consent withdrawn"):
        video_publish(actor=coordinator, video=video)


def test_an_expired_consent_is_unpublished_by_the_scheduled_check(user_of, client):
    coordinator = user_of("coordinator-1")
    video = athens_video(coordinator)
    today = timezone.localdate()
    consent(coordinator, video, "Eleni Demo", expires_on=today + timedelta(days=1))
    video_publish(actor=coordinator, video=video)
    assert consents_check_run(today) == 0
    later = today + timedelta(days=2)
    # Public reads hide it as soon as the consent lapsed, before the task runs.
    assert video not in published_videos(later)
    since = last_notification_pk()
    assert consents_check_run(later) == 1
    video.refresh_from_db()
    assert video.state == VideoState.UNPUBLISHED
    assert "Eleni Demo" in video.unpublished_reason
    assert notified_since(since, UNPUBLISHED) >= exactly_once("facilitator-b")
    assert consents_check_run(later) == 0  # once taken off, not again


def test_two_checks_at_once_take_a_video_off_once(user_of, monkeypatch):
    """The second check listed the video before the first took it off: it finds the video off
    when it locks it, and tells nobody again."""
    from videos import services

    coordinator = user_of("coordinator-1")
    video = athens_video(coordinator)
    today = timezone.localdate()
    consent(coordinator, video, "Eleni Demo", expires_on=today + timedelta(days=1))
    video_publish(actor=coordinator, video=video)
    later = today + timedelta(days=2)
    listed_before = services._lapsed_ids(later)
    assert listed_before == [video.pk]
    assert consents_check_run(later) == 1  # the first check
    since = last_notification_pk()
    monkeypatch.setattr(services, "_lapsed_ids", lambda today: listed_before)
    assert consents_check_run(later) == 0  # the second, with its listing taken earlier
    assert notified_since(since, UNPUBLISHED) == {}
    assert video.history.filter(state=VideoState.UNPUBLISHED).count() == 1


def test_an_expired_consent_answers_404_before_the_task_runs(user_of, video, client):
    coordinator = user_of("coordinator-1")
    video_publish(actor=coordinator, video=video)
    video.appearances.filter(name="A. K.").update(expires_on=date(2020, 1, 1))
    assert _public(client, video).status_code == 404
    video.refresh_from_db()
    assert video.state == VideoState.PUBLISHED  # the task has not run yet


def test_a_video_is_a_file_or_a_link_never_both(user_of):
    coordinator = user_of("coordinator-1")
    with pytest.raises(DomainError, match="not both"):
        athens_video(
            coordinator,
            external_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            file=__import__("tests.videos.builders", fromlist=["video_file"]).video_file(),
        )
    with pytest.raises(DomainError, match="YouTube or Vimeo"):
        athens_video(coordinator, external_url="https://evil.example/watch?v=dQw4w9WgXcQ")
    linked = athens_video(coordinator, external_url="https://youtu.be/dQw4w9WgXcQ")
    assert linked.external_url and not linked.file
    assert Video.objects.filter(pk=linked.pk).exists()


def test_officers_edit_their_own_citys_drafts_only(user_of):
    athens = user_of("athens-officer-1")
    video = athens_video(athens)
    assert video.state == VideoState.DRAFT
    with pytest.raises(DomainError):
        athens_video(user_of("rotterdam-officer-1"))
    with pytest.raises(DomainError, match="coordinators and the theme's facilitator"):
        video_publish(actor=athens, video=video)
    with pytest.raises(DomainError):
        consent(athens, video, "Someone")
    # The auditor reads but does not write.
    with pytest.raises(DomainError):
        video_save(
            actor=user_of("auditor-1"),
            programme=video.programme,
            video=video,
            data=__import__("videos.services", fromlist=["VideoInput"]).VideoInput(
                title="x", summary="y", language="en", city_id=video.city_id
            ),
        )


def test_a_facilitator_manages_their_own_themes_videos(user_of):
    from programmes.models import Theme

    facilitator = user_of("facilitator-b")
    theme_a = Theme.objects.get(programme__slug="cities-grow", code="A")
    with pytest.raises(DomainError):
        athens_video(facilitator, theme_id=theme_a.pk)
    video = athens_video(facilitator)  # theme B, their scheme's
    consent(facilitator, video, "Eleni Demo")
    assert video_publish(actor=facilitator, video=video).state == VideoState.PUBLISHED
