"""Thin views: parse input, call one selector or service, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ConcurrentEditError, DomainError
from core.history import history_entries

from . import selectors, selectors_team
from .forms import (
    CityProfileForm,
    HandoverEndForm,
    InvitationForm,
    MembershipChangeForm,
    PeopleFilterForm,
)
from .handover import handover_items, handover_keys
from .models import City
from .permissions import can_manage_programme, can_view_history
from .services import city_update
from .services.people import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
    membership_change,
    user_deactivate,
)
from .services.team import HandoverResult, handover_successors, membership_hand_over


@login_required
def programme_overview(request: HttpRequest, slug: str) -> HttpResponse:
    overview = selectors.programme_overview(
        request.user, slug, selectors.SchemeCityFilters.from_query(request.GET)
    )
    return render(
        request,
        "programmes/overview.html",
        {
            "overview": overview,
            "programme": overview.programme,
            "visible_city_ids": overview.visible_city_ids,
            "can_history": can_view_history(request.user, overview.programme),
            "map_size": (selectors.MAP_WIDTH, selectors.MAP_HEIGHT),
        },
    )


@login_required
def scheme_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    page = selectors.scheme_page(request.user, slug, code)
    scheme = page.scheme
    return render(
        request,
        "programmes/scheme.html",
        {
            "page": page,
            "scheme": scheme,
            "programme": scheme.programme,
            "visible_city_ids": page.visible_city_ids,
            "can_history": can_view_history(request.user, scheme.programme),
        },
    )


@login_required
def city_detail(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    page = selectors.city_page(request.user, slug, city)
    return render(
        request,
        "programmes/city.html",
        {
            "page": page,
            "programme": page.programme,
            "visible_city_ids": page.visible_city_ids,
            "can_history": can_view_history(request.user, page.programme),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def city_edit(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    page = selectors.city_page(request.user, slug, city)
    if not page.can_edit:
        raise PermissionDenied(_("Only the city's officers and the coordinators may edit it."))
    current: City = page.city
    if request.method == "POST":
        form = CityProfileForm(request.POST, instance=City(pk=current.pk))
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                city_update(
                    actor=request.user,
                    programme=page.programme,
                    city=current,
                    expected_version=version,
                    **data,
                )
            except ConcurrentEditError as error:
                saved = selectors.city_get(request.user, slug, city)  # as saved now
                retry = request.POST.copy()
                retry["version"] = str(saved.version)
                form = CityProfileForm(retry, instance=City(pk=current.pk))
                form.is_valid()
                form.add_error(None, error.message)
                return render(
                    request,
                    "programmes/city_edit.html",
                    {"page": page, "form": form, "programme": page.programme, "saved": saved},
                    status=409,
                )
            except DomainError as error:
                for field, message in error.field_errors.items():
                    form.add_error(field, message)
                if not error.field_errors:
                    form.add_error(None, error.message)
            else:
                messages.success(request, _("The city profile is saved."))
                return redirect("programmes:city", slug=slug, city=city)
    else:
        form = CityProfileForm(instance=current, initial={"version": current.version})
    return render(
        request,
        "programmes/city_edit.html",
        {"page": page, "form": form, "programme": page.programme},
    )


@login_required
def people(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    form = PeopleFilterForm(request.GET or None)
    search, role = "", ""
    if form.is_bound and form.is_valid():
        search, role = form.cleaned_data["q"], form.cleaned_data["role"]
    page_number = request.GET.get("page", "1")
    page = selectors.people_for_user(
        request.user,
        programme,
        search=search,
        role=role,
        page=page_number if page_number.isdigit() else 1,
    )
    return render(
        request,
        "programmes/people.html",
        {
            "programme": programme,
            "page": page,
            "form": form,
            "can_history": can_view_history(request.user, programme),
            "can_manage_people": can_manage_programme(request.user, programme.pk),
            "invitations": selectors.invitations_pending(request.user, programme),
            "proposals": selectors_team.proposals_open(request.user, programme),
            "can_read_records": selectors_team.can_read_records(request.user, programme),
            "proposable_cities": selectors_team.proposable_cities(request.user, programme),
            "own_proposals": selectors_team.proposals_of_own_cities(request.user, programme),
        },
    )


@login_required
def history(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    if not can_view_history(request.user, programme):
        raise Http404("No history here")
    instance = selectors.audited_object_get(request.user, programme, kind, pk)
    return render(
        request,
        "programmes/history.html",
        {
            "programme": programme,
            "object": instance,
            "kind": kind,
            "entries": history_entries(instance),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_new(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    if not can_manage_programme(request.user, programme.pk):
        raise Http404("No people management here")
    form = InvitationForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = invitation_create(
                actor=request.user, programme=programme, **form.cleaned_data
            )
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The invitation is sent to %s.") % invitation.email)
            return redirect("programmes:people", slug=slug)
    return render(request, "programmes/invitation_new.html", {"programme": programme, "form": form})


def _errors_to_form(form: Any, error: DomainError) -> None:
    for field, message in error.field_errors.items():
        form.add_error(field if field in form.fields else None, message)
    if not error.field_errors:
        form.add_error(None, error.message)


@login_required
@require_POST
def invitation_resend_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    invitation = selectors.invitation_get(request.user, programme, pk)
    try:
        invitation_resend(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("A new link is sent to %s; the old one no longer works.") % invitation.email
        )
    return redirect("programmes:people", slug=slug)


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    invitation = selectors.invitation_get(request.user, programme, pk)
    try:
        invitation_revoke(actor=request.user, invitation=invitation)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation to %s is withdrawn.") % invitation.email)
    return redirect("programmes:people", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def membership_end_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    membership = selectors.membership_to_manage(request.user, programme, pk)
    successors = handover_successors(membership)
    items = handover_items(membership)
    form = HandoverEndForm(
        request.POST or None,
        successors=successors,
        shown_keys=handover_keys(items),
        initial={"ended_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = membership_hand_over(
                actor=request.user,
                membership=membership,
                successor=data.get("successor"),
                ended_on=data["ended_on"],
                reason=data["reason"],
                expected_keys=form.handover_keys(),
            )
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _handover_done(result))
            return redirect("programmes:people", slug=slug)
    return render(
        request,
        "programmes/membership_end.html",
        {
            "programme": programme,
            "membership": membership,
            "form": form,
            "successors": successors,
            "handover_items": items,
        },
    )


def _handover_done(result: HandoverResult) -> str:
    leaver = result.membership.person.full_name
    if result.successor is not None and result.handed_over:
        count = len(result.handed_over)
        return ngettext(
            "The role has ended; %(count)d event still ahead is handed over to %(name)s.",
            "The role has ended; %(count)d events still ahead are handed over to %(name)s.",
            count,
        ) % {"count": count, "name": result.successor.full_name}
    if result.kept:
        count = len(result.kept)
        return ngettext(
            "The role has ended. No one took over: %(name)s still takes part in %(count)d "
            "event ahead.",
            "The role has ended. No one took over: %(name)s still takes part in %(count)d "
            "events ahead.",
            count,
        ) % {"count": count, "name": leaver}
    return _("The role has ended.")


@login_required
@require_POST
def person_deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    person = selectors.person_to_manage(request.user, programme, pk)
    try:
        user_deactivate(actor=request.user, programme=programme, person=person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%s can no longer sign in; their records stay.") % person.full_name
        )
    return redirect("programmes:people", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def membership_change_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    membership = selectors.membership_to_manage(request.user, programme, pk)
    form = MembershipChangeForm(
        request.POST or None,
        programme=programme,
        initial={"role": membership.role, "city": membership.city_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership_change(actor=request.user, membership=membership, **form.cleaned_data)
        except DomainError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("The role is changed from today."))
            return redirect("programmes:people", slug=slug)
    return render(
        request,
        "programmes/membership_change.html",
        {"programme": programme, "membership": membership, "form": form},
    )
