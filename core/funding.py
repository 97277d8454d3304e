"""The EU funding statement of the grant's visibility rule: one text for every place that must
carry it (each page of a technical report, each infographic's credits), so they never drift."""

from django.utils.translation import gettext as _


def funding_statement() -> str:
    """The statement in the active language (translated at call time, not at import)."""
    return _("Co-funded by the European Union's Asylum, Migration and Integration Fund")
