"""Who reads and writes a programme's technical reports; in-memory checks on the request's
Viewer (core.rules VIEW_REPORTS, WRITE_REPORTS)."""

from typing import Any

from django.utils.translation import gettext as _

from core.rules import Action, Decision
from programmes.access import viewer_for


def can_view_reports(user: Any, programme_id: int) -> bool:
    """The coordinators and the auditors; for anyone else the reports do not exist (404)."""
    return viewer_for(user).can(Action.VIEW_REPORTS, programme_id=programme_id)


def can_write_reports(user: Any, programme_id: int) -> Decision:
    if viewer_for(user).can(Action.WRITE_REPORTS, programme_id=programme_id):
        return Decision(True)
    return Decision(False, _("Only the programme's coordinators write the reports to the funder."))
