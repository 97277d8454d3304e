from django.urls import path

from . import views

app_name = "conference"
urlpatterns = [
    path("conferences/<slug:slug>/", views.public, name="public"),
    path("conferences/<slug:slug>/sessions/<int:pk>.ics", views.session_ics, name="session_ics"),
    path(
        "conferences/<slug:slug>/registration/<str:token>/",
        views.registration,
        name="registration",
    ),
    path(
        "conferences/<slug:slug>/registration/<str:token>/sessions.ics",
        views.registration_ics,
        name="registration_ics",
    ),
]
