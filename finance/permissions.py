"""Who may do what with the grant's money and hours (roles from core.rules).

A person keeps their own timesheets and claims. Their supervisor approves their months: their
city's administrative approver, or a coordinator when they have no city. Salaries are read by
the person, the programme's finance officers and auditors, and their city's administrative
approver (the city's finance contact).
"""

from typing import Any

from core.roles import ApprovalLevel, Role
from core.rules import Action
from programmes.access import viewer_for
from programmes.models import Membership, Person, Programme


def person_of(user: Any) -> Person | None:
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def city_ids_of(person: Person, programme: Programme) -> set[int]:
    return set(
        Membership.objects.current()
        .filter(person=person, programme=programme, city__isnull=False)
        .values_list("city_id", flat=True)
    )


def supervised_city_ids(user: Any, programme: Programme) -> set[int]:
    """The cities whose administrative approver (finance contact) the user is."""
    return {
        g.city_id
        for g in viewer_for(user).grants
        if g.role == Role.CITY_APPROVER
        and g.programme_id == programme.pk
        and g.city_id is not None
        and g.approval_level == ApprovalLevel.ADMINISTRATIVE
    }


def supervises_programme_staff(user: Any, programme: Programme) -> bool:
    """Whether the user approves the months of the programme's staff without a city."""
    reach = viewer_for(user).reach(Action.APPROVE_TIMESHEET, programme_id=programme.pk)
    return reach.everything or programme.pk in reach.programme_ids


def _administrative_approver_of(user: Any, programme: Programme, city_ids: set[int]) -> bool:
    return bool(supervised_city_ids(user, programme) & city_ids)


def can_manage_finance(user: Any, programme: Programme) -> bool:
    return viewer_for(user).can(Action.MANAGE_FINANCE, programme_id=programme.pk)


def can_view_finance(user: Any, programme: Programme) -> bool:
    return viewer_for(user).can(Action.VIEW_FINANCE, programme_id=programme.pk)


def can_view_salary(user: Any, programme: Programme, person: Person) -> bool:
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        return True
    viewer = viewer_for(user)
    reach = viewer.reach(Action.VIEW_SALARY, programme_id=programme.pk)
    if reach.everything or programme.pk in reach.programme_ids:
        return True
    return _administrative_approver_of(user, programme, city_ids_of(person, programme))


def can_set_salary(user: Any, programme: Programme, person: Person) -> bool:
    """The finance officers, or the person's city finance contact (never for their own)."""
    if can_manage_finance(user, programme):
        return True
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        return False
    return _administrative_approver_of(user, programme, city_ids_of(person, programme))


def can_approve_timesheet(user: Any, programme: Programme, person: Person) -> bool:
    if person.user_id is not None and person.user_id == getattr(user, "pk", None):
        return False  # nobody approves their own hours
    cities = city_ids_of(person, programme)
    if cities:
        return viewer_for(user).is_platform_admin or _administrative_approver_of(
            user, programme, cities
        )
    return supervises_programme_staff(user, programme)


def can_reopen_timesheet(user: Any, programme: Programme, person: Person) -> bool:
    """The person's supervisor or a finance officer opens a signed month for a correction."""
    return can_approve_timesheet(user, programme, person) or can_manage_finance(user, programme)


def can_view_city_money(user: Any, programme: Programme, city_id: int) -> bool:
    """A city's co-financing euros (its people's pay, summed): the programme-wide roles and the
    city's finance contact."""
    return can_view_finance(user, programme) or city_id in supervised_city_ids(user, programme)


def salary_settable_ids(user: Any, programme: Programme, people: list[Person]) -> set[int]:
    """Of these people, those whose staff-cost rate the user may set (one query at most):
    all for a finance officer; a finance contact's city people but never themselves."""
    if can_manage_finance(user, programme):
        return {p.pk for p in people}
    cities = supervised_city_ids(user, programme)
    if not cities:
        return set()
    in_cities = set(
        Membership.objects.current()
        .filter(programme=programme, city_id__in=cities, person__in=people)
        .values_list("person_id", flat=True)
    )
    return {p.pk for p in people if p.pk in in_cities and p.user_id != getattr(user, "pk", None)}
