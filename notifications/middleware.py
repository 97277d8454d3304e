"""The interface follows a signed-in person's chosen language (Person.language).

It is read once at log-in into the session (see signals), so a request costs no query; the
settings page and the header's language switcher update both the person and the session.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class PersonLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = None
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            language = request.session.get(settings.PERSON_LANGUAGE_SESSION_KEY)
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
