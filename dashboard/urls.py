from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("programmes/<slug:slug>/dashboard/", views.programme, name="programme"),
]
