"""Reads for the privacy pages: the requests and the people who left, within the viewer's
programmes (a person or request outside them is a 404)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from programmes.models import Membership, Person

from .choices import RequestStatus
from .models import PseudonymisationRequest
from .permissions import managed_programme_ids

PEOPLE_PAGE_SIZE = 50


def _people_in_reach(user: Any) -> QuerySet[Person]:
    programme_ids = managed_programme_ids(user)
    if programme_ids is None:
        return Person.objects.all()
    return Person.objects.filter(
        Exists(Membership.objects.filter(person=OuterRef("pk"), programme_id__in=programme_ids))
    )


def person_in_reach(user: Any, pk: int) -> Person:
    """A person of the viewer's programmes (any role, current or ended), or a 404."""
    person = _people_in_reach(user).select_related("user", "organisation").filter(pk=pk).first()
    if person is None:
        raise Http404("No such person")
    return person


def requests_for(user: Any) -> list[PseudonymisationRequest]:
    """The requests about people of the viewer's programmes, open ones first."""
    people = _people_in_reach(user)
    requests = (
        PseudonymisationRequest.objects.filter(person__in=people)
        .select_related("person", "requested_by", "confirmed_by", "cancelled_by")
        .order_by("-requested_at", "-pk")
    )
    listed = list(requests[:200])
    return sorted(listed, key=lambda r: r.status != RequestStatus.REQUESTED)


def request_in_reach(user: Any, pk: int) -> PseudonymisationRequest:
    request = (
        PseudonymisationRequest.objects.filter(person__in=_people_in_reach(user), pk=pk)
        .select_related("person")
        .first()
    )
    if request is None:
        raise Http404("No such request")
    return request


def people_who_left(user: Any, *, search: str = "", page: int | str = 1) -> Page[Person]:
    """People of the viewer's programmes with no current role, not pseudonymised and with no
    request waiting: those a coordinator may ask to pseudonymise."""
    current = Membership.objects.current().filter(person=OuterRef("pk"))
    asked = PseudonymisationRequest.objects.filter(
        person=OuterRef("pk"), status__in=[RequestStatus.REQUESTED, RequestStatus.DONE]
    )
    people = (
        _people_in_reach(user)
        .filter(~Exists(current), ~Exists(asked))
        .exclude(Q(user__is_superuser=True) | Q(user__is_staff=True))
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )
    if search:
        people = people.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return Paginator(people, PEOPLE_PAGE_SIZE).get_page(page)


def can_see_requests(user: Any) -> bool:
    programme_ids = managed_programme_ids(user)
    return programme_ids is None or bool(programme_ids)
