"""Passkeys (WebAuthn, django-otp-webauthn): whose they are and where they work.

A passkey belongs to a relying party, the platform's host name, and is accepted only from the
platform's own origin. Both come from PLATFORM_BASE_URL when a passkey is used, never from a
request's Host header; browsers accept a host name (localhost in the embedded mode), not an IP.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper


def platform_origin() -> str:
    parts = urlsplit(settings.PLATFORM_BASE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def relying_party_id(request: HttpRequest | None = None) -> str:
    return urlsplit(settings.PLATFORM_BASE_URL).hostname or "localhost"


class PasskeyHelper(WebAuthnHelper):
    """The package's ceremonies, with the platform's one origin."""

    def get_allowed_origins(self) -> list[str]:
        return [platform_origin()]
