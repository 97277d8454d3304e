from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from notifications.views import language_choose

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    # Passkey ceremonies: django-otp-webauthn's JSON views, called by its script.
    path("accounts/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("programmes/", include("programmes.urls")),
    path("programmes/<slug:slug>/", include("assessments.urls")),
    path("programmes/<slug:slug>/", include("matching.urls")),
    path("", include("visits.urls")),
    path("", include("action_plans.urls")),
    path("", include("knowledge.urls")),
    path("", include("finance.urls")),
    path("", include("workplan.urls")),
    path("", include("reports.urls")),
    path("", include("infographics.urls")),
    path("", include("dashboard.urls")),
    path("", include("videos.urls")),
    path("", include("conference.urls")),
    path("inbox/", include("notifications.urls")),
    path("privacy/", include("privacy.urls")),
    path("", include("accessibility.urls")),
    path("api/", include("api.urls")),
    # The language switcher: for a signed-in person it is also their stored choice.
    path("i18n/setlang/", language_choose, name="set_language"),
    path("admin/", admin.site.urls),
]
# No URL serves MEDIA_ROOT, in DEBUG as in production: every stored file is answered only by the
# view of its record, within the viewer's scope (core.files.private_file_response).
