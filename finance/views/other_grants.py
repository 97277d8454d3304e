"""Hours on other grants: a person's own declarations (from their timesheet), a person's as their
city's finance contact or a finance officer sees them (from the staff-cost rates), one
declaration's change, removal and evidence. Read like a salary; outside that scope, a 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ConcurrentEditError, DomainError
from core.files import private_file_response
from core.forms import show_refusal
from core.history import history_entries
from programmes.models import Person, Programme
from programmes.selectors import programme_get

from .. import selectors
from ..forms import OtherGrantForm
from ..models import OtherGrantHours
from ..permissions import person_of
from ..services.hours_cap import hours_in_year, productive_hours
from ..services.other_grants import (
    may_declare_for,
    other_grant_change,
    other_grant_declare,
    other_grant_remove,
)


def _years(programme: Programme) -> list[int]:
    return list(range(programme.start_date.year, programme.end_date.year + 1))


def _list_url(request: HttpRequest, programme: Programme, person: Person) -> str:
    if person.user_id == request.user.pk:
        return reverse("finance:other_grants", args=[programme.slug])
    return reverse("finance:person_other_grants", args=[programme.slug, person.pk])


def _list_page(
    request: HttpRequest,
    programme: Programme,
    person: Person,
    *,
    form: Any = None,
    status: int = 200,
) -> HttpResponse:
    may_declare = may_declare_for(request.user, programme, person)
    years = _years(programme)
    return render(
        request,
        "finance/other_grants.html",
        {
            "programme": programme,
            "tab": "finance",
            "person": person,
            "own": person.user_id == request.user.pk,
            "declarations": selectors.other_grant_hours_of(person),
            "years": [
                (y, hours_in_year(person, y), productive_hours(person, programme, y)) for y in years
            ],
            "form": form or (OtherGrantForm(years=years) if may_declare else None),
            "action": _list_url(request, programme, person),
        },
        status=status,
    )


def _declare(request: HttpRequest, programme: Programme, person: Person) -> HttpResponse:
    if request.method != "POST":
        return _list_page(request, programme, person)
    form = OtherGrantForm(request.POST, request.FILES, years=_years(programme))
    if form.is_valid():
        try:
            other_grant_declare(
                actor=request.user,
                programme=programme,
                person=person,
                data=form.data_input(),
                evidence=form.cleaned_data["evidence"],
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The hours on the other grant are declared."))
            return redirect(_list_url(request, programme, person))
    return _list_page(request, programme, person, form=form, status=400)


@login_required
def own_other_grants(request: HttpRequest, slug: str) -> HttpResponse:
    """The user's own declarations, with the form to add one."""
    programme = programme_get(request.user, slug)
    person = person_of(request.user)
    if person is None:
        raise Http404("Only people of the programme declare hours")
    return _declare(
        request, programme, selectors.salary_person_get(request.user, programme, person.pk)
    )


@login_required
def person_other_grants(request: HttpRequest, slug: str, person: int) -> HttpResponse:
    """A person's declarations, for their city's finance contact and the finance officers (and
    read by the auditors)."""
    programme = programme_get(request.user, slug)
    return _declare(
        request, programme, selectors.salary_person_get(request.user, programme, person)
    )


def _declaration_page(
    request: HttpRequest,
    programme: Programme,
    declaration: OtherGrantHours,
    *,
    form: Any = None,
    status: int = 200,
) -> HttpResponse:
    may_change = may_declare_for(request.user, programme, declaration.person)
    return render(
        request,
        "finance/other_grant.html",
        {
            "programme": programme,
            "tab": "finance",
            "declaration": declaration,
            "form": form
            or (
                OtherGrantForm.for_declaration(declaration, _years(programme))
                if may_change
                else None
            ),
            "may_change": may_change,
            "back": _list_url(request, programme, declaration.person),
            "history": history_entries(declaration),
        },
        status=status,
    )


@login_required
def other_grant_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """GET shows a declaration with its trail; POST changes it."""
    programme = programme_get(request.user, slug)
    declaration = selectors.other_grant_hours_get(request.user, programme, pk)
    if request.method != "POST":
        return _declaration_page(request, programme, declaration)
    form = OtherGrantForm(request.POST, request.FILES, years=_years(programme), change=True)
    status = 400
    if form.is_valid():
        try:
            other_grant_change(
                actor=request.user,
                programme=programme,
                declaration=declaration,
                data=form.data_input(),
                evidence=form.cleaned_data["evidence"] or None,
                revision=form.cleaned_data["revision"] or 0,
            )
        except DomainError as error:
            show_refusal(form, error)
            status = 409 if isinstance(error, ConcurrentEditError) else 400
        else:
            messages.success(request, _("The declaration is changed."))
            return redirect(_list_url(request, programme, declaration.person))
    return _declaration_page(request, programme, declaration, form=form, status=status)


@login_required
@require_POST
def other_grant_remove_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = programme_get(request.user, slug)
    declaration = selectors.other_grant_hours_get(request.user, programme, pk)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = 0
    try:
        other_grant_remove(
            actor=request.user, programme=programme, declaration=declaration, revision=revision
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("finance:other_grant", slug, pk)
    messages.success(request, _("The declaration is removed."))
    return redirect(_list_url(request, programme, declaration.person))


@login_required
def other_grant_evidence(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    programme = programme_get(request.user, slug)
    declaration = selectors.other_grant_hours_get(request.user, programme, pk)
    if not declaration.evidence:
        raise Http404("No evidence attached")
    return private_file_response(declaration.evidence, declaration.evidence_name)
