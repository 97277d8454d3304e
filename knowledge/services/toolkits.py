"""Composing a toolkit: a theme's benchmark, advice and chosen practices, with an
introduction; feedback from the cities that pilot it. A final toolkit no longer changes."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.choices import BenchmarkStatus
from assessments.models import Benchmark, KeyFactor
from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from core.richtext import sanitise_html
from programmes.models import City, Programme

from ..choices import PracticeState, ToolkitState
from ..models import (
    GoodPractice,
    PracticeTheme,
    Toolkit,
    ToolkitFeedback,
    ToolkitPractice,
    ToolkitRecommendation,
)
from ..permissions import can_compose_toolkits, can_edit_toolkit, feedback_city_ids


def _latest_benchmark(theme: PracticeTheme) -> Benchmark | None:
    if theme.programme_theme_id is None:
        return None
    return (
        Benchmark.objects.filter(
            theme_id=theme.programme_theme_id, status=BenchmarkStatus.PUBLISHED
        )
        .order_by("-version")
        .first()
    )


def toolkit_create(*, actor: Any, programme: Programme, theme_code: str, title: str) -> Toolkit:
    """Start a toolkit on a theme, built on the theme's newest published benchmark."""
    theme = (
        PracticeTheme.objects.select_related("programme_theme__scheme")
        .filter(code=theme_code)
        .first()
    )
    errors = {}
    if theme is None:
        errors["theme"] = _("Choose a theme.")
    if not title.strip():
        errors["title"] = _("Give the toolkit a title.")
    elif len(title) > 200:
        errors["title"] = _("At most %(n)s characters.") % {"n": 200}
    if errors:
        raise DomainError(_("Please correct the marked fields."), field_errors=errors)
    assert theme is not None  # noqa: S101 - narrowed by the check above
    draft = Toolkit(programme=programme, theme=theme, title=title.strip())
    if not can_compose_toolkits(actor, programme.pk) or not can_edit_toolkit(actor, draft):
        raise DomainError(
            _("Only the theme's facilitator and the coordinators compose its toolkit."),
            field_errors={"theme": _("You do not facilitate this theme.")},
        )
    base = slugify(f"{programme.slug}-{title}")[:70] or programme.slug
    slug, number = base, 1
    while Toolkit.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    with transaction.atomic():
        draft.slug = slug
        draft.benchmark = _latest_benchmark(theme)
        draft.created_by = actor
        attribute_to(draft, actor, "create")
        draft.save()
    return draft


def _editable(actor: Any, toolkit: Toolkit) -> Toolkit:
    """The toolkit locked for an edit by someone who may compose it, unless it is final."""
    current = (
        Toolkit.objects.select_for_update(of=("self",))
        .select_related("theme__programme_theme__scheme", "benchmark")
        .get(pk=toolkit.pk)
    )
    if not can_edit_toolkit(actor, current):
        raise DomainError(_("Only the theme's facilitator and the coordinators compose it."))
    if current.state == ToolkitState.FINAL:
        raise DomainError(_("This toolkit is final: it no longer changes."))
    return current


def _touch(actor: Any, toolkit: Toolkit, reason: str) -> None:
    toolkit.revision += 1
    attribute_to(toolkit, actor, reason)
    toolkit.save()


def toolkit_update(
    *,
    actor: Any,
    toolkit: Toolkit,
    title: str,
    introduction: str,
    revision: int,
    language: str | None = None,
) -> Toolkit:
    if not title.strip():
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"title": _("Give the toolkit a title.")},
        )
    if len(introduction) > 20000:
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"introduction": _("At most %(n)s characters.") % {"n": 20000}},
        )
    with transaction.atomic():
        current = _editable(actor, toolkit)
        if current.revision != revision:
            raise ConcurrentEditError(
                _(
                    "Someone else changed this toolkit after you opened it. Your text is kept "
                    "below: compare it with the current version, then save again."
                )
            )
        current.title = title.strip()[:200]
        current.introduction = sanitise_html(introduction)
        if language in dict(settings.LANGUAGES):
            current.language = language
        _touch(actor, current, "edit")
    return current


def _key_factor(toolkit: Toolkit, code: str) -> KeyFactor | None:
    if not code:
        return None
    factor = toolkit.benchmark.key_factors.filter(code=code).first() if toolkit.benchmark else None
    if factor is None:
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"key_factor": _("Choose a key factor of this toolkit's benchmark.")},
        )
    return factor


def toolkit_recommendation_add(
    *, actor: Any, toolkit: Toolkit, text: str, key_factor_code: str = ""
) -> ToolkitRecommendation:
    if not text.strip() or len(text) > 4000:
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"text": _("Write the recommendation (at most 4,000 characters).")},
        )
    with transaction.atomic():
        current = _editable(actor, toolkit)
        factor = _key_factor(current, key_factor_code)
        order = current.recommendations.count()
        recommendation = ToolkitRecommendation(
            toolkit=current, key_factor=factor, text=text.strip(), order=order
        )
        attribute_to(recommendation, actor)
        recommendation.save()
        _touch(actor, current, "add recommendation")
    return recommendation


def _item_remove(actor: Any, toolkit: Toolkit, items: str, pk: int, gone: str) -> None:
    with transaction.atomic():
        current = _editable(actor, toolkit)
        item = getattr(current, items).filter(pk=pk).first()
        if item is None:
            raise DomainError(gone)
        attribute_to(item, actor, "remove")
        item.delete()
        _touch(actor, current, f"remove from {items}")


def toolkit_recommendation_remove(*, actor: Any, toolkit: Toolkit, pk: int) -> None:
    gone = _("This recommendation is no longer in the toolkit.")
    _item_remove(actor, toolkit, "recommendations", pk, gone)


def toolkit_practice_add(
    *, actor: Any, toolkit: Toolkit, reference: str, key_factor_code: str = "", note: str = ""
) -> ToolkitPractice:
    """Add a published practice, under the key factor it illustrates (or in general)."""
    practice = GoodPractice.objects.filter(
        reference=reference.strip(), state=PracticeState.PUBLISHED
    ).first()
    if practice is None:
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"practice": _("Choose a published practice.")},
        )
    with transaction.atomic():
        current = _editable(actor, toolkit)
        factor = _key_factor(current, key_factor_code)
        if current.entries.filter(practice=practice).exists():
            raise DomainError(
                _("Please correct the marked fields."),
                field_errors={"practice": _("This practice is already in the toolkit.")},
            )
        entry = ToolkitPractice(
            toolkit=current,
            practice=practice,
            key_factor=factor,
            note=note.strip()[:2000],
            order=current.entries.count(),
        )
        attribute_to(entry, actor)
        entry.save()
        _touch(actor, current, "add practice")
    return entry


def toolkit_practice_remove(*, actor: Any, toolkit: Toolkit, pk: int) -> None:
    _item_remove(actor, toolkit, "entries", pk, _("This practice is no longer in the toolkit."))


def toolkit_feedback_give(
    *, actor: Any, toolkit: Toolkit, city: City, text: str, key_factor_code: str = ""
) -> ToolkitFeedback:
    """An implementing city's officer records what piloting the toolkit taught them."""
    if toolkit.state != ToolkitState.PUBLISHED:
        raise DomainError(_("Feedback is given while the toolkit is piloted (published)."))
    if city.pk not in feedback_city_ids(actor, toolkit):
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"city": _("Officers of implementing cities give feedback.")},
        )
    if not text.strip() or len(text) > 4000:
        raise DomainError(
            _("Please correct the marked fields."),
            field_errors={"text": _("Write your feedback (at most 4,000 characters).")},
        )
    factor = _key_factor(toolkit, key_factor_code)
    feedback = ToolkitFeedback(
        toolkit=toolkit, city=city, key_factor=factor, text=text.strip(), author=actor
    )
    attribute_to(feedback, actor)
    feedback.save()
    return feedback
