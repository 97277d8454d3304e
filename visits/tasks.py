"""The queue's side of visits (`manage.py run_huey`; no cron): the event and overdue-report
reminders are raised by a daily periodic task (`send_reminders` does the same by hand)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.reminders import reminders_send


@db_periodic_task(crontab(hour="6", minute="10"))
def visits_reminders_daily() -> None:
    reminders_send()
