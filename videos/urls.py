from django.urls import path

from . import views

app_name = "videos"
urlpatterns = [
    # Members: a programme's catalogue, each video's records and consents.
    path("programmes/<slug:slug>/videos/", views.manage, name="manage"),
    path("programmes/<slug:slug>/videos/new/", views.new, name="new"),
    path("programmes/<slug:slug>/videos/<int:pk>/", views.detail, name="detail"),
    path("programmes/<slug:slug>/videos/<int:pk>/edit/", views.edit, name="edit"),
    path("programmes/<slug:slug>/videos/<int:pk>/file/", views.file, name="file"),
    path(
        "programmes/<slug:slug>/videos/<int:pk>/captions/new/",
        views.subtitle_new,
        name="subtitle_new",
    ),
    path(
        "programmes/<slug:slug>/videos/<int:pk>/captions/<int:subtitle>/",
        views.subtitle_file,
        name="subtitle_file",
    ),
    path(
        "programmes/<slug:slug>/videos/<int:pk>/people/new/",
        views.appearance_new,
        name="appearance_new",
    ),
    path(
        "programmes/<slug:slug>/videos/<int:pk>/people/<int:person>/form/",
        views.consent_form,
        name="consent_form",
    ),
    path(
        "programmes/<slug:slug>/videos/<int:pk>/people/<int:person>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "programmes/<slug:slug>/videos/<int:pk>/step/<str:action>/",
        views.step,
        name="step",
    ),
    # Public: published videos only, while every consent in them holds.
    path("videos/", views.public_list, name="public_list"),
    path("videos/<int:pk>/", views.public, name="public"),
    path("videos/<int:pk>/embed/", views.embed, name="embed"),
    path("videos/<int:pk>/file/", views.stream, name="stream"),
    path("videos/<int:pk>/captions/<slug:language>.vtt", views.track, name="track"),
]
