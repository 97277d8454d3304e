"""A table that scrolls inside its own region, never the page (WCAG 1.4.10 Reflow at 320 CSS px):

    {% load tables %}
    {% scrolltable %}<table><caption>Claims</caption>...</table>{% endscrolltable %}

renders the table inside `<div class="table-scroll" role="region" tabindex="0" aria-label=...>`:
focusable, so a keyboard user can scroll it, and named by the table's caption, so a screen
reader announces what the region holds (a caption may be dynamic or inside a loop, which is why
the name is read from the rendered caption rather than written twice).
"""

import re
from html import unescape

from django import template
from django.template.base import Parser, Token
from django.utils.html import format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)


def caption_text(table_html: str) -> str:
    """The text of the table's first caption, on one line (empty when it has none)."""
    match = _CAPTION.search(table_html)
    if match is None:
        return ""
    return " ".join(unescape(strip_tags(match.group(1))).split())


class ScrollTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        table = self.nodelist.render(context)
        name = caption_text(table)
        if not name:  # tests/core/test_table_regions.py keeps every table captioned
            return format_html('<div class="table-scroll" tabindex="0">{}</div>', mark_safe(table))  # noqa: S308
        return format_html(
            '<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>',
            name,
            mark_safe(table),  # noqa: S308 - the nodelist's own rendering, escaped as it rendered
        )


@register.tag
def scrolltable(parser: Parser, token: Token) -> ScrollTableNode:
    nodelist = parser.parse(("endscrolltable",))
    parser.delete_first_token()
    return ScrollTableNode(nodelist)
