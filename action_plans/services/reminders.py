"""Check-in reminders: some days before a follow-up check-in of an adopted plan, its city's
officers and the coordinators get an e-mail, once (CheckIn.reminded_at), after the transaction
commits. Run by `send_check_in_reminders`. The e-mail is written in the plan's language, as its
PDF and DOCX are (the language the city works in), with the due date in that language's format."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.roles import Role
from programmes.models import Membership

from ..models import CheckIn


def _send(subject: str, body: str, addresses: list[str]) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)


def check_in_reminders_send() -> int:
    """Send the reminders now due; returns how many check-ins were reminded."""
    horizon = timezone.localdate() + timedelta(days=settings.ACTION_PLANS_CHECK_IN_REMINDER_DAYS)
    sent = 0
    with transaction.atomic():
        due = list(
            CheckIn.objects.select_for_update()
            .filter(done_at__isnull=True, reminded_at__isnull=True, due_on__lte=horizon)
            .select_related("plan__city", "plan__programme")
        )
        for check_in in due:
            plan = check_in.plan
            addresses = sorted(
                set(
                    Membership.objects.current()
                    .filter(programme_id=plan.programme_id)
                    .filter(
                        Q(role=Role.CITY_OFFICER, city_id=plan.city_id) | Q(role=Role.COORDINATOR)
                    )
                    .values_list("person__email", flat=True)
                )
            )
            with translation.override(plan.language):
                subject = _("Check-in due: %(plan)s") % {"plan": plan.title}
                body = ngettext(
                    "The check-in %(n)d month after the programme is due on %(date)s. Please "
                    "report the progress of each action and record the check-in on the plan's "
                    "page.",
                    "The check-in %(n)d months after the programme is due on %(date)s. Please "
                    "report the progress of each action and record the check-in on the plan's "
                    "page.",
                    check_in.months_after_end,
                ) % {
                    "n": check_in.months_after_end,
                    "date": date_format(check_in.due_on, "DATE_FORMAT"),
                }
            check_in.reminded_at = timezone.now()
            check_in.save(update_fields=["reminded_at"])
            transaction.on_commit(partial(_send, subject, body, addresses))
            sent += 1
    return sent
