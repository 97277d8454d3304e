"""A person's own inbox and choices: reading notifications, channels per kind, language."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import DomainError
from programmes.models import Person

from ..choices import Channel
from ..kinds import kind_for
from ..models import Notification, Preference


def notification_mark_read(*, notification: Notification, read: bool = True) -> None:
    """The selector scoped it to its recipient; marking read twice keeps the first time."""
    if read and notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    elif not read:
        Notification.objects.filter(pk=notification.pk).update(read_at=None)


def notifications_mark_all_read(*, person: Person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def language_choose(*, actor: object, person: Person, language: str) -> None:
    """The person's own language (audited as a change of the person)."""
    if language not in dict(settings.LANGUAGES):
        message = _("Choose a language.")
        raise DomainError(message, field_errors={"language": message})
    if person.language != language:
        person.language = language
        attribute_to(person, actor, "language chosen")
        person.save(update_fields=["language"])


def settings_save(
    *, actor: object, person: Person, language: str, channels: Mapping[str, str]
) -> None:
    """A person's own language and channel per kind; a kind at its default keeps no row."""
    kinds = {key: kind_for(key) for key in channels}
    for key, channel in channels.items():
        if kinds[key] is None or channel not in Channel.values:
            raise DomainError(_("Choose one of the offered channels."))
    with transaction.atomic():
        language_choose(actor=actor, person=person, language=language)
        for key, channel in channels.items():
            default = getattr(kinds[key], "default", None)
            if channel == default:
                Preference.objects.filter(person=person, kind=key).delete()
            else:
                Preference.objects.update_or_create(
                    person=person, kind=key, defaults={"channel": channel}
                )
