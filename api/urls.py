from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import action_plans, media, practices, reports

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("practices/", practices.PracticeSearch.as_view(), name="practices"),
    path("infographics/", media.InfographicList.as_view(), name="infographics"),
    path("infographics/<int:pk>/", media.InfographicDetail.as_view(), name="infographic"),
    path("videos/", media.VideoList.as_view(), name="videos"),
    path("videos/<int:pk>/", media.VideoDetail.as_view(), name="video"),
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
