from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("<slug:slug>/", views.programme_overview, name="overview"),
    path("<slug:slug>/schemes/<slug:code>/", views.scheme_detail, name="scheme"),
    path("<slug:slug>/cities/<slug:city>/", views.city_detail, name="city"),
    path("<slug:slug>/cities/<slug:city>/edit/", views.city_edit, name="city_edit"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/people/invite/", views.invitation_new, name="invitation_new"),
    path(
        "<slug:slug>/people/invitations/<int:pk>/resend/",
        views.invitation_resend_view,
        name="invitation_resend",
    ),
    path(
        "<slug:slug>/people/invitations/<int:pk>/revoke/",
        views.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path(
        "<slug:slug>/people/<int:pk>/deactivate/",
        views.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "<slug:slug>/people/roles/<int:pk>/change/",
        views.membership_change_view,
        name="membership_change",
    ),
    path(
        "<slug:slug>/people/roles/<int:pk>/end/", views.membership_end_view, name="membership_end"
    ),
    path("<slug:slug>/history/<slug:kind>/<int:pk>/", views.history, name="history"),
]
