"""Events in the Django admin, for platform admins; every change enters the audit trail."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class ParticipantInline(admin.TabularInline):
    model = models.Participant
    extra = 0
    autocomplete_fields = ["person"]


class AgendaInline(admin.TabularInline):
    model = models.AgendaItem
    extra = 0


@admin.register(models.Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "format", "starts_at", "host_city", "status"]
    list_filter = ["programme", "format", "status"]
    search_fields = ["title"]
    inlines = [ParticipantInline, AgendaInline]


@admin.register(models.CityUnavailability)
class CityUnavailabilityAdmin(SimpleHistoryAdmin):
    list_display = ["city", "start", "end", "reason"]
