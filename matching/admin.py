"""Matching runs in the admin, read-only: they are created and accepted on the matching screens."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MatchRun


@admin.register(MatchRun)
class MatchRunAdmin(SimpleHistoryAdmin):
    list_display = ["programme", "number", "label", "status", "solver_status", "objective"]
    list_filter = ["programme", "status", "solver_status"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
