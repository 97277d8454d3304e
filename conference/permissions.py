"""Who may do what with the conference (the roles come from core.rules): the coordinators
organise it and, with the auditors, read the delegates' data; a city's officers register their
city's delegation. Every predicate answers a Decision with its reason."""

from typing import Any

from django.utils.translation import gettext as _

from core.rules import Action, Decision
from programmes.access import viewer_for

from .models import Conference


def _programme_id(conference: Conference) -> int:
    return conference.event.programme_id


def can_organise(user: Any, conference: Conference) -> Decision:
    if viewer_for(user).can(Action.ORGANISE_CONFERENCE, programme_id=_programme_id(conference)):
        return Decision(True)
    return Decision(False, _("Only the programme's coordinators organise the conference."))


def can_view_registrations(user: Any, conference: Conference) -> Decision:
    if viewer_for(user).can(Action.VIEW_REGISTRATIONS, programme_id=_programme_id(conference)):
        return Decision(True)
    return Decision(False, _("Only the organisers and the auditors see who registered."))


def can_register_delegation(user: Any, conference: Conference, city: Any) -> Decision:
    programme_id = _programme_id(conference)
    member = city.scheme_memberships.filter(programme_id=programme_id).exists()
    if member and viewer_for(user).reaches(
        Action.REGISTER_DELEGATION, programme_id=programme_id, city_id=city.pk
    ):
        return Decision(True)
    return Decision(
        False,
        _("Only the programme's coordinators and the city's officers register its delegation."),
    )
