"""A link to a pair's published infographic, for the pages of other apps (scheme, plan): the
lower apps never import this one; their templates ask it."""

from typing import Any

from django import template

from ..selectors import published_for_pairs

register = template.Library()


@register.inclusion_tag("infographics/_pair_link.html")
def infographic_link(pair: Any) -> dict[str, Any]:
    """One query: the pair's published infographic, if any."""
    pk = published_for_pairs([pair.pk]).get(pair.pk) if pair is not None else None
    return {"infographic_pk": pk}


@register.inclusion_tag("infographics/_editor_link.html", takes_context=True)
def infographics_editor_link(context: Any, programme: Any) -> dict[str, Any]:
    """The editors' screen, for those who may edit the programme's infographics (no query)."""
    from ..permissions import can_edit_infographics

    request = context.get("request")
    user = getattr(request, "user", None)
    allowed = bool(user is not None and can_edit_infographics(user, programme.pk))
    return {"programme": programme, "allowed": allowed}
