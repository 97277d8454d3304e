from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.notice, name="notice"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/archive/", views.my_data_archive, name="my_data_archive"),
    path("people/<int:pk>/archive/", views.person_archive, name="person_archive"),
    path("people/<int:pk>/pseudonymise/", views.request_new, name="request_new"),
    path("requests/", views.requests_page, name="requests"),
    path("requests/<int:pk>/confirm/", views.request_confirm, name="request_confirm"),
    path("requests/<int:pk>/withdraw/", views.request_cancel, name="request_cancel"),
]
