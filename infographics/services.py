"""Writes of infographics: start one from the records, edit its selection and wording, publish a
frozen, numbered version. Each checks the actor, runs in one transaction and is audited.

Files are rendered synchronously at publication: the five files take well under a second
(Typst compiles in-process), publishing is rare, and the public page needs them at once; the
queue would add a state to watch for no gain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from programmes.models import MentoringPair, Programme, Theme

from .choices import FileFormat, ItemKind
from .models import Infographic, InfographicItem, InfographicVersion
from .permissions import can_edit_infographics
from .records import Candidate, Records, generated_selection, records_for, shorten
from .rendering import EXTENSIONS, render, render_all
from .snapshot import build_snapshot


def _check(actor: Any, programme: Programme, theme: Theme) -> None:
    decision = can_edit_infographics(actor, programme.pk, theme.scheme.pk)
    if not decision:
        raise DomainError(decision.reason)


def _records(actor: Any, infographic: Infographic) -> Records:
    return records_for(actor, theme=infographic.theme, pair=infographic.pair)


def infographic_start(
    *,
    actor: Any,
    programme: Programme,
    theme: Theme,
    pair: MentoringPair | None,
    language: str,
) -> Infographic:
    """A pair's (or the scheme's) infographic in a language, its items the generated
    selection; the existing one when it was started already."""
    _check(actor, programme, theme)
    if theme.programme_id != programme.pk or (
        pair is not None and pair.scheme.theme_id != theme.pk
    ):
        raise DomainError(_("This pair is not in this scheme."))
    if language not in dict(settings.LANGUAGES):
        raise DomainError(
            _("Choose a language."), field_errors={"language": _("Choose a language.")}
        )
    existing = Infographic.objects.filter(theme=theme, pair=pair, language=language).first()
    if existing is not None:
        return existing
    records = records_for(actor, theme=theme, pair=pair)
    with translation.override(language):
        if pair is not None:
            title = _("%(mentor)s and %(implementing)s: city-to-city learning") % {
                "mentor": pair.mentor.city.name,
                "implementing": pair.implementing.city.name,
            }
        else:
            title = _("Scheme %(code)s: city-to-city learning") % {"code": theme.code}
    try:
        with transaction.atomic():
            infographic = Infographic(
                programme=programme,
                theme=theme,
                pair=pair,
                language=language,
                title=title[:120],
                created_by=actor,
            )
            attribute_to(infographic, actor, "started from the records")
            infographic.save()
            for order, candidate in enumerate(generated_selection(records)):
                _item_create(actor, infographic, candidate, order, shorten(candidate.text))
    except IntegrityError:  # started by someone else at the same moment
        return Infographic.objects.get(theme=theme, pair=pair, language=language)
    return infographic


def _item_create(
    actor: Any, infographic: Infographic, candidate: Candidate, order: int, text: str
) -> InfographicItem:
    item = InfographicItem(
        infographic=infographic,
        kind=candidate.kind,
        text=text,
        finding=candidate.finding,
        plan_action=candidate.plan_action,
        order=order,
    )
    attribute_to(item, actor)
    item.save()
    return item


@dataclass
class ItemInput:
    """One row of the editor: an existing item (pk) or a new one (source: a candidate's key)."""

    text: str
    order: int
    shown: bool
    pk: int | None = None
    source: str = ""


def infographic_save(
    *,
    actor: Any,
    infographic: Infographic,
    revision: int,
    title: str,
    items: list[ItemInput],
) -> Infographic:
    """Save the title and the items: their wording, order and whether each is shown; a new
    row adds a finding or plan action of the records (its text shortened when left blank)."""
    _check(actor, infographic.programme, infographic.theme)
    title = title.strip()
    if not title:
        raise DomainError(
            _("Give the infographic a title."), field_errors={"title": _("Required.")}
        )
    records = _records(actor, infographic)
    with transaction.atomic():
        locked = Infographic.objects.select_for_update().get(pk=infographic.pk)
        if locked.revision != revision:
            raise ConcurrentEditError(_("Someone else saved this infographic after you opened it."))
        existing = {item.pk: item for item in locked.items.all()}
        for row in items:
            text = " ".join(row.text.split())
            if row.pk is not None:
                item = existing.get(row.pk)
                if item is None:
                    raise DomainError(_("This item is not part of the infographic."))
                if not text:
                    raise DomainError(_("An item needs its text; untick it to hide it."))
                if (item.text, item.order, item.shown) != (text[:240], row.order, row.shown):
                    item.text, item.order, item.shown = text[:240], row.order, row.shown
                    attribute_to(item, actor)
                    item.save()
            elif row.source:
                candidate = records.candidate(row.source)
                if candidate is None:
                    raise DomainError(_("Choose a finding or a plan action of this pair."))
                _item_create(
                    actor, locked, candidate, row.order, text[:240] or shorten(candidate.text)
                )
        locked.title = title
        locked.revision += 1
        attribute_to(locked, actor, "selection and wording edited")
        locked.save()
    return locked


def _shown_items(infographic: Infographic) -> list[tuple[str, str, str]]:
    items = infographic.items.filter(shown=True).order_by("order", "pk")
    rows = []
    for kind in ItemKind:
        for item in items:
            if item.kind == kind:
                source = (
                    f"finding-{item.finding_id}"
                    if item.finding_id
                    else f"action-{item.plan_action_id}"
                )
                rows.append((str(kind), item.text, source))
    return rows


def infographic_snapshot(*, actor: Any, infographic: Infographic) -> dict[str, Any]:
    """What the infographic shows now: the records as they stand and the items as worded."""
    return build_snapshot(infographic, _records(actor, infographic), _shown_items(infographic))


def infographic_preview(*, actor: Any, infographic: Infographic) -> bytes:
    """The draft as the web SVG, rendered from a snapshot of now (nothing stored)."""
    _check(actor, infographic.programme, infographic.theme)
    return render(infographic_snapshot(actor=actor, infographic=infographic), FileFormat.SVG)


def infographic_publish(*, actor: Any, infographic: Infographic) -> InfographicVersion:
    """Freeze the next numbered version: its snapshot and its five files never change again."""
    _check(actor, infographic.programme, infographic.theme)
    snapshot = infographic_snapshot(actor=actor, infographic=infographic)
    if not snapshot["sections"]:
        raise DomainError(_("Show at least one strength, challenge or future action."))
    files = render_all(snapshot)
    with transaction.atomic():
        Infographic.objects.select_for_update().get(pk=infographic.pk)
        last = infographic.versions.order_by("-number").values_list("number", flat=True).first()
        version = InfographicVersion(
            infographic=infographic,
            number=(last or 0) + 1,
            snapshot=snapshot,
            published_by=actor,
            published_at=timezone.now(),
        )
        for fmt, content in files.items():
            name = f"infographic-{infographic.pk}-{fmt}.{EXTENSIONS[FileFormat(fmt)]}"
            version.file_of(fmt).save(name, ContentFile(content), save=False)
        attribute_to(version, actor, "published")
        version.save()
    return version
