"""The video catalogue's scheduled work: every day, take off the portal the videos whose
consents expired (public reads already hide them: videos.selectors.published_videos)."""

from datetime import date

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import consents_check


def consents_check_run(today: date | None = None) -> int:
    """The task's body (tests call it with a date): how many videos were taken off."""
    return len(consents_check(today=today))


@db_periodic_task(crontab(hour=str(settings.VIDEO_CONSENTS_CHECK_HOUR), minute="5"))
def consents_check_daily() -> int:
    return consents_check_run()
