"""The conference's addresses: the public ones here (the programme, registration, a delegate's
private link); the organisers', on-site and after-conference ones in their own modules, joined
under the same `conference:` namespace."""

from django.urls import include, path

from ..views import public

app_name = "conference"

C = "conferences/<slug:slug>/"

urlpatterns = [
    path(C, public.public, name="public"),
    path(C + "register/", public.register_view, name="register"),
    path(C + "delegations/<slug:city>/", public.delegation, name="delegation"),
    path(C + "sessions/<int:pk>.ics", public.session_ics, name="session_ics"),
    path(C + "registration/<str:token>/", public.registration, name="registration"),
    path(
        C + "registration/<str:token>/sessions.ics",
        public.registration_ics,
        name="registration_ics",
    ),
    path("", include("conference.urls.organiser")),
    path("", include("conference.urls.onsite")),
    path("", include("conference.urls.after")),
]
