"""The public video pages: a privacy-friendly player (nothing loads before play, captions in the
page's language on by default, no third-party address in any src), the transcript, the names
of only those who agreed, the embed code, the Content-Security-Policy of each page, and the
links from practices and toolkits."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from knowledge.models import GoodPractice
from tests.html_checks import accessibility_problems
from tests.videos.builders import athens_video, consent, with_captions
from videos.services import video_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(user_of):
    coordinator = user_of("coordinator-1")
    video = with_captions(coordinator, athens_video(coordinator))
    consent(coordinator, video, "Eleni Demo", show_name_publicly=True)
    consent(coordinator, video, "Karim Hidden", show_name_publicly=False)
    return video_publish(actor=coordinator, video=video)


@pytest.fixture
def linked(user_of):
    coordinator = user_of("coordinator-1")
    video = athens_video(
        coordinator, title="On YouTube", external_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    consent(coordinator, video, "Eleni Demo")
    return video_publish(actor=coordinator, video=video)


def _srcs(html):
    return re.findall(r'\ssrc="([^"]*)"', html)


def test_the_page_plays_from_our_site_only_with_captions_in_its_language(client, published):
    url = reverse("videos:public", args=[published.pk])
    html = client.get(url).content.decode()
    assert 'preload="none"' in html
    assert all(src.startswith("/") for src in _srcs(html)), _srcs(html)
    tracks = re.findall(r"<track [^>]*>", html)
    assert len(tracks) == 2
    (default,) = [t for t in tracks if " default" in t]
    assert 'srclang="en"' in default
    assert accessibility_problems(html) == []
    # In French, the French captions are on by default.
    with translation.override("fr"):
        html_fr = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    client.cookies.clear()
    (default_fr,) = [t for t in re.findall(r"<track [^>]*>", html_fr) if " default" in t]
    assert 'srclang="fr"' in default_fr


def test_transcript_names_and_embed_code(client, published):
    html = client.get(reverse("videos:public", args=[published.pk])).content.decode()
    assert "Welcome to the job desk" in html
    assert "Eleni Demo" in html
    assert "Karim Hidden" not in html
    embed = reverse("videos:embed", args=[published.pk])
    assert f"&lt;iframe src=&quot;http://testserver{embed}&quot;" in html
    assert "Karim Hidden" not in client.get(embed).content.decode()


def test_the_files_are_served_inline_from_our_site(client, published):
    stream = client.get(reverse("videos:stream", args=[published.pk]))
    assert stream.status_code == 200
    assert stream["Content-Type"] == "video/mp4"
    assert "attachment" not in stream.get("Content-Disposition", "")
    assert stream["X-Content-Type-Options"] == "nosniff"
    b"".join(stream.streaming_content)
    track = client.get(reverse("videos:track", args=[published.pk, "fr"]))
    assert track["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(track.streaming_content).startswith(b"WEBVTT")
    assert client.get(reverse("videos:track", args=[published.pk, "de"])).status_code == 404


def test_an_external_video_loads_nothing_before_play(client, linked):
    response = client.get(reverse("videos:public", args=[linked.pk]))
    html = response.content.decode()
    assert "<iframe" not in html
    assert all(src.startswith("/") for src in _srcs(html)), _srcs(html)
    assert 'data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' in html
    policy = response["Content-Security-Policy"]
    (frame_src,) = [d for d in policy.split(";") if d.strip().startswith("frame-src")]
    assert frame_src.split()[1:] == ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
    assert "frame-ancestors 'none'" in policy


def test_only_the_video_pages_may_frame_the_players(client, linked):
    home = client.get(reverse("portal:home"))["Content-Security-Policy"]
    assert "frame-src" not in home
    embed = client.get(reverse("videos:embed", args=[linked.pk]))
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed
    assert accessibility_problems(embed.content.decode()) == []


def test_a_draft_video_is_not_public(client, user_of):
    draft = athens_video(user_of("coordinator-1"))
    for name in ("videos:public", "videos:embed", "videos:stream"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("videos:public_list")).content.decode()


def test_practice_pages_and_the_list_link_to_the_videos(client, published):
    practice = published.practices.get()
    assert isinstance(practice, GoodPractice)
    html = client.get(reverse("knowledge:practice", args=[practice.reference])).content.decode()
    assert reverse("videos:public", args=[published.pk]) in html
    listing = client.get(reverse("videos:public_list")).content.decode()
    assert reverse("videos:public", args=[published.pk]) in listing


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_lists_take_a_fixed_number_of_queries(client_of, user_of, published):
    from django.test import Client

    client = Client()  # anonymous, beside the coordinator's
    coordinator = user_of("coordinator-1")
    public_url = reverse("videos:public_list")
    manage_url = reverse("videos:manage", args=["cities-grow"])
    member = client_of("coordinator-1")
    before = (_queries(client, public_url), _queries(member, manage_url))
    for n in range(4):
        video = athens_video(coordinator, title=f"Video {n}")
        consent(coordinator, video, f"Person {n}")
        video_publish(actor=coordinator, video=video)
    after = (_queries(client, public_url), _queries(member, manage_url))
    assert after == before


def test_the_video_is_served_by_byte_ranges(client, published):
    url = reverse("videos:stream", args=[published.pk])
    whole = client.get(url)
    content = b"".join(whole.streaming_content)
    assert whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-19/{len(content)}"
    assert b"".join(part.streaming_content) == content[10:20]
    tail = client.get(url, HTTP_RANGE="bytes=-5")
    assert b"".join(tail.streaming_content) == content[-5:]
    beyond = client.get(url, HTTP_RANGE=f"bytes={len(content) + 5}-")
    assert beyond.status_code == 200  # not servable as a range: the whole file
    b"".join(beyond.streaming_content)


def test_the_api_lists_published_videos_and_hides_them_when_consent_lapses(
    client, published, user_of
):
    from videos.services import appearance_withdraw

    listed = client.get(reverse("api:videos")).json()
    assert [v["id"] for v in listed] == [published.pk]
    detail = client.get(reverse("api:video", args=[published.pk])).json()
    assert detail["people_named"] == ["Eleni Demo"]  # Karim did not agree to be named
    assert sorted(detail["captions"]) == ["en", "fr"]
    assert detail["captions"]["fr"].endswith(reverse("videos:track", args=[published.pk, "fr"]))
    assert detail["practices"] == [p.reference for p in published.practices.all()]
    assert "Karim" not in str(detail)
    person = published.appearances.get(name="Karim Hidden")
    appearance_withdraw(
        actor=user_of("coordinator-1"), appearance=person, reason="By e-mail, today."
    )
    assert client.get(reverse("api:videos")).json() == []
    assert client.get(reverse("api:video", args=[published.pk])).status_code == 404
