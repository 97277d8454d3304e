from django.urls import path

from . import views

app_name = "assessments"
_ASSESSMENT = "assessments/<slug:city>/<slug:code>/<slug:phase>/"
_DRAFT = "benchmarks/<slug:code>/draft/"
urlpatterns = [
    path("assessments/", views.home, name="home"),
    path("benchmarks/<slug:code>/", views.benchmark_detail, name="benchmark"),
    path("benchmarks/<slug:code>/new-version/", views.benchmark_draft_open, name="benchmark_open"),
    path(_DRAFT, views.benchmark_draft, name="benchmark_draft"),
    path(f"{_DRAFT}publish/", views.benchmark_publish, name="benchmark_publish"),
    path(f"{_DRAFT}key-factors/new/", views.key_factor_edit, name="key_factor_new"),
    path(f"{_DRAFT}key-factors/<int:pk>/", views.key_factor_edit, name="key_factor_edit"),
    path(f"{_DRAFT}context/new/", views.additional_factor_edit, name="additional_factor_new"),
    path(f"{_DRAFT}context/<int:pk>/", views.additional_factor_edit, name="additional_factor_edit"),
    path(f"{_DRAFT}<slug:kind>/<int:pk>/remove/", views.factor_delete, name="factor_delete"),
    path(_ASSESSMENT, views.assessment_detail, name="assessment"),
    path(f"{_ASSESSMENT}start/", views.assessment_start, name="assessment_start"),
    path(f"{_ASSESSMENT}review/", views.assessment_review, name="assessment_review"),
    path(
        f"{_ASSESSMENT}attachments/<int:pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        f"{_ASSESSMENT}attachments/<int:pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    path("wishes/<slug:city>/", views.wishes_edit, name="wishes"),
    path("gaps/cities/<slug:city>/", views.city_gaps, name="city_gaps"),
    path("gaps/themes/<slug:code>/", views.theme_gaps, name="theme_gaps"),
]
