"""Videos for the video tests, made through the services: a video of Athens (theme B) with its
people filmed and their consents, and the files the upload policy takes."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge.models import GoodPractice
from programmes.models import City, Programme, Theme
from tests import upload_samples
from tests.upload_samples import mp4, webm  # noqa: F401  (re-exported for the video tests)
from videos.services import AppearanceInput, VideoInput, appearance_add, subtitle_add, video_save

VTT_EN = (
    b"WEBVTT\n\n00:00.000 --> 00:02.000\n<v Eleni>Welcome to the <b>job desk</b>.\n\n"
    b"00:02.000 --> 00:04.000\nEvery weekday.\n"
)
VTT_FR = b"WEBVTT\n\n00:00.000 --> 00:02.000\nBienvenue au <i>guichet</i>.\n"


def vtt(text: bytes = VTT_EN) -> bytes:
    return text


def video_file(name: str = "desk.mp4", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else mp4())


def consent_form() -> SimpleUploadedFile:
    return SimpleUploadedFile("consent.pdf", upload_samples.pdf("Consent form"))


def athens_video(actor, *, external_url: str = "", **overrides):
    programme = Programme.objects.get(slug="cities-grow")
    values = {
        "title": "The newcomer job desk",
        "summary": "How Athens' job desk meets newcomers and employers.",
        "language": "en",
        "city_id": City.objects.get(slug="athens").pk,
        "theme_id": Theme.objects.get(programme=programme, code="B").pk,
        "practice_ids": tuple(GoodPractice.objects.order_by("pk").values_list("pk", flat=True)[:1]),
        "duration_seconds": 95,
        "external_url": external_url,
        "file": None if external_url else video_file(),
        "transcript": "Eleni: Welcome to the job desk. Every weekday.",
    }
    values.update(overrides)
    return video_save(actor=actor, programme=programme, data=VideoInput(**values))


def consent(actor, video, name: str, **overrides):
    values = {
        "name": name,
        "show_name_publicly": False,
        "scope_recording": True,
        "scope_portal": True,
        "scope_social": False,
        "scope_toolkits": True,
        "signed_on": date(2026, 1, 10),
        "expires_on": date(2030, 1, 10),
        "consent_form": consent_form(),
    }
    values.update(overrides)
    return appearance_add(actor=actor, video=video, data=AppearanceInput(**values))


def with_captions(actor, video):
    subtitle_add(actor=actor, video=video, language="en", file=SimpleUploadedFile("en.vtt", VTT_EN))
    subtitle_add(actor=actor, video=video, language="fr", file=SimpleUploadedFile("fr.vtt", VTT_FR))
    return video
