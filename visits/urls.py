from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("programmes/<slug:slug>/events/", views.calendar, name="calendar"),
    path("programmes/<slug:slug>/events/new/", views.event_form, name="event_new"),
    path("programmes/<slug:slug>/events/<int:pk>/", views.event_detail, name="event"),
    path("programmes/<slug:slug>/events/<int:pk>/edit/", views.event_form, name="event_edit"),
    path("programmes/<slug:slug>/events/<int:pk>/invitable/", views.invitable, name="invitable"),
    path("programmes/<slug:slug>/events/<int:pk>/status/", views.event_status, name="status"),
    path(
        "programmes/<slug:slug>/events/<int:pk>/participants/",
        views.participant_add,
        name="participant_add",
    ),
    path("programmes/<slug:slug>/events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("programmes/<slug:slug>/events/<int:pk>/delegation/", views.delegation, name="delegation"),
    path("programmes/<slug:slug>/events/<int:pk>/answer/", views.respond, name="respond"),
    path("programmes/<slug:slug>/events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path(
        "programmes/<slug:slug>/events/<int:pk>/participants.pdf",
        views.participants_pdf,
        name="participants_pdf",
    ),
    path("programmes/<slug:slug>/events/<int:pk>/report/", views.report_edit, name="report"),
    path("programmes/<slug:slug>/events/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path(
        "programmes/<slug:slug>/events/<int:pk>/agenda/<int:item>/remove/",
        views.agenda_remove,
        name="agenda_remove",
    ),
    path("programmes/<slug:slug>/findings/<slug:city>/", views.city_findings, name="findings"),
    path("programmes/<slug:slug>/visit-plan/", views.visit_plan, name="plan"),
    path("programmes/<slug:slug>/pairs/<int:pk>/", views.pair_timeline, name="pair"),
    path(
        "programmes/<slug:slug>/cities/<slug:city>/unavailable/",
        views.unavailable_dates,
        name="unavailable",
    ),
    path(
        "programmes/<slug:slug>/cities/<slug:city>/unavailable/<int:pk>/remove/",
        views.unavailable_remove,
        name="unavailable_remove",
    ),
    path("calendar/", views.feed_settings, name="feed_settings"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
