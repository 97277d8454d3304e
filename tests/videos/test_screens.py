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


def _outsider_city():
    from tests.factories import CityFactory

    return CityFactory(slug="faraway", name="Faraway")


def _edit_post(video, **changes):
    values = {
        "title": video.title,
        "summary": video.summary,
        "city_id": video.city_id,
        "theme_id": video.theme_id,
        "language": video.language,
        "external_url": video.external_url,
        "transcript": video.transcript,
        "practice_ids": [p.pk for p in video.practices.all()],
        "revision": video.revision,
    }
    values.update(changes)
    return values


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client_of, user_of):
    video = athens_video(user_of("coordinator-1"), external_url="https://vimeo.com/76979871")
    url = reverse("videos:edit", args=[SLUG, video.pk])
    opened = _edit_post(video)  # both people open the form at the same revision
    first = client_of("coordinator-1").post(url, {**opened, "title": "Saved first"})
    assert first.status_code == 302
    second = client_of("facilitator-b")
    response = second.post(url, {**opened, "summary": "Typed by the second person"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this video after you opened it" in html
    assert "Typed by the second person" in html  # kept in the form
    assert "The values saved by the other person" in html and "Saved first" in html
    assert accessibility_problems(html) == []
    video.refresh_from_db()
    assert (video.title, video.summary) == (
        "Saved first",
        "How Athens' job desk meets newcomers and employers.",
    )
    # Saving again from the refused page (its revision now the stored one) goes through.
    again = second.post(url, _edit_post(video, summary="Typed by the second person"))
    assert again.status_code == 302
    video.refresh_from_db()
    assert (video.title, video.summary) == ("Saved first", "Typed by the second person")


def test_a_crafted_edit_cannot_file_the_video_outside_the_programme(client_of, user_of):
    from knowledge.models import GoodPractice

    video = athens_video(user_of("coordinator-1"), external_url="https://vimeo.com/76979871")
    url = reverse("videos:edit", args=[SLUG, video.pk])
    coordinator = client_of("coordinator-1")
    outsider = _outsider_city()
    draft = GoodPractice.objects.exclude(state="published").first() or GoodPractice.objects.first()
    draft.state = "draft"
    draft.save(update_fields=["state"])
    for field, value, message in [
        ("city_id", outsider.pk, "Select a valid choice."),
        ("practice_ids", [draft.pk], "Select a valid choice."),
    ]:
        response = coordinator.post(url, _edit_post(video, **{field: value}))
        assert response.status_code == 400
        assert message in response.content.decode()
    video.refresh_from_db()
    assert video.city.slug == "athens" and video.revision == 1


def test_the_service_refuses_a_draft_practice_or_another_programmes_theme(user_of):
    from core.errors import DomainError
    from knowledge.models import GoodPractice

    draft = GoodPractice.objects.first()
    draft.state = "draft"
    draft.save(update_fields=["state"])
    with pytest.raises(DomainError) as refused:
        athens_video(
            user_of("coordinator-1"), external_url="https://vimeo.com/1", practice_ids=(draft.pk,)
        )
    assert refused.value.field_errors == {"practice_ids": "Choose only published good practices."}
    from tests.factories import ProgrammeFactory, ThemeFactory

    theme = ThemeFactory(programme=ProgrammeFactory(slug="another"))
    with pytest.raises(DomainError) as refused:
        athens_video(
            user_of("coordinator-1"),
            external_url="https://vimeo.com/1",
            practice_ids=(),
            theme_id=theme.pk,
        )
    assert refused.value.field_errors == {"theme_id": "Choose one of the programme's themes."}
    outsider = _outsider_city()
    with pytest.raises(DomainError) as refused:
        athens_video(
            user_of("coordinator-1"),
            external_url="https://vimeo.com/1",
            practice_ids=(),
            city_id=outsider.pk,
        )
    assert refused.value.field_errors == {"city_id": "Choose one of the programme's cities."}
