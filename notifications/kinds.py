"""The registry of notification kinds. Each app registers its own kinds from its AppConfig.ready()
(`notifications.kinds.register(Kind(...))`), so this app imports none of them.

A kind's `title` is a translatable format string filled with the notification's params when it is
shown (inbox, e-mail), in the reader's language. Params are stored as plain text; a param whose
key ends in `_label` holds an English message id (e.g. a choice's label) translated when shown,
one ending in `_on` an ISO date, shown in the reader's date format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext

from .choices import Channel


@dataclass(frozen=True)
class Kind:
    key: str  # "<app>.<what happened>", stored on each notification
    label: str | Promise  # for the preferences page: what this kind is about
    title: str | Promise  # the inbox line and the e-mail's subject, with %(param)s
    default: Channel = Channel.IMMEDIATE
    reminder: bool = False  # a reminder rather than a workflow step (grouped apart on the page)


_KINDS: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    for kind in kinds:
        _KINDS[kind.key] = kind


def kind_for(key: str) -> Kind | None:
    return _KINDS.get(key)


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: (k.reminder, k.key))


def shown_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """The params as the reader reads them: labels translated, dates in the active language."""
    shown: dict[str, Any] = {}
    for key, value in params.items():
        if key.endswith("_label") and isinstance(value, str) and value:
            shown[key] = gettext(value)
        elif key.endswith("_on") and isinstance(value, str) and value:
            shown[key] = _day_shown(value)
        else:
            shown[key] = value
    return shown


def _day_shown(value: str) -> str:
    """An ISO date, or a moment (its day in the platform's zone), in the reader's format."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return date_format(day, "DATE_FORMAT")


def title_of(kind_key: str, params: Mapping[str, Any]) -> str:
    """The title in the active language; a kind no longer registered shows its key."""
    kind = kind_for(kind_key)
    if kind is None:
        return kind_key
    try:
        return str(kind.title) % shown_params(params)
    except (KeyError, TypeError, ValueError):  # a param missing: show the text, not a 500
        return str(kind.title)
