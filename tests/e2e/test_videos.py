"""The video catalogue in the browser, under the Content-Security-Policy: a published video with
captions plays on its portal page, and no request leaves the site before the visitor presses
play; an external (YouTube) video loads nothing from YouTube before play, and its player only
after (the request is recorded and aborted here: no network is needed).

The video is a real WebM recorded by the browser itself (a canvas through MediaRecorder), so
Chromium decodes it; nothing is downloaded."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from programmes.models import Person
from tests.conftest import email_of
from tests.videos.builders import athens_video, consent, with_captions
from videos.services import video_publish

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

_RECORD = """
async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 160; canvas.height = 90;
  document.body.appendChild(canvas);
  const context = canvas.getContext("2d");
  const recorder = new MediaRecorder(canvas.captureStream(25), {mimeType: "video/webm"});
  const chunks = [];
  recorder.ondataavailable = (event) => chunks.push(event.data);
  const done = new Promise((resolve) => { recorder.onstop = resolve; });
  recorder.start();
  const started = performance.now();
  while (performance.now() - started < 1500) {
    const t = performance.now() - started;
    context.fillStyle = "rgb(" + Math.floor(t / 6) % 255 + ", 120, 200)";
    context.fillRect(0, 0, 160, 90);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
  recorder.stop();
  await done;
  const buffer = await new Blob(chunks, {type: "video/webm"}).arrayBuffer();
  let binary = "";
  new Uint8Array(buffer).forEach((byte) => { binary += String.fromCharCode(byte); });
  return btoa(binary);
}
"""


def _webm(browser) -> bytes:
    """A short WebM the browser records from a canvas (in a blank page of its own)."""
    page = browser.new_page()
    try:
        return base64.b64decode(page.evaluate(_RECORD))
    finally:
        page.close()


def _coordinator():
    return Person.objects.get(email=email_of("coordinator-1")).user


def _watch_requests(page, live_server):
    """Every request the page makes; any to another origin is recorded and aborted."""
    seen: list[str] = []
    outside: list[str] = []

    def route(route):
        url = route.request.url
        seen.append(url)
        if url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.context.route("**/*", route)
    return seen, outside


def test_a_video_with_captions_plays_without_a_request_leaving_the_site(browser, page, live_server):
    coordinator = _coordinator()
    video = athens_video(
        coordinator, file=SimpleUploadedFile("desk.webm", _webm(browser)), title="The job desk"
    )
    with_captions(coordinator, video)
    consent(coordinator, video, "Eleni Demo", show_name_publicly=True)
    video_publish(actor=coordinator, video=video)
    seen, outside = _watch_requests(page, live_server)

    page.goto("/videos/")
    page.get_by_role("link", name="The job desk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The job desk")
    expect(page.get_by_text("Welcome to the job desk. Every weekday.")).to_be_visible()
    player = page.locator("video")
    expect(player).to_have_attribute("preload", "none")
    page.wait_for_load_state("networkidle")
    # Before play: nothing from another site, and not the video itself either.
    assert outside == []
    assert not any("/file/" in url for url in seen)

    # The visitor presses play.
    player.click()
    player.evaluate("(v) => v.paused ? v.play() : null")
    page.wait_for_function(
        "() => { const v = document.querySelector('video'); "
        "return v.currentTime > 0.2 && !v.error; }"
    )
    assert any(url.endswith(f"/videos/{video.pk}/file/") for url in seen)
    # Captions in the page's language (English) are on by default.
    showing = player.evaluate(
        "(v) => Array.from(v.textTracks).filter((t) => t.mode === 'showing').map((t) => t.language)"
    )
    assert showing == ["en"]
    assert outside == []


def test_an_external_video_loads_its_player_only_after_play(page, live_server):
    coordinator = _coordinator()
    video = athens_video(
        coordinator,
        title="On YouTube",
        external_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    consent(coordinator, video, "Eleni Demo")
    video_publish(actor=coordinator, video=video)
    _seen, outside = _watch_requests(page, live_server)

    page.goto(f"/videos/{video.pk}/")
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert page.locator("iframe").count() == 0

    page.get_by_role("button", name="Play “On YouTube” (loads YouTube)").click()
    frame = page.locator("iframe")
    expect(frame).to_have_attribute(
        "src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    )
    page.wait_for_timeout(500)
    assert outside and all(url.startswith("https://www.youtube-nocookie.com/") for url in outside)
