"""The e-mails a delegate receives when their place changes, in the language they registered
in, with their programme as a calendar file. Sent through the notifications' outbox (kept,
retried, never sent twice); a delegate from outside the programme has no Person."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.models import OutgoingEmail
from notifications.services.notify import email_queue
from visits.times import event_when

from .calendar import conference_url, ical_for_sessions
from .models import Registration


def _subjects() -> dict[str, str]:
    return {
        "registered": _("Your registration"),
        "changed": _("Your sessions have changed"),
        "moved_up": _("A place is yours"),
        "cancelled": _("Your registration is cancelled"),
    }


def send_place_email(registration_id: int, kind: str, *, token: str = "") -> OutgoingEmail:
    """Render and queue the e-mail of one change (`kind`: registered, changed, moved_up,
    cancelled). `token` is the raw private link's token, known only when it was just made."""
    from .selectors import own_sessions

    registration = Registration.objects.select_related(
        "conference__event__host_city", "conference__event__programme"
    ).get(pk=registration_id)
    conference, event = registration.conference, registration.conference.event
    with translation.override(registration.language):
        subject = f"{event.title}: {_subjects()[kind]}"
        sessions = own_sessions(registration) if kind != "cancelled" else []
        context = {
            "registration": registration,
            "kind": kind,
            "event": event,
            "when": event_when(event),
            "sessions": sessions,
            "waiting": [
                c.session
                for c in registration.choices.filter(status="waiting").select_related("session")
            ],
            "page": conference_url(conference),
            "link": settings.PLATFORM_BASE_URL
            + reverse("conference:registration", args=[conference.slug, token])
            if token
            else "",
        }
        text = render_to_string("conference/email/place.txt", context)
        html = render_to_string("conference/email/place.html", context)
        calendar = (
            ical_for_sessions(conference, sessions, name=event.title).decode()
            if sessions and registration.status == "confirmed"
            else ""
        )
    return email_queue(
        recipient=registration.person,
        programme=event.programme,
        to_address=registration.email,
        subject=subject[:300],
        text=text,
        html=html,
        calendar=calendar,
        holds_link=bool(token),
    )
