from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("practices/", views.practice_list, name="practices"),
    path("practices/new/", views.practice_new, name="practice_new"),
    path("practices/editorial/", views.editorial, name="editorial"),
    path("practices/export/", views.practice_export, name="practice_export"),
    path("practices/<slug:reference>/", views.practice_detail, name="practice"),
    path("practices/<slug:reference>/edit/", views.practice_edit, name="practice_edit"),
    path(
        "practices/<slug:reference>/steps/<slug:step>/",
        views.practice_step_view,
        name="practice_step",
    ),
    path(
        "programmes/<slug:programme>/cities/<slug:city>/practices/",
        views.city_recommendations,
        name="recommendations",
    ),
    path("toolkits/", views.toolkit_list, name="toolkits"),
    path("toolkits/new/<slug:programme>/", views.toolkit_new, name="toolkit_new"),
    path("toolkits/<slug:slug>/", views.toolkit_detail, name="toolkit"),
    path("toolkits/<slug:slug>/pdf/", views.toolkit_pdf_view, name="toolkit_pdf"),
    path("toolkits/<slug:slug>/factors/<slug:code>/", views.toolkit_factor, name="toolkit_factor"),
    path("toolkits/<slug:slug>/compose/", views.toolkit_compose, name="toolkit_compose"),
    path(
        "toolkits/<slug:slug>/recommendations/",
        views.toolkit_recommendation_new,
        name="toolkit_recommendation_new",
    ),
    path(
        "toolkits/<slug:slug>/practices/", views.toolkit_practice_new, name="toolkit_practice_new"
    ),
    path(
        "toolkits/<slug:slug>/<str:kind>/<int:pk>/remove/",
        views.toolkit_item_remove,
        name="toolkit_item_remove",
    ),
    path("toolkits/<slug:slug>/steps/<slug:step>/", views.toolkit_step_view, name="toolkit_step"),
    path("toolkits/<slug:slug>/feedback/", views.toolkit_feedback_new, name="toolkit_feedback"),
]
