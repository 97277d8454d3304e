from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("<slug:slug>/", views.programme_overview, name="overview"),
    path("<slug:slug>/schemes/<slug:code>/", views.scheme_detail, name="scheme"),
    path("<slug:slug>/cities/<slug:city>/", views.city_detail, name="city"),
    path("<slug:slug>/cities/<slug:city>/edit/", views.city_edit, name="city_edit"),
    path("<slug:slug>/people/", views.people, name="people"),
    path("<slug:slug>/history/<slug:kind>/<int:pk>/", views.history, name="history"),
]
