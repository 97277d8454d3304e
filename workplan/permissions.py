"""Who may read and change a programme's work plan; in-memory checks on the request's Viewer."""

from typing import Any

from django.utils.translation import gettext as _

from core.rules import Action, Decision
from programmes.access import viewer_for


def can_view_workplan(user: Any, programme_id: int) -> bool:
    return viewer_for(user).can(Action.VIEW_WORKPLAN, programme_id=programme_id)


def can_edit_workplan(user: Any, programme_id: int) -> Decision:
    if viewer_for(user).can(Action.EDIT_WORKPLAN, programme_id=programme_id):
        return Decision(True)
    return Decision(False, _("Only the programme's coordinators change the work plan."))


def can_record_deliverable(user: Any, programme_id: int) -> Decision:
    if viewer_for(user).can(Action.RECORD_DELIVERABLE, programme_id=programme_id):
        return Decision(True)
    return Decision(
        False, _("Only the programme's coordinators record what is submitted to the funder.")
    )


def can_view_history(user: Any, programme_id: int) -> bool:
    """The change history: coordinators and auditors (core.rules VIEW_HISTORY)."""
    return viewer_for(user).can(Action.VIEW_HISTORY, programme_id=programme_id)
