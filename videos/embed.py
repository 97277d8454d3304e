"""External video links: only YouTube and Vimeo, played through their privacy-enhanced players
(youtube-nocookie.com, Vimeo with do-not-track), loaded only after the visitor presses play."""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

# The hosts a video page may frame (its Content-Security-Policy's frame-src, videos.views).
EMBED_HOSTS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{1,12}$")


@dataclass(frozen=True)
class ExternalPlayer:
    provider: str  # "YouTube" or "Vimeo"
    embed_url: str


def external_player(url: str) -> ExternalPlayer | None:
    """The privacy-friendly player of a YouTube or Vimeo link; None for any other link."""
    parts = urlsplit(url or "")
    if parts.scheme != "https":
        return None
    host = (parts.hostname or "").lower()
    path = parts.path.strip("/")
    video_id = ""
    if host in ("www.youtube.com", "youtube.com", "m.youtube.com"):
        if path == "watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif path.startswith(("embed/", "shorts/")):
            video_id = path.split("/", 1)[1]
    elif host == "youtu.be":
        video_id = path
    if video_id:
        if not _YOUTUBE_ID.match(video_id):
            return None
        return ExternalPlayer("YouTube", f"{EMBED_HOSTS[0]}/embed/{video_id}?autoplay=1")
    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        last = path.rsplit("/", 1)[-1]
        if _VIMEO_ID.match(last):
            return ExternalPlayer("Vimeo", f"{EMBED_HOSTS[1]}/video/{last}?dnt=1&autoplay=1")
    return None
