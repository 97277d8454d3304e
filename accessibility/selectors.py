"""Reading the accessibility feedback: the platform's coordinators (of any programme) read it
all; anyone else gets a 404, as for any record outside their reach."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from core.roles import Role
from programmes.models import Membership, Person

from .models import Feedback, FeedbackStatus

PAGE_SIZE = 25


def coordinators() -> list[Person]:
    """Everyone who coordinates a programme today: they answer the platform's feedback."""
    memberships = Membership.objects.current().filter(role=Role.COORDINATOR)
    people = {m.person.pk: m.person for m in memberships.select_related("person")}
    return list(people.values())


def is_coordinator(user: Any) -> bool:
    """A coordinator of any programme today, or a platform administrator."""
    if not user.is_authenticated:
        return False
    return bool(
        user.is_superuser
        or Membership.objects.current().filter(role=Role.COORDINATOR, person__user=user).exists()
    )


def _feedback_for(user: Any) -> QuerySet[Feedback]:
    if not is_coordinator(user):
        raise Http404("No feedback here")
    return Feedback.objects.select_related("answered_by")


def feedback_page(user: Any, *, status: str = "", page: Any = 1) -> tuple[Page, dict[str, int]]:
    """One page of the feedback, newest first (of one status if asked), and the count of each
    status."""
    rows = _feedback_for(user)
    counts = {value: rows.filter(status=value).count() for value in FeedbackStatus.values}
    if status in FeedbackStatus.values:
        rows = rows.filter(status=status)
    return Paginator(rows, PAGE_SIZE).get_page(page), counts


def feedback_get(user: Any, pk: int) -> Feedback:
    try:
        return _feedback_for(user).get(pk=pk)
    except Feedback.DoesNotExist as missing:
        raise Http404("No such feedback") from missing
