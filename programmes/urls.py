from django.urls import path

from . import views, views_settings, views_team

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
    # A city's team proposals and the people records (views_team).
    path(
        "<slug:slug>/cities/<slug:city>/team/propose/",
        views_team.team_propose,
        name="team_propose",
    ),
    path(
        "<slug:slug>/people/proposals/<int:pk>/confirm/",
        views_team.proposal_confirm,
        name="proposal_confirm",
    ),
    path(
        "<slug:slug>/people/proposals/<int:pk>/decline/",
        views_team.proposal_decline,
        name="proposal_decline",
    ),
    path("<slug:slug>/people/past-roles/", views_team.roles_past, name="roles_past"),
    path("<slug:slug>/people/invitations/", views_team.invitations, name="invitations"),
    path("<slug:slug>/settings/team/", views_team.team_rules, name="team_rules"),
    path("<slug:slug>/history/<slug:kind>/<int:pk>/", views.history, name="history"),
    # The coordinators' settings: the period and the key dates (views_settings).
    path("<slug:slug>/settings/", views_settings.settings, name="settings"),
    path("<slug:slug>/settings/key-dates/new/", views_settings.key_date_new, name="key_date_new"),
    path(
        "<slug:slug>/settings/key-dates/<int:pk>/",
        views_settings.key_date_edit,
        name="key_date_edit",
    ),
    path(
        "<slug:slug>/settings/key-dates/<int:pk>/remove/",
        views_settings.key_date_remove_view,
        name="key_date_remove",
    ),
]
