"""The upload policy on the video catalogue's files, through its real screens: a non-video
renamed .mp4, an oversized video and a subtitle file with a script are refused with a clear
message next to the field; a good MP4, WebM and WebVTT are accepted. A video is never read into
memory whole: only its head is sniffed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.errors import DomainError
from core.uploads import SUBTITLES, VIDEOS, upload_check
from tests import upload_samples
from tests.videos.builders import athens_video
from videos.models import Subtitle, Video

pytestmark = pytest.mark.django_db


def _errors(response, field):
    form = response.context["form"]
    return " ".join(form.errors.get(field, []))


@pytest.fixture
def coordinator(client_of):
    return client_of("coordinator-1")


def _video_post(client, user_of, name, content):
    linked = athens_video(user_of("coordinator-1"), external_url="https://youtu.be/dQw4w9WgXcQ")
    data = {
        "title": "Desk",
        "summary": "At work",
        "city_id": linked.city_id,
        "theme_id": linked.theme_id,
        "language": "en",
        "file": SimpleUploadedFile(name, content),
    }
    return client.post(reverse("videos:new", args=["cities-grow"]), data)


def test_a_non_video_renamed_mp4_is_refused(coordinator, user_of):
    before = Video.objects.exclude(file="").count()
    response = _video_post(coordinator, user_of, "clip.mp4", upload_samples.pdf())
    assert response.status_code == 400
    assert "“clip.mp4” does not contain what its name says (.mp4)" in _errors(response, "file")
    assert 'value="Desk"' in response.content.decode()
    assert Video.objects.exclude(file="").count() == before


def test_an_oversized_video_is_refused(coordinator, user_of, settings):
    settings.UPLOAD_MAX_MB = {**settings.UPLOAD_MAX_MB, "videos": 1}
    response = _video_post(coordinator, user_of, "clip.mp4", upload_samples.mp4(1024 * 1024 + 1))
    assert response.status_code == 400
    assert "“clip.mp4” is larger than 1 MB" in _errors(response, "file")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\n<script>alert(1)</script>\n", "holds a script"),
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\n<a href='javascript:x'>go</a>\n", "holds a script"),
        (b"WEBVTT\n\n00:00.000 --> 00:01.000\n<img src=x onerror=y>\n", "not a WebVTT cue tag"),
        (b"1\n00:00:00,000 --> 00:00:01,000\nAn SRT file\n", "its first line must be"),
        ("WEBVTT\n\nÉté".encode("latin-1"), "is not UTF-8 text"),
    ],
)
def test_a_subtitle_with_script_or_markup_is_refused(coordinator, user_of, content, words):
    video = athens_video(user_of("coordinator-1"), external_url="https://youtu.be/dQw4w9WgXcQ")
    url = reverse("videos:subtitle_new", args=["cities-grow", video.pk])
    response = coordinator.post(
        url, {"language": "en", "file": SimpleUploadedFile("en.vtt", content)}
    )
    assert response.status_code == 400
    assert words in _errors(response, "file")
    assert not Subtitle.objects.filter(video=video).exists()


def test_good_video_and_subtitle_files_are_accepted(coordinator, user_of):
    response = _video_post(coordinator, user_of, "clip.webm", upload_samples.webm())
    assert response.status_code == 302
    video = Video.objects.exclude(file="").latest("pk")
    assert video.file.name.endswith(".webm") and video.file_name == "clip.webm"
    url = reverse("videos:subtitle_new", args=["cities-grow", video.pk])
    good = SimpleUploadedFile("fr.vtt", upload_samples.vtt())
    assert coordinator.post(url, {"language": "fr", "file": good}).status_code == 302
    assert video.subtitles.get().language == "fr"


class _Counting:
    """A file that counts what is read from it (a video must not be read whole)."""

    def __init__(self, content: bytes, name: str) -> None:
        import io

        self.raw, self.name, self.size, self.read_bytes = io.BytesIO(content), name, None, 0

    def read(self, n=-1):
        chunk = self.raw.read(n)
        self.read_bytes += len(chunk)
        return chunk

    def seek(self, *args):
        return self.raw.seek(*args)

    def tell(self):
        return self.raw.tell()


def test_only_a_videos_head_is_read():
    big = _Counting(upload_samples.mp4(20 * 1024 * 1024), "big.mp4")
    checked = upload_check(big, VIDEOS)
    assert checked.size == 20 * 1024 * 1024
    assert big.read_bytes <= 8192


def test_the_service_refuses_what_the_form_would():
    with pytest.raises(DomainError, match="holds a script"):
        upload_check(
            SimpleUploadedFile("x.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\n<SCRIPT src=x>\n"),
            SUBTITLES,
        )
