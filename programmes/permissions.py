"""Permission predicates over programme objects; each returns a Decision with a readable reason."""

from typing import Any

from django.utils.translation import gettext as _

from core.errors import DomainError
from core.roles import Role
from core.rules import Action, Decision

from .access import viewer_for
from .models import City, Programme
from .selectors import city_in_reach


def can_edit_city(user: Any, programme: Programme, city: City) -> Decision:
    if city_in_reach(user, programme, city, Action.EDIT_CITY):
        return Decision(True)
    return Decision(False, _("Only the city's officers and the coordinators may edit it."))


def can_view_history(user: Any, programme: Programme) -> Decision:
    if viewer_for(user).can(Action.VIEW_HISTORY, programme_id=programme.pk):
        return Decision(True)
    return Decision(False, _("Only coordinators and auditors see the change history."))


def can_manage_programme(user: Any, programme_id: int) -> bool:
    """The coordinators' work on a programme: schemes and pairs, matchings, events."""
    return viewer_for(user).can(Action.MANAGE_SCHEMES, programme_id=programme_id)


def require_coordinator(user: Any, programme_id: int, refusal: str) -> None:
    """Refuse, with `refusal` (what the person tried, for them to read), unless a coordinator."""
    if not can_manage_programme(user, programme_id):
        raise DomainError(refusal)


def can_propose_team(user: Any, programme: Programme, city: City) -> Decision:
    """A city's officers propose people for their own city's team, if the programme lets them.
    In-memory check on the request's Viewer (no query)."""
    holds = any(
        g.role == Role.CITY_OFFICER and g.programme_id == programme.pk and g.city_id == city.pk
        for g in viewer_for(user).grants
    )
    if not holds:
        return Decision(False, _("Only the city's officers propose people for its team."))
    if not programme.officers_propose_team:
        return Decision(
            False, _("In this programme, the coordinators invite the cities' teams themselves.")
        )
    return Decision(True)
