"""Who may choose, word and publish an infographic: in-memory checks on the request's Viewer."""

from typing import Any

from django.utils.translation import gettext as _

from core.rules import Action, Decision
from programmes.access import viewer_for


def can_edit_infographics(user: Any, programme_id: int, scheme_id: int | None = None) -> Decision:
    """The scheme's facilitator and the programme's coordinators (core.rules EDIT_INFOGRAPHIC)."""
    viewer = viewer_for(user)
    if scheme_id is None:
        allowed = viewer.can(Action.EDIT_INFOGRAPHIC, programme_id=programme_id)
    else:
        allowed = viewer.reaches(
            Action.EDIT_INFOGRAPHIC, programme_id=programme_id, scheme_id=scheme_id
        )
    if allowed:
        return Decision(True)
    return Decision(
        False, _("Only the scheme's facilitator and the coordinators edit its infographics.")
    )
