"""Check-in reminders: some days before a follow-up check-in of an adopted plan, its city's
officers and the coordinators (who record check-ins: MONITOR_PLAN) get a notification, once per
check-in and person (the notification's once_key), and the check-in is marked reminded
(CheckIn.reminded_at). Raised daily by the queue (action_plans.tasks) and by hand with
`send_check_in_reminders`. Each reader gets it in their own language, the due date in its format."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from notifications.recipients import holders
from notifications.services import notify

from .. import notification_kinds as kinds
from ..models import CheckIn


def check_in_reminders_send() -> int:
    """Raise the reminders now due; returns how many check-ins were reminded."""
    horizon = timezone.localdate() + timedelta(days=settings.ACTION_PLANS_CHECK_IN_REMINDER_DAYS)
    sent = 0
    with transaction.atomic():
        due = list(
            CheckIn.objects.select_for_update(of=("self",))
            .filter(done_at__isnull=True, reminded_at__isnull=True, due_on__lte=horizon)
            .select_related("plan__city", "plan__programme")
        )
        for check_in in due:
            plan = check_in.plan
            notify(
                kind=kinds.CHECK_IN_DUE,
                recipients=holders(
                    plan.programme_id, Role.CITY_OFFICER, Role.COORDINATOR, city_id=plan.city_id
                ),
                url=reverse("action_plans:plan", args=[plan.programme.slug, plan.city.slug]),
                programme=plan.programme,
                params={"plan": plan.title, "city": plan.city.name, "due_on": check_in.due_on},
                once_key=f"action-plan-check-in-{check_in.pk}",
            )
            check_in.reminded_at = timezone.now()
            check_in.save(update_fields=["reminded_at"])
            sent += 1
    return sent
