from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/mark/", views.notification_mark, name="mark"),
    path("settings/", views.notification_settings, name="settings"),
    path("e-mails/", views.email_problems, name="email_problems"),
    path("e-mails/<int:pk>/retry/", views.email_retry, name="email_retry"),
]
