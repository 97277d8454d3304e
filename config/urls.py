from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    path("programmes/", include("programmes.urls")),
    path("programmes/<slug:slug>/", include("assessments.urls")),
    path("programmes/<slug:slug>/", include("matching.urls")),
    path("", include("visits.urls")),
    path("", include("action_plans.urls")),
    path("", include("knowledge.urls")),
    path("", include("finance.urls")),
    path("api/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
