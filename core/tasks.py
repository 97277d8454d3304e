"""The queue's side of core (`manage.py run_huey`; no cron): the daily purge of stored files that
no record names (core.uploads.storage)."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .uploads import orphan_files_purge


@db_periodic_task(crontab(hour=str(settings.UPLOAD_PURGE_HOUR), minute="40"))
def orphan_files_purge_daily() -> None:
    orphan_files_purge()
