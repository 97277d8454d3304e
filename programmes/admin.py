"""The Django admin, for platform admins. Every change made here enters the audit trail."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "funder", "start_date", "end_date", "total_budget", "currency"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # an open settings form (period, money rules) must notice this
        super().save_model(request, obj, form, change)


@admin.register(models.City)
class CityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "currency", "population", "charter_signatory"]
    list_filter = ["country", "charter_signatory"]
    search_fields = ["name"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1  # an open edit form elsewhere must notice this change
        super().save_model(request, obj, form, change)


@admin.register(models.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "organisation"]
    search_fields = ["last_name", "first_name", "email"]
    list_select_related = ["organisation"]


@admin.register(models.Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["person", "role", "programme", "scheme", "city", "approval_level"]
    list_filter = ["role", "programme"]
    list_select_related = ["person", "programme", "scheme__theme", "city"]


@admin.register(models.Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "programme", "facilitator"]
    filter_horizontal = ["commitments"]


@admin.register(models.MentoringScheme)
class MentoringSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["theme", "programme"]
    list_select_related = ["theme", "programme"]


@admin.register(models.SchemeMember)
class SchemeMemberAdmin(SimpleHistoryAdmin):
    list_display = ["city", "scheme", "role", "illustrative", "ended_on"]
    list_select_related = ["city", "scheme__theme"]
    list_filter = [("ended_on", admin.EmptyFieldListFilter)]


@admin.register(models.MentoringPair)
class MentoringPairAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "scheme", "illustrative", "ended_on", "ended_by_run"]
    list_select_related = ["mentor__city", "implementing__city", "scheme__theme"]
    list_filter = [("ended_on", admin.EmptyFieldListFilter)]


@admin.register(models.ProgrammePartner)
class ProgrammePartnerAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "programme", "role"]


for reference_model in (
    models.CharterRole,
    models.CharterCommitment,
    models.EuropeanModule,
    models.RatingLevel,
    models.KeyDate,
):
    admin.site.register(reference_model)
