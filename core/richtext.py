"""Rich text that users write (a practice's description, a toolkit's introduction).

It is stored sanitised to a short allow-list, so a stored script, event handler or
`javascript:` link can never reach a page: templates may then mark it safe.
"""

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
_BLANK = re.compile(r"\s+")


def sanitise_html(text: str) -> str:
    """The text with only the allowed tags and attributes; links get rel="noopener"."""
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def html_to_text(text: str) -> str:
    """Plain text of (sanitised or not) HTML: for the search index and the PDF."""
    spaced = re.sub(r"</(p|li|h3|h4|blockquote)>|<br\s*/?>", "\n", text or "")
    return html.unescape(nh3.clean(spaced, tags=set())).strip()


def one_line(text: str) -> str:
    return _BLANK.sub(" ", text).strip()
