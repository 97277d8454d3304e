from django.urls import path

from core.health import health
from core.views import csp_report

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    # How to report a security problem: the policy page and its machine-readable pointer.
    path("security/", views.disclosure, name="disclosure"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    # Where browsers report a Content-Security-Policy violation (settings.CONTENT_SECURITY_POLICY).
    path("csp-report/", csp_report, name="csp_report"),
    # Whether this process can serve (database, cache, storage, Redis, queue): core.health.
    path("health/", health, name="health"),
]
