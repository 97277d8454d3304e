"""A city's team proposals, the coordinators' answer and rule, and the people records (thin
views)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import ConcurrentEditError, DomainError
from core.forms import show_refusal

from . import selectors, selectors_team
from .forms import InvitationStateFilterForm, ProposalDeclineForm, TeamProposalForm, TeamRulesForm
from .permissions import can_manage_programme, can_propose_team
from .services.team import (
    programme_team_rules_update,
    team_proposal_confirm,
    team_proposal_create,
    team_proposal_decline,
)


def _page_number(request: HttpRequest) -> int | str:
    number = request.GET.get("page", "1")
    return number if number.isdigit() else 1


@login_required
@require_http_methods(["GET", "POST"])
def team_propose(request: HttpRequest, slug: str, city: str) -> HttpResponse:
    """A city's officer proposes someone for their own city's team."""
    programme = selectors.programme_get(request.user, slug)
    found = selectors.city_get(request.user, slug, city)  # 404 outside the viewer's reach
    decision = can_propose_team(request.user, programme, found)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = TeamProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = team_proposal_create(
                actor=request.user, programme=programme, city=found, **form.cleaned_data
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is proposed; a coordinator confirms before the invitation is sent.")
                % {"name": f"{invitation.first_name} {invitation.last_name}"},
            )
            return redirect("programmes:people", slug=slug)
    return render(
        request,
        "programmes/team_propose.html",
        {"programme": programme, "city": found, "form": form},
    )


@login_required
@require_POST
def proposal_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    proposal = selectors_team.proposal_get(request.user, programme, pk)
    try:
        team_proposal_confirm(actor=request.user, invitation=proposal)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation is sent to %s.") % proposal.email)
    return redirect("programmes:people", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decline(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    proposal = selectors_team.proposal_get(request.user, programme, pk)
    form = ProposalDeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team_proposal_decline(
                actor=request.user, invitation=proposal, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The proposal is declined; the officer is told why."))
            return redirect("programmes:people", slug=slug)
    return render(
        request,
        "programmes/proposal_decline.html",
        {"programme": programme, "proposal": proposal, "form": form},
    )


@login_required
@require_POST
def team_rules(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinators' rule on the settings screen: may the cities' officers propose?"""
    programme = selectors.programme_get(request.user, slug)
    if not can_manage_programme(request.user, programme.pk):
        raise Http404("No settings here")
    form = TeamRulesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The setting could not be read; please try again."))
        return redirect("programmes:settings", slug=slug)
    try:
        programme_team_rules_update(
            actor=request.user,
            programme=programme,
            expected_version=form.cleaned_data["version"],
            officers_propose_team=form.cleaned_data["officers_propose_team"],
        )
    except ConcurrentEditError as error:
        messages.error(request, error.message)
    except DomainError as error:
        raise PermissionDenied(error.message) from None
    else:
        messages.success(request, _("The rule for the cities' teams is saved."))
    return redirect("programmes:settings", slug=slug)


@login_required
def roles_past(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    page = selectors_team.past_roles_page(request.user, programme, page=_page_number(request))
    return render(request, "programmes/roles_past.html", {"programme": programme, "page": page})


@login_required
def invitations(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_get(request.user, slug)
    form = InvitationStateFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_bound and form.is_valid() else ""
    page = selectors_team.invitations_page(
        request.user, programme, state=state, page=_page_number(request)
    )
    return render(
        request,
        "programmes/invitations.html",
        {"programme": programme, "page": page, "form": form, "state": state},
    )
