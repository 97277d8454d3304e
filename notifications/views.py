"""The inbox, a person's notification settings, and the coordinators' view of e-mails that could
not be sent. Thin: selectors read, services write."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from core.errors import DomainError

from . import selectors, services
from .forms import NotificationSettingsForm

INBOX_PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    person = selectors.person_of_user(request.user)
    if request.method == "POST" and person is not None:
        count = services.notifications_mark_all_read(person=person)
        messages.success(request, _("Marked as read: %(count)d.") % {"count": count})
        return redirect("notifications:inbox")
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(
        selectors.inbox_for(request.user, unread_only=unread_only), INBOX_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    selectors.with_titles(list(page.object_list))
    return render(
        request,
        "notifications/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "person": person,
            "email_problems": selectors.can_see_email_problems(request.user),
        },
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link (from the inbox or an e-mail): it is read from now on."""
    notification = selectors.notification_for(request.user, pk)
    services.notification_mark_read(notification=notification)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        raise Http404
    return redirect(notification.url)


@login_required
@require_POST
def notification_mark(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_for(request.user, pk)
    services.notification_mark_read(notification=notification, read=request.POST.get("read") != "0")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("notifications:inbox")
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    person = selectors.person_of_user(request.user)
    if person is None:
        raise Http404
    kinds = selectors.channel_choices_for(person)
    form = NotificationSettingsForm(
        request.POST or None, kinds=kinds, initial={"language": person.language}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(
                actor=request.user,
                person=person,
                language=form.cleaned_data["language"],
                channels=form.channels(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            request.session[settings.PERSON_LANGUAGE_SESSION_KEY] = person.language
            messages.success(request, _("Your settings are saved."))
            return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "person": person,
            "digest_waiting": selectors.digest_waiting(person),
            "digest_hour": settings.NOTIFICATIONS_DIGEST_HOUR,
        },
    )


@login_required
def email_problems(request: HttpRequest) -> HttpResponse:
    if not selectors.can_see_email_problems(request.user):
        raise Http404
    page = Paginator(selectors.email_problems_for(request.user), INBOX_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/email_problems.html", {"page": page})


@login_required
@require_POST
def email_retry(request: HttpRequest, pk: int) -> HttpResponse:
    email = selectors.email_problem_for(request.user, pk)
    try:
        services.email_retry(actor=request.user, email=email)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The e-mail will be sent again in a moment."))
    return redirect("notifications:email_problems")


def language_choose(request: HttpRequest) -> HttpResponse:
    """The header's language switcher: for a signed-in person it is also their stored choice
    (e-mails, and the interface at their next log-in); then Django's own view sets the cookie
    (a GET changes nothing and goes back, as Django's does)."""
    language = request.POST.get("language", "")
    person = selectors.person_of_user(request.user)
    if person is not None and language in dict(settings.LANGUAGES):
        services.language_choose(actor=request.user, person=person, language=language)
        request.session[settings.PERSON_LANGUAGE_SESSION_KEY] = language
    return set_language(request)
