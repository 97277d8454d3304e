from datetime import UTC, timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from action_plans.selectors import public_plans_count
from core.work import work_for
from programmes import selectors


def _waiting(user: Any, memberships: list[Any]) -> list[tuple[Any, list[Any]]]:
    """Each programme of the person's roles, once, with what waits for them there."""
    programmes = {m.programme_id: m.programme for m in memberships}
    return [(p, work_for(user, p)) for p in programmes.values()]


def home(request: HttpRequest) -> HttpResponse:
    """The public front page: what the platform runs, the plans its cities adopted and
    published, and for a signed-in person, their roles and the work waiting for them."""
    memberships = (
        selectors.memberships_of_user(request.user) if request.user.is_authenticated else []
    )
    waiting = _waiting(request.user, memberships)
    return render(
        request,
        "portal/home.html",
        {
            "public_programmes": list(selectors.programmes_public()),
            "published_plans": public_plans_count(),
            "memberships": memberships,
            "waiting": waiting,
            "nothing_waits": not any(items for _programme, items in waiting),
        },
    )


@require_GET
def disclosure(request: HttpRequest) -> HttpResponse:
    """The responsible-disclosure policy: how to report a security problem, what the reporter
    may and may not do, and what the platform's team promises in return."""
    return render(
        request,
        "portal/disclosure.html",
        {
            "contacts": [
                {"url": contact, "label": contact.removeprefix("mailto:")}
                for contact in settings.SECURITY_CONTACTS
            ],
            "security_txt_url": reverse("portal:security_txt"),
            "acknowledge_days": settings.SECURITY_ACKNOWLEDGE_DAYS,
            "disclosure_days": settings.SECURITY_DISCLOSURE_DAYS,
        },
    )


@require_GET
def security_txt(request: HttpRequest) -> HttpResponse:
    """/.well-known/security.txt (RFC 9116). Its addresses come from PLATFORM_BASE_URL, never
    from the request's host; it expires SECURITY_TXT_EXPIRES_DAYS after it is served, so a
    platform still running still answers a valid file, while a copy taken elsewhere goes stale."""
    expires = timezone.now().astimezone(UTC).replace(microsecond=0) + timedelta(
        days=settings.SECURITY_TXT_EXPIRES_DAYS
    )
    base = settings.PLATFORM_BASE_URL
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACTS]
    lines += [
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        # The languages the security contact reads, not every language of the interface.
        "Preferred-Languages: " + ", ".join(settings.SECURITY_REPORT_LANGUAGES),
        f"Policy: {base}{reverse('portal:disclosure')}",
        f"Canonical: {base}{reverse('portal:security_txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
