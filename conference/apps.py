from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conference"
    verbose_name = _("Conference")

    def ready(self) -> None:
        # A claim for the conference's travel: only the delegates whose travel the grant pays.
        from finance.services.claims import register_event_claim_check

        from .selectors.travel import travel_claim_refusal

        register_event_claim_check(travel_claim_refusal)
