import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]")


def validate_plain_text(value: str) -> None:
    """Plain-text fields take no HTML: it would never be rendered, and is usually pasted by mistake
    or an attack. The message says what to change, and the form keeps what was typed."""
    if value and _MARKUP.search(value):
        raise ValidationError(
            _("Use plain text only: remove the HTML tags (text between < and >)."),
            code="markup",
        )
