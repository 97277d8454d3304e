from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The living demo: CITIES-GROW brought forward to mid-2018 through the apps' services.
    No models of its own."""

    name = "demo"
    verbose_name = _("Demo data")
