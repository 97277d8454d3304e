from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideosConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "videos"
    verbose_name = _("Videos")

    def ready(self) -> None:
        # The notification of a video taken off the portal (a consent withdrawn or expired).
        from .notification_kinds import register_kinds

        register_kinds()
