"""Links from the knowledge pages to the published videos showing their practices. A template
tag, so that `knowledge` (a lower layer) never imports the videos app: one query per page."""

from typing import Any

from django import template

from ..selectors import public_videos_for_practices

register = template.Library()


@register.inclusion_tag("videos/_links.html")
def practice_videos(practice: Any) -> dict[str, Any]:
    return {"videos": public_videos_for_practices([practice.pk])}


@register.inclusion_tag("videos/_links.html")
def toolkit_videos(toolkit: Any) -> dict[str, Any]:
    """The videos of the practices the toolkit presents."""
    from knowledge.models import ToolkitPractice

    ids = list(
        ToolkitPractice.objects.filter(toolkit=toolkit).values_list("practice_id", flat=True)
    )
    return {"videos": public_videos_for_practices(ids)}
