"""A city's theme wishes: where it offers to mentor, where it wants to implement."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import attribute_to
from core.errors import ConcurrentEditError, DomainError
from programmes.models import City, Programme, Theme

from ..models import ThemeWishes
from ..permissions import can_edit_wishes


def theme_wishes_update(
    *,
    actor: Any,
    programme: Programme,
    city: City,
    expected_revision: int | None,
    mentor_themes: list[Theme],
    implement_themes: list[Theme],
    max_mentees: int,
) -> ThemeWishes:
    """Replace the city's wishes. `expected_revision` is None when the form showed no wishes."""
    decision = can_edit_wishes(actor, programme, city)
    if not decision:
        raise DomainError(decision.reason)
    if any(t.programme_id != programme.pk for t in [*mentor_themes, *implement_themes]):
        raise DomainError(_("Choose themes of this programme."))
    both = sorted({t.code for t in mentor_themes} & {t.code for t in implement_themes})
    if both:
        raise DomainError(
            _("A city cannot mentor and implement in the same theme (%(codes)s).")
            % {"codes": ", ".join(both)},
            field_errors={"implement_themes": _("Untick the themes you also offer to mentor in.")},
        )
    if not 1 <= max_mentees <= 5:
        raise DomainError(
            _("Choose between 1 and 5."), field_errors={"max_mentees": _("Choose between 1 and 5.")}
        )
    with transaction.atomic():
        wishes, created = ThemeWishes.objects.select_for_update(of=("self",)).get_or_create(
            programme=programme, city=city
        )
        if not created and wishes.revision != expected_revision:
            raise ConcurrentEditError(
                _(
                    "A colleague changed these wishes while you were editing them. Your choices "
                    "are still in the form below; check them and save again."
                )
            )
        wishes.max_mentees = max_mentees
        wishes.revision = wishes.revision + (0 if created else 1)
        attribute_to(wishes, actor, "wishes")
        wishes.save()
        wishes.mentor_themes.set(mentor_themes)
        wishes.implement_themes.set(implement_themes)
    return wishes
