"""The queue's side of local action plans (`manage.py run_huey`; no cron): the check-in
reminders are raised by a daily periodic task (`send_check_in_reminders` does the same by hand)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.reminders import check_in_reminders_send


@db_periodic_task(crontab(hour="6", minute="20"))
def check_in_reminders_daily() -> None:
    check_in_reminders_send()
