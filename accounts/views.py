from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from programmes import selectors
from programmes.services.people import invitation_accept, invitation_for_token

from .forms import InvitationPasswordForm


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own record and roles."""
    return render(
        request,
        "accounts/profile.html",
        {
            "person": selectors.person_for_user(request.user),
            "memberships": selectors.memberships_of_user(request.user),
        },
    )


@never_cache
@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's link: choose a password, then be signed in; a dead link says so."""
    pending = invitation_for_token(token)
    if pending is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    form = InvitationPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(raw_token=token, password=form.cleaned_data["password1"])
        except DomainError as error:
            for field, message in error.field_errors.items():
                form.add_error(field, message)
            if not error.field_errors:
                form.add_error(None, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome: your password is set."))
            return redirect("portal:home")
    return render(
        request,
        "accounts/invitation.html",
        {"form": form, "invitation": pending, "programme_name": pending.programme.name},
    )
