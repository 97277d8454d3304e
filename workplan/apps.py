from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplanConfig(AppConfig):
    name = "workplan"
    verbose_name = _("Work plan and deliverables")

    def ready(self) -> None:
        # The work plan is a section of the programme's data file (programmes.services.loading).
        from programmes.services.loading import section_loader_register

        from .loading import work_plan_load

        section_loader_register("work_plan", work_plan_load)
