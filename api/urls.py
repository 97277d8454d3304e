from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import action_plans, practices, reports

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("practices/", practices.PracticeSearch.as_view(), name="practices"),
    path(
        "programmes/<slug:slug>/action-plans/",
        action_plans.PlanList.as_view(),
        name="action_plans",
    ),
    path(
        "programmes/<slug:slug>/action-plans/<slug:city>/",
        action_plans.PlanDetail.as_view(),
        name="action_plan",
    ),
    path("programmes/<slug:slug>/reports/", reports.ReportList.as_view(), name="reports"),
    path(
        "programmes/<slug:slug>/reports/<int:pk>/",
        reports.ReportDetail.as_view(),
        name="report",
    ),
]
