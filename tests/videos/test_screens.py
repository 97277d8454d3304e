"""The members' video screens: a city officer adds a draft of their city; the coordinator
records the people filmed and publishes; a refusal names whose consent is missing; a withdrawal
recorded on its screen takes the video off at once; consent forms open only to the managers
and auditors. Every page passes the accessibility checks."""

import pytest
from django.urls import reverse

from tests.html_checks import accessibility_problems
from tests.videos.builders import athens_video, consent
from videos.choices import VideoState
from videos.models import Video

pytestmark = pytest.mark.django_db

SLUG = "cities-grow"


def _page(client, name, *args, status=200):
    response = client.get(reverse(name, args=[SLUG, *args]))
    assert response.status_code == status
    if status == 200:
        assert accessibility_problems(response.content.decode()) == []
    return response.content.decode()


def test_an_officer_adds_a_draft_of_their_city(client_of, user_of):
    officer = client_of("athens-officer-1")
    _page(officer, "videos:new")
    athens = athens_video(user_of("coordinator-1"), external_url="https://vimeo.com/76979871")
    response = officer.post(
        reverse("videos:new", args=[SLUG]),
        {
            "title": "Our desk",
            "summary": "Filmed in Athens",
            "city_id": athens.city_id,
            "theme_id": athens.theme_id,
            "language": "el",
            "external_url": "https://vimeo.com/76979871",
        },
    )
    assert response.status_code == 302
    video = Video.objects.get(title="Our desk")
    assert video.state == VideoState.DRAFT
    html = _page(officer, "videos:detail", video.pk)
    assert "Publish on the portal" not in html  # the managers publish
    assert "Add a person filmed" not in html
    _page(client_of("rotterdam-officer-1"), "videos:detail", video.pk, status=404)


def test_publishing_on_the_screen_names_the_missing_consent(client_of, user_of):
    video = athens_video(user_of("coordinator-1"))
    coordinator = client_of("coordinator-1")
    response = coordinator.post(
        reverse("videos:appearance_new", args=[SLUG, video.pk]),
        {"name": "Karim B.", "scopes": ["recording", "portal"]},  # no signed form yet
    )
    assert response.status_code == 302
    html = _page(coordinator, "videos:detail", video.pk)
    assert "Karim B.: no signed consent form" in html
    response = coordinator.post(
        reverse("videos:step", args=[SLUG, video.pk, "publish"]), follow=True
    )
    assert "Karim B.: no signed consent form" in response.content.decode()
    video.refresh_from_db()
    assert video.state == VideoState.DRAFT


def test_a_withdrawal_on_its_screen_takes_the_video_off(client_of, user_of, client):
    coordinator_user = user_of("coordinator-1")
    video = athens_video(coordinator_user)
    person = consent(coordinator_user, video, "Eleni Demo")
    facilitator = client_of("facilitator-b")
    facilitator.post(reverse("videos:step", args=[SLUG, video.pk, "publish"]))
    video.refresh_from_db()
    assert video.state == VideoState.PUBLISHED
    _page(facilitator, "videos:withdraw", video.pk, person.pk)
    response = facilitator.post(
        reverse("videos:withdraw", args=[SLUG, video.pk, person.pk]), {"reason": ""}
    )
    assert response.status_code == 400  # a reason is required
    response = facilitator.post(
        reverse("videos:withdraw", args=[SLUG, video.pk, person.pk]),
        {"reason": "Phoned the city on 3 May"},
    )
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.state == VideoState.UNPUBLISHED
    client.logout()
    assert client.get(reverse("videos:public", args=[video.pk])).status_code == 404


def test_consent_forms_open_to_managers_and_auditors_only(client_of, user_of):
    video = athens_video(user_of("coordinator-1"))
    person = consent(user_of("coordinator-1"), video, "Eleni Demo")
    url = reverse("videos:consent_form", args=[SLUG, video.pk, person.pk])
    for key, status in (
        ("coordinator-1", 200),
        ("auditor-1", 200),
        ("facilitator-b", 200),
        ("athens-officer-1", 404),
    ):
        response = client_of(key).get(url)
        assert response.status_code == status, key
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment")
            b"".join(response.streaming_content)
    html = _page(client_of("athens-officer-1"), "videos:detail", video.pk)
    assert "Signed form" not in html and "Eleni Demo" in html
    assert "Signed form" in _page(client_of("auditor-1"), "videos:detail", video.pk)
    # A member whose role reads no videos finds the catalogue but not the draft.
    assert video.title not in _page(client_of("finance-1"), "videos:manage")


def test_the_daily_task_is_registered_with_the_queue():
    from datetime import datetime

    from videos.tasks import consents_check_daily

    task = consents_check_daily.task_class()
    # Huey's scheduler hands its periodic tasks naive times (UTC).
    assert task.validate_datetime(datetime(2026, 1, 1, 0, 5))  # noqa: DTZ001
    assert not task.validate_datetime(datetime(2026, 1, 1, 1, 5))  # noqa: DTZ001
