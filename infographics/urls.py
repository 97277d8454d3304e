from django.urls import path

from . import views

app_name = "infographics"

urlpatterns = [
    path("programmes/<slug:slug>/infographics/", views.index, name="index"),
    path("programmes/<slug:slug>/infographics/new/", views.start, name="start"),
    path("programmes/<slug:slug>/infographics/<int:pk>/", views.edit, name="edit"),
    path("programmes/<slug:slug>/infographics/<int:pk>/preview.svg", views.preview, name="preview"),
    path("programmes/<slug:slug>/infographics/<int:pk>/publish/", views.publish, name="publish"),
    path("infographics/", views.public_list, name="public_list"),
    path("infographics/<int:pk>/", views.public, name="public"),
    path("infographics/<int:pk>/v<int:number>/<str:file_format>/", views.file, name="file"),
    path(
        "infographics/<int:pk>/v<int:number>/<str:file_format>/download/",
        views.download,
        name="download",
    ),
]
