from django.urls import path

from . import views

app_name = "reports"
_P = "programmes/<slug:slug>/reports/"
urlpatterns = [
    path(_P, views.index, name="index"),
    path(f"{_P}new/", views.new, name="new"),
    path(f"{_P}<int:pk>/", views.report, name="report"),
    path(f"{_P}<int:pk>/sections/<slug:key>/", views.section, name="section"),
    path(f"{_P}<int:pk>/preview/", views.preview, name="preview"),
    path(f"{_P}<int:pk>/files/", views.files_new, name="files_new"),
    path(f"{_P}<int:pk>/files/<slug:file_format>/", views.file, name="file"),
    path(f"{_P}<int:pk>/freeze/", views.freeze, name="freeze"),
]
