"""The conference's organiser addresses (under the conference: namespace): the coordinators
organise; the auditors read the registrations."""

from django.urls import path

from ..views import organiser

ORG = "conferences/<slug:slug>/organise/"

urlpatterns = [
    path(
        "programmes/<slug:programme>/conferences/new/",
        organiser.conference_new,
        name="organise_new",
    ),
    path(ORG, organiser.home, name="organise"),
    path(ORG + "settings/", organiser.conference_settings, name="organise_settings"),
    path(ORG + "sessions/", organiser.sessions, name="organise_sessions"),
    path(ORG + "sessions/new/", organiser.session_new, name="organise_session_new"),
    path(ORG + "sessions/<int:pk>/", organiser.session_edit, name="organise_session_edit"),
    path(
        ORG + "sessions/<int:pk>/delete/", organiser.session_delete, name="organise_session_delete"
    ),
    path(ORG + "speakers/", organiser.speakers, name="organise_speakers"),
    path(ORG + "speakers/new/", organiser.speaker_edit, name="organise_speaker_new"),
    path(ORG + "speakers/<int:pk>/", organiser.speaker_edit, name="organise_speaker_edit"),
    path(ORG + "delegations/", organiser.delegations, name="organise_delegations"),
    path(ORG + "travel/", organiser.travel, name="organise_travel"),
    path(ORG + "registrations/", organiser.registrations, name="organise_registrations"),
    path(
        ORG + "registrations/<int:pk>/", organiser.registration_detail, name="organise_registration"
    ),
]
