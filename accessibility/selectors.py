"""Reading the accessibility feedback: the platform's coordinators (of any programme) read it
all; anyone else gets a 404, as for any record outside their reach. And how complete each
language's translation of the interface is (public)."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language_info

from core.roles import Role
from programmes.models import Membership, Person

from .models import Feedback, FeedbackStatus

PAGE_SIZE = 25


def coordinators() -> list[Person]:
    """Everyone who coordinates a programme today: they answer the platform's feedback."""
    memberships = Membership.objects.current().filter(role=Role.COORDINATOR)
    people = {m.person.pk: m.person for m in memberships.select_related("person")}
    return list(people.values())


def is_coordinator(user: Any) -> bool:
    """A coordinator of any programme today, or a platform administrator."""
    if not user.is_authenticated:
        return False
    return bool(
        user.is_superuser
        or Membership.objects.current().filter(role=Role.COORDINATOR, person__user=user).exists()
    )


def _feedback_for(user: Any) -> QuerySet[Feedback]:
    if not is_coordinator(user):
        raise Http404("No feedback here")
    return Feedback.objects.select_related("answered_by")


def feedback_page(user: Any, *, status: str = "", page: Any = 1) -> tuple[Page, dict[str, int]]:
    """One page of the feedback, newest first (of one status if asked), and the count of each
    status."""
    rows = _feedback_for(user)
    counts = {value: rows.filter(status=value).count() for value in FeedbackStatus.values}
    if status in FeedbackStatus.values:
        rows = rows.filter(status=status)
    return Paginator(rows, PAGE_SIZE).get_page(page), counts


def feedback_get(user: Any, pk: int) -> Feedback:
    try:
        return _feedback_for(user).get(pk=pk)
    except Feedback.DoesNotExist as missing:
        raise Http404("No such feedback") from missing


# ---------------------------------------------------------------- languages


@dataclass(frozen=True)
class LanguageCoverage:
    code: str
    name: str  # in its own language
    translated: int
    messages: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down: 100 only when nothing is missing."""
        return 100 if self.messages == 0 else self.translated * 100 // self.messages


def _catalogue_counts(path: Path, modified: float) -> tuple[int, int]:
    """(translated, total) messages of one catalogue: an untranslated or fuzzy message counts as
    missing (Babel leaves both out of the compiled catalogue, so the page shows English)."""
    cached = _COUNTS.get(path)
    if cached is not None and cached[0] == modified:
        return cached[1]
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    messages = [m for m in catalogue if m.id]
    done = sum(
        1
        for m in messages
        if not m.fuzzy and all(m.string if isinstance(m.string, tuple) else [m.string])
    )
    _COUNTS[path] = (modified, (done, len(messages)))
    return done, len(messages)


_COUNTS: dict[Path, tuple[float, tuple[int, int]]] = {}


def language_coverage(locale_dir: Path | None = None) -> list[LanguageCoverage]:
    """How much of the interface each language of the platform has, from its catalogue (read once
    per process and again when the file changes). English is the source: it has every message of
    the catalogues; a language with no catalogue has none of them."""
    folder = locale_dir or Path(settings.LOCALE_PATHS[0])
    counts: dict[str, tuple[int, int]] = {}
    for code, _name in settings.LANGUAGES:
        path = folder / code / "LC_MESSAGES" / "django.po"
        if code != settings.LANGUAGE_CODE and path.exists():
            counts[code] = _catalogue_counts(path, path.stat().st_mtime)
    messages = max((total for _done, total in counts.values()), default=1)
    counts.setdefault(settings.LANGUAGE_CODE, (messages, messages))
    return [
        LanguageCoverage(
            code, get_language_info(code)["name_local"], *counts.get(code, (0, messages))
        )
        for code, _name in settings.LANGUAGES
    ]
