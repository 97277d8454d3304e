from django.urls import path

from . import views

app_name = "accessibility"

urlpatterns = [
    path("accessibility/", views.statement_page, name="statement"),
    path("accessibility/feedback/", views.feedback_new, name="feedback"),
    path("accessibility/feedback/sent/", views.feedback_sent, name="feedback_sent"),
    path("languages/", views.languages_page, name="languages"),
    path("languages/report/", views.translation_report, name="translation_report"),
    path("accessibility/feedback/received/", views.feedback_list, name="feedback_list"),
    path(
        "accessibility/feedback/received/<int:pk>/",
        views.feedback_detail,
        name="feedback_detail",
    ),
]
