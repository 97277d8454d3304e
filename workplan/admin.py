"""The work plan is kept on its own screens (workplan.views), audited; the admin reads it only."""

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Deliverable, DeliverableStep, Milestone, Task, WorkPackage


class _ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


for model in (WorkPackage, Task, Deliverable, Milestone, DeliverableStep):
    admin.site.register(model, _ReadOnly)
