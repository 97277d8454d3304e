from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from programmes.models import Person


@receiver(user_logged_in)
def remember_language(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """At log-in, the session takes the person's chosen language (the middleware applies it)."""
    if request is None or not hasattr(request, "session"):
        return
    language = Person.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[settings.PERSON_LANGUAGE_SESSION_KEY] = language
