"""The conference's on-site addresses (under the conference: namespace): the on-site page,
check-in (search, a badge's QR code, record and undo), presence in a session, the badges and
the funder's participants' lists."""

from django.urls import URLPattern, path

from ..views import onsite

S = "conferences/<slug:slug>/on-site/"

urlpatterns: list[URLPattern] = [
    path(S, onsite.home, name="onsite_home"),
    path(S + "check-in/", onsite.checkin, name="onsite_checkin"),
    path(S + "check-in/code/<str:code>/", onsite.checkin_code, name="onsite_checkin_code"),
    path(S + "check-in/<int:pk>/", onsite.checkin_record_view, name="onsite_checkin_record"),
    path(S + "check-in/<int:pk>/undo/", onsite.checkin_undo_view, name="onsite_checkin_undo"),
    path(S + "sessions/<int:pk>/", onsite.session_attendance, name="onsite_session"),
    path(S + "badges/", onsite.badges, name="onsite_badges"),
    path(S + "badges.pdf", onsite.badges_pdf, name="onsite_badges_pdf"),
    path(S + "participants/", onsite.participants, name="onsite_participants"),
]
