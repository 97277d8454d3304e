"""The Django admin, read-mostly: benchmarks and self-assessments change through their screens,
whose services keep the workflow and the freeze; here platform admins look and audit."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class _ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Benchmark)
class BenchmarkAdmin(_ReadOnly):
    list_display = ["theme", "version", "status", "title", "published_at", "illustrative"]
    list_filter = ["status", "theme__programme"]


@admin.register(models.SelfAssessment)
class SelfAssessmentAdmin(_ReadOnly):
    list_display = ["city", "theme", "phase", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "phase", "theme__programme", "theme"]
    search_fields = ["city__name"]


@admin.register(models.ThemeWishes)
class ThemeWishesAdmin(_ReadOnly):
    list_display = ["city", "programme", "max_mentees"]
