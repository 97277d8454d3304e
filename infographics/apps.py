from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfographicsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "infographics"
    verbose_name = _("Infographics")
