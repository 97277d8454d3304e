from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("matching/", views.home, name="home"),
    path("matching/cities/", views.cities, name="cities"),
    path("matching/compare/", views.compare, name="compare"),
    path("matching/runs/<int:pk>/", views.run_detail, name="run"),
    path("matching/runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("matching/runs/<int:pk>/problem.json", views.run_problem, name="run_problem"),
    path("matching/runs/<int:pk>/accept/", views.run_accept, name="run_accept"),
    path("matching/pairs/<slug:city>/", views.mentor_change, name="mentor_change"),
]
