"""Who may act on a person's data: the person themself (their export); the coordinators of a
programme in which the person holds or held a role, and platform admins (an export for a
subject access request, a pseudonymisation request or its confirmation)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from core.rules import Action, Decision
from programmes.access import viewer_for
from programmes.models import Membership, Person

from .choices import RequestStatus
from .models import PseudonymisationRequest


def managed_programme_ids(user: Any) -> set[int] | None:
    """The programmes whose people `user` manages (None: every programme, a platform admin)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    reach = viewer_for(user).reach(Action.MANAGE_SCHEMES)
    return None if reach.everything else set(reach.programme_ids)


def manages_person(user: Any, person: Person) -> bool:
    """A coordinator of a programme in which `person` holds or held a role (a platform admin:
    anyone)."""
    programme_ids = managed_programme_ids(user)
    if programme_ids is None:
        return True
    return Membership.objects.filter(person=person, programme_id__in=programme_ids).exists()


def can_export_person(user: Any, person: Person) -> Decision:
    if getattr(user, "is_authenticated", False) and person.user_id == user.pk:
        return Decision(True)
    if manages_person(user, person):
        return Decision(True)
    return Decision(False, _("Only the person and their programme's coordinators export it."))


def can_pseudonymise(user: Any, person: Person) -> Decision:
    """Whether `user` may ask for (or confirm) the pseudonymisation of `person` now."""
    if not manages_person(user, person):
        return Decision(
            False,
            _("Only the coordinators of the person's programmes and platform admins do this."),
        )
    if person.user_id is not None and person.user_id == user.pk:
        return Decision(False, _("Nobody pseudonymises themself."))
    if Membership.objects.current().filter(person=person).exists():
        return Decision(
            False,
            _("%(name)s still holds a role: end their roles first.") % {"name": person.full_name},
        )
    account = person.user
    if account is not None and (account.is_superuser or account.is_staff):
        return Decision(
            False, _("This person administers the platform: remove their admin rights first.")
        )
    if PseudonymisationRequest.objects.filter(person=person, status=RequestStatus.DONE).exists():
        return Decision(False, _("This person has been pseudonymised already."))
    return Decision(True)
