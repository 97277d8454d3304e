"""The queue's side of notifications: one task per e-mail, a sweep every minute for retries and
lost tasks, the daily digest. Periodic tasks run in the worker (`run_huey`): no cron."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import digests_send, email_deliver, emails_due, emails_recover_stale


@db_task()
def email_send(email_id: int) -> None:
    email_deliver(email_id)


@db_periodic_task(crontab(minute="*"))
def emails_send_due() -> None:
    emails_recover_stale()
    for email_id in emails_due():
        email_deliver(email_id)


@db_periodic_task(crontab(hour=str(settings.NOTIFICATIONS_DIGEST_HOUR), minute="0"))
def digests_send_daily() -> None:
    digests_send()
