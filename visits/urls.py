from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("programmes/<slug:slug>/events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("calendar/", views.feed_settings, name="feed_settings"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
