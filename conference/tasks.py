"""The queue's side of the conference (`manage.py run_huey`; no cron): the daily erase of the
delegates' personal data once a conference's retention period is over
(`erase_conference_data` does the same by hand)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services.retention import expired_conferences_erase


@db_periodic_task(crontab(hour="3", minute="30"))
def conference_data_erase_daily() -> int:
    return sum(result.registrations for result in expired_conferences_erase())
